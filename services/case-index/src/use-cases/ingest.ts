// Stores each event once (its id is the key) and re-folds its case's view. Safe under
// redelivery and restarts: a duplicate is ignored, and the fold is recomputed from storage.
import type { Envelope } from '@duban/proto';
import { appendManyToStream, storedEventFields, type DeliveredAt as Delivery } from '@duban/platform';
import type { CaseEventDoc, CaseIndexModels, CaseViewDoc } from '../data/models';
import { foldCase } from './projection';
import { deltasFor, type Delta } from './boards';

/** Sends board deltas (to the boards topic, keyed by board) and resolves once they are stored. */
export type BoardPublisher = (deltas: Delta[]) => Promise<void>;

export async function ingestEvent(
  models: CaseIndexModels,
  env: Envelope,
  at: Delivery,
  boards?: BoardPublisher,
  stored?: (view: CaseViewDoc) => void,
): Promise<'stored' | 'duplicate'> {
  return (await ingestEvents(models, [{ env, at }], boards, stored))[0];
}

/**
 * Stores events of one case (in order) and folds its view: one append, however many events.
 * A duplicate still re-folds: that repairs a crash between the append and the view write. The
 * view is returned, not written: see ingestEvents.
 */
async function foldCaseEvents(
  models: CaseIndexModels,
  delivered: { env: Envelope; at: Delivery }[],
): Promise<{ view: CaseViewDoc; deltas: Delta[]; added: boolean[] }> {
  const caseId = delivered[0].env.caseId;
  const [{ events, added }, former] = await Promise.all([
    appendManyToStream(
      models.CaseEvents,
      caseId,
      delivered.map(({ env, at }) => eventDoc(env, at)),
    ),
    models.CaseView.findById(caseId, { boardChunks: 1 }).lean(),
  ]);
  const folded = foldCase(events);
  const deltas = deltasFor(folded, former?.boardChunks);
  const boardChunks = Object.fromEntries(deltas.filter((d) => d.entry).map((d) => [d.chunk, d.board]));
  return { view: { ...folded, _id: caseId, boardChunks }, deltas, added };
}

/**
 * Events of several cases (a fetched batch, in order): each case's events stored and folded,
 * then the boards' deltas sent, then the views written. In that order, a crash anywhere is
 * repaired by the redelivery: the stored view still names the boards the case was in, so the
 * same deltas are sent again (and applying a delta twice changes nothing).
 */
export async function ingestEvents(
  models: CaseIndexModels,
  delivered: { env: Envelope; at: Delivery }[],
  boards?: BoardPublisher,
  /** Told each view once it is stored. */
  stored?: (view: CaseViewDoc) => void,
): Promise<('stored' | 'duplicate')[]> {
  const byCase = new Map<string, { env: Envelope; at: Delivery }[]>();
  for (const d of delivered) byCase.set(d.env.caseId, [...(byCase.get(d.env.caseId) ?? []), d]);
  // Cases are independent: several at a time, each its own documents (a case's events stay in order).
  const folded = await inPool([...byCase.values()], CASES_AT_ONCE, (events) => foldCaseEvents(models, events));
  if (boards) await boards(folded.flatMap((f) => f.deltas));
  await inPool(folded, CASES_AT_ONCE, async ({ view }) => {
    await models.CaseView.replaceOne({ _id: view._id }, view, { upsert: true });
    stored?.(view);
  });
  return folded.flatMap((f) => f.added.map((a) => (a ? 'stored' : 'duplicate')));
}

/** Cases of a batch stored at the same time: each is a few round trips to the store. */
export const CASES_AT_ONCE = 16;

/** fn over the items, at most `width` at a time; the results in the items' order. */
export async function inPool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

function eventDoc(env: Envelope, at: Delivery): CaseEventDoc {
  return {
    ...storedEventFields(env),
    producer: env.producer,
    workflowId: env.workflowId,
    topic: at.topic,
    partition: at.partition,
    offset: Number(at.offset),
  };
}
