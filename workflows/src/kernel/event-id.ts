// The one place an event id is made: "<prefix>/<step>", the prefix being the case id (or a
// ladder's id). A retried activity republishes the same id and every consumer de-duplicates by
// it, so a kind's step names are part of its contract: each kind lists them as a type.

/** A step name with its counters, e.g. `assigned/${number}`: checked at compile time. */
export type EventStep = string;

export function eventId<S extends EventStep>(prefix: string, step: S): `${string}/${S}` {
  return `${prefix}/${step}`;
}
