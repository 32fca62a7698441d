// Stores each event once (its id is the key) and re-folds its case's view. Safe under
// redelivery and restarts: a duplicate is ignored, and the fold is recomputed from storage.
import { toJson } from '@bufbuild/protobuf';
import { timestampDate, EnvelopeSchema, type Envelope } from '@duban/proto';
import { appendToStream } from '@duban/platform';
import type { CaseIndexModels } from './models';
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
  const json = toJson(EnvelopeSchema, env) as Record<string, unknown>;
  const bodyKey = env.body.case!;
  const { events, added } = await appendToStream(models.CaseEvents, env.caseId, {
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
  });
  // A duplicate still re-folds: that repairs a crash between the append and the view write.
  await models.CaseView.replaceOne({ _id: env.caseId }, foldCase(events), { upsert: true });
  const outcome: 'stored' | 'duplicate' = added ? 'stored' : 'duplicate';
  return outcome;
}
