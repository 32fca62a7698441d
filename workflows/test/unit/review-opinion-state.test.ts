// A review-opinion track's pure state module, given / when / then: the input checks after the
// gate, what an accepted action changes, and how a closed vote counts
// (workflows/src/oversight/review-opinion-state.ts).
import type { ReviewOpinionState, VoteRound } from '../../src';
import { applyTrack, validateTrack, voteResult } from '../../src/oversight/review-opinion-state';

const staff = { role: 'staff', sub: 'clerk-1' } as const;
const edu = { role: 'unit', sub: 'h1', unit: 'edu-bureau' } as const;
const AT = '2026-11-10T02:00:00.000Z';

function given(over: Partial<ReviewOpinionState> = {}): ReviewOpinionState {
  return {
    caseId: 'review-opinion-2026-0001',
    kind: 'review_opinion',
    jurisdiction: 'cn-zj-demo-city',
    unit: 'edu-bureau',
    stage: 'rectifying',
    round: 1,
    items: [
      {
        itemId: '1',
        list: 'issue',
        description: 'a',
        dueAt: '2026-12-01T00:00:00Z',
        status: 'open',
        overdue: false,
        feedback: [],
      },
    ],
    reportDueAt: '2026-12-31T00:00:00Z',
    reportOverdue: false,
    reports: [],
    votes: [],
    procedures: [],
    events: [],
    ...over,
  } as ReviewOpinionState;
}

describe('item feedback and closure (销号)', () => {
  it('given an open item, when the unit reports it done without evidence, then evidence is required', () => {
    expect(
      validateTrack.itemFeedback(given(), { by: edu, itemId: '1', progress: 'fixed', done: true }, true)?.message,
    ).toBe('evidence must name the documents or records that show it: an item reported done needs them');
  });

  it('given an open item, when the evidence is not a list of references, then it says which one', () => {
    const f = { by: edu, itemId: '1', progress: 'fixed', done: true, evidence: ['doc-1', ' '] };
    expect(validateTrack.itemFeedback(given(), f, true)?.message).toBe(
      'evidence.1 must be a reference (a document number, link or file name)',
    );
  });

  it('given done feedback, when staff confirm it, then the item closes with both sides’ evidence', () => {
    const state = given();
    const f = { by: edu, itemId: '1', progress: ' fixed ', done: true, evidence: ['doc-1'] };
    expect(validateTrack.itemFeedback(state, f, true)).toBeUndefined();
    expect(applyTrack.itemFeedback(state, f, AT).step).toBe('item/1/feedback/1');
    expect(state.items[0].status).toBe('awaitingConfirmation');
    const e = applyTrack.confirmItem(
      state,
      { by: staff, itemId: '1', confirm: true, note: 'seen', evidence: ['visit'] },
      'staff:clerk-1',
      AT,
    );
    expect(e).toMatchObject({ refreshClock: true, step: 'item/1/closed' });
    expect(state.items[0].closure).toEqual({ by: 'staff:clerk-1', evidence: ['doc-1', 'visit'], note: 'seen', at: AT });
  });

  it('given done feedback, when staff refuse it, then the item opens again', () => {
    const state = given();
    applyTrack.itemFeedback(state, { by: edu, itemId: '1', progress: 'fixed', done: true, evidence: ['doc-1'] }, AT);
    const e = applyTrack.confirmItem(
      state,
      { by: staff, itemId: '1', confirm: false, note: 'not yet' },
      'staff:clerk-1',
      AT,
    );
    expect(e).toEqual({
      step: 'item/1/reopened/1',
      body: { oversightItemReopened: { itemId: '1', unit: 'edu-bureau' } },
    });
    expect(state.items[0].status).toBe('open');
  });
});

describe('the report and the vote', () => {
  it('given an open track, when the unit reports after its date, then it is reported late', () => {
    const state = given({ reportDueAt: '2026-11-01T00:00:00Z' });
    const e = applyTrack.submitReport(state, { by: edu, summary: ' done ' }, AT);
    expect(e).toMatchObject({
      stage: 'reported',
      step: 'report/1',
      body: { handlingReportSubmitted: { onTime: false } },
    });
    expect(state.reports).toEqual([{ round: 1, summary: 'done', at: AT, onTime: false }]);
  });

  it('given a reported track, when staff open a vote listing a member twice, then it is refused', () => {
    const state = given({ stage: 'reported', reports: [{ round: 1, summary: 's', at: AT, onTime: true }] });
    expect(validateTrack.openVote(state, { by: staff, electorate: ['m1', 'm1'] }, true)?.message).toBe(
      'electorate lists a member twice',
    );
  });

  it('counts basically satisfied as approval and no vote cast as no approval', () => {
    const vote: VoteRound = {
      round: 1,
      electorate: ['a', 'b', 'c'],
      closesAt: AT,
      votes: { a: 'satisfied', b: 'basicallySatisfied', c: 'unsatisfied' },
    };
    expect(voteResult(vote, 60)).toEqual({
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 1,
      ratePercent: 67,
      passed: true,
    });
    expect(voteResult({ ...vote, votes: {} }, 60)).toMatchObject({ ratePercent: 0, passed: false });
  });
});
