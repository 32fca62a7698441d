// Checks, against the registry, that the units a request names exist, so that a case is never
// addressed to a unit nobody can answer for. One `_id` read per distinct unit (the only fast
// lookup on the local store). A unit of another jurisdiction is accepted: drills and joint
// cases address the units of the jurisdiction above; the jurisdiction only names the message.
import { HttpError } from './http/errors';

/** The units of `units` that the registry does not know (in request order). */
export async function unknownUnits(
  registryUrl: string,
  jurisdiction: string,
  units: readonly string[],
  authorization: string,
): Promise<string[]> {
  const distinct = [...new Set(units)];
  const known = await Promise.all(
    distinct.map(async (unit) => {
      let res: Response;
      try {
        res = await fetch(`${registryUrl}/v1/units/${encodeURIComponent(unit)}`, {
          headers: { authorization },
          signal: AbortSignal.timeout(5000),
        });
      } catch (err) {
        throw new HttpError(503, 'registry_unavailable', `the registry did not answer: ${(err as Error).message}`);
      }
      if (res.status === 404 || res.status === 400) return false;
      if (!res.ok) throw new HttpError(502, 'registry_error', `the registry answered ${res.status} for unit "${unit}"`);
      return true;
    }),
  );
  return distinct.filter((_, i) => !known[i]);
}

/** Refuses (422 unknown_unit, naming each) a request that names a unit the registry does not know. */
export async function requireKnownUnits(
  registryUrl: string,
  jurisdiction: string,
  units: readonly string[],
  authorization: string,
  field = 'unit',
): Promise<void> {
  const unknown = await unknownUnits(registryUrl, jurisdiction, units, authorization);
  if (!unknown.length) return;
  throw new HttpError(
    422,
    'unknown_unit',
    `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length > 1 ? 'are not registered units' : 'is not a registered unit'} (case in "${jurisdiction}"); nobody could answer for it`,
    unknown.map((u) => ({ path: field, message: `unit "${u}" is not in the registry` })),
  );
}
