// Effective policies for tests, built from the shipped national defaults.
import national from '@duban/domain/data/policy-national.json';
import { resolvePolicy, type EffectivePolicy, type PolicyDocument, type Window } from '@duban/domain';

export function testPolicy(
  overrides: {
    replyWindow?: Window;
    byCategory?: Record<string, string>;
    /** Any other settings, merged over the national defaults. */
    settings?: Record<string, unknown>;
  } = {},
): EffectivePolicy {
  const suggestion = {
    ...(overrides.replyWindow ? { replyWindow: overrides.replyWindow } : {}),
    routing: { byCategory: overrides.byCategory ?? { education: 'edu-bureau' } },
    ...((overrides.settings?.suggestion as object) ?? {}),
  };
  return resolvePolicy([
    { doc: national as PolicyDocument, version: 1 },
    {
      doc: {
        id: 'cn-test-city',
        name: 'Test City',
        level: 'city',
        parent: 'cn-national',
        settings: { ...overrides.settings, suggestion },
      },
      version: 1,
    },
  ]);
}
