// Stores each event once in its case's stream (a document keyed by the case id; an event
// already there is a duplicate) and re-folds its case: the case's rows are recomputed from all its stored events and replaced,
// and rows the case no longer contributes are deleted. Nothing is incremented, so:
// - a redelivered event changes nothing (same events → same rows);
// - events arriving out of order give the same rows once all are stored (the fold sorts them);
// - a crash between storing the event and writing the rows is repaired by the redelivery
//   (the duplicate still re-folds), and a rebuild replays to exactly the same rows.
// Only one consumer handles a case at a time (its events share a partition), and the figures
// are sums over rows computed at read time, so no shared counter is ever written concurrently.
import type { Envelope } from '@duban/proto';
import { appendToStream, storedEventFields, type DeliveredAt as Delivery } from '@duban/platform';
import type { ScoreEventDoc, ScoresModels } from '../data/models';
import { foldCase, rowId } from './fold';

/** The stored form of an event: its body in protobuf JSON form under its oneof name. */
export function storedEvent(env: Envelope, at: Pick<Delivery, 'partition' | 'offset'>): ScoreEventDoc {
  return { ...storedEventFields(env), partition: at.partition, offset: Number(at.offset) };
}

export async function ingestEvent(models: ScoresModels, env: Envelope, at: Delivery): Promise<'stored' | 'duplicate'> {
  const { events, added, derived } = await appendToStream(models.ScoreEvents, env.caseId, storedEvent(env, at));
  // A duplicate still re-folds: that repairs a crash between the append and the row writes.
  await writeFold(models, env.caseId, events, derived);
  return added ? 'stored' : 'duplicate';
}

/** Writes a case's facts and rows as folded from its events; deletes rows it no longer makes. */
async function writeFold(
  models: ScoresModels,
  caseId: string,
  events: ScoreEventDoc[],
  previous: string[],
): Promise<void> {
  if (events.length === 0) return;
  const { facts, rows } = foldCase(events);
  await models.CaseFacts.replaceOne({ _id: caseId }, facts, { upsert: true });
  const ids = rows.map(rowId);
  for (const [i, row] of rows.entries()) await models.ScoreRow.replaceOne({ _id: ids[i] }, row, { upsert: true });
  for (const stale of previous.filter((id) => !ids.includes(id))) await models.ScoreRow.deleteOne({ _id: stale });
  if (previous.length !== ids.length || previous.some((id, i) => id !== ids[i]))
    await models.ScoreEvents.updateOne({ _id: caseId }, { $set: { derived: ids } });
}
