// The oversight scenarios recorded for replay tests (see record-histories.ts): a review opinion
// that closes, one that climbs through the re-report and the ladder to inquiry and
// investigation, an inquiry answered again, an investigation with its resolution, a
// supervision plan's year. Each returns the handles to save, by name suffix.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import {
  INQUIRY_WORKFLOW,
  INVESTIGATION_WORKFLOW,
  REVIEW_OPINION_WORKFLOW,
  SUPERVISION_PLAN_WORKFLOW,
  adoptPlanUpdate,
  assessReportUpdate,
  castVoteUpdate,
  closePlanYearSignal,
  confirmItemUpdate,
  decideInquiryUpdate,
  decideInvestigationUpdate,
  escalateNowUpdate,
  inquiryReplyUpdate,
  investigationReportUpdate,
  itemFeedbackUpdate,
  linkCaseUpdate,
  openVoteUpdate,
  planCaseId,
  planItemStartedUpdate,
  proposeTopicUpdate,
  rateInquiryUpdate,
  submitReportUpdate,
  trackWorkflowId,
  type ReviewOpinionState,
} from '../src';
import { testPolicy } from '../../tests/support/policy';
import { closedState } from '../test/support/closed-state';
import { staff, unit, type Harness } from '../test/support/case-driver';

const policy = testPolicy();
const edu = unit('edu-bureau');
const member = (n: number) => ({ role: 'deputy' as const, sub: `member-${String(n).padStart(2, '0')}` });
const electorate = [1, 2, 3].map((n) => member(n).sub);
const signers = [1, 2, 3, 4, 5].map((n) => member(n).sub);
const OPENED = '2026-03-02T02:00:00.000Z';
type Saved = [suffix: string, handle: WorkflowHandle][];

async function poll<S>(h: Harness, wf: WorkflowHandle, done: (s: S) => boolean, step = '1 day'): Promise<S> {
  for (let i = 0; i < 400; i++) {
    const s = (await wf.query('state')) as S;
    if (done(s)) return s;
    await h.env.sleep(step as never);
  }
  throw new Error(`${wf.workflowId} never got there`);
}

function startTrack(h: Harness, items: { itemId: string; list: 'issue' | 'supervision'; description: string }[]) {
  const caseId = `review-opinion-2026-${randomUUID().slice(0, 8)}`;
  return h.env.client.workflow.start(REVIEW_OPINION_WORKFLOW, {
    workflowId: trackWorkflowId(caseId, 'edu-bureau'),
    taskQueue: h.taskQueue,
    args: [
      {
        caseId,
        kind: 'review_opinion',
        jurisdiction: 'cn-test-city',
        unit: 'edu-bureau',
        items,
        openedAt: OPENED,
        openedBy: staff,
        policy,
      },
    ],
  });
}

export const oversightScenarios: Record<string, (h: Harness) => Promise<Saved>> = {
  'review-opinion-closed': async (h) => {
    const wf = await startTrack(h, [{ itemId: '1', list: 'issue', description: '师资不均衡' }]);
    await poll<ReviewOpinionState>(h, wf, (s) => s.events.length > 0, '1 second');
    await wf.executeUpdate(itemFeedbackUpdate, {
      args: [{ by: edu, itemId: '1', progress: '完成', done: true, evidence: ['报告'] }],
    });
    await wf.executeUpdate(confirmItemUpdate, { args: [{ by: staff, itemId: '1', confirm: false, note: '材料不全' }] });
    await wf.executeUpdate(itemFeedbackUpdate, {
      args: [{ by: edu, itemId: '1', progress: '补充', done: true, evidence: ['补充材料'] }],
    });
    await wf.executeUpdate(confirmItemUpdate, { args: [{ by: staff, itemId: '1', confirm: true, note: '同意销号' }] });
    await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '研究处理情况报告' }] });
    await wf.executeUpdate(openVoteUpdate, { args: [{ by: staff, electorate }] });
    for (const n of [1, 2, 3]) await wf.executeUpdate(castVoteUpdate, { args: [{ by: member(n), vote: 'satisfied' }] });
    await closedState(h.env, wf);
    return [['', wf]];
  },
  'review-opinion-climb': async (h) => {
    const wf = await startTrack(h, [{ itemId: '1', list: 'supervision', description: '黑臭水体' }]);
    await poll<ReviewOpinionState>(h, wf, (s) => s.events.length > 0, '1 second');
    await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '报告' }] });
    await wf.executeUpdate(assessReportUpdate, { args: [{ by: staff, verdict: 'poor' }] });
    await poll<ReviewOpinionState>(h, wf, (s) => s.stage === 'reReport', '1 second');
    await h.env.sleep('70 days');
    await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '再次报告' }] });
    await wf.executeUpdate(openVoteUpdate, { args: [{ by: staff, electorate }] });
    await wf.executeUpdate(castVoteUpdate, { args: [{ by: member(1), vote: 'unsatisfied' }] });
    await poll<ReviewOpinionState>(h, wf, (s) => s.stage === 'inquiryDue', '5 days');
    await wf.executeUpdate(linkCaseUpdate, {
      args: [{ by: staff, linkedCaseId: 'inquiry-2026-0001', kind: 'inquiry' }],
    });
    const ladderId = `${wf.workflowId}-ladder-1`;
    const ladder = h.env.client.workflow.getHandle(ladderId);
    await ladder.executeUpdate(escalateNowUpdate, { args: [{ by: staff, note: '仍未整改' }] });
    await poll<ReviewOpinionState>(h, wf, (s) => s.stage === 'investigationDue', '1 second');
    await closedState(h.env, wf, '5 days');
    return [
      ['', wf],
      ['-ladder-1', ladder],
    ];
  },
  'inquiry-replied-again': async (h) => {
    const caseId = `inquiry-2026-${randomUUID().slice(0, 8)}`;
    const wf = await h.env.client.workflow.start(INQUIRY_WORKFLOW, {
      workflowId: caseId,
      taskQueue: h.taskQueue,
      args: [
        {
          caseId,
          jurisdiction: 'cn-test-city',
          unit: 'edu-bureau',
          subject: '质询案',
          signers,
          filedAt: OPENED,
          policy,
        },
      ],
    });
    await poll(h, wf, (s: { events: string[] }) => s.events.length > 0, '1 second');
    await wf.executeUpdate(decideInquiryUpdate, { args: [{ by: staff, mode: 'written' }] });
    await wf.executeUpdate(inquiryReplyUpdate, { args: [{ by: edu, summary: '书面答复' }] });
    await poll(h, wf, (s: { ratingDueAt?: string }) => !!s.ratingDueAt, '1 second');
    for (const n of [1, 2, 3])
      await wf.executeUpdate(rateInquiryUpdate, { args: [{ by: member(n), satisfied: false }] });
    await poll(h, wf, (s: { overdue: boolean }) => s.overdue, '2 days');
    await wf.executeUpdate(inquiryReplyUpdate, { args: [{ by: edu, summary: '再次答复' }] });
    await closedState(h.env, wf);
    return [['', wf]];
  },
  'investigation-resolution': async (h) => {
    const caseId = `investigation-2026-${randomUUID().slice(0, 8)}`;
    const wf = await h.env.client.workflow.start(INVESTIGATION_WORKFLOW, {
      workflowId: caseId,
      taskQueue: h.taskQueue,
      args: [
        {
          caseId,
          jurisdiction: 'cn-test-city',
          question: '特定问题',
          unit: 'edu-bureau',
          proposedBy: 'members',
          proposers: [member(1).sub, member(2).sub],
          memberCount: 10,
          proposedAt: OPENED,
          policy,
        },
      ],
    });
    await poll(h, wf, (s: { events: string[] }) => s.events.length > 0, '1 second');
    await h.env.sleep('70 days');
    await wf.executeUpdate(decideInvestigationUpdate, {
      args: [{ by: staff, adopt: true, committeeMembers: [member(3).sub] }],
    });
    await wf.executeUpdate(investigationReportUpdate, {
      args: [{ by: staff, summary: '调查报告', resolutionCaseId: 'resolution-2026-0001' }],
    });
    await closedState(h.env, wf);
    return [['', wf]];
  },
  'supervision-plan-year': async (h) => {
    const jurisdiction = `cn-plan-${randomUUID().slice(0, 6)}`;
    const year = new Date(await h.env.currentTimeMs()).getUTCFullYear() + 1;
    const caseId = planCaseId(jurisdiction, year);
    const wf = await h.env.client.workflow.start(SUPERVISION_PLAN_WORKFLOW, {
      workflowId: caseId,
      taskQueue: h.taskQueue,
      args: [{ caseId, jurisdiction, year, policy }],
    });
    await poll(h, wf, (s: { adoptionDueAt: string }) => !!s.adoptionDueAt, '1 second');
    await wf.executeUpdate(proposeTopicUpdate, {
      args: [{ by: staff, source: 'hotline', title: '噪声扰民', unit: 'eco-env-bureau' }],
    });
    const sessionAt = new Date((await h.env.currentTimeMs()) + 10 * 86400000).toISOString();
    await wf.executeUpdate(adoptPlanUpdate, {
      args: [{ by: staff, items: [{ topicId: `${year}-T1`, sessionAt, weight: 'key' }] }],
    });
    await wf.executeUpdate(proposeTopicUpdate, {
      args: [{ by: staff, source: 'letter', title: '养老服务', unit: 'civil-affairs' }],
    });
    await poll(h, wf, (s: { items: { status: string }[] }) => s.items[0].status === 'due');
    await wf.executeUpdate(planItemStartedUpdate, {
      args: [{ by: staff, itemId: 'P1', reviewOpinionCaseId: 'review-opinion-2027-0001' }],
    });
    await wf.signal(closePlanYearSignal);
    await closedState(h.env, wf, '1 hour');
    await h.env.client.workflow.getHandle(planCaseId(jurisdiction, year + 1)).terminate('recorded');
    return [['', wf]];
  },
};
