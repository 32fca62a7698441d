// Reads what the scores need from the registry over HTTP, with the service's own signed token
// (role operator, subject "scores"): a jurisdiction's effective policy (its `scores` section)
// and the names of units, deputies and stations, through the registry's client. Answers are
// cached for POLICY_CACHE_SECONDS.
import national from '@duban/domain/data/policy-national.json';
import { scoresPolicySchema, type ScoresPolicy } from '@duban/domain';
import { HttpError, type Logger } from '@duban/platform';
import {
  createRegistryClient,
  serviceAuthorization,
  ttlCache,
  type NamedEntry,
  type RegistryListKind,
} from '@duban/registry';

export interface ScoresRules {
  rules: ScoresPolicy;
  /** The documents the policy resolved from, or the built-in national defaults. */
  sources: { id: string; version: number }[];
}

export type { NamedEntry };

export interface RegistryReader {
  scoresRules(jurisdiction: string): Promise<ScoresRules>;
  /** The registered units / deputies / stations (of a jurisdiction); empty if the registry fails. */
  list(kind: RegistryListKind, jurisdiction?: string): Promise<NamedEntry[]>;
}

/** The built-in national defaults, for events of a jurisdiction the registry does not know. */
export const NATIONAL_SCORES: ScoresRules = {
  rules: scoresPolicySchema.parse((national as { settings: { scores: unknown } }).settings.scores),
  sources: [{ id: 'cn-national (built-in defaults)', version: 0 }],
};

export function createRegistryReader(opts: {
  baseUrl: string;
  /** The token signing key (secret, kid) and issuer. */
  secret: string;
  kid?: string;
  issuer: string;
  cacheSeconds: number;
  logger: Logger;
}): RegistryReader {
  // Cached here for POLICY_CACHE_SECONDS, so the client keeps none of its own.
  const registry = createRegistryClient(opts.baseUrl, { policyCacheMs: 0 });
  const authorization = serviceAuthorization({
    sub: 'scores',
    secret: opts.secret,
    kid: opts.kid,
    issuer: opts.issuer,
  });
  const cached = ttlCache(opts.cacheSeconds * 1000);

  return {
    scoresRules(jurisdiction) {
      return cached(`policy:${jurisdiction}`, async () => {
        let eff: { sources?: ScoresRules['sources']; policy?: { scores?: unknown } };
        try {
          eff = await registry.effectivePolicy(jurisdiction, await authorization());
        } catch (err) {
          if (!(err instanceof HttpError && err.code === 'unknown_jurisdiction')) throw err;
          opts.logger.warn(
            { jurisdiction },
            'jurisdiction unknown to the registry; scoring it by the national defaults',
          );
          return NATIONAL_SCORES;
        }
        const parsed = scoresPolicySchema.safeParse(eff.policy?.scores);
        if (!parsed.success)
          throw new HttpError(
            502,
            'registry_error',
            `the policy of "${jurisdiction}" has no valid scores section: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
        return { rules: parsed.data, sources: eff.sources ?? [] };
      });
    },
    list(kind, jurisdiction) {
      return cached(`${kind}:${jurisdiction ?? '*'}`, async () =>
        registry.list(kind, jurisdiction, await authorization()),
      ).catch((err: unknown) => {
        opts.logger.warn({ err, kind }, 'could not read names from the registry; listing without them');
        return [];
      });
    },
  };
}
