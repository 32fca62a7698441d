// A unit's part of a review opinion (审议意见) on the time-skipping test server: items closed only
// when staff confirm them with evidence, the handling report and its deadline, the members'
// satisfaction vote (one vote each), the re-report and the climb to inquiry and investigation.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import {
  AtRisk,
  Overdue,
  Satisfaction,
  Stage,
  Unit,
  REVIEW_OPINION_WORKFLOW,
  assessReportUpdate,
  castVoteUpdate,
  confirmItemUpdate,
  escalateNowUpdate,
  itemFeedbackUpdate,
  ladderStateQuery,
  linkCaseUpdate,
  openVoteUpdate,
  resolveLadderUpdate,
  reviewOpinionStateQuery,
  submitReportUpdate,
  trackWorkflowId,
  type ReviewOpinionInput,
  type ReviewOpinionState,
  type reviewOpinionWorkflow,
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

const policy = testPolicy();
const edu = unit('edu-bureau');
const member = (n: number) => ({ role: 'deputy' as const, sub: `member-${String(n).padStart(2, '0')}` });
const electorate = [1, 2, 3, 4].map((n) => member(n).sub);
const DAY = 86400000;

async function startTrack(
  overrides: Partial<ReviewOpinionInput> = {},
): Promise<WorkflowHandle<typeof reviewOpinionWorkflow>> {
  const caseId = `review-opinion-2026-${randomUUID().slice(0, 8)}`;
  const input: ReviewOpinionInput = {
    caseId,
    kind: 'review_opinion',
    jurisdiction: 'cn-test-city',
    unit: 'edu-bureau',
    items: [
      { itemId: '1', list: 'issue', description: '城乡学校师资配置不均衡' },
      { itemId: '2', list: 'supervision', description: '校舍安全隐患整改' },
    ],
    openedAt: new Date(await h.env.currentTimeMs()).toISOString(),
    openedBy: staff,
    policy,
    ...overrides,
  };
  const wf = await h.env.client.workflow.start<typeof reviewOpinionWorkflow>(REVIEW_OPINION_WORKFLOW, {
    workflowId: trackWorkflowId(input.caseId, input.unit),
    taskQueue: h.taskQueue,
    args: [input],
  });
  await untilTrack(wf, (s) => s.events.length > 0, '1 second');
  return wf;
}

const stateOf = (wf: WorkflowHandle) => wf.query(reviewOpinionStateQuery);

async function untilTrack(
  wf: WorkflowHandle,
  done: (s: ReviewOpinionState) => boolean,
  step: Duration = '1 day',
): Promise<ReviewOpinionState> {
  for (let i = 0; i < 500; i++) {
    const s = await stateOf(wf);
    if (done(s)) return s;
    await h.env.sleep(step);
  }
  throw new Error(`never reached; stage ${(await stateOf(wf)).stage}`);
}

async function closeItem(wf: WorkflowHandle, itemId: string): Promise<ReviewOpinionState> {
  await wf.executeUpdate(itemFeedbackUpdate, {
    args: [{ by: edu, itemId, progress: '已完成整改', done: true, evidence: [`整改报告-${itemId}.pdf`] }],
  });
  return wf.executeUpdate(confirmItemUpdate, {
    args: [{ by: staff, itemId, confirm: true, note: '现场核查属实，同意销号', evidence: [`核查记录-${itemId}`] }],
  });
}

async function vote(wf: WorkflowHandle, choices: ('satisfied' | 'basicallySatisfied' | 'unsatisfied')[]) {
  await wf.executeUpdate(openVoteUpdate, { args: [{ by: staff, electorate }] });
  for (const [i, choice] of choices.entries())
    await wf.executeUpdate(castVoteUpdate, { args: [{ by: member(i + 1), vote: choice }] });
}

describe('review opinion: one unit part to closure', () => {
  it('takes feedback, closes items only on staff confirmation with the evidence kept, passes the vote, closes', async () => {
    const wf = await startTrack();
    const opened = await stateOf(wf);
    expect(opened.stage).toBe('rectifying');
    // The handling report is due 3 months from the opening (policy default).
    const span = (Date.parse(opened.reportDueAt) - (await h.env.currentTimeMs())) / DAY;
    expect(span).toBeGreaterThan(85);
    expect(span).toBeLessThan(96);

    await wf.executeUpdate(itemFeedbackUpdate, {
      args: [{ by: edu, itemId: '1', progress: '已制定师资交流方案', done: false }],
    });
    await h.env.sleep('20 days');
    const closed1 = await closeItem(wf, '1');
    expect(closed1.items[0].status).toBe('closed');
    expect(closed1.items[0].closure!.evidence).toEqual(['整改报告-1.pdf', '核查记录-1']);
    await closeItem(wf, '2');
    await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '关于审议意见研究处理情况的报告' }] });
    await vote(wf, ['satisfied', 'basicallySatisfied', 'unsatisfied', 'satisfied']);
    const final = await closedState<ReviewOpinionState>(h.env, wf, '2 days');
    expect(final.stage).toBe('closed');
    expect(final.closedOutcome).toBe('completed');
    expect(final.votes[0].result).toEqual({
      satisfied: 2,
      basicallySatisfied: 1,
      unsatisfied: 1,
      ratePercent: 75,
      passed: true,
    });
    expect(final.reports[0]).toMatchObject({ round: 1, onTime: true, verdict: 'passed' });
    const sa = (await wf.describe()).typedSearchAttributes;
    expect(sa.get(Stage)).toBe('closed');
    expect(sa.get(Unit)).toBe('edu-bureau');
    expect(sa.get(Satisfaction)).toBe('satisfied');
    expect(sa.get(Overdue)).toBe(false);
    expect(typesOf(h.published, final.caseId)).toEqual([
      'ReviewOpinionOpened',
      'OversightItemFeedback',
      'OversightItemFeedback',
      'OversightItemClosed',
      'OversightItemFeedback',
      'OversightItemClosed',
      'HandlingReportSubmitted',
      'SatisfactionVoteOpened',
      'SatisfactionVoteCast',
      'SatisfactionVoteCast',
      'SatisfactionVoteCast',
      'SatisfactionVoteCast',
      'SatisfactionVoteClosed',
      'ReviewOpinionClosed',
    ]);
    const ids = h.published.filter((e) => e.caseId === final.caseId).map((e) => e.eventId);
    expect(ids).toContain(`${final.caseId}.edu-bureau/item/1/closed`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses closing without staff confirmation, a second vote by one member, and other bad actions; nothing changes', async () => {
    const wf = await startTrack();
    const before = await stateOf(wf);
    // A unit cannot close its own item; staff cannot close an item the unit has not reported done.
    expect(
      await refusal(
        wf.executeUpdate(confirmItemUpdate, { args: [{ by: edu, itemId: '1', confirm: true, note: '已完成' }] }),
      ),
    ).toBe('NotYourCase');
    expect(
      await refusal(
        wf.executeUpdate(confirmItemUpdate, { args: [{ by: staff, itemId: '1', confirm: true, note: '同意' }] }),
      ),
    ).toBe('StageConflict');
    // "Done" without evidence, another unit's feedback, an unknown item.
    expect(
      await refusal(
        wf.executeUpdate(itemFeedbackUpdate, { args: [{ by: edu, itemId: '1', progress: '已完成', done: true }] }),
      ),
    ).toBe('InvalidInput');
    expect(
      await refusal(
        wf.executeUpdate(itemFeedbackUpdate, {
          args: [{ by: unit('transport-bureau'), itemId: '1', progress: '已完成', done: false }],
        }),
      ),
    ).toBe('NotYourCase');
    expect(
      await refusal(
        wf.executeUpdate(itemFeedbackUpdate, { args: [{ by: edu, itemId: '9', progress: 'x', done: false }] }),
      ),
    ).toBe('InvalidInput');
    // A vote before the report; then a vote by a non-member and a second vote by one member.
    expect(await refusal(wf.executeUpdate(openVoteUpdate, { args: [{ by: staff, electorate }] }))).toBe(
      'StageConflict',
    );
    const unchanged = await stateOf(wf);
    expect(unchanged.events).toEqual(before.events);
    expect(unchanged.items).toEqual(before.items);

    await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '研究处理情况报告' }] });
    await wf.executeUpdate(openVoteUpdate, { args: [{ by: staff, electorate }] });
    await wf.executeUpdate(castVoteUpdate, { args: [{ by: member(1), vote: 'satisfied' }] });
    expect(await refusal(wf.executeUpdate(castVoteUpdate, { args: [{ by: member(1), vote: 'unsatisfied' }] }))).toBe(
      'StageConflict',
    );
    expect(await refusal(wf.executeUpdate(castVoteUpdate, { args: [{ by: member(9), vote: 'satisfied' }] }))).toBe(
      'NotYourCase',
    );
    expect(await refusal(wf.executeUpdate(castVoteUpdate, { args: [{ by: member(2), vote: 'great' as never }] }))).toBe(
      'InvalidInput',
    );
    const s = await stateOf(wf);
    expect(s.votes[0].votes).toEqual({ 'member-01': 'satisfied' });
    expect(typesOf(h.published, s.caseId).filter((t) => t === 'SatisfactionVoteCast')).toHaveLength(1);
    await wf.terminate('test done');
  });

  it('marks items and the report overdue when their dates pass, then takes a late report', async () => {
    const dueAt = new Date((await h.env.currentTimeMs()) + 10 * DAY).toISOString();
    const wf = await startTrack({ items: [{ itemId: '1', list: 'issue', description: '整改事项', dueAt }] });
    await h.env.sleep('11 days');
    const itemLate = await stateOf(wf);
    expect(itemLate.items[0].overdue).toBe(true);
    expect((await wf.describe()).typedSearchAttributes.get(Overdue)).toBe(true);
    await untilTrack(wf, (s) => s.reportOverdue);
    expect(typesOf(h.published, itemLate.caseId)).toEqual([
      'ReviewOpinionOpened',
      'OversightItemOverdue',
      'HandlingReportOverdue',
    ]);
    const late = await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '迟交的研究处理情况报告' }] });
    expect(late.reports[0].onTime).toBe(false);
    // The item is still overdue: the case stays overdue until it is closed.
    expect((await wf.describe()).typedSearchAttributes.get(Overdue)).toBe(true);
    await closeItem(wf, '1');
    expect((await wf.describe()).typedSearchAttributes.get(Overdue)).toBe(false);
    await wf.executeUpdate(assessReportUpdate, { args: [{ by: staff, verdict: 'accepted' }] });
    expect((await closedState<ReviewOpinionState>(h.env, wf, '2 days')).closedOutcome).toBe('completed');
  });

  it('climbs from poor rectification through the re-report and a failed vote to inquiry and investigation', async () => {
    const wf = await startTrack({ items: [{ itemId: '1', list: 'supervision', description: '黑臭水体整治' }] });
    const caseId = (await stateOf(wf)).caseId;
    await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '研究处理情况报告' }] });
    const poor = await wf.executeUpdate(assessReportUpdate, { args: [{ by: staff, verdict: 'poor' }] });
    expect(poor.reports[0].verdict).toBe('poor');
    const reReport = await untilTrack(wf, (s) => s.stage === 'reReport', '1 second');
    expect(reReport.round).toBe(2);
    // The re-report is due within the policy's 2 months; missing it is overdue.
    const reDue = (Date.parse(reReport.reportDueAt) - (await h.env.currentTimeMs())) / DAY;
    expect(reDue).toBeGreaterThan(55);
    expect(reDue).toBeLessThan(66);
    await untilTrack(wf, (s) => s.reportOverdue, '2 days');
    await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary: '再次报告' }] });
    await vote(wf, ['unsatisfied', 'unsatisfied', 'basicallySatisfied']);
    // Three of four voted: the vote stays open until its window ends, then fails (33% < 50%).
    const escalated = await untilTrack(wf, (s) => s.stage === 'escalated');
    expect(escalated.votes[0].result).toMatchObject({ ratePercent: 33, passed: false });
    expect(escalated.ladder).toMatchObject({
      ladderId: `${wf.workflowId}-ladder-1`,
      reason: 'lowSatisfactionAfterReReport',
    });
    const sa = (await wf.describe()).typedSearchAttributes;
    expect(sa.get(AtRisk)).toBe(true);
    expect(sa.get(Satisfaction)).toBe('unsatisfied');

    // The ladder climbs on its own clock: bulletin → special supervision → special inquiry → inquiry.
    const ladder = h.env.client.workflow.getHandle(escalated.ladder!.ladderId);
    const inquiryDue = await untilTrack(wf, (s) => s.stage === 'inquiryDue', '5 days');
    expect((await ladder.query(ladderStateQuery)).steps.map((s) => s.step)).toEqual([
      'publicBulletin',
      'specialSupervision',
      'specialInquiry',
      'inquiry',
    ]);
    expect(inquiryDue.procedures).toEqual([
      expect.objectContaining({ step: 'inquiry', needs: expect.stringMatching(/at least 5 members/) }),
    ]);
    await wf.executeUpdate(linkCaseUpdate, {
      args: [{ by: staff, linkedCaseId: 'inquiry-2026-0001', kind: 'inquiry' }],
    });
    // Staff climb on (the inquiry did not settle it): investigation needs a proposal.
    await ladder.executeUpdate(escalateNowUpdate, { args: [{ by: staff, note: '质询后仍整改不力' }] });
    const investigationDue = await untilTrack(wf, (s) => s.stage === 'investigationDue', '1 second');
    expect(investigationDue.procedures.map((p) => [p.step, p.linkedCaseId])).toEqual([
      ['inquiry', 'inquiry-2026-0001'],
      ['investigation', undefined],
    ]);
    expect(investigationDue.procedures[1].needs).toMatch(/chair council or at least 20%/);
    await wf.executeUpdate(linkCaseUpdate, {
      args: [{ by: staff, linkedCaseId: 'investigation-2026-0001', kind: 'investigation' }],
    });
    // Nothing resolves it: the top step ends and the part closes as exhausted.
    const final = await closedState<ReviewOpinionState>(h.env, wf, '2 days');
    expect(final.closedOutcome).toBe('escalationExhausted');
    expect(typesOf(h.published, caseId)).toEqual(
      expect.arrayContaining([
        'HandlingReportAssessed',
        'ReReportRequired',
        'HandlingReportOverdue',
        'SatisfactionVoteClosed',
        'OversightEscalated',
        'LadderStarted',
        'OversightProcedureDue',
        'OversightCaseLinked',
        'LadderExhausted',
        'ReviewOpinionClosed',
      ]),
    );
    expect(typesOf(h.published, caseId).filter((t) => t === 'OversightProcedureDue')).toHaveLength(2);
  });

  it('ends the climb when staff resolve the ladder, then closes once the items are confirmed', async () => {
    const wf = await startTrack({ items: [{ itemId: '1', list: 'issue', description: '整改事项' }] });
    for (const summary of ['研究处理情况报告', '再次报告']) {
      await untilTrack(wf, (s) => ['rectifying', 'reReport'].includes(s.stage), '1 second');
      await wf.executeUpdate(submitReportUpdate, { args: [{ by: edu, summary }] });
      await wf.executeUpdate(assessReportUpdate, { args: [{ by: staff, verdict: 'poor' }] });
    }
    // The ladder's first step has started (the track heard of it): staff can resolve it.
    const escalated = await untilTrack(wf, (s) => s.ladder?.step === 'publicBulletin', '1 second');
    expect(escalated.ladder!.reason).toBe('poorRectificationAfterReReport');
    await h.env.client.workflow
      .getHandle(escalated.ladder!.ladderId)
      .executeUpdate(resolveLadderUpdate, { args: [{ by: staff, note: '通报后整改到位' }] });
    const accepted = await untilTrack(wf, (s) => s.stage === 'accepted', '1 second');
    expect(accepted.ladder!.outcome).toBe('resolved');
    await closeItem(wf, '1');
    expect((await closedState<ReviewOpinionState>(h.env, wf, '2 days')).closedOutcome).toBe('completed');
  });
});
