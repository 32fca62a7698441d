// The one client of the registry service that every case service uses: effective policies
// (reused for a few seconds), the standing committee, deputies and their groups, liaison
// stations, and the check that named units exist. Every call carries the caller's token; the
// registry down is a 503, an unexpected answer a 502, an unknown jurisdiction or station a 422.
import type { DutyEntry, EffectivePolicy } from '@duban/domain';
import { HttpError } from '../http/errors';
import { requireKnownUnits } from '../registry-units';

export interface CommitteeMember {
  id: string;
  jurisdiction: string;
  position: string;
  active: boolean;
}

export interface RegistryDeputy {
  id: string;
  jurisdiction: string;
  groups: string[];
}

export interface Station {
  id: string;
  jurisdiction: string;
  deputies: string[];
  duty?: DutyEntry[];
}

export interface RegistryClient {
  effectivePolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy>;
  /** The active members of a jurisdiction's standing committee. */
  committeeMembers(jurisdiction: string, authorization: string): Promise<CommitteeMember[]>;
  deputies(jurisdiction: string, authorization: string): Promise<RegistryDeputy[]>;
  /** One deputy, or undefined when the registry does not know them. */
  deputy(id: string, authorization: string): Promise<RegistryDeputy | undefined>;
  /** A liaison station with its deputies and duty roster; 422 unknown_station if not registered. */
  station(stationId: string, authorization: string): Promise<Station>;
  /** Refuses (422 unknown_unit) units that are not registered in the jurisdiction. */
  requireUnits(jurisdiction: string, units: readonly string[], authorization: string, field?: string): Promise<void>;
}

/**
 * How long a jurisdiction's effective policy is reused. Each intake otherwise costs a round trip
 * to the registry, which reads and validates the whole policy chain. A change made in the
 * registry applies to cases opened after this long; running cases keep the policy they started
 * with either way.
 */
export const POLICY_CACHE_MS = 5000;

export function createRegistryClient(baseUrl: string, opts: { policyCacheMs?: number } = {}): RegistryClient {
  const cacheMs = opts.policyCacheMs ?? POLICY_CACHE_MS;
  const policies = new Map<string, { until: number; policy: Promise<EffectivePolicy> }>();

  async function get(path: string, authorization: string): Promise<Response> {
    try {
      return await fetch(`${baseUrl}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
    }
  }
  const failed = (res: Response, what: string) =>
    new HttpError(502, 'registry_error', `the registry answered ${res.status} for ${what}`);

  async function fetchPolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy> {
    const res = await get(`/v1/jurisdictions/${encodeURIComponent(jurisdiction)}/policy`, authorization);
    if (res.status === 404)
      throw new HttpError(422, 'unknown_jurisdiction', `jurisdiction "${jurisdiction}" is not registered`);
    if (!res.ok) throw failed(res, `the policy of "${jurisdiction}"`);
    return (await res.json()) as EffectivePolicy;
  }

  return {
    effectivePolicy(jurisdiction, authorization) {
      const hit = policies.get(jurisdiction);
      if (hit && hit.until > Date.now()) return hit.policy;
      const policy = fetchPolicy(jurisdiction, authorization);
      policies.set(jurisdiction, { until: Date.now() + cacheMs, policy });
      // Only answers are kept: a failure is asked again by the next request.
      policy.catch(() => {
        if (policies.get(jurisdiction)?.policy === policy) policies.delete(jurisdiction);
      });
      return policy;
    },
    async committeeMembers(jurisdiction, authorization) {
      const res = await get(`/v1/committee-members?jurisdiction=${encodeURIComponent(jurisdiction)}`, authorization);
      if (!res.ok) throw failed(res, `the committee members of "${jurisdiction}"`);
      const body = (await res.json()) as { items: CommitteeMember[] };
      return body.items.filter((m) => m.active !== false);
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
    async station(stationId, authorization) {
      const res = await get(`/v1/stations/${encodeURIComponent(stationId)}`, authorization);
      if (res.status === 404 || res.status === 400)
        throw new HttpError(422, 'unknown_station', `liaison station "${stationId}" is not registered`);
      if (!res.ok) throw failed(res, `station "${stationId}"`);
      return (await res.json()) as Station;
    },
    requireUnits: (jurisdiction, units, authorization, field) =>
      requireKnownUnits(baseUrl, jurisdiction, units, authorization, field),
  };
}
