// Inquiry (质询案), investigation of a specific question (特定问题调查) with the resolution that
// follows, and the annual supervision plan, on the time-skipping test server.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import {
  CaseKind,
  Overdue,
  Satisfaction,
  Stage,
  Unit,
  INQUIRY_WORKFLOW,
  INVESTIGATION_WORKFLOW,
  REVIEW_OPINION_WORKFLOW,
  SUPERVISION_PLAN_WORKFLOW,
  adoptPlanUpdate,
  closePlanYearSignal,
  decideInquiryUpdate,
  decideInvestigationUpdate,
  inquiryReplyUpdate,
  inquirySignersProblem,
  investigationProposersProblem,
  investigationReportUpdate,
  planCaseId,
  planItemStartedUpdate,
  proposeTopicUpdate,
  rateInquiryUpdate,
  reviewOpinionStateQuery,
  trackWorkflowId,
  type InquiryInput,
  type InquiryState,
  type InvestigationInput,
  type InvestigationState,
  type SupervisionPlanState,
  type inquiryWorkflow,
  type investigationWorkflow,
  type reviewOpinionWorkflow,
  type supervisionPlanWorkflow,
} from '../src';
import { testPolicy } from '../../tests/support/policy';
import { closedState } from './support/closed-state';
import { createHarness, refusal, staff, typesOf, unit, type Harness } from './support/case-driver';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

const policy = testPolicy(); // a city: inquiries need 5 signers
const DAY = 86400000;
const member = (n: number) => ({ role: 'deputy' as const, sub: `member-${String(n).padStart(2, '0')}` });
const roster = new Set(Array.from({ length: 10 }, (_, i) => member(i + 1).sub));
const signers = [1, 2, 3, 4, 5].map((n) => member(n).sub);
const environment = unit('eco-env-bureau');
const now = async () => new Date(await h.env.currentTimeMs()).toISOString();
const later = async (days: number) => new Date((await h.env.currentTimeMs()) + days * DAY).toISOString();

async function poll<S>(wf: WorkflowHandle, done: (s: S) => boolean, step: Duration = '1 day'): Promise<S> {
  for (let i = 0; i < 400; i++) {
    const s = (await wf.query('state')) as S;
    if (done(s)) return s;
    await h.env.sleep(step);
  }
  throw new Error(`${wf.workflowId} never got there`);
}

/**
 * Why a workflow failed, read from its history in real time: result() unlocks time skipping,
 * and with nothing else pending the test server jumps ten years, which later tests inherit.
 */
async function failureOf(wf: WorkflowHandle): Promise<string> {
  for (let i = 0; i < 100; i++) {
    if ((await wf.describe()).status.name === 'FAILED') {
      const history = await wf.fetchHistory();
      const last = history.events?.[history.events.length - 1];
      return last?.workflowExecutionFailedEventAttributes?.failure?.message ?? 'no failure message';
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${wf.workflowId} did not fail`);
}

async function startInquiry(overrides: Partial<InquiryInput> = {}) {
  const caseId = `inquiry-2026-${randomUUID().slice(0, 8)}`;
  return h.env.client.workflow.start<typeof inquiryWorkflow>(INQUIRY_WORKFLOW, {
    workflowId: caseId,
    taskQueue: h.taskQueue,
    args: [
      {
        caseId,
        jurisdiction: 'cn-test-city',
        unit: 'eco-env-bureau',
        subject: '关于黑臭水体整治不力的质询案',
        signers,
        filedAt: await now(),
        policy,
        ...overrides,
      },
    ],
  });
}

async function rateAll(wf: WorkflowHandle, dissatisfied: number, of = signers.length) {
  for (let i = 0; i < of; i++)
    await wf.executeUpdate(rateInquiryUpdate, { args: [{ by: member(i + 1), satisfied: i >= dissatisfied }] });
}

describe('inquiry (质询案)', () => {
  it('checks the signers against the roster and the level’s minimum before anything starts', () => {
    expect(inquirySignersProblem(signers, roster, 5)).toBeUndefined();
    expect(inquirySignersProblem(signers.slice(0, 4), roster, 5)).toMatch(/at least 5 signing members.*has 4/);
    expect(inquirySignersProblem([...signers.slice(0, 4), 'citizen-9'], roster, 5)).toMatch(/not members: citizen-9/);
    expect(inquirySignersProblem([...signers, signers[0]], roster, 5)).toMatch(/only once/);
    // National 10, province and city 5, county 3: policy data by level.
    expect(policy.policy.oversight.inquiry.minSignersByLevel).toEqual({
      national: 10,
      province: 5,
      city: 5,
      county: 3,
    });
  });

  it('refuses to run with too few signers even if started directly', async () => {
    const wf = await startInquiry({ signers: signers.slice(0, 4) });
    expect(await failureOf(wf)).toMatch(/at least 5 signing members; it has 4/);
    expect(typesOf(h.published, wf.workflowId)).toEqual([]);
  });

  it('takes a written reply by its deadline, the filers are satisfied, it closes', async () => {
    const wf = await startInquiry();
    const filed = await poll<InquiryState>(wf, (s) => s.events.length > 0, '1 second');
    expect(filed).toMatchObject({ stage: 'filed', minSigners: 5 });
    const decided = await wf.executeUpdate(decideInquiryUpdate, { args: [{ by: staff, mode: 'written' }] });
    const span = (Date.parse(decided.replyDueAt!) - (await h.env.currentTimeMs())) / DAY;
    expect(span).toBeGreaterThan(27);
    expect(span).toBeLessThan(35);
    await h.env.sleep('10 days');
    await wf.executeUpdate(inquiryReplyUpdate, { args: [{ by: environment, summary: '书面答复：已制定整治方案' }] });
    await poll<InquiryState>(wf, (s) => !!s.ratingDueAt, '1 second');
    await rateAll(wf, 2); // 2 of 5 dissatisfied: not more than half
    const final = await closedState<InquiryState>(h.env, wf);
    expect(final).toMatchObject({
      stage: 'closed',
      closedOutcome: 'answered',
      roundResults: [{ round: 1, dissatisfied: 2, replyAgain: false }],
    });
    const sa = (await wf.describe()).typedSearchAttributes;
    expect([sa.get(CaseKind), sa.get(Unit), sa.get(Stage), sa.get(Satisfaction)]).toEqual([
      'inquiry',
      'eco-env-bureau',
      'closed',
      'satisfied',
    ]);
    expect(typesOf(h.published, wf.workflowId)).toEqual([
      'InquiryFiled',
      'InquiryReplyDecided',
      'InquiryReplied',
      'InquiryRated',
      'InquiryRated',
      'InquiryRated',
      'InquiryRated',
      'InquiryRated',
      'InquiryRatingClosed',
      'InquiryClosed',
    ]);
  });

  it('has the unit reply again when more than half are dissatisfied; the second reply’s deadline passes (overdue)', async () => {
    const wf = await startInquiry();
    await poll<InquiryState>(wf, (s) => s.events.length > 0, '1 second');
    await wf.executeUpdate(decideInquiryUpdate, { args: [{ by: staff, mode: 'oral', dueAt: await later(5) }] });
    await h.env.sleep('4 days');
    // Staff record the oral reply given at the session.
    await wf.executeUpdate(inquiryReplyUpdate, { args: [{ by: staff, summary: '局长在常委会会议上口头答复' }] });
    await poll<InquiryState>(wf, (s) => !!s.ratingDueAt, '1 second');
    await rateAll(wf, 3); // 3 of 5: more than half dissatisfied
    const again = await poll<InquiryState>(wf, (s) => s.round === 2 && s.stage === 'awaitingReply', '1 second');
    expect(again.roundResults).toEqual([{ round: 1, dissatisfied: 3, replyAgain: true }]);
    const overdue = await poll<InquiryState>(wf, (s) => s.overdue);
    expect((await wf.describe()).typedSearchAttributes.get(Overdue)).toBe(true);
    expect(overdue.replies).toHaveLength(1);
    await wf.executeUpdate(inquiryReplyUpdate, { args: [{ by: environment, summary: '再次答复' }] });
    await poll<InquiryState>(wf, (s) => !!s.ratingDueAt, '1 second');
    // Three rate, all dissatisfied; two never rate: the window ends.
    for (const n of [1, 2, 3])
      await wf.executeUpdate(rateInquiryUpdate, { args: [{ by: member(n), satisfied: false }] });
    const final = await closedState<InquiryState>(h.env, wf);
    expect(final.closedOutcome).toBe('dissatisfied');
    expect(final.replies.map((r) => r.onTime)).toEqual([true, false]);
    expect(typesOf(h.published, wf.workflowId)).toContain('InquiryOverdue');
  });

  it('refuses a non-filer’s rating, a second rating, another unit’s reply and a decision by a member', async () => {
    const wf = await startInquiry();
    await poll<InquiryState>(wf, (s) => s.events.length > 0, '1 second');
    expect(await refusal(wf.executeUpdate(decideInquiryUpdate, { args: [{ by: member(1), mode: 'written' }] }))).toBe(
      'NotYourCase',
    );
    expect(await refusal(wf.executeUpdate(decideInquiryUpdate, { args: [{ by: staff, mode: 'oral' }] }))).toBe(
      'InvalidInput',
    );
    await wf.executeUpdate(decideInquiryUpdate, { args: [{ by: staff, mode: 'written' }] });
    expect(
      await refusal(wf.executeUpdate(inquiryReplyUpdate, { args: [{ by: unit('edu-bureau'), summary: '答复' }] })),
    ).toBe('NotYourCase');
    await wf.executeUpdate(inquiryReplyUpdate, { args: [{ by: environment, summary: '书面答复' }] });
    await poll<InquiryState>(wf, (s) => !!s.ratingDueAt, '1 second');
    expect(await refusal(wf.executeUpdate(rateInquiryUpdate, { args: [{ by: member(9), satisfied: false }] }))).toBe(
      'NotYourCase',
    );
    await wf.executeUpdate(rateInquiryUpdate, { args: [{ by: member(1), satisfied: true }] });
    expect(await refusal(wf.executeUpdate(rateInquiryUpdate, { args: [{ by: member(1), satisfied: false }] }))).toBe(
      'AlreadyRated',
    );
    const s = (await wf.query('state')) as InquiryState;
    expect(s.ratings).toHaveLength(1);
    await wf.terminate('test done');
  });
});

async function startInvestigation(overrides: Partial<InvestigationInput> = {}) {
  const caseId = `investigation-2026-${randomUUID().slice(0, 8)}`;
  return h.env.client.workflow.start<typeof investigationWorkflow>(INVESTIGATION_WORKFLOW, {
    workflowId: caseId,
    taskQueue: h.taskQueue,
    args: [
      {
        caseId,
        jurisdiction: 'cn-test-city',
        question: '关于城区内河水质持续恶化问题',
        unit: 'eco-env-bureau',
        proposedBy: 'members',
        proposers: [member(1).sub, member(2).sub],
        memberCount: 10,
        proposedAt: await now(),
        policy,
        ...overrides,
      },
    ],
  });
}

describe('investigation of a specific question (特定问题调查) and its resolution', () => {
  it('needs the chair council or one fifth of the members, checked against the roster', async () => {
    const two = [member(1).sub, member(2).sub];
    expect(investigationProposersProblem('members', two, roster, 20)).toBeUndefined();
    expect(investigationProposersProblem('members', [member(1).sub], roster, 20)).toMatch(
      /at least 2 of the 10 members \(20%\); it has 1/,
    );
    expect(investigationProposersProblem('members', [member(1).sub, 'outsider-1'], roster, 20)).toMatch(/outsider-1/);
    expect(investigationProposersProblem('chairCouncil', [], roster, 20)).toBeUndefined();
    const below = await startInvestigation({ proposers: [member(1).sub] });
    expect(await failureOf(below)).toMatch(/at least 2 of 10; it has 1/);
    expect(typesOf(h.published, below.workflowId)).toEqual([]);
  });

  it('is decided, investigates, reports with a resolution that runs as its own case to closure', async () => {
    const wf = await startInvestigation();
    const proposed = await poll<InvestigationState>(wf, (s) => s.events.length > 0, '1 second');
    expect((Date.parse(proposed.decisionDueAt) - (await h.env.currentTimeMs())) / DAY).toBeGreaterThan(55);
    expect(await refusal(wf.executeUpdate(decideInvestigationUpdate, { args: [{ by: staff, adopt: true }] }))).toBe(
      'InvalidInput',
    );
    const decided = await wf.executeUpdate(decideInvestigationUpdate, {
      args: [{ by: staff, adopt: true, committeeMembers: [member(3).sub, member(4).sub, member(5).sub] }],
    });
    expect(decided.stage).toBe('investigating');
    expect((Date.parse(decided.reportDueAt!) - (await h.env.currentTimeMs())) / DAY).toBeGreaterThan(175);
    // The committee resolved: the service starts the resolution as its own case (kind "resolution").
    const resolutionId = `resolution-2026-${Math.floor(1000 + Math.random() * 8999)}`;
    const resolution = await h.env.client.workflow.start<typeof reviewOpinionWorkflow>(REVIEW_OPINION_WORKFLOW, {
      workflowId: trackWorkflowId(resolutionId, 'eco-env-bureau'),
      taskQueue: h.taskQueue,
      args: [
        {
          caseId: resolutionId,
          kind: 'resolution',
          jurisdiction: 'cn-test-city',
          unit: 'eco-env-bureau',
          items: [{ itemId: '1', list: 'issue', description: '三年内消除劣V类水体' }],
          openedAt: await now(),
          openedBy: staff,
          source: { caseId: wf.workflowId },
          policy,
        },
      ],
    });
    await h.env.sleep('30 days');
    const reported = await wf.executeUpdate(investigationReportUpdate, {
      args: [{ by: staff, summary: '调查报告', resolutionCaseId: resolutionId }],
    });
    expect(reported.report!.onTime).toBe(true);
    const final = await closedState<InvestigationState>(h.env, wf);
    expect(final).toMatchObject({ closedOutcome: 'resolutionStarted', resolutionCaseId: resolutionId });
    expect(typesOf(h.published, wf.workflowId)).toEqual([
      'InvestigationProposed',
      'InvestigationDecided',
      'InvestigationReported',
      'InvestigationClosed',
    ]);
    // The resolution's handling report is due in the policy's resolution window (6 months).
    const r = await resolution.query(reviewOpinionStateQuery);
    expect(r.kind).toBe('resolution');
    expect((Date.parse(r.reportDueAt) - Date.parse(r.items[0].dueAt)) / DAY).toBeGreaterThan(80);
    expect(h.published.find((e) => e.caseId === resolutionId)?.caseKind).toBe('resolution');
    expect((await resolution.describe()).typedSearchAttributes.get(CaseKind)).toBe('resolution');
    await resolution.terminate('test done');
  });

  it('is overdue when the committee does not decide in time, and when the report is late; a rejection closes it', async () => {
    const late = await startInvestigation({ proposedBy: 'chairCouncil', proposers: [] });
    await poll<InvestigationState>(late, (s) => s.overdue, '5 days');
    expect((await late.describe()).typedSearchAttributes.get(Overdue)).toBe(true);
    await late.executeUpdate(decideInvestigationUpdate, {
      args: [{ by: staff, adopt: true, committeeMembers: [member(1).sub], reportDueAt: await later(10) }],
    });
    expect((await late.describe()).typedSearchAttributes.get(Overdue)).toBe(false);
    await poll<InvestigationState>(late, (s) => s.overdue);
    await late.executeUpdate(investigationReportUpdate, { args: [{ by: staff, summary: '迟交的调查报告' }] });
    const final = await closedState<InvestigationState>(h.env, late);
    expect(final).toMatchObject({ closedOutcome: 'reported', report: { onTime: false } });
    expect(typesOf(h.published, late.workflowId).filter((t) => t === 'InvestigationOverdue')).toHaveLength(2);

    const rejected = await startInvestigation();
    await poll<InvestigationState>(rejected, (s) => s.events.length > 0, '1 second');
    await rejected.executeUpdate(decideInvestigationUpdate, { args: [{ by: staff, adopt: false }] });
    expect((await closedState<InvestigationState>(h.env, rejected)).closedOutcome).toBe('rejected');
  });
});

describe('the annual supervision plan (年度监督计划)', () => {
  async function startPlan(year: number) {
    const jurisdiction = `cn-plan-${randomUUID().slice(0, 6)}`;
    return h.env.client.workflow.start<typeof supervisionPlanWorkflow>(SUPERVISION_PLAN_WORKFLOW, {
      workflowId: planCaseId(jurisdiction, year),
      taskQueue: h.taskQueue,
      args: [{ caseId: planCaseId(jurisdiction, year), jurisdiction, year, policy }],
    });
  }
  const topic = (title: string, unitId: string, source: 'governmentReport' | 'hotline' | 'letter' = 'hotline') => ({
    args: [{ by: staff, source, title, unit: unitId }] as [never],
  });

  it('collects topics, adopts them on time as items whose sessions start review opinions, and starts next year’s plan', async () => {
    const year = new Date(await h.env.currentTimeMs()).getUTCFullYear() + 1;
    const wf = await startPlan(year);
    await poll<SupervisionPlanState>(wf, (s) => !!s.adoptionDueAt, '1 second');
    await wf.executeUpdate(proposeTopicUpdate, topic('义务教育优质均衡发展', 'edu-bureau', 'governmentReport'));
    const s2 = await wf.executeUpdate(proposeTopicUpdate, topic('12345热线反映的噪声扰民', 'eco-env-bureau'));
    expect(s2.topics.map((t) => t.topicId)).toEqual([`${year}-T1`, `${year}-T2`]);
    expect(
      await refusal(
        wf.executeUpdate(adoptPlanUpdate, {
          args: [{ by: staff, items: [{ topicId: 'nope', sessionAt: await later(20), weight: 'key' }] }],
        }),
      ),
    ).toBe('InvalidInput');
    const adopted = await wf.executeUpdate(adoptPlanUpdate, {
      args: [{ by: staff, items: [{ topicId: `${year}-T1`, sessionAt: await later(20), weight: 'key' }] }],
    });
    expect(adopted.items).toEqual([expect.objectContaining({ itemId: 'P1', unit: 'edu-bureau', status: 'scheduled' })]);
    expect(h.published.find((e) => e.eventId === `${wf.workflowId}/adopted`)?.body.value).toMatchObject({
      onTime: true,
    });
    expect(
      await refusal(
        wf.executeUpdate(planItemStartedUpdate, {
          args: [{ by: staff, itemId: 'P1', reviewOpinionCaseId: 'review-opinion-2027-0001' }],
        }),
      ),
    ).toBe('StageConflict');
    // A topic proposed after adoption is for next year's plan.
    const later1 = await wf.executeUpdate(
      proposeTopicUpdate,
      topic('群众来信反映的养老服务问题', 'civil-affairs', 'letter'),
    );
    expect(later1.nextYearTopics.map((t) => t.title)).toEqual(['群众来信反映的养老服务问题']);
    await poll<SupervisionPlanState>(wf, (s) => s.items[0].status === 'due');
    const started = await wf.executeUpdate(planItemStartedUpdate, {
      args: [{ by: staff, itemId: 'P1', reviewOpinionCaseId: 'review-opinion-2027-0001' }],
    });
    expect(started.items[0]).toMatchObject({ status: 'started', reviewOpinionCaseId: 'review-opinion-2027-0001' });
    await wf.signal(closePlanYearSignal);
    const final = await closedState<SupervisionPlanState>(h.env, wf, '1 hour');
    expect(final.nextPlanCaseId).toBe(planCaseId(final.jurisdiction, year + 1));
    const next = h.env.client.workflow.getHandle(final.nextPlanCaseId!);
    const nextState = await poll<SupervisionPlanState>(
      next,
      (s) => s.events.length >= 0 && !!s.adoptionDueAt,
      '1 second',
    );
    expect(nextState.topics.map((t) => t.title)).toEqual(['群众来信反映的养老服务问题']);
    expect(typesOf(h.published, wf.workflowId)).toEqual([
      'SupervisionTopicProposed',
      'SupervisionTopicProposed',
      'SupervisionPlanAdopted',
      'SupervisionTopicProposed',
      'SupervisionPlanItemDue',
      'SupervisionPlanItemStarted',
      'SupervisionPlanClosed',
    ]);
    await next.terminate('test done');
  });

  it('is overdue when the plan is not adopted by its date', async () => {
    const year = new Date(await h.env.currentTimeMs()).getUTCFullYear();
    const wf = await startPlan(year); // 1 January + 3 months has passed already this late in the year
    const s = await poll<SupervisionPlanState>(wf, (x) => x.overdue);
    expect(Date.parse(s.adoptionDueAt)).toBeLessThan(await h.env.currentTimeMs());
    expect((await wf.describe()).typedSearchAttributes.get(Overdue)).toBe(true);
    expect(typesOf(h.published, wf.workflowId)).toEqual(['SupervisionPlanOverdue']);
    await wf.terminate('test done');
  });
});
