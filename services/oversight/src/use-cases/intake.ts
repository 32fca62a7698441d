// Intake of oversight cases: allocate the business id, store the document, start the
// workflow(s). Safe to repeat: (caller, Idempotency-Key) names one case, and a retry after a
// crash finishes the work (the workflow start uses the existing one).
import { createHash } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { localDateOf, type EffectivePolicy } from '@duban/domain';
import { allocateCaseNumber, conflict, isDuplicateKey, startCaseWorkflow } from '@duban/platform';
import { REVIEW_OPINION_WORKFLOW, trackWorkflowId, type Actor, type ReviewOpinionInput } from '@duban/workflows';
import type { OversightCaseDoc, OversightKind, OversightModels } from '../data/models';

const PREFIX: Record<OversightKind, string> = {
  review_opinion: 'review-opinion',
  resolution: 'resolution',
  inquiry: 'inquiry',
  investigation: 'investigation',
};

export type NewCase = Omit<OversightCaseDoc, '_id'>;

/** Allocates "<kind>-<year>-<seq>" (the year it was opened, local time) by storing the document under it. */
function allocate(models: OversightModels, doc: NewCase): Promise<string> {
  return allocateCaseNumber(models.Counter, {
    series: `${PREFIX[doc.kind]}-${localDateOf(doc.openedAt).slice(0, 4)}`,
    width: 4,
    insert: (caseId) => models.Case.create({ _id: caseId, ...doc }),
  });
}

export const requestHash = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** Stores a new case once per (caller, key); answers the stored document and whether it is new. */
export async function storeCase(
  models: OversightModels,
  doc: NewCase,
  idempotency?: { keyId: string; hash: string },
): Promise<{ doc: OversightCaseDoc; created: boolean }> {
  if (!idempotency) {
    const caseId = await allocate(models, doc);
    return { doc: { _id: caseId, ...doc }, created: true };
  }
  const existing = await models.IntakeKey.findById(idempotency.keyId).lean();
  if (existing) {
    if (existing.requestHash !== idempotency.hash)
      throw conflict('this Idempotency-Key was already used for a different request');
    const stored = await models.Case.findById(existing.caseId).lean();
    if (stored) return { doc: stored, created: false };
  }
  const caseId = await allocate(models, doc);
  try {
    await models.IntakeKey.create({
      _id: idempotency.keyId,
      caseId,
      requestHash: idempotency.hash,
      createdAt: new Date(),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A concurrent retry won: drop this request's case, use the winner's.
    await models.Case.deleteOne({ _id: caseId });
    const winner = await models.IntakeKey.findById(idempotency.keyId).lean();
    if (!winner || winner.requestHash !== idempotency.hash)
      throw conflict('this Idempotency-Key was already used for a different request');
    const stored = await models.Case.findById(winner.caseId).lean();
    return { doc: stored!, created: false };
  }
  return { doc: { _id: caseId, ...doc }, created: true };
}

/** The CycleYear a case opened at counts in. */
export const yearOf = (at: Date) => Number(localDateOf(at).slice(0, 4));

/** One review-opinion (or resolution) workflow per unit named by the items. */
export async function startTracks(
  temporal: Client,
  taskQueue: string,
  doc: OversightCaseDoc,
  policy: EffectivePolicy,
  openedBy: Actor,
): Promise<{ unit: string; workflowId: string }[]> {
  const tracks = [];
  for (const unit of doc.units) {
    const workflowId = trackWorkflowId(doc._id, unit);
    const input: ReviewOpinionInput = {
      caseId: doc._id,
      kind: doc.kind as ReviewOpinionInput['kind'],
      jurisdiction: doc.jurisdiction,
      unit,
      items: doc.items
        .filter((i) => i.unit === unit)
        .map((i) => ({
          itemId: i.itemId,
          list: i.list,
          description: i.description,
          ...(i.dueAt ? { dueAt: i.dueAt } : {}),
        })),
      openedAt: new Date(doc.openedAt).toISOString(),
      openedBy,
      ...(doc.source ? { source: doc.source } : {}),
      policy,
    };
    await startCaseWorkflow(temporal, {
      workflowType: REVIEW_OPINION_WORKFLOW,
      workflowId,
      taskQueue,
      args: [input],
      kind: doc.kind,
      jurisdiction: doc.jurisdiction,
      stage: 'rectifying',
      unit,
      cycleYear: yearOf(new Date(doc.openedAt)),
      memo: { title: doc.title },
      ui: {
        title: doc.title,
        policy,
        consolePath: `/cases/${encodeURIComponent(doc._id)}`,
        facts: { 案件: doc._id, 事项数: input.items.length },
      },
    });
    tracks.push({ unit, workflowId });
  }
  return tracks;
}
