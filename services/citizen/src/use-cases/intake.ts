// Intake of a citizen's opinion: store it (with the contact details, here only), then start
// its workflow with ids only. Safe to repeat: (citizen, Idempotency-Key) names one case, and a
// retry after a crash finishes the work (the workflow start uses the existing one).
import { createHash } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { localDateOf, type EffectivePolicy } from '@duban/domain';
import { allocateCaseNumber, startCaseWorkflow, storeOncePerKey } from '@duban/platform';
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

function requestHash(o: NewOpinion): string {
  return createHash('sha256')
    .update(JSON.stringify([o.stationId, o.channel, o.category, o.content, o.contact ?? null]))
    .digest('hex');
}

export async function submitOpinion(
  deps: { models: CitizenModels; temporal: Client; taskQueue: string },
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
  };
  const { caseId, created } = await storeOncePerKey(
    models.IntakeKey,
    idempotencyKey ? { keyId: `${citizenId}:${idempotencyKey}`, hash, createdAt: doc.submittedAt } : undefined,
    {
      allocate: () => allocateCase(models, doc),
      drop: (caseId) => models.Opinion.deleteOne({ _id: caseId }),
      reused: 'this Idempotency-Key was already used for a different opinion',
    },
  );

  const stored = (await models.Opinion.findById(caseId).lean())!;
  // Ids and dates only: this input is visible to every operator in the Temporal UI.
  const input: CitizenOpinionInput = {
    caseId,
    jurisdiction: stored.jurisdiction,
    stationId: stored.stationId,
    citizenId,
    channel: stored.channel,
    category: stored.category,
    submittedAt: stored.submittedAt.toISOString(),
    station: { deputies: station.deputies, ...(station.duty?.length ? { duty: station.duty } : {}) },
    policy,
  };
  await startCaseWorkflow<typeof citizenOpinionWorkflow>(deps.temporal, {
    workflowType: CITIZEN_OPINION_WORKFLOW,
    workflowId: caseId,
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
      consolePath: `/opinions/${encodeURIComponent(caseId)}`,
      facts: { 类别: stored.category, 渠道: stored.channel },
    },
  });
  return { caseId, created };
}
