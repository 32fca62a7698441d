// The registry's own client, the one every other service reads the registry with: effective
// policies (reused for a few seconds), the standing committee, deputies and their groups, units,
// liaison stations, and the check that named units exist. Every call carries a token: the
// caller's, or a service's own (serviceAuthorization). The registry down is a 503, an unexpected
// answer a 502, an unknown jurisdiction or station a 422, an unknown unit named by a request a
// 422 that names it.
import type { DutyEntry, EffectivePolicy } from '@duban/domain';
import { HttpError, serviceAudience, signToken } from '@duban/platform';

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
  name?: string;
  email?: string;
}

export interface RegistryUnit {
  id: string;
  jurisdiction: string;
  name?: string;
  email?: string;
}

export interface Station {
  id: string;
  jurisdiction: string;
  deputies: string[];
  duty?: DutyEntry[];
}

/** What the registry lists by jurisdiction, each entry with at least its id and name. */
export type RegistryListKind = 'units' | 'deputies' | 'stations';

export interface NamedEntry {
  id: string;
  name?: string;
  jurisdiction?: string;
}

export interface RegistryClient {
  effectivePolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy>;
  /** The active members of a jurisdiction's standing committee. */
  committeeMembers(jurisdiction: string, authorization: string): Promise<CommitteeMember[]>;
  deputies(jurisdiction: string, authorization: string): Promise<RegistryDeputy[]>;
  /** One deputy, or undefined when the registry does not know them. */
  deputy(id: string, authorization: string): Promise<RegistryDeputy | undefined>;
  /** One unit, or undefined when the registry does not know it. */
  unit(id: string, authorization: string): Promise<RegistryUnit | undefined>;
  /** The registered units / deputies / stations (of a jurisdiction, or all). */
  list(kind: RegistryListKind, jurisdiction: string | undefined, authorization: string): Promise<NamedEntry[]>;
  /** A liaison station with its deputies and duty roster; 422 unknown_station if not registered. */
  station(stationId: string, authorization: string): Promise<Station>;
  /** The units of `units` that the registry does not know (distinct, in request order). */
  unknownUnits(units: readonly string[], authorization: string): Promise<string[]>;
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

/**
 * A read reused for `ttlMs` per key. Only answers are kept: a failure is asked again by the
 * next caller, and callers at the same time share one request.
 */
export function ttlCache(ttlMs: number) {
  const entries = new Map<string, { until: number; value: Promise<unknown> }>();
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value as Promise<T>;
    const value = load();
    entries.set(key, { until: Date.now() + ttlMs, value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}

/** A service's own token for the registry (role operator, its audience), renewed before it expires. */
export function serviceAuthorization(opts: {
  sub: string;
  secret: string;
  kid?: string;
  issuer: string;
}): () => Promise<string> {
  let token: { value: string; renewAt: number } | undefined;
  return async () => {
    if (!token || Date.now() >= token.renewAt) {
      const value = await signToken(
        { role: 'operator', sub: opts.sub },
        { secret: opts.secret, kid: opts.kid, issuer: opts.issuer, aud: serviceAudience('registry'), ttl: '5m' },
      );
      token = { value: `Bearer ${value}`, renewAt: Date.now() + 4 * 60_000 };
    }
    return token.value;
  };
}

export function createRegistryClient(baseUrl: string, opts: { policyCacheMs?: number } = {}): RegistryClient {
  const root = baseUrl.replace(/\/$/, '');
  const policies = ttlCache(opts.policyCacheMs ?? POLICY_CACHE_MS);

  async function get(path: string, authorization: string): Promise<Response> {
    try {
      return await fetch(`${root}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
    }
  }
  const failed = (res: Response, what: string) =>
    new HttpError(502, 'registry_error', `the registry answered ${res.status} for ${what}`);
  const byJurisdiction = (jurisdiction: string) => `?jurisdiction=${encodeURIComponent(jurisdiction)}`;

  async function items<T>(path: string, authorization: string, what: string): Promise<T[]> {
    const res = await get(path, authorization);
    if (!res.ok) throw failed(res, what);
    return ((await res.json()) as { items: T[] }).items;
  }
  /** One document by id; undefined when the registry does not know it (404, or 400: not an id it takes). */
  async function one<T>(plural: string, id: string, authorization: string, what: string, badIdIsMissing = true) {
    const res = await get(`/v1/${plural}/${encodeURIComponent(id)}`, authorization);
    if (res.status === 404 || (badIdIsMissing && res.status === 400)) return undefined;
    if (!res.ok) throw failed(res, what);
    return (await res.json()) as T;
  }

  async function fetchPolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy> {
    const res = await get(`/v1/jurisdictions/${encodeURIComponent(jurisdiction)}/policy`, authorization);
    if (res.status === 404)
      throw new HttpError(422, 'unknown_jurisdiction', `jurisdiction "${jurisdiction}" is not registered`);
    if (!res.ok) throw failed(res, `the policy of "${jurisdiction}"`);
    return (await res.json()) as EffectivePolicy;
  }

  const client: RegistryClient = {
    effectivePolicy: (jurisdiction, authorization) =>
      policies(jurisdiction, () => fetchPolicy(jurisdiction, authorization)),
    async committeeMembers(jurisdiction, authorization) {
      const members = await items<CommitteeMember>(
        `/v1/committee-members${byJurisdiction(jurisdiction)}`,
        authorization,
        `the committee members of "${jurisdiction}"`,
      );
      return members.filter((m) => m.active !== false);
    },
    deputies: (jurisdiction, authorization) =>
      items<RegistryDeputy>(
        `/v1/deputies${byJurisdiction(jurisdiction)}`,
        authorization,
        `the deputies of "${jurisdiction}"`,
      ),
    deputy: (id, authorization) => one<RegistryDeputy>('deputies', id, authorization, `deputy "${id}"`, false),
    unit: (id, authorization) => one<RegistryUnit>('units', id, authorization, `unit "${id}"`),
    list: (kind, jurisdiction, authorization) =>
      items<NamedEntry>(`/v1/${kind}${jurisdiction ? byJurisdiction(jurisdiction) : ''}`, authorization, kind),
    async station(stationId, authorization) {
      const station = await one<Station>('stations', stationId, authorization, `station "${stationId}"`);
      if (!station) throw new HttpError(422, 'unknown_station', `liaison station "${stationId}" is not registered`);
      return station;
    },
    // One `_id` read per distinct unit (the only fast lookup on the registry's store).
    async unknownUnits(units, authorization) {
      const distinct = [...new Set(units)];
      const known = await Promise.all(
        distinct.map(async (u) => (await one('units', u, authorization, `unit "${u}"`)) !== undefined),
      );
      return distinct.filter((_, i) => !known[i]);
    },
    // A unit of another jurisdiction is accepted: drills and joint cases address the units of
    // the jurisdiction above; the jurisdiction only names the message.
    async requireUnits(jurisdiction, units, authorization, field = 'unit') {
      const unknown = await client.unknownUnits(units, authorization);
      if (!unknown.length) return;
      throw new HttpError(
        422,
        'unknown_unit',
        `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length > 1 ? 'are not registered units' : 'is not a registered unit'} (case in "${jurisdiction}"); nobody could answer for it`,
        unknown.map((u) => ({ path: field, message: `unit "${u}" is not in the registry` })),
      );
    },
  };
  return client;
}
