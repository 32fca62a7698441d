// The vote's rules: quorum, majority of those present or of all deputies, seats, ties.
import { countBallots, decideVote, satisfactionShare, type VoteCountInput } from '../../src';

const rules: VoteCountInput['rules'] = {
  quorumPercent: 50,
  majorityOf: 'all',
  majorityPercent: 50,
  tieRule: 'runoff',
  onQuorumFailure: 'revote',
  maxRounds: 3,
  window: { amount: 1, unit: 'calendarDays' },
};
const base = (over: Partial<VoteCountInput>): VoteCountInput => ({
  candidates: ['a', 'b', 'c', 'd'],
  seats: 2,
  electorate: 100,
  present: 80,
  ballotsCast: 80,
  counts: {},
  costs: { a: 4, b: 3, c: 2, d: 1 },
  rules,
  ...over,
});

describe('the livelihood vote', () => {
  it('elects the most-voted candidates that pass the majority, up to the seats', () => {
    const d = decideVote(base({ counts: { a: 70, b: 60, c: 55, d: 10 } }));
    expect(d).toMatchObject({ quorumMet: true, majorityOver: 50, elected: ['a', 'b'], tied: [], seatsLeft: 0 });
    expect(d.ranked.map((r) => [r.candidateId, r.passed])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', false],
    ]);
  });

  it('counts the majority of those present when the policy says so', () => {
    const all = decideVote(base({ counts: { a: 45, b: 42 } }));
    expect(all.elected).toEqual([]);
    const present = decideVote(base({ counts: { a: 45, b: 42 }, rules: { ...rules, majorityOf: 'present' } }));
    expect(present).toMatchObject({ majorityOver: 40, elected: ['a', 'b'] });
  });

  it('elects nobody without quorum', () => {
    const d = decideVote(base({ ballotsCast: 49, present: 49, counts: { a: 49, b: 49 } }));
    expect(d).toMatchObject({ quorumMet: false, elected: [], tied: [] });
    expect(decideVote(base({ ballotsCast: 50, counts: { a: 51 } })).quorumMet).toBe(true);
  });

  it('sends a tie for the last seat to a runoff, or picks the lower cost', () => {
    const counts = { a: 70, b: 60, c: 60, d: 60 };
    expect(decideVote(base({ counts }))).toMatchObject({ elected: ['a'], tied: ['b', 'c', 'd'], seatsLeft: 1 });
    expect(decideVote(base({ counts, rules: { ...rules, tieRule: 'lowerCost' } }))).toMatchObject({
      elected: ['a', 'd'],
      tied: [],
      seatsLeft: 0,
    });
    // Tied candidates that all fit are all elected.
    expect(decideVote(base({ counts: { a: 60, b: 60, c: 10 } }))).toMatchObject({ elected: ['a', 'b'], tied: [] });
  });

  it('counts ballots and the satisfaction share', () => {
    expect(countBallots([{ choices: ['a', 'b'] }, { choices: ['a'] }])).toEqual({
      ballotsCast: 2,
      counts: { a: 2, b: 1 },
    });
    expect(satisfactionShare({ satisfied: 30, basicallySatisfied: 10, unsatisfied: 10 })).toBe(80);
    expect(satisfactionShare({ satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 })).toBe(0);
  });
});
