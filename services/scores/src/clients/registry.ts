// Reads what the scores need from the registry over HTTP, with the service's own signed token
// (role operator, subject "scores"): a jurisdiction's effective policy (its `scores` section)
// and the names of units, deputies and stations. Answers are cached for POLICY_CACHE_SECONDS.
import national from '@duban/domain/data/policy-national.json';
import { scoresPolicySchema, type ScoresPolicy } from '@duban/domain';
import { HttpError, serviceAudience, signToken, type Logger } from '@duban/platform';

export interface ScoresRules {
  rules: ScoresPolicy;
  /** The documents the policy resolved from, or the built-in national defaults. */
  sources: { id: string; version: number }[];
}

export interface NamedEntry {
  id: string;
  name?: string;
  jurisdiction?: string;
}

export interface RegistryReader {
  scoresRules(jurisdiction: string): Promise<ScoresRules>;
  /** The registered units / deputies / stations (of a jurisdiction); empty if the registry fails. */
  list(kind: 'units' | 'deputies' | 'stations', jurisdiction?: string): Promise<NamedEntry[]>;
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
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  let token: { value: string; at: number } | undefined;

  async function bearer(): Promise<string> {
    if (!token || Date.now() - token.at > 30 * 60 * 1000) {
      token = {
        value: await signToken(
          { role: 'operator', sub: 'scores' },
          { secret: opts.secret, kid: opts.kid, issuer: opts.issuer, aud: serviceAudience('registry'), ttl: '1h' },
        ),
        at: Date.now(),
      };
    }
    return token.value;
  }

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < opts.cacheSeconds * 1000) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: Date.now(), value });
    value.catch(() => cache.delete(key));
    return value;
  }

  async function get(path: string): Promise<Response> {
    try {
      return await fetch(`${opts.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${await bearer()}` },
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
    }
  }

  return {
    scoresRules(jurisdiction) {
      return cached(`policy:${jurisdiction}`, async () => {
        const res = await get(`/v1/jurisdictions/${encodeURIComponent(jurisdiction)}/policy`);
        if (res.status === 404) {
          opts.logger.warn(
            { jurisdiction },
            'jurisdiction unknown to the registry; scoring it by the national defaults',
          );
          return NATIONAL_SCORES;
        }
        if (!res.ok)
          throw new HttpError(
            502,
            'registry_error',
            `the registry answered ${res.status} for the policy of "${jurisdiction}"`,
          );
        const eff = (await res.json()) as { sources?: ScoresRules['sources']; policy?: { scores?: unknown } };
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
      return cached(`${kind}:${jurisdiction ?? '*'}`, async () => {
        const res = await get(`/v1/${kind}${jurisdiction ? `?jurisdiction=${encodeURIComponent(jurisdiction)}` : ''}`);
        if (!res.ok) throw new HttpError(502, 'registry_error', `the registry answered ${res.status} for ${kind}`);
        return ((await res.json()) as { items: NamedEntry[] }).items;
      }).catch((err: unknown) => {
        opts.logger.warn({ err, kind }, 'could not read names from the registry; listing without them');
        return [];
      });
    },
  };
}
