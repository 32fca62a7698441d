// Scenarios of the citizen and duty workflows for the replay tests, run by
//   node --import tsx workflows/scripts/record-histories.ts citizen-v1 citizen
// Each returns the workflow ids whose histories to keep (the case, and any letter or ladder).
import { localDateOf, type EffectivePolicy } from '@duban/domain';
import {
  answerOpinionUpdate,
  appointeeCaseId,
  appointeeVoteUpdate,
  beginForwardUpdate,
  fileAppointeeReportUpdate,
  fileRegulationReportUpdate,
  groupDutyCaseId,
  linkSuggestionUpdate,
  rateLetterUpdate,
  rateOpinionUpdate,
  recordGroupDutyUpdate,
  regulationCaseId,
  replyLetterUpdate,
  reviewRegulationReportUpdate,
  sendLetterUpdate,
  startDutyCase,
  type Actor,
  type CitizenOpinionInput,
} from '../src';
import type { Harness } from '../test/support/case-driver';
import { submitOpinion } from '../test/scenarios/citizen';

const citizen: Actor = { role: 'citizen', sub: 'citizen-0001' };
const deputy: Actor = { role: 'deputy', sub: 'deputy-001' };
const edu: Actor = { role: 'unit', sub: 'handler-1', unit: 'edu-bureau' };
const justice: Actor = { role: 'unit', sub: 'handler-2', unit: 'justice-bureau' };
const staff: Actor = { role: 'staff', sub: 'clerk-1' };

type Scenario = (h: Harness, policy: EffectivePolicy, n: number) => Promise<string[]>;

function submit(h: Harness, policy: EffectivePolicy, n: number, extra: Partial<CitizenOpinionInput> = {}) {
  const caseId = `opinion-2026-${String(900000 + n)}`;
  const station = { deputies: ['deputy-001'] };
  return submitOpinion(h, { caseId, citizenId: citizen.sub, category: 'education', station, policy }, extra);
}

export const citizenScenarios: Record<string, Scenario> = {
  'opinion-answered-rated': async (h, policy, n) => {
    const w = await submit(h, policy, n);
    await w.executeUpdate(answerOpinionUpdate, { args: [{ by: deputy, text: '已答复。' }] });
    await w.executeUpdate(rateOpinionUpdate, { args: [{ by: citizen, rating: 'satisfied' }] });
    await w.result();
    return [w.workflowId];
  },
  'opinion-overdue-then-forwarded': async (h, policy, n) => {
    const w = await submit(h, policy, n);
    await h.env.sleep('20 days');
    await w.executeUpdate(beginForwardUpdate, { args: [{ by: deputy }] });
    const s = await h.start(policy, { sourceCaseId: w.workflowId });
    await w.executeUpdate(linkSuggestionUpdate, { args: [{ by: deputy, suggestionId: s.workflowId }] });
    await w.result();
    await s.terminate('recorded');
    return [w.workflowId];
  },
  'letter-escalated-late-reply': async (h, policy, n) => {
    const w = await submit(h, policy, n);
    const { letter } = await w.executeUpdate(sendLetterUpdate, { args: [{ by: deputy, unit: 'edu-bureau' }] });
    const l = h.env.client.workflow.getHandle(letter!.letterId);
    await h.env.sleep('40 days');
    await l.executeUpdate(replyLetterUpdate, { args: [{ by: edu, text: '迟复。' }] });
    await l.executeUpdate(rateLetterUpdate, { args: [{ by: citizen, rating: 'basicallySatisfied' }] });
    await w.result();
    const ladder = `${letter!.letterId}-ladder-1`;
    await h.env.client.workflow
      .getHandle(ladder)
      .terminate('recorded')
      .catch(() => undefined);
    return [w.workflowId, letter!.letterId, ladder];
  },
  'letter-replied-rated': async (h, policy, n) => {
    const w = await submit(h, policy, n);
    const { letter } = await w.executeUpdate(sendLetterUpdate, { args: [{ by: deputy, unit: 'edu-bureau' }] });
    const l = h.env.client.workflow.getHandle(letter!.letterId);
    await l.executeUpdate(replyLetterUpdate, { args: [{ by: edu, text: '已办理。' }] });
    await l.executeUpdate(rateLetterUpdate, { args: [{ by: citizen, rating: 'satisfied' }] });
    await l.executeUpdate(rateLetterUpdate, { args: [{ by: deputy, rating: 'satisfied' }] });
    await w.result();
    return [w.workflowId, letter!.letterId];
  },
  'regulation-returned-overdue-accepted': async (h, policy, n) => {
    const regulationId = `reg-${n}`;
    const caseId = regulationCaseId(regulationId);
    const [y, m] = localDateOf(new Date(await h.env.currentTimeMs()))
      .split('-')
      .map(Number);
    const inForceOn = new Date(Date.UTC(y - 2, m - 1, 1)).toISOString().slice(0, 10);
    await startDutyCase(h.env.client, h.taskQueue, {
      kind: 'regulation_report',
      input: { caseId, regulationId, jurisdiction: 'cn-test-city', unit: 'justice-bureau', inForceOn, policy },
    });
    const w = h.env.client.workflow.getHandle(caseId);
    await h.env.sleep('2 days');
    await w.executeUpdate(fileRegulationReportUpdate, { args: [{ by: justice, summary: '报告。' }] });
    await w.executeUpdate(reviewRegulationReportUpdate, {
      args: [{ by: staff, decision: 'returned', note: '补充。' }],
    });
    await h.env.sleep('40 days');
    await w.executeUpdate(fileRegulationReportUpdate, { args: [{ by: justice, summary: '补充报告。' }] });
    await w.executeUpdate(reviewRegulationReportUpdate, {
      args: [{ by: staff, decision: 'accepted', note: '同意。' }],
    });
    await w.result();
    return [caseId];
  },
  'appointee-voted': async (h, policy, n) => {
    const appointmentId = `appt-${n}`;
    const caseId = appointeeCaseId(appointmentId);
    await startDutyCase(h.env.client, h.taskQueue, {
      kind: 'appointee_report',
      input: {
        caseId,
        appointmentId,
        officialId: 'official-1',
        unit: 'edu-bureau',
        jurisdiction: 'cn-test-city',
        termStart: localDateOf(new Date(await h.env.currentTimeMs())),
        policy,
      },
    });
    const w = h.env.client.workflow.getHandle(caseId);
    await h.env.sleep('1 day');
    await w.executeUpdate(fileAppointeeReportUpdate, {
      args: [{ by: edu, summary: '履职报告。', electorate: ['m1', 'm2'] }],
    });
    await w.executeUpdate(appointeeVoteUpdate, { args: [{ by: { role: 'deputy', sub: 'm1' }, choice: 'satisfied' }] });
    await w.executeUpdate(appointeeVoteUpdate, {
      args: [{ by: { role: 'deputy', sub: 'm2' }, choice: 'unsatisfied' }],
    });
    await w.result();
    return [caseId];
  },
  'group-year-completed': async (h, policy, n) => {
    const groupId = `group-${n}`;
    const year = Number(localDateOf(new Date(await h.env.currentTimeMs())).slice(0, 4));
    const caseId = groupDutyCaseId(groupId, year);
    await startDutyCase(h.env.client, h.taskQueue, {
      kind: 'group_duty',
      input: { caseId, groupId, jurisdiction: 'cn-test-city', year, members: ['deputy-001'], policy },
    });
    const w = h.env.client.workflow.getHandle(caseId);
    await h.env.sleep('1 day');
    await w.executeUpdate(recordGroupDutyUpdate, { args: [{ by: deputy, duty: 'researchReport', refId: 'rpt-1' }] });
    await w.executeUpdate(recordGroupDutyUpdate, {
      args: [{ by: staff, duty: 'supervisedSuggestion', refId: 'suggestion-2026-0001' }],
    });
    await w.result();
    await h.env.client.workflow.getHandle(groupDutyCaseId(groupId, year + 1)).terminate('recorded');
    return [caseId];
  },
};
