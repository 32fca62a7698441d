// What the citizen service reads from the registry (the effective policy, a station and its
// duty roster) and asks of the suggestions service (a suggestion taken up from an opinion).
import type { DutyEntry, EffectivePolicy } from '@duban/domain';
import { HttpError, requireKnownUnits } from '@duban/platform';

export interface Station {
  id: string;
  jurisdiction: string;
  deputies: string[];
  duty?: DutyEntry[];
}

export interface RegistryClient {
  effectivePolicy(jurisdiction: string, authorization: string): Promise<EffectivePolicy>;
  station(stationId: string, authorization: string): Promise<Station>;
  /** Refuses (422 unknown_unit) units that are not registered in the jurisdiction. */
  requireUnits(jurisdiction: string, units: readonly string[], authorization: string, field?: string): Promise<void>;
}

async function getJson(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10000) });
  } catch (err) {
    throw new HttpError(503, 'dependency_unavailable', `${what} did not answer: ${(err as Error).message}`);
  }
}

export function createRegistryClient(baseUrl: string): RegistryClient {
  return {
    requireUnits: (jurisdiction, units, authorization, field) =>
      requireKnownUnits(baseUrl, jurisdiction, units, authorization, field),
    async effectivePolicy(jurisdiction, authorization) {
      const res = await getJson(
        `${baseUrl}/v1/jurisdictions/${encodeURIComponent(jurisdiction)}/policy`,
        { headers: { authorization } },
        'the registry',
      );
      if (res.status === 404)
        throw new HttpError(422, 'unknown_jurisdiction', `jurisdiction "${jurisdiction}" is not registered`);
      if (!res.ok) throw new HttpError(502, 'registry_error', `the registry answered ${res.status} for a policy`);
      return (await res.json()) as EffectivePolicy;
    },
    async station(stationId, authorization) {
      const res = await getJson(
        `${baseUrl}/v1/stations/${encodeURIComponent(stationId)}`,
        { headers: { authorization } },
        'the registry',
      );
      if (res.status === 404 || res.status === 400)
        throw new HttpError(422, 'unknown_station', `liaison station "${stationId}" is not registered`);
      if (!res.ok) throw new HttpError(502, 'registry_error', `the registry answered ${res.status} for a station`);
      return (await res.json()) as Station;
    },
  };
}

export interface SuggestionsClient {
  /** Submits a suggestion as the deputy (their token), idempotent by the key; returns its case id. */
  submit(
    body: { title: string; content: string; category: string; jurisdiction: string; sourceCaseId: string },
    authorization: string,
    idempotencyKey: string,
  ): Promise<string>;
}

export function createSuggestionsClient(baseUrl: string): SuggestionsClient {
  return {
    async submit(body, authorization, idempotencyKey) {
      const res = await getJson(
        `${baseUrl}/v1/suggestions`,
        {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(body),
        },
        'the suggestions service',
      );
      const answer = (await res.json().catch(() => ({}))) as {
        caseId?: string;
        error?: { code: string; message: string; details?: unknown };
      };
      if (res.ok && answer.caseId) return answer.caseId;
      // The suggestions service's own refusal (e.g. a field it does not accept) goes back as is.
      if (res.status >= 400 && res.status < 500 && answer.error)
        throw new HttpError(
          res.status,
          answer.error.code,
          `the suggestions service refused: ${answer.error.message}`,
          answer.error.details as never,
        );
      throw new HttpError(502, 'suggestions_error', `the suggestions service answered ${res.status}`);
    },
  };
}
