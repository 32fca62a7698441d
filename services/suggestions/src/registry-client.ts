// Reads the effective jurisdiction policy from the registry service over HTTP.
import type { EffectivePolicy } from '@duban/domain';
import { HttpError } from '@duban/platform';

export interface RegistryClient {
  effectivePolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy>;
}

/**
 * How long a jurisdiction's effective policy is reused for new submissions. Each submission
 * otherwise costs a round trip to the registry, which reads and validates the whole policy
 * chain. A change made in the registry applies to suggestions submitted after this long; cases
 * already running keep the policy they started with either way.
 */
export const POLICY_CACHE_MS = 5000;

export function createRegistryClient(baseUrl: string, cacheMs = POLICY_CACHE_MS): RegistryClient {
  const cache = new Map<string, { until: number; policy: Promise<EffectivePolicy> }>();
  return {
    effectivePolicy(jurisdiction, authorization) {
      const hit = cache.get(jurisdiction);
      if (hit && hit.until > Date.now()) return hit.policy;
      const policy = fetchPolicy(jurisdiction, authorization);
      cache.set(jurisdiction, { until: Date.now() + cacheMs, policy });
      // Only answers are kept: a failure is asked again by the next request.
      policy.catch(() => {
        if (cache.get(jurisdiction)?.policy === policy) cache.delete(jurisdiction);
      });
      return policy;
    },
  };

  async function fetchPolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/v1/jurisdictions/${encodeURIComponent(jurisdiction)}/policy`, {
        headers: { authorization },
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
    }
    if (res.status === 404)
      throw new HttpError(422, 'unknown_jurisdiction', `jurisdiction "${jurisdiction}" is not registered`);
    if (!res.ok)
      throw new HttpError(
        502,
        'registry_error',
        `the registry answered ${res.status} for the policy of "${jurisdiction}"`,
      );
    return (await res.json()) as EffectivePolicy;
  }
}
