// The suggestion workflow's whole loop on the time-skipping test server: months in milliseconds.
import {
  AtRisk,
  Overdue,
  Satisfaction,
  Stage,
  coHandlerOpinionUpdate,
  decideExtensionUpdate,
  objectUpdate,
  pauseClockUpdate,
  rateUpdate,
  reassignUpdate,
  replyUpdate,
  reportCommitmentUpdate,
  requestExtensionUpdate,
  resumeClockUpdate,
  reviewUpdate,
  reviseUpdate,
  resolveLadderUpdate,
  ladderStateQuery,
} from '../src';
import { testPolicy } from '../../tests/support/policy';
import {
  createHarness,
  deputy,
  refusal,
  staff,
  stateOf,
  typesOf,
  unit,
  until,
  type Harness,
} from './support/case-driver';
import { replyWithCommitments } from './scenarios/suggestion';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

const policy = testPolicy();
const edu = unit('edu-bureau');
const transport = unit('transport-bureau');
const DAY = 86400000;

describe('suggestion workflow: the closed loop', () => {
  it('runs review → assignment → co-handler opinion → timely reply → satisfied → closed with full marks', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      const assigned = await wf.executeUpdate(reviewUpdate, {
        args: [
          {
            by: staff,
            decision: 'accept',
            coHandlers: ['transport-bureau'],
            key: { leadingOfficial: '副市长 王某', supervisingCommittee: '教科文卫工委' },
          },
        ],
      });
      expect(assigned.stage).toBe('assigned');
      expect(assigned.leadUnit).toBe('edu-bureau'); // routed by the policy
      expect(assigned.coHandlers).toEqual(['transport-bureau']);
      // Reply due 3 months after assignment; extensions capped at 6 months.
      const span = (ms: string | undefined) => (Date.parse(ms!) - Date.parse(assigned.assignedAt!)) / DAY;
      expect(span(assigned.replyDueAt)).toBeGreaterThan(88);
      expect(span(assigned.replyDueAt)).toBeLessThan(96);
      expect(span(assigned.maxReplyDueAt)).toBeGreaterThan(180);

      await h.env.sleep('10 days');
      await wf.executeUpdate(coHandlerOpinionUpdate, {
        args: [{ by: transport, opinion: '同意在学校周边增设信号灯。' }],
      });
      await h.env.sleep('30 days');
      const replied = await wf.executeUpdate(replyUpdate, {
        args: [{ by: edu, grade: 'A', summary: '已在三所小学周边增设信号灯和减速带。' }],
      });
      expect(replied.stage).toBe('awaitingRating');
      await h.env.sleep('3 days');
      await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'satisfied' }] });
      const final = await wf.result();
      expect(final.stage).toBe('closed');
      expect(final.closedOutcome).toBe('completed');
      expect(final.score).toEqual({ replyStage: 40, implementationStage: 60, total: 100, deductions: [] });
      const desc = await wf.describe();
      expect(desc.typedSearchAttributes.get(Stage)).toBe('closed');
      expect(desc.typedSearchAttributes.get(Satisfaction)).toBe('satisfied');
      expect(desc.typedSearchAttributes.get(Overdue)).toBe(false);
      expect(typesOf(h.published, wf.workflowId)).toEqual([
        'SuggestionSubmitted',
        'SuggestionAssigned',
        'CoHandlerOpinionSent',
        'SuggestionReplied',
        'SuggestionRated',
        'SuggestionScored',
        'SuggestionClosed',
      ]);
    });
  });

  it('returns a suggestion for revision, takes the revision, and merges a duplicate', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      const returned = await wf.executeUpdate(reviewUpdate, {
        args: [{ by: staff, decision: 'return', reason: '请补充具体学校名称和现状数据。' }],
      });
      expect(returned.stage).toBe('returned');
      expect(returned.returnedReason).toMatch(/补充/);
      const revised = await wf.executeUpdate(reviseUpdate, {
        args: [{ by: deputy, title: '关于城东三所小学周边交通安全的建议', category: 'transport' }],
      });
      expect(revised.stage).toBe('submitted');
      const merged = await wf.executeUpdate(reviewUpdate, {
        args: [
          {
            by: staff,
            decision: 'merge',
            mergeInto: 'suggestion-2026-0001',
            reason: '与0001号建议内容重复，合并办理。',
          },
        ],
      });
      expect(merged.mergedInto).toBe('suggestion-2026-0001');
      const final = await wf.result();
      expect(final.closedOutcome).toBe('merged');
      expect(final.score).toBeUndefined();
      expect(typesOf(h.published, wf.workflowId)).toEqual([
        'SuggestionSubmitted',
        'SuggestionReturned',
        'SuggestionRevised',
        'SuggestionMerged',
        'SuggestionClosed',
      ]);
    });
  });
});

describe('suggestion workflow: deadlines', () => {
  it('sends each reminder, the overdue notice and the very-overdue step once; a late reply and no rating still close', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      const s = await wf.executeUpdate(reviewUpdate, {
        args: [{ by: staff, decision: 'accept', coHandlers: ['transport-bureau'] }],
      });
      await h.env.sleep('140 days');
      const overdue = await stateOf(wf);
      expect(overdue.stage).toBe('overdue');
      expect(overdue.overdue).toBe(true);
      expect(overdue.veryOverdue).toBe(true);
      const desc = await wf.describe();
      expect(desc.typedSearchAttributes.get(Overdue)).toBe(true);
      expect(desc.typedSearchAttributes.get(AtRisk)).toBe(true);
      const types = typesOf(h.published, wf.workflowId);
      expect(types.filter((t) => t === 'ReplyReminderSent')).toHaveLength(2);
      expect(types.filter((t) => t === 'SuggestionOverdue')).toHaveLength(2); // overdue, then very overdue
      expect(types).toContain('CoHandlerOverdue');
      // Reminders came before the deadline, in order, on working days at 09:00 Beijing time.
      const reminders = h.published.filter((e) => e.caseId === wf.workflowId && e.type === 'ReplyReminderSent');
      const remindedAt = reminders.map((e) => Number(e.occurredAt!.seconds) * 1000);
      expect(remindedAt[0]).toBeLessThan(remindedAt[1]);
      expect(remindedAt[1]).toBeLessThan(Date.parse(s.replyDueAt!));

      await wf.executeUpdate(replyUpdate, {
        args: [{ by: edu, grade: 'D', summary: '因规划调整，暂不具备实施条件，作说明。' }],
      });
      await h.env.sleep('40 days'); // the deputy never rates: the policy counts it as satisfied
      const final = await wf.result();
      expect(final.ratings).toEqual([expect.objectContaining({ rating: 'satisfied', assumed: true })]);
      expect(final.replies[0].onTime).toBe(false);
      // reply stage: 40 - 10 late - 10 very late; implementation: D 30 × 100%
      expect(final.score).toMatchObject({ replyStage: 20, implementationStage: 30, total: 50 });
    });
  });
});

describe('suggestion workflow: objection, reassignment, extension, paused clock', () => {
  it('takes an objection in its window, restarts the clock on reassignment, refuses a late objection', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      const first = await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
      await h.env.sleep('5 days');
      expect(await refusal(wf.executeUpdate(objectUpdate, { args: [{ by: transport, reason: '不是我们的' }] }))).toBe(
        'NotYourCase',
      );
      const objected = await wf.executeUpdate(objectUpdate, {
        args: [{ by: edu, reason: '道路设施属交通部门职责。' }],
      });
      expect(objected.stage).toBe('objected');
      await h.env.sleep('20 days'); // no reply clock runs while objected: nothing goes overdue
      const again = await wf.executeUpdate(reassignUpdate, { args: [{ by: staff, leadUnit: 'transport-bureau' }] });
      expect(again.assignmentNo).toBe(2);
      expect(again.leadUnit).toBe('transport-bureau');
      expect(Date.parse(again.replyDueAt!)).toBeGreaterThan(Date.parse(first.replyDueAt!) + 20 * DAY);
      await h.env.sleep('30 days');
      expect(await refusal(wf.executeUpdate(objectUpdate, { args: [{ by: transport, reason: '太晚了' }] }))).toBe(
        'StageConflict',
      );
      await wf.executeUpdate(replyUpdate, { args: [{ by: transport, grade: 'A', summary: '已增设信号灯。' }] });
      await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'basicallySatisfied' }] });
      const final = await wf.result();
      expect(final.overdue).toBe(false);
      expect(typesOf(h.published, wf.workflowId).filter((t) => t === 'SuggestionAssigned')).toHaveLength(2);
      expect(typesOf(h.published, wf.workflowId)).not.toContain('SuggestionOverdue');
    });
  });

  it('moves the deadline on an approved extension, refuses one past six months, and stops the clock while paused', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      const s = await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
      const tooFar = new Date(Date.parse(s.maxReplyDueAt!) + DAY).toISOString();
      expect(
        await refusal(
          wf.executeUpdate(requestExtensionUpdate, { args: [{ by: edu, reason: '需跨年度预算', until: tooFar }] }),
        ),
      ).toBe('StageConflict');
      const until2 = new Date(Date.parse(s.replyDueAt!) + 40 * DAY).toISOString();
      await wf.executeUpdate(requestExtensionUpdate, {
        args: [{ by: edu, reason: '需与交通部门联合勘察。', until: until2 }],
      });
      expect(
        await refusal(wf.executeUpdate(decideExtensionUpdate, { args: [{ by: edu, approve: true, note: '自批' }] })),
      ).toBe('NotYourCase');
      const approved = await wf.executeUpdate(decideExtensionUpdate, {
        args: [{ by: staff, approve: true, note: '同意延期，已书面告知代表。' }],
      });
      expect(approved.replyDueAt).toBe(until2);

      await wf.executeUpdate(pauseClockUpdate, { args: [{ by: edu, reason: '请代表补充学校名单。' }] });
      await h.env.sleep('10 days');
      const resumed = await wf.executeUpdate(resumeClockUpdate, { args: [{ by: edu }] });
      const moved = (Date.parse(resumed.replyDueAt!) - Date.parse(until2)) / DAY;
      expect(moved).toBeGreaterThan(9.9);
      expect(moved).toBeLessThan(10.1);

      // Past the original deadline but inside the extended one: not overdue.
      await h.env.sleep('100 days');
      expect((await stateOf(wf)).overdue).toBe(false);
      await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'A', summary: '已解决。' }] });
      await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'satisfied' }] });
      const final = await wf.result();
      expect(final.replies[0].onTime).toBe(true);
      expect(final.score?.deductions).toEqual(['extension -5']);
      const types = typesOf(h.published, wf.workflowId);
      expect(types).toEqual(
        expect.arrayContaining(['ExtensionRequested', 'ExtensionDecided', 'ClockPaused', 'ClockResumed']),
      );
      expect(types).not.toContain('SuggestionOverdue');
    });
  });
});

describe('suggestion workflow: dissatisfaction, the ladder, the look-back', () => {
  it('gives an unsatisfied deputy a second reply under special supervision, then closes when satisfied', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
      await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'D', summary: '暂无条件。' }] });
      const second = await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'unsatisfied' }] });
      expect(second.ratings[0].rating).toBe('unsatisfied');
      const supervised = await until(h.env, wf, 'secondReply', '1 second');
      const days = (Date.parse(supervised.replyDueAt!) - (await h.env.currentTimeMs())) / DAY;
      expect(days).toBeGreaterThan(27); // one month for the second reply
      expect(days).toBeLessThan(35);
      await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'A', summary: '经再次研究，已解决。' }] });
      await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'satisfied' }] });
      const final = await wf.result();
      expect(final.replies.map((r) => r.round)).toEqual([1, 2]);
      expect(final.score?.deductions).toContain('second reply needed -10');
      expect(typesOf(h.published, wf.workflowId)).toContain('SpecialSupervisionStarted');
    });
  });

  it('climbs the escalation ladder when still unsatisfied, and closes when staff resolve it', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
      await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'D', summary: '暂无条件。' }] });
      await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'unsatisfied' }] });
      await until(h.env, wf, 'secondReply', '1 second');
      await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'D', summary: '仍无条件。' }] });
      await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'unsatisfied' }] });
      const escalated = await until(h.env, wf, 'escalated', '1 second');
      const ladderId = escalated.ladders[0].ladderId;
      const ladder = h.env.client.workflow.getHandle(ladderId);
      await h.env.sleep('30 days'); // the first step (public bulletin, 15 working days) times out
      const climbing = await ladder.query(ladderStateQuery);
      expect(climbing.current).toBe(2);
      await ladder.executeUpdate(resolveLadderUpdate, { args: [{ by: staff, note: '单位已落实整改。' }] });
      const final = await wf.result();
      expect(final.ladders[0]).toMatchObject({ ladderId, outcome: 'resolved', reason: 'unsatisfiedAfterSecondReply' });
      expect(final.closedOutcome).toBe('completed');
      expect(final.score?.deductions).toContain('escalated -20');
      const types = typesOf(h.published, wf.workflowId);
      expect(types).toEqual(
        expect.arrayContaining([
          'SuggestionEscalated',
          'LadderStarted',
          'LadderStepStarted',
          'LadderStepTimedOut',
          'LadderResolved',
        ]),
      );
    });
  });

  it('looks back at commitments: a kept one closes the case, a missed one reopens supervision', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
      const now = await h.env.currentTimeMs();
      expect(
        await refusal(wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'B', summary: '正在推进。' }] })),
      ).toBe('InvalidInput'); // B without commitments
      await replyWithCommitments(wf, edu, now);
      await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'basicallySatisfied' }] });
      await until(h.env, wf, 'lookBack', '1 second');
      await h.env.sleep('31 days');
      const due = await stateOf(wf);
      expect(due.commitments[0].status).toBe('due');
      await wf.executeUpdate(reportCommitmentUpdate, {
        args: [{ by: edu, commitmentId: '1-1', kept: true, note: '已安装。' }],
      });
      // The second commitment gets no report: missed → the ladder, which runs out.
      await h.env.sleep('400 days');
      const final = await wf.result();
      expect(final.commitments.map((c) => c.status)).toEqual(['kept', 'missed']);
      expect(final.ladders[0]).toMatchObject({ reason: 'missedCommitment', outcome: 'exhausted' });
      expect(final.closedOutcome).toBe('escalationExhausted');
      const types = typesOf(h.published, wf.workflowId);
      expect(types.filter((t) => t === 'CommitmentDue')).toHaveLength(2);
      expect(types).toEqual(expect.arrayContaining(['CommitmentReported', 'CommitmentMissed', 'LadderExhausted']));
    });
  });
});

describe('suggestion workflow: refusals leave the case unchanged', () => {
  it('assigns once when two clerks accept at the same moment', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      const other = { role: 'staff' as const, sub: 'clerk-2' };
      const outcomes = await Promise.all([
        refusal(wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] })),
        refusal(wf.executeUpdate(reviewUpdate, { args: [{ by: other, decision: 'accept' }] })),
      ]);
      expect(outcomes.sort()).toEqual(['StageConflict', 'accepted']);
      const s = await stateOf(wf);
      expect(s.assignmentNo).toBe(1);
      expect(typesOf(h.published, wf.workflowId).filter((t) => t === 'SuggestionAssigned')).toHaveLength(1);
      await wf.terminate('test done');
    });
  });

  it('refuses actions that do not fit the stage, the actor or the rules', async () => {
    await h.run(async () => {
      const wf = await h.start(policy);
      await until(h.env, wf, 'submitted', '1 second');
      expect(await refusal(wf.executeUpdate(reviewUpdate, { args: [{ by: deputy, decision: 'accept' }] }))).toBe(
        'NotYourCase',
      );
      expect(await refusal(wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'A', summary: '抢答' }] }))).toBe(
        'NotYourCase',
      ); // not assigned yet: no lead unit
      await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
      const before = await stateOf(wf);
      const tries: [string, Promise<unknown>][] = [
        ['rating before a reply', wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'satisfied' }] })],
        [
          'a reply from another unit',
          wf.executeUpdate(replyUpdate, { args: [{ by: transport, grade: 'A', summary: '越权答复' }] }),
        ],
        ['a second review', wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] })],
        ['a resume without a pause', wf.executeUpdate(resumeClockUpdate, { args: [{ by: edu }] })],
        ['an empty reply', wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'A', summary: ' ' }] })],
      ];
      const outcomes = [];
      for (const [name, p] of tries) outcomes.push([name, await refusal(p)]);
      expect(outcomes).toEqual([
        ['rating before a reply', 'StageConflict'],
        ['a reply from another unit', 'NotYourCase'],
        ['a second review', 'StageConflict'],
        ['a resume without a pause', 'StageConflict'],
        ['an empty reply', 'InvalidInput'],
      ]);
      expect(await stateOf(wf)).toEqual(before);
      await wf.terminate('test done');
    });
  });
});
