// Reads the effective policy and the standing committee's roster from the registry over HTTP.
import type { EffectivePolicy } from '@duban/domain';
import { HttpError, requireKnownUnits } from '@duban/platform';

export interface CommitteeMember {
  id: string;
  jurisdiction: string;
  position: string;
  active: boolean;
}

export interface RegistryClient {
  effectivePolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy>;
  /** The active members of a jurisdiction's standing committee. */
  committeeMembers(jurisdiction: string, authorization: string): Promise<CommitteeMember[]>;
  /** Refuses (422 unknown_unit) units that are not registered in the jurisdiction. */
  requireUnits(jurisdiction: string, units: readonly string[], authorization: string, field?: string): Promise<void>;
}

export function createRegistryClient(baseUrl: string): RegistryClient {
  async function get(path: string, authorization: string, what: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
    }
    if (res.status === 404) return res;
    if (!res.ok) throw new HttpError(502, 'registry_error', `the registry answered ${res.status} for ${what}`);
    return res;
  }
  return {
    requireUnits: (jurisdiction, units, authorization, field) =>
      requireKnownUnits(baseUrl, jurisdiction, units, authorization, field),
    async effectivePolicy(jurisdiction, authorization) {
      const res = await get(
        `/v1/jurisdictions/${encodeURIComponent(jurisdiction)}/policy`,
        authorization,
        `the policy of "${jurisdiction}"`,
      );
      if (res.status === 404)
        throw new HttpError(422, 'unknown_jurisdiction', `jurisdiction "${jurisdiction}" is not registered`);
      return (await res.json()) as EffectivePolicy;
    },
    async committeeMembers(jurisdiction, authorization) {
      const res = await get(
        `/v1/committee-members?jurisdiction=${encodeURIComponent(jurisdiction)}`,
        authorization,
        `the committee members of "${jurisdiction}"`,
      );
      const body = (await res.json()) as { items: CommitteeMember[] };
      return body.items.filter((m) => m.active !== false);
    },
  };
}
