// The suggestion case's pure state module, given / when / then: a state, an action, and what
// the checks refuse or the change leads to. No server, no workflow: the same functions the
// Update validators and handlers call (workflows/src/suggestion/{validate,state}.ts).
import type { SuggestionInput, SuggestionState } from '../../src';
import { apply, commitmentDueAt, initialSuggestionState, type SuggestionRun } from '../../src/suggestion/state';
import { validate } from '../../src/suggestion/validate';

const staff = { role: 'staff', sub: 'clerk-1' } as const;
const deputy = { role: 'deputy', sub: 'dep-7' } as const;
const lead = { role: 'unit', sub: 'h1', unit: 'edu-bureau' } as const;
const co = { role: 'unit', sub: 'h2', unit: 'transport-bureau' } as const;
const NOW = Date.parse('2026-03-10T02:00:00Z');

function given(over: Partial<SuggestionState> = {}): { state: SuggestionState; run: SuggestionRun } {
  const input = {
    caseId: 'suggestion-2026-0001',
    jurisdiction: 'cn-zj-demo-city',
    deputyId: 'dep-7',
    title: 'More school buses',
    category: 'education',
    submittedAt: '2026-03-01T00:00:00Z',
  } as SuggestionInput;
  return { state: { ...initialSuggestionState(input), ...over }, run: { round: 1, returns: 0, pauses: 0 } };
}
const assigned = (over: Partial<SuggestionState> = {}) =>
  given({
    stage: 'assigned',
    leadUnit: 'edu-bureau',
    coHandlers: ['transport-bureau'],
    assignmentNo: 1,
    replyDueAt: '2026-06-01T01:00:00.000Z',
    maxReplyDueAt: '2026-09-01T01:00:00.000Z',
    objectionDueAt: '2026-03-15T01:00:00.000Z',
    ...over,
  });

describe('review', () => {
  it('given a submitted case, when a deputy reviews it, then it is forbidden', () => {
    const { state } = given();
    expect(validate.review(state, { by: deputy, decision: 'accept' })).toEqual({
      type: 'forbidden',
      message: 'only committee staff may do this',
    });
  });

  it('given a submitted case, when staff return it without a reason, then the reason is required', () => {
    const { state } = given();
    expect(validate.review(state, { by: staff, decision: 'return', reason: ' ' })).toEqual({
      type: 'invalid',
      message: 'reason must not be empty',
    });
  });

  it('given a submitted case, when staff merge it into itself, then it is refused', () => {
    const { state } = given();
    const r = { by: staff, decision: 'merge', reason: 'dup', mergeInto: 'suggestion-2026-0001' } as const;
    expect(validate.review(state, r)?.message).toBe('a suggestion cannot be merged into itself');
  });

  it('given an assigned case, when staff review it again, then the stage refuses it', () => {
    const { state } = assigned();
    expect(validate.review(state, { by: staff, decision: 'accept' })).toEqual({
      type: 'conflict',
      message: 'suggestion-2026-0001 is assigned; review is possible only when submitted',
    });
  });

  it('given two returns, when the deputy revises, then the revision is numbered by the returns', () => {
    const { state, run } = given();
    apply.returnForRevision(state, run, { by: staff, decision: 'return', reason: 'too vague' });
    const second = apply.returnForRevision(state, run, { by: staff, decision: 'return', reason: 'still vague' });
    expect(second).toMatchObject({ stage: 'returned', step: 'returned/2' });
    const t = apply.revise(state, run, { by: deputy, title: 'Two school buses', category: 'education' });
    expect(t).toMatchObject({ stage: 'submitted', step: 'revised/2' });
    expect(state).toMatchObject({ title: 'Two school buses', returnedReason: undefined });
  });
});

describe('objection', () => {
  it('given an assigned case, when a co-handler objects in the window, then the case is objected', () => {
    const { state } = assigned();
    const o = { by: co, reason: 'not ours' };
    expect(validate.object(state, o, { now: NOW })).toBeUndefined();
    expect(apply.object(state, o, NOW)).toMatchObject({ stage: 'objected', step: 'objected/1' });
    expect(state.objection).toEqual({ unit: 'transport-bureau', reason: 'not ours', at: new Date(NOW).toISOString() });
  });

  it('given an assigned case, when the objection comes after its window, then it is too late', () => {
    const { state } = assigned();
    expect(validate.object(state, { by: lead, reason: 'late' }, { now: Date.parse('2026-03-16T00:00:00Z') })).toEqual({
      type: 'conflict',
      message: 'the objection window ended at 2026-03-15T01:00:00.000Z',
    });
  });

  it('given an unrelated unit, when it objects, then it is forbidden', () => {
    const { state } = assigned();
    const other = { role: 'unit', sub: 'h9', unit: 'water-bureau' } as const;
    expect(validate.object(state, { by: other, reason: 'x' }, { now: NOW })?.type).toBe('forbidden');
  });
});

describe('extension', () => {
  it('given an assigned case, when the lead unit asks past the policy maximum, then it is refused', () => {
    const { state } = assigned();
    const e = { by: lead, reason: 'flooding', until: '2026-10-01T00:00:00Z' };
    expect(validate.requestExtension(state, e)).toEqual({
      type: 'conflict',
      message: "an extension may not go past 2026-09-01T01:00:00.000Z (the policy's maximum reply time)",
    });
  });

  it('given a pending request, when staff approve it, then the deadline moves to the requested date', () => {
    const { state } = assigned();
    apply.requestExtension(state, { by: lead, reason: 'flooding', until: '2026-07-01T00:00:00Z' }, NOW);
    expect(validate.requestExtension(state, { by: lead, reason: 'again', until: '2026-07-02T00:00:00Z' })).toEqual({
      type: 'conflict',
      message: 'an extension request is already pending',
    });
    const d = { by: staff, approve: true, note: 'granted' };
    expect(validate.decideExtension(state, d)).toBeUndefined();
    const t = apply.decideExtension(state, d, NOW);
    expect(t).toMatchObject({ due: '2026-07-01T00:00:00Z', step: 'extension-decided/1' });
    expect(t.body).toEqual({
      extensionDecided: { approved: true, replyDueAt: '2026-07-01T00:00:00Z', note: 'granted' },
    });
  });

  it('given a pending request, when staff refuse it, then the deadline stays', () => {
    const { state } = assigned();
    apply.requestExtension(state, { by: lead, reason: 'flooding', until: '2026-07-01T00:00:00Z' }, NOW);
    const t = apply.decideExtension(state, { by: staff, approve: false, note: 'no' }, NOW);
    expect(t.due).toBeUndefined();
    expect(t.body).toMatchObject({ extensionDecided: { replyDueAt: '2026-06-01T01:00:00.000Z' } });
  });
});

describe('paused clock', () => {
  it('given a paused clock, when it resumes two days later, then the deadline moves by two days', () => {
    const { state, run } = assigned();
    expect(apply.pauseClock(state, run, { by: lead, reason: 'site survey' }, NOW).step).toBe('clock-paused/1');
    expect(validate.pauseClock(state, { by: lead, reason: 'again' })?.message).toBe('the clock is already paused');
    const t = apply.resumeClock(state, run, { by: lead }, NOW + 2 * 86_400_000);
    expect(t).toMatchObject({ due: '2026-06-03T01:00:00.000Z', step: 'clock-resumed/1' });
    expect(t.body).toMatchObject({ clockResumed: { pausedSeconds: '172800' } });
    expect(validate.resumeClock(state, { by: lead })?.message).toBe('the clock is not paused');
  });
});

describe('reply and rating', () => {
  it('given an assigned case, when a B reply lists no commitments, then it is refused', () => {
    const { state } = assigned();
    expect(validate.reply(state, { by: lead, grade: 'B', summary: 'in progress' }, { now: NOW })?.message).toBe(
      'a B reply must list its commitments (what will be done by when)',
    );
  });

  it('given an assigned case, when a commitment is due in the past, then it is refused by its index', () => {
    const { state } = assigned();
    const r = {
      by: lead,
      grade: 'C',
      summary: 'later',
      commitments: [{ description: 'buy', dueDate: '2026-01-01' }],
    } as const;
    expect(validate.reply(state, { ...r, commitments: [...r.commitments] }, { now: NOW })?.message).toBe(
      'commitments.0.dueDate must be in the future',
    );
  });

  it('given an assigned case, when the lead unit replies on time, then it awaits the rating with its commitments', () => {
    const { state, run } = assigned();
    const t = apply.reply(
      state,
      run,
      {
        by: lead,
        grade: 'B',
        summary: 'buses ordered',
        commitments: [{ description: 'deliver', dueDate: '2026-08-01' }],
      },
      NOW,
    );
    expect(t).toMatchObject({ stage: 'awaitingRating', step: 'replied/1' });
    expect(state.replies).toEqual([
      {
        round: 1,
        unit: 'edu-bureau',
        grade: 'B',
        summary: 'buses ordered',
        repliedAt: new Date(NOW).toISOString(),
        onTime: true,
      },
    ]);
    expect(state.commitments[0]).toMatchObject({ commitmentId: '1-1', status: 'pending' });
    expect(commitmentDueAt('2026-08-01')).toBe('2026-08-01T01:00:00.000Z');
  });

  it('given a rated case, when the deputy rates again, then it is already rated', () => {
    const { state, run } = assigned({ stage: 'closed' });
    apply.rate(state, run, 'satisfied', false, NOW);
    expect(validate.rate(state, { by: deputy, rating: 'satisfied' })?.type).toBe('alreadyRated');
  });

  it('given a commitment reported kept, when it is reported again, then it is refused', () => {
    const { state } = assigned({
      commitments: [{ commitmentId: '1-1', round: 1, description: 'd', dueDate: '2026-08-01', status: 'pending' }],
    });
    const k = { by: lead, commitmentId: '1-1', kept: true, note: 'delivered' };
    expect(validate.reportCommitment(state, k)).toBeUndefined();
    expect(apply.reportCommitment(state, k).step).toBe('commitment/1-1/reported');
    expect(validate.reportCommitment(state, k)?.message).toBe('commitment 1-1 is already kept');
  });
});
