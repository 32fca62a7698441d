// Stores each event once (its id is the key) and re-folds its case's view. Safe under
// redelivery and restarts: a duplicate is ignored, and the fold is recomputed from storage.
import { toJson } from '@bufbuild/protobuf';
import { timestampDate, EnvelopeSchema, type Envelope } from '@duban/proto';
import { appendManyToStream } from '@duban/platform';
import type { CaseEventDoc, CaseIndexModels } from './models';
import { foldCase } from './projection';

export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
}

export async function ingestEvent(
  models: CaseIndexModels,
  env: Envelope,
  at: Delivery,
): Promise<'stored' | 'duplicate'> {
  return (await ingestCaseEvents(models, [{ env, at }]))[0];
}

/**
 * Stores events of one case (in order) and re-folds its view once: one read, at most one append
 * and one view write, however many events. A duplicate still re-folds: that repairs a crash
 * between the append and the view write.
 */
export async function ingestCaseEvents(
  models: CaseIndexModels,
  delivered: { env: Envelope; at: Delivery }[],
): Promise<('stored' | 'duplicate')[]> {
  const caseId = delivered[0].env.caseId;
  if (delivered.some(({ env }) => env.caseId !== caseId)) throw new Error('ingestCaseEvents takes events of one case');
  const { events, added } = await appendManyToStream(
    models.CaseEvents,
    caseId,
    delivered.map(({ env, at }) => eventDoc(env, at)),
  );
  await models.CaseView.replaceOne({ _id: caseId }, foldCase(events), { upsert: true });
  return added.map((a) => (a ? 'stored' : 'duplicate'));
}

/** Events of several cases (a fetched batch, in order): each case's in order, one case at a time. */
export async function ingestEvents(
  models: CaseIndexModels,
  delivered: { env: Envelope; at: Delivery }[],
): Promise<('stored' | 'duplicate')[]> {
  const byCase = new Map<string, { env: Envelope; at: Delivery }[]>();
  for (const d of delivered) byCase.set(d.env.caseId, [...(byCase.get(d.env.caseId) ?? []), d]);
  const outcomes: ('stored' | 'duplicate')[] = [];
  for (const events of byCase.values()) outcomes.push(...(await ingestCaseEvents(models, events)));
  return outcomes;
}

function eventDoc(env: Envelope, at: Delivery): CaseEventDoc {
  const json = toJson(EnvelopeSchema, env) as Record<string, unknown>;
  const bodyKey = env.body.case!;
  return {
    _id: env.eventId,
    caseId: env.caseId,
    type: env.type,
    caseKind: env.caseKind,
    jurisdiction: env.jurisdiction,
    occurredAt: env.occurredAt ? timestampDate(env.occurredAt) : new Date(0),
    producer: env.producer,
    actor: env.actor || 'system',
    workflowId: env.workflowId,
    body: { [bodyKey]: json[bodyKey] ?? {} },
    topic: at.topic,
    partition: at.partition,
    offset: Number(at.offset),
  };
}
