// A case's stored events in one document keyed by the case id. Read models re-fold a case from
// its events at each new event; reading them by _id keeps that a primary-key lookup. FerretDB's
// SQLite backend scans the whole collection for a query on any other field, index or not
// (measured: 800 ms per find on a 20,000-document collection, 2 ms by _id), so a per-event
// find({ caseId }) over an events collection grows with everything ever stored.
//
// One consumer handles a case at a time (its events share a partition), so appends to one
// stream never race; an event already in the stream is not appended again.
import { Schema, type Connection, type Model } from 'mongoose';

export interface StreamedEvent {
  /** The event id. */
  _id: string;
}

export interface CaseStreamDoc<E extends StreamedEvent> {
  _id: string;
  events: E[];
  /** Ids of documents the last fold derived from this case (for read models that must delete). */
  derived?: string[];
}

export function caseStreamModel<E extends StreamedEvent>(
  conn: Connection,
  name: string,
  collection: string,
): Model<CaseStreamDoc<E>> {
  return conn.model<CaseStreamDoc<E>>(
    name,
    new Schema(
      {
        _id: String,
        events: { type: [Schema.Types.Mixed], default: [] },
        derived: { type: [String], default: undefined },
      },
      { collection, versionKey: false, minimize: false },
    ) as unknown as Schema<CaseStreamDoc<E>>,
  );
}

/**
 * Appends the event to its case's stream unless it is there already. Returns the case's
 * events (with dates revived) and whether this event was new.
 */
export async function appendToStream<E extends StreamedEvent>(
  model: Model<CaseStreamDoc<E>>,
  caseId: string,
  event: E,
): Promise<{ events: E[]; added: boolean; derived: string[] }> {
  const { events, added, derived } = await appendManyToStream(model, caseId, [event]);
  return { events, added: added[0], derived };
}

/**
 * Appends the events (of one case, in order) that its stream does not hold yet: one read and at
 * most one write however many there are. `added[i]` tells whether events[i] was new (an event
 * given twice counts once).
 */
export async function appendManyToStream<E extends StreamedEvent>(
  model: Model<CaseStreamDoc<E>>,
  caseId: string,
  given: E[],
): Promise<{ events: E[]; added: boolean[]; derived: string[] }> {
  const doc = await model.findById(caseId).lean();
  const events = (doc?.events ?? []) as E[];
  const derived = doc?.derived ?? [];
  const held = new Set(events.map((e) => e._id));
  const fresh: E[] = [];
  const added = given.map((e) => {
    if (held.has(e._id)) return false;
    held.add(e._id);
    fresh.push(e);
    return true;
  });
  if (fresh.length)
    await model.updateOne({ _id: caseId }, { $push: { events: { $each: fresh } } } as never, { upsert: true });
  return { events: [...events, ...fresh], added, derived };
}
