// Reads from the registry over HTTP: the effective policy, the deputies of a jurisdiction (the
// roll of a vote), one deputy (their groups, for inspections).
import type { EffectivePolicy } from '@duban/domain';
import { HttpError } from '@duban/platform';

export interface RegistryDeputy {
  id: string;
  jurisdiction: string;
  groups: string[];
}

export interface RegistryClient {
  effectivePolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy>;
  deputies(jurisdiction: string, authorization: string): Promise<RegistryDeputy[]>;
  deputy(id: string, authorization: string): Promise<RegistryDeputy | undefined>;
}

export function createRegistryClient(baseUrl: string): RegistryClient {
  async function get(path: string, authorization: string): Promise<Response> {
    try {
      return await fetch(`${baseUrl}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
    }
  }
  const failed = (res: Response, what: string) =>
    new HttpError(502, 'registry_error', `the registry answered ${res.status} for ${what}`);
  return {
    async effectivePolicy(jurisdiction, authorization) {
      const res = await get(`/v1/jurisdictions/${encodeURIComponent(jurisdiction)}/policy`, authorization);
      if (res.status === 404)
        throw new HttpError(422, 'unknown_jurisdiction', `jurisdiction "${jurisdiction}" is not registered`);
      if (!res.ok) throw failed(res, `the policy of "${jurisdiction}"`);
      return (await res.json()) as EffectivePolicy;
    },
    async deputies(jurisdiction, authorization) {
      const res = await get(`/v1/deputies?jurisdiction=${encodeURIComponent(jurisdiction)}`, authorization);
      if (!res.ok) throw failed(res, `the deputies of "${jurisdiction}"`);
      return ((await res.json()) as { items: RegistryDeputy[] }).items;
    },
    async deputy(id, authorization) {
      const res = await get(`/v1/deputies/${encodeURIComponent(id)}`, authorization);
      if (res.status === 404) return undefined;
      if (!res.ok) throw failed(res, `deputy "${id}"`);
      return (await res.json()) as RegistryDeputy;
    },
  };
}
