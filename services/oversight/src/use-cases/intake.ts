// Intake of oversight cases: allocate the business id, store the document, start the
// workflow(s). Safe to repeat: (caller, Idempotency-Key) names one case, and a retry after a
// crash finishes the work (the workflow start uses the existing one). A case is stored marked
// startPending until its workflows run; reconcileCases starts those of one the service died on
// between the two (no retry comes when the client sent no key). Everything a start needs is in
// the document, so the route and the reconciler start a case the same way (startStoredCase).
import { createHash } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { localDateOf, type EffectivePolicy } from '@duban/domain';
import {
  allocateCaseNumber,
  queryOrUndefined,
  reconcilePendingStarts,
  startCaseWorkflow,
  startConfirmed,
  storeOncePerKey,
} from '@duban/platform';
import {
  INQUIRY_WORKFLOW,
  INVESTIGATION_WORKFLOW,
  REVIEW_OPINION_WORKFLOW,
  linkCaseUpdate,
  reviewOpinionStateQuery,
  trackWorkflowId,
  type Actor,
  type InquiryInput,
  type InvestigationInput,
  type ReviewOpinionInput,
  type ReviewOpinionState,
} from '@duban/workflows';
import type { OversightCaseDoc, OversightKind, OversightModels } from '../data/models';
import type { Deps } from './opinions';

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

/**
 * Stores a new case once per (caller, key), marked startPending until its workflows run (see
 * reconcileCases); answers the stored document and whether it is new.
 */
export async function storeCase(
  models: OversightModels,
  doc: NewCase,
  idempotency?: { keyId: string; hash: string },
): Promise<{ doc: OversightCaseDoc; created: boolean }> {
  const marked: NewCase = {
    ...doc,
    startPending: true,
    ...(idempotency ? { intakeKey: idempotency.keyId, intakeHash: idempotency.hash } : {}),
  };
  const { caseId, created } = await storeOncePerKey(
    models.IntakeKey,
    idempotency ? { ...idempotency, createdAt: new Date() } : undefined,
    {
      allocate: () => allocate(models, marked),
      drop: (caseId) => models.Case.deleteOne({ _id: caseId }),
      reused: 'this Idempotency-Key was already used for a different request',
    },
  );
  if (created) return { doc: { _id: caseId, ...marked }, created };
  const stored = await models.Case.findById(caseId).lean();
  if (!stored) throw new Error(`intake key ${idempotency?.keyId} names ${caseId}, which is not stored`);
  return { doc: stored, created };
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

const SYSTEM: Actor = { role: 'system', sub: 'oversight-service' };

/** The escalated unit part an inquiry or investigation was filed for: its document's source. */
export const relatedOf = (doc: OversightCaseDoc) =>
  doc.source?.itemId ? { caseId: doc.source.caseId, unit: doc.source.itemId } : undefined;

/** Starts the workflow(s) of a stored case (a running or finished one counts), links it to the part it answers, then clears its mark. */
export async function startStoredCase(
  deps: Pick<Deps, 'models' | 'temporal' | 'taskQueue'>,
  doc: OversightCaseDoc,
  policy: EffectivePolicy,
): Promise<void> {
  const openedBy = doc.start?.by ?? SYSTEM;
  if (doc.kind === 'review_opinion' || doc.kind === 'resolution')
    await startTracks(deps.temporal, deps.taskQueue, doc, policy, openedBy);
  else {
    const related = relatedOf(doc);
    const relatedCaseId = related ? trackWorkflowId(related.caseId, related.unit) : undefined;
    const common = {
      workflowId: doc._id,
      taskQueue: deps.taskQueue,
      kind: doc.kind,
      jurisdiction: doc.jurisdiction,
      unit: doc.units[0],
      cycleYear: yearOf(new Date(doc.openedAt)),
      memo: { title: doc.title },
    };
    if (doc.kind === 'inquiry') {
      const input: InquiryInput = {
        caseId: doc._id,
        jurisdiction: doc.jurisdiction,
        unit: doc.units[0],
        subject: doc.title,
        signers: doc.members,
        filedAt: new Date(doc.openedAt).toISOString(),
        ...(relatedCaseId ? { relatedCaseId } : {}),
        policy,
      };
      await startCaseWorkflow(deps.temporal, {
        ...common,
        workflowType: INQUIRY_WORKFLOW,
        args: [input],
        stage: 'filed',
        ui: { title: doc.title, policy, facts: { 联名代表数: doc.members.length, 关联案件: relatedCaseId } },
      });
    } else {
      const input: InvestigationInput = {
        caseId: doc._id,
        jurisdiction: doc.jurisdiction,
        question: doc.title,
        ...(doc.units[0] ? { unit: doc.units[0] } : {}),
        proposedBy: doc.start?.proposedBy ?? (doc.members.length ? 'members' : 'chairCouncil'),
        proposers: doc.members,
        memberCount: doc.start?.memberCount ?? 0,
        proposedAt: new Date(doc.openedAt).toISOString(),
        ...(relatedCaseId ? { relatedCaseId } : {}),
        policy,
      };
      await startCaseWorkflow(deps.temporal, {
        ...common,
        workflowType: INVESTIGATION_WORKFLOW,
        args: [input],
        stage: 'proposed',
        ui: { title: doc.title, policy, facts: { 提议人数: doc.members.length, 关联案件: relatedCaseId } },
      });
    }
    if (related) await link(deps.temporal, related, doc._id, doc.kind);
  }
  await startConfirmed(deps.models.Case, doc);
}

/** Tells the escalated part that the inquiry or investigation filed for it exists (once: a retry finds it linked). */
async function link(
  temporal: Deps['temporal'],
  r: { caseId: string; unit: string },
  linkedCaseId: string,
  kind: 'inquiry' | 'investigation',
) {
  const workflowId = trackWorkflowId(r.caseId, r.unit);
  const state = await queryOrUndefined<ReviewOpinionState>(temporal, workflowId, reviewOpinionStateQuery);
  if (state?.procedures.some((p) => p.linkedCaseId === linkedCaseId)) return; // a retry
  await temporal.workflow.getHandle(workflowId).executeUpdate(linkCaseUpdate, {
    args: [{ by: SYSTEM, linkedCaseId, kind }],
    updateId: `link:${linkedCaseId}`,
  });
}

/**
 * Starts the workflows of every case stored more than `graceMs` ago whose start was never
 * confirmed (the service died between storing it and starting it), with the policy in force
 * now; deletes a retry's abandoned copy (reconcilePendingStarts).
 */
export function reconcileCases(
  deps: Pick<Deps, 'models' | 'temporal' | 'taskQueue'> & { now?: () => Date },
  policyOf: (jurisdiction: string) => Promise<EffectivePolicy>,
  graceMs: number,
): Promise<{ started: string[]; dropped: string[] }> {
  return reconcilePendingStarts({
    cases: deps.models.Case,
    keys: deps.models.IntakeKey,
    storedAt: 'openedAt',
    before: new Date((deps.now ?? (() => new Date()))().getTime() - graceMs),
    hash: (doc) => doc.intakeHash ?? '',
    start: async (doc) => startStoredCase(deps, doc, await policyOf(doc.jurisdiction)),
  });
}
