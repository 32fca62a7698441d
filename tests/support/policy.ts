// Effective policies for tests, built from the shipped national defaults.
import national from '@duban/domain/data/policy-national.json';
import { resolvePolicy, type EffectivePolicy, type PolicyDocument, type Window } from '@duban/domain';

export function testPolicy(
  overrides: { replyWindow?: Window; byCategory?: Record<string, string> } = {},
): EffectivePolicy {
  return resolvePolicy([
    { doc: national as PolicyDocument, version: 1 },
    {
      doc: {
        id: 'cn-test-city',
        name: 'Test City',
        level: 'city',
        parent: 'cn-national',
        settings: {
          suggestion: {
            ...(overrides.replyWindow ? { replyWindow: overrides.replyWindow } : {}),
            routing: { byCategory: overrides.byCategory ?? { education: 'edu-bureau' } },
          },
        },
      },
      version: 1,
    },
  ]);
}
