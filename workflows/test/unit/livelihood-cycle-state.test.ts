// A livelihood cycle's pure state module, given / when / then: proposals and merges, and the
// count of a vote under the policy's quorum and tie rules (workflows/src/livelihood/cycle-*.ts).
import type { LivelihoodPolicy } from '@duban/domain';
import type { CycleState } from '../../src';
import { applyCycle } from '../../src/livelihood/cycle-state';
import { validateCycle } from '../../src/livelihood/cycle-validate';

const staff = { role: 'staff', sub: 'clerk-1' } as const;
const AT = '2026-03-01T02:00:00.000Z';
const lp = {
  seats: 1,
  ballotCandidates: 2,
  vote: {
    quorumPercent: 50,
    majorityOf: 'all',
    majorityPercent: 50,
    tieRule: 'runoff',
    onQuorumFailure: 'revote',
    maxRounds: 3,
  },
} as unknown as LivelihoodPolicy;

function given(over: Partial<CycleState> = {}): CycleState {
  return {
    cycleId: 'livelihood-cn-zj-demo-city-2026',
    jurisdiction: 'cn-zj-demo-city',
    year: 2026,
    stage: 'collecting',
    startedAt: AT,
    collectionClosesAt: '2026-09-30T16:00:00.000Z',
    candidates: [],
    nextCandidateNo: 1,
    votes: [],
    elected: [],
    projects: [],
    runs: 1,
    eventsPublished: 0,
    ...over,
  } as CycleState;
}
const propose = (s: CycleState, id: string) =>
  applyCycle.propose(
    s,
    { by: staff, proposer: { kind: 'citizen', id }, title: ` canteen ${id} `, category: 'welfare' },
    AT,
  );

describe('collection', () => {
  it('given two proposals, when one is merged into the other, then its proposers join the survivor', () => {
    const state = given();
    expect(propose(state, 'p1').step).toBe('proposed/c0001');
    propose(state, 'p2');
    expect(state.candidates[0].title).toBe('canteen p1');
    const m = { by: staff, into: 'c0001', merge: ['c0002'], reason: 'same canteen' };
    expect(validateCycle.merge(state, m)).toBeUndefined();
    const e = applyCycle.merge(state, m);
    expect(e).toMatchObject({ step: 'merged/c0001/c0002', body: { livelihoodCandidatesMerged: { proposers: 2 } } });
    expect(validateCycle.merge(state, m)?.message).toBe('candidate c0002 is already merged into c0001');
  });

  it('given a cycle, when a merge names an unknown candidate, then it says which', () => {
    const state = given();
    propose(state, 'p1');
    const m = { by: staff, into: 'c0001', merge: ['c0009'], reason: 'dup' };
    expect(validateCycle.merge(state, m)).toEqual({
      type: 'invalid',
      message: 'no candidate c0009 in livelihood-cn-zj-demo-city-2026',
    });
  });
});

describe('the count', () => {
  const voting = () =>
    given({
      stage: 'voting',
      votes: [
        { round: 1, voteId: 'v1', kind: 'vote', candidates: ['c0001', 'c0002'], seats: 1, electorate: 10, present: 10 },
      ],
    });

  it('given a vote for two seats, when three candidates pass with the same count, then a runoff opens between them', () => {
    const state = given({
      stage: 'voting',
      votes: [
        { round: 1, voteId: 'v1', kind: 'vote', candidates: ['c1', 'c2', 'c3'], seats: 2, electorate: 10, present: 10 },
      ],
    });
    const t = { by: staff, voteId: 'v1', ballotsCast: 10, counts: { c1: 6, c2: 6, c3: 6 }, ballotsDigest: 'sha256:x' };
    expect(validateCycle.tally(state, t)).toBeUndefined();
    const e = applyCycle.tally(state, t, lp, AT);
    expect(e).toMatchObject({
      stage: 'awaitingVote',
      body: { livelihoodVoteTallied: { next: 'runoff', elected: [] } },
    });
    expect(state.votes[1]).toMatchObject({
      round: 2,
      voteId: 'livelihood-cn-zj-demo-city-2026-r2',
      kind: 'runoff',
      seats: 2,
    });
    expect(state.votes[1].candidates).toEqual(['c1', 'c2', 'c3']);
  });

  it('given a vote, when one candidate has a majority of all deputies, then it is elected and no round follows', () => {
    const state = voting();
    const e = applyCycle.tally(
      state,
      { by: staff, voteId: 'v1', ballotsCast: 8, counts: { c0001: 7, c0002: 1 }, ballotsDigest: 'd' },
      lp,
      AT,
    );
    expect(e.stage).toBeUndefined();
    expect(state.elected).toEqual(['c0001']);
    expect(state.votes).toHaveLength(1);
  });

  it('given a vote, when the counts exceed the ballots, then the count is refused', () => {
    const t = { by: staff, voteId: 'v1', ballotsCast: 8, counts: { c0001: 8, c0002: 8 }, ballotsDigest: 'd' };
    expect(validateCycle.tally(voting(), t)?.message).toBe('counts add up to more choices than the ballots allow');
  });
});
