// Intake of a citizen's opinion: store it (with the contact details, here only), then start
// its workflow with ids only. Safe to repeat: (citizen, Idempotency-Key) names one case, and a
// retry after a crash finishes the work (the workflow start uses the existing one). An opinion
// is stored marked startPending until its workflow runs; reconcileOpinions starts the workflow
// of one the service died on between the two (no retry comes when the client sent no key).
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
import { type Station } from '@duban/registry';
import { CITIZEN_OPINION_WORKFLOW, type CitizenOpinionInput, type citizenOpinionWorkflow } from '@duban/workflows';
import type { CitizenModels, Contact, OpinionDoc } from '../data/models';

export interface NewOpinion {
  stationId: string;
  channel: 'station' | 'online';
  category: string;
  content: string;
  contact?: Contact;
}

type NewDoc = Omit<OpinionDoc, '_id'>;

/** Allocates "opinion-2026-000001" (the year of submission, local time) by storing the opinion under it. */
function allocateCase(models: CitizenModels, doc: NewDoc): Promise<string> {
  return allocateCaseNumber(models.Counter, {
    series: `opinion-${localDateOf(doc.submittedAt).slice(0, 4)}`,
    width: 6,
    insert: (caseId) => models.Opinion.create({ _id: caseId, ...doc }),
  });
}

export interface OpinionDeps {
  models: CitizenModels;
  temporal: Client;
  taskQueue: string;
}

function requestHash(o: NewOpinion): string {
  return createHash('sha256')
    .update(JSON.stringify([o.stationId, o.channel, o.category, o.content, o.contact ?? null]))
    .digest('hex');
}

export async function submitOpinion(
  deps: OpinionDeps,
  citizenId: string,
  o: NewOpinion,
  station: Station,
  policy: EffectivePolicy,
  idempotencyKey?: string,
): Promise<{ caseId: string; created: boolean }> {
  const { models } = deps;
  const hash = requestHash(o);
  const doc: NewDoc = {
    citizenId,
    jurisdiction: station.jurisdiction,
    stationId: o.stationId,
    stationDeputies: station.deputies,
    channel: o.channel,
    category: o.category,
    content: o.content,
    ...(o.contact ? { contact: o.contact } : {}),
    submittedAt: new Date(),
    policySources: policy.sources,
    startPending: true,
  };
  const keyId = idempotencyKey ? `${citizenId}:${idempotencyKey}` : undefined;
  if (keyId) doc.intakeKey = keyId;
  const { caseId, created } = await storeOncePerKey(
    models.IntakeKey,
    keyId ? { keyId, hash, createdAt: doc.submittedAt } : undefined,
    {
      allocate: () => allocateCase(models, doc),
      drop: (caseId) => models.Opinion.deleteOne({ _id: caseId }),
      reused: 'this Idempotency-Key was already used for a different opinion',
    },
  );

  await startStored(deps, (await models.Opinion.findById(caseId).lean())!, station, policy);
  return { caseId, created };
}

/** Starts the workflow of a stored opinion (the running or finished one counts), then clears its mark. */
async function startStored(deps: OpinionDeps, stored: OpinionDoc, station: Station, policy: EffectivePolicy) {
  // Ids and dates only: this input is visible to every operator in the Temporal UI.
  const input: CitizenOpinionInput = {
    caseId: stored._id,
    jurisdiction: stored.jurisdiction,
    stationId: stored.stationId,
    citizenId: stored.citizenId,
    channel: stored.channel,
    category: stored.category,
    submittedAt: stored.submittedAt.toISOString(),
    station: { deputies: station.deputies, ...(station.duty?.length ? { duty: station.duty } : {}) },
    policy,
  };
  await startCaseWorkflow<typeof citizenOpinionWorkflow>(deps.temporal, {
    workflowType: CITIZEN_OPINION_WORKFLOW,
    workflowId: stored._id,
    taskQueue: deps.taskQueue,
    args: [input],
    kind: 'citizen_opinion',
    jurisdiction: stored.jurisdiction,
    stage: 'submitted',
    // The station answers the opinion: it is the "unit" an overdue query names.
    unit: stored.stationId,
    // Ids only, in the memo and the UI: the citizen's text and name stay in the citizen service.
    memo: { stationId: stored.stationId },
    ui: {
      policy,
      consolePath: `/opinions/${encodeURIComponent(stored._id)}`,
      facts: { 类别: stored.category, 渠道: stored.channel },
    },
  });
  await startConfirmed(deps.models.Opinion, stored);
}

/**
 * Starts the workflow of every opinion stored more than `graceMs` ago whose start was never
 * confirmed (the service died between storing it and starting it), with the station's deputies
 * and duty roster and the policy in force now; deletes a retry's abandoned copy
 * (reconcilePendingStarts).
 */
export function reconcileOpinions(
  deps: OpinionDeps & { now?: () => Date },
  registry: {
    station: (stationId: string) => Promise<Station>;
    policyOf: (jurisdiction: string) => Promise<EffectivePolicy>;
  },
  graceMs: number,
): Promise<{ started: string[]; dropped: string[] }> {
  return reconcilePendingStarts({
    cases: deps.models.Opinion,
    keys: deps.models.IntakeKey,
    storedAt: 'submittedAt',
    before: new Date((deps.now ?? (() => new Date()))().getTime() - graceMs),
    hash: requestHash,
    start: async (doc) =>
      startStored(deps, doc, await registry.station(doc.stationId), await registry.policyOf(doc.jurisdiction)),
  });
}
