// Citizen-opinion steps shared by the workflow tests and the history recorder
// (workflows/scripts/citizen-history-scenarios.ts), so both submit opinions the same way.
import type { EffectivePolicy } from '@duban/domain';
import { CITIZEN_OPINION_WORKFLOW, type CitizenOpinionInput, type citizenOpinionWorkflow } from '../../src';
import type { Harness } from '../support/case-driver';

/** What differs between one submitted opinion and another; the rest is the riverside station online. */
export interface OpinionFields {
  caseId: string;
  citizenId: string;
  category: string;
  station: CitizenOpinionInput['station'];
  policy: EffectivePolicy;
}

/** Starts a citizen opinion submitted now (the recorded histories depend on this input's key order). */
export async function submitOpinion(
  h: Harness,
  { caseId, citizenId, category, station, policy }: OpinionFields,
  extra: Partial<CitizenOpinionInput> = {},
) {
  return h.env.client.workflow.start<typeof citizenOpinionWorkflow>(CITIZEN_OPINION_WORKFLOW, {
    workflowId: caseId,
    taskQueue: h.taskQueue,
    args: [
      {
        caseId,
        jurisdiction: 'cn-test-city',
        stationId: 'station-riverside',
        citizenId,
        channel: 'online',
        category,
        submittedAt: new Date(await h.env.currentTimeMs()).toISOString(),
        station,
        policy,
        ...extra,
      },
    ],
  });
}
