// Intake of a deputy's suggestion: store it, then start its workflow. Safe to repeat: the
// (deputy, Idempotency-Key) pair names one case, and a retry after a crash finishes the work
// (the suggestion is upserted, the workflow start uses the existing one). A suggestion is stored
// marked startPending until its workflow runs; reconcileIntakes starts the workflow of one the
// service died on between the two (no retry comes when the client sent no key, or gave up).
import { createHash } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { localDateOf, type EffectivePolicy } from '@duban/domain';
import {
  allocateCaseNumber,
  reconcilePendingStarts,
  startCaseWorkflow,
  startConfirmed,
  storeOncePerKey,
} from '@duban/platform';
import { SUGGESTION_WORKFLOW, type SuggestionInput, type suggestionWorkflow } from '@duban/workflows';
import type { SuggestionDoc, SuggestionModels } from '../data/models';

export interface NewSuggestion {
  title: string;
  content: string;
  category: string;
  jurisdiction: string;
  /** The citizen opinion it was taken up from. */
  sourceCaseId?: string;
}

export interface IntakeDeps {
  models: SuggestionModels;
  temporal: Client;
  taskQueue: string;
  now?: () => Date;
}

type NewDoc = Omit<SuggestionDoc, '_id'>;

/** Allocates "suggestion-2026-0001" (the year of submission, local time) by storing the suggestion under it. */
export function allocateCase(models: SuggestionModels, doc: NewDoc): Promise<string> {
  return allocateCaseNumber(models.Counter, {
    series: `suggestion-${localDateOf(doc.submittedAt).slice(0, 4)}`,
    width: 4,
    insert: (caseId) => models.Suggestion.create({ _id: caseId, ...doc }),
  });
}

export function requestHash(s: NewSuggestion): string {
  // The source case joins the hash only when present, so keys stored before it existed still match.
  const fields = [s.title, s.content, s.category, s.jurisdiction, ...(s.sourceCaseId ? [s.sourceCaseId] : [])];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export async function submitSuggestion(
  deps: IntakeDeps,
  deputyId: string,
  s: NewSuggestion,
  policy: EffectivePolicy,
  idempotencyKey?: string,
): Promise<{ caseId: string; created: boolean }> {
  const { models } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const hash = requestHash(s);
  const doc: NewDoc = {
    deputyId,
    jurisdiction: s.jurisdiction,
    title: s.title,
    content: s.content,
    category: s.category,
    submittedAt: now,
    policySources: policy.sources,
    ...(s.sourceCaseId ? { sourceCaseId: s.sourceCaseId } : {}),
    startPending: true,
  };
  const keyId = idempotencyKey ? `${deputyId}:${idempotencyKey}` : undefined;
  if (keyId) doc.intakeKey = keyId;
  const { caseId, created } = await storeOncePerKey(
    models.IntakeKey,
    keyId ? { keyId, hash, createdAt: now } : undefined,
    {
      allocate: () => allocateCase(models, doc),
      drop: (caseId) => models.Suggestion.deleteOne({ _id: caseId }),
      reused: 'this Idempotency-Key was already used for a different suggestion',
    },
  );

  // The case as the first request stored it (a retry keeps the original submission). A new case
  // is the document just inserted: no second round trip (an update scans on FerretDB).
  const stored: NewDoc | null = created
    ? doc
    : ((await models.Suggestion.findById(caseId).lean()) ??
      (await models.Suggestion.findOneAndUpdate(
        { _id: caseId },
        { $setOnInsert: doc },
        { upsert: true, new: true },
      ).lean()));

  await startStored(deps, caseId, stored!, policy);
  return { caseId, created };
}

/** Starts the workflow of a stored suggestion (the running or finished one counts), then clears its mark. */
async function startStored(deps: IntakeDeps, caseId: string, stored: NewDoc, policy: EffectivePolicy): Promise<void> {
  const input: SuggestionInput = {
    caseId,
    jurisdiction: stored.jurisdiction,
    deputyId: stored.deputyId,
    title: stored.title,
    category: stored.category,
    submittedAt: stored.submittedAt.toISOString(),
    policy,
    ...(stored.sourceCaseId ? { sourceCaseId: stored.sourceCaseId } : {}),
  };
  // A running case is joined; one that ran to its end is not started again.
  await startCase(deps, input);
  await startConfirmed(deps.models.Suggestion, { _id: caseId, ...stored });
}

/**
 * Starts the workflow of every suggestion stored more than `graceMs` ago whose start was never
 * confirmed (the service died between storing it and starting it), with the policy in force
 * now; deletes a retry's abandoned copy (reconcilePendingStarts).
 */
export function reconcileIntakes(
  deps: IntakeDeps,
  policyOf: (jurisdiction: string) => Promise<EffectivePolicy>,
  graceMs: number,
): Promise<{ started: string[]; dropped: string[] }> {
  const { models } = deps;
  return reconcilePendingStarts({
    cases: models.Suggestion,
    keys: models.IntakeKey,
    storedAt: 'submittedAt',
    before: new Date((deps.now ?? (() => new Date()))().getTime() - graceMs),
    hash: requestHash,
    start: async (doc) => startStored(deps, doc._id, doc, await policyOf(doc.jurisdiction)),
  });
}

function startCase(deps: IntakeDeps, input: SuggestionInput) {
  return startCaseWorkflow<typeof suggestionWorkflow>(deps.temporal, {
    workflowType: SUGGESTION_WORKFLOW,
    workflowId: input.caseId,
    taskQueue: deps.taskQueue,
    args: [input],
    kind: 'suggestion',
    jurisdiction: input.jurisdiction,
    stage: 'submitted',
    memo: { title: input.title },
    ui: {
      title: input.title,
      policy: input.policy,
      facts: { 类别: input.category, 提出代表: input.deputyId, 来源: input.sourceCaseId },
    },
  });
}
