// The case view is a pure fold of the case's events: a whole loop, built by hand in the
// protobuf JSON form the index stores (zero values omitted, timestamps as ISO strings).
import { foldCase } from '../../src/use-cases/projection';
import type { CaseEventDoc } from '../../src/data/models';

const CASE = 'suggestion-2026-0042';
const T0 = Date.parse('2026-03-02T01:00:00.000Z');

let offset = 100;
function ev(minute: number, type: string, body: Record<string, unknown>, id = `${type}/${minute}`): CaseEventDoc {
  return {
    _id: `${CASE}/${id}`,
    caseId: CASE,
    type,
    caseKind: 'suggestion',
    jurisdiction: 'cn-drill',
    occurredAt: new Date(T0 + minute * 60000),
    producer: 'duban-worker',
    workflowId: CASE,
    body: { [type.charAt(0).toLowerCase() + type.slice(1)]: body },
    topic: 'duban.suggestion.events',
    partition: 3,
    offset: offset++,
  };
}
const iso = (minute: number) => new Date(T0 + minute * 60000).toISOString();

/** One suggestion through the whole loop, with a ladder on the way. */
function fullLoop(): CaseEventDoc[] {
  offset = 100;
  return [
    ev(0, 'SuggestionSubmitted', {
      deputyId: 'deputy-001',
      title: '关于学校周边交通安全的建议',
      category: 'education',
      submittedAt: iso(0),
    }),
    ev(1, 'SuggestionReturned', { reason: '请补充具体地点' }),
    ev(2, 'SuggestionRevised', { title: '关于实验小学周边交通安全的建议', category: 'education' }),
    ev(3, 'SuggestionAssigned', {
      leadUnit: 'edu-bureau',
      coHandlers: ['transport-bureau'],
      assignedAt: iso(3),
      replyDueAt: iso(5),
      windowUnit: 'minutes',
      windowAmount: 2,
      assignmentNo: 1,
      key: true,
      leadingOfficial: '副市长',
      supervisingCommittee: '教科文卫工委',
    }),
    ev(4, 'CoHandlerOpinionSent', { unit: 'transport-bureau', onTime: true }),
    ev(5, 'SuggestionOverdue', { unit: 'edu-bureau', dueAt: iso(5), round: 1 }),
    ev(6, 'ExtensionRequested', { unit: 'edu-bureau', reason: '需协调', requestedDueAt: iso(9) }),
    ev(6.5, 'ExtensionDecided', { approved: true, replyDueAt: iso(9), note: '同意' }),
    ev(7, 'ClockPaused', { unit: 'edu-bureau', reason: '等待代表补充材料' }),
    ev(8, 'ClockResumed', { unit: 'edu-bureau', pausedSeconds: '60', replyDueAt: iso(10) }),
    ev(9, 'SuggestionReplied', {
      unit: 'edu-bureau',
      grade: 'B',
      repliedAt: iso(9),
      onTime: true,
      round: 1,
      commitments: [{ commitmentId: '1-1', description: '增设信号灯', dueDate: iso(30) }],
    }),
    ev(10, 'SuggestionRated', { rating: 'unsatisfied', round: 1 }),
    ev(10.1, 'SpecialSupervisionStarted', { unit: 'edu-bureau', secondReplyDueAt: iso(12) }),
    ev(12, 'SuggestionOverdue', { unit: 'edu-bureau', dueAt: iso(12), round: 2 }),
    ev(13, 'SuggestionOverdue', { unit: 'edu-bureau', dueAt: iso(12), veryOverdue: true, round: 2 }),
    ev(14, 'SuggestionReplied', { unit: 'edu-bureau', grade: 'A', repliedAt: iso(14), round: 2 }),
    ev(15, 'SuggestionRated', { rating: 'unsatisfied', round: 2 }),
    ev(15.1, 'SuggestionEscalated', { ladderId: `${CASE}-ladder-1`, reason: 'unsatisfiedAfterSecondReply' }),
    ev(15.2, 'LadderStarted', {
      ladderId: `${CASE}-ladder-1`,
      unit: 'edu-bureau',
      reason: 'unsatisfiedAfterSecondReply',
      steps: ['publicBulletin', 'specialSupervision'],
    }),
    ev(15.3, 'LadderStepStarted', {
      ladderId: `${CASE}-ladder-1`,
      stepNo: 1,
      step: 'publicBulletin',
      owner: 'committee-staff',
      dueAt: iso(16),
    }),
    ev(16, 'LadderStepTimedOut', { ladderId: `${CASE}-ladder-1`, stepNo: 1, step: 'publicBulletin' }),
    ev(16.1, 'LadderStepStarted', {
      ladderId: `${CASE}-ladder-1`,
      stepNo: 2,
      step: 'specialSupervision',
      owner: 'supervising-committee',
      dueAt: iso(17),
    }),
    ev(16.5, 'LadderResolved', {
      ladderId: `${CASE}-ladder-1`,
      stepNo: 2,
      step: 'specialSupervision',
      note: '已整改',
    }),
    ev(30, 'CommitmentDue', { commitmentId: '1-1', unit: 'edu-bureau', reportDueAt: iso(32) }),
    ev(31, 'CommitmentReported', { commitmentId: '1-1', kept: true, note: '信号灯已安装' }),
    ev(31.1, 'SuggestionScored', {
      unit: 'edu-bureau',
      replyStage: 30,
      implementationStage: 45,
      total: 75,
      deductions: ['second reply -10'],
    }),
    ev(31.2, 'SuggestionClosed', { outcome: 'completed', finalRating: 'unsatisfied', finalGrade: 'A' }),
  ];
}

/** The view after the first n events of the loop. */
const after = (n: number) => foldCase(fullLoop().slice(0, n));
const indexOf = (type: string, nth = 1) => {
  let seen = 0;
  return fullLoop().findIndex((e) => e.type === type && ++seen === nth) + 1;
};

describe('foldCase', () => {
  it('follows a suggestion through the whole loop, stage by stage', () => {
    expect(after(1)).toMatchObject({
      kind: 'suggestion',
      jurisdiction: 'cn-drill',
      stage: 'submitted',
      deputyId: 'deputy-001',
      key: false,
      commitments: { total: 0, kept: 0, missed: 0 },
    });
    expect(after(indexOf('SuggestionReturned')).stage).toBe('returned');
    expect(after(indexOf('SuggestionRevised'))).toMatchObject({
      stage: 'submitted',
      title: '关于实验小学周边交通安全的建议',
    });
    expect(after(indexOf('SuggestionAssigned'))).toMatchObject({
      stage: 'assigned',
      leadUnit: 'edu-bureau',
      coHandlers: ['transport-bureau'],
      key: true,
      dueAt: new Date(iso(5)),
      overdue: false,
    });
    expect(after(indexOf('SuggestionOverdue'))).toMatchObject({ stage: 'overdue', overdue: true, veryOverdue: false });
    // An approved extension moves the deadline into the future: no longer overdue.
    expect(after(indexOf('ExtensionDecided'))).toMatchObject({ dueAt: new Date(iso(9)), overdue: false });
    expect(after(indexOf('ClockResumed')).dueAt).toEqual(new Date(iso(10)));
    expect(after(indexOf('SuggestionReplied'))).toMatchObject({
      stage: 'awaitingRating',
      grade: 'B',
      commitments: { total: 1, kept: 0, missed: 0 },
    });
    expect(after(indexOf('SuggestionRated'))).toMatchObject({ satisfaction: 'unsatisfied', ratingAssumed: false });
    expect(after(indexOf('SpecialSupervisionStarted'))).toMatchObject({
      stage: 'secondReply',
      dueAt: new Date(iso(12)),
      overdue: false,
    });
    // Overdue in round 2: still under special supervision, and flagged.
    expect(after(indexOf('SuggestionOverdue', 3))).toMatchObject({
      stage: 'secondReply',
      overdue: true,
      veryOverdue: true,
    });
    expect(after(indexOf('SuggestionReplied', 2))).toMatchObject({ stage: 'awaitingRating', grade: 'A' });
    expect(after(indexOf('SuggestionEscalated'))).toMatchObject({
      stage: 'escalated',
      ladder: { ladderId: `${CASE}-ladder-1`, status: 'climbing' },
    });
    expect(after(indexOf('LadderStepStarted', 2)).ladder).toEqual({
      ladderId: `${CASE}-ladder-1`,
      step: 'specialSupervision',
      status: 'climbing',
    });
    expect(after(indexOf('LadderResolved'))).toMatchObject({
      stage: 'lookBack',
      ladder: { ladderId: `${CASE}-ladder-1`, step: 'specialSupervision', status: 'resolved' },
    });
    expect(after(indexOf('CommitmentReported')).commitments).toEqual({ total: 1, kept: 1, missed: 0 });
    expect(after(indexOf('SuggestionScored')).score).toBe(75);
  });

  it('ends closed, with the score, the final rating and grade', () => {
    const events = fullLoop();
    expect(foldCase(events)).toEqual({
      caseId: CASE,
      kind: 'suggestion',
      jurisdiction: 'cn-drill',
      stage: 'closed',
      title: '关于实验小学周边交通安全的建议',
      category: 'education',
      deputyId: 'deputy-001',
      submittedAt: new Date(iso(0)),
      leadUnit: 'edu-bureau',
      coHandlers: ['transport-bureau'],
      units: ['edu-bureau', 'transport-bureau'],
      deputies: ['deputy-001'],
      parts: [],
      links: [],
      key: true,
      dueAt: new Date(iso(12)),
      sortDue: new Date('9999-12-31T00:00:00.000Z'),
      overdue: false,
      caseOverdue: false,
      // Closed: no longer late, however late it was.
      veryOverdue: false,
      grade: 'A',
      satisfaction: 'unsatisfied',
      ratingAssumed: false,
      commitments: { total: 1, kept: 1, missed: 0 },
      ladder: { ladderId: `${CASE}-ladder-1`, step: 'specialSupervision', status: 'resolved' },
      score: 75,
      closedOutcome: 'completed',
      closed: true,
      closedAt: new Date(iso(31.2)),
      openedAt: new Date(iso(0)),
      year: 2026,
      lastEventAt: new Date(iso(31.2)),
      eventCount: events.length,
    });
  });

  it('is pure and order-independent: shuffled or redelivered input gives the same view', () => {
    const events = fullLoop();
    const shuffled = [...events].reverse();
    expect(foldCase(shuffled)).toEqual(foldCase(events));
    expect(foldCase(events)).toEqual(foldCase(events));
    expect(events).toEqual(fullLoop()); // not mutated
  });

  it('orders events of the same instant by their offset', () => {
    const [submitted, , , assigned] = fullLoop();
    offset = 500;
    const rated = { ...ev(10, 'SuggestionRated', { rating: 'satisfied', round: 1 }), offset: 501 };
    const ratedAgain = { ...ev(10, 'SuggestionRated', { rating: 'basicallySatisfied', round: 1 }, 'x'), offset: 502 };
    expect(foldCase([submitted, assigned, ratedAgain, rated]).satisfaction).toBe('basicallySatisfied');
    expect(foldCase([submitted, assigned, { ...ratedAgain, offset: 400 }, rated]).satisfaction).toBe('satisfied');
  });

  it('takes a satisfied rating to the look-back, an assumed one is marked, a missed commitment counts once', () => {
    const loop = fullLoop();
    const upToReply = loop.slice(0, indexOf('SuggestionReplied'));
    offset = 900;
    const satisfied = foldCase([
      ...upToReply,
      ev(10, 'SuggestionRated', { rating: 'satisfied', round: 1, assumed: true }),
    ]);
    expect(satisfied).toMatchObject({ stage: 'lookBack', satisfaction: 'satisfied', ratingAssumed: true });

    const missed = foldCase([
      ...upToReply,
      ev(10, 'SuggestionRated', { rating: 'basicallySatisfied', round: 1 }),
      ev(30, 'CommitmentDue', { commitmentId: '1-1', unit: 'edu-bureau', reportDueAt: iso(32) }),
      ev(31, 'CommitmentReported', { commitmentId: '1-1', note: '未完成' }),
      ev(31.1, 'CommitmentMissed', { commitmentId: '1-1', unit: 'edu-bureau', reported: true }),
      ev(31.2, 'SuggestionEscalated', { ladderId: `${CASE}-ladder-1`, reason: 'missedCommitment' }),
      ev(40, 'LadderExhausted', { ladderId: `${CASE}-ladder-1`, lastStep: 'specialSupervision' }),
      ev(40.1, 'SuggestionScored', { unit: 'edu-bureau' }),
      ev(40.2, 'SuggestionClosed', {
        outcome: 'escalationExhausted',
        finalRating: 'basicallySatisfied',
        finalGrade: 'B',
      }),
    ]);
    expect(missed).toMatchObject({
      stage: 'closed',
      commitments: { total: 1, kept: 0, missed: 1 },
      ladder: { ladderId: `${CASE}-ladder-1`, step: 'specialSupervision', status: 'exhausted' },
      score: 0,
      closedOutcome: 'escalationExhausted',
    });
  });

  it('projects merged and objected cases, and the first released version', () => {
    const [submitted, , , assigned] = fullLoop();
    offset = 700;
    expect(
      foldCase([submitted, ev(1, 'SuggestionMerged', { intoCaseId: 'suggestion-2026-0001', reason: '重复' })]).stage,
    ).toBe('merged');
    expect(
      foldCase([
        submitted,
        ev(1, 'SuggestionMerged', { intoCaseId: 'suggestion-2026-0001', reason: '重复' }),
        ev(1.1, 'SuggestionClosed', { outcome: 'merged' }),
      ]),
    ).toMatchObject({ stage: 'closed', closedOutcome: 'merged' });
    expect(
      foldCase([submitted, assigned, ev(4, 'SuggestionObjected', { unit: 'edu-bureau', reason: '非本单位职责' })])
        .stage,
    ).toBe('objected');
    // Version 1: a reply without a round ends the case as "replied".
    expect(
      foldCase([submitted, assigned, ev(5, 'SuggestionReplied', { unit: 'edu-bureau', grade: 'A', onTime: true })]),
    ).toMatchObject({ stage: 'replied', grade: 'A' });
  });
});
