// Reads the effective jurisdiction policy from the registry service over HTTP.
import type { EffectivePolicy } from '@duban/domain';
import { HttpError } from '@duban/platform';

export interface RegistryClient {
  effectivePolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy>;
}

export function createRegistryClient(baseUrl: string): RegistryClient {
  return {
    async effectivePolicy(jurisdiction, authorization) {
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
    },
  };
}
