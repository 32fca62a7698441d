// The vote on livelihood projects (民生实事项目票决): the rules that turn counted ballots into
// elected projects — quorum, majority (of deputies present or of all deputies), seats and the tie
// rule — all from the policy. Pure, so the workflow, the service's recount and the tests agree.
import type { LivelihoodPolicy } from './policy';

export interface VoteCountInput {
  /** The candidates on this round's list. */
  candidates: string[];
  /** Seats to fill in this round. */
  seats: number;
  /** Deputies of this congress (the roll). */
  electorate: number;
  /** Deputies present at the sitting, as staff declared it (at least the ballots cast). */
  present: number;
  ballotsCast: number;
  /** Votes per candidate id. */
  counts: Record<string, number>;
  /** Cost estimate per candidate (yuan), for the lowerCost tie rule. */
  costs: Record<string, number>;
  rules: LivelihoodPolicy['vote'];
}

export interface VoteDecision {
  quorumMet: boolean;
  /** Votes a candidate needs to exceed to pass the majority rule. */
  majorityOver: number;
  /** Elected in this round, highest votes first. */
  elected: string[];
  /** Tied for the last seats under the runoff rule: they go to a runoff for seatsLeft seats. */
  tied: string[];
  seatsLeft: number;
  ranked: { candidateId: string; votes: number; passed: boolean }[];
}

export function decideVote(v: VoteCountInput): VoteDecision {
  const ranked = v.candidates
    .map((candidateId) => ({ candidateId, votes: v.counts[candidateId] ?? 0 }))
    .sort((a, b) => b.votes - a.votes || a.candidateId.localeCompare(b.candidateId));
  const quorumMet = v.ballotsCast * 100 >= v.rules.quorumPercent * v.electorate;
  const base = v.rules.majorityOf === 'present' ? Math.max(v.present, v.ballotsCast) : v.electorate;
  const majorityOver = (v.rules.majorityPercent * base) / 100;
  const withPass = ranked.map((r) => ({ ...r, passed: quorumMet && r.votes > majorityOver }));
  const result = (elected: string[], tied: string[]): VoteDecision => ({
    quorumMet,
    majorityOver,
    elected,
    tied,
    seatsLeft: v.seats - elected.length,
    ranked: withPass,
  });
  if (!quorumMet) return result([], []);
  const passing = withPass.filter((r) => r.passed);
  if (passing.length <= v.seats)
    return result(
      passing.map((r) => r.candidateId),
      [],
    );
  const cutoff = passing[v.seats - 1].votes;
  const above = passing.filter((r) => r.votes > cutoff).map((r) => r.candidateId);
  const atCut = passing.filter((r) => r.votes === cutoff).map((r) => r.candidateId);
  if (above.length + atCut.length <= v.seats) return result([...above, ...atCut], []);
  const left = v.seats - above.length;
  if (v.rules.tieRule === 'lowerCost') {
    const byCost = [...atCut].sort((a, b) => (v.costs[a] ?? Infinity) - (v.costs[b] ?? Infinity) || a.localeCompare(b));
    return result([...above, ...byCost.slice(0, left)], []);
  }
  return result(above, atCut);
}

/** Counts ballots: each lists distinct candidate ids. */
export function countBallots(ballots: { choices: string[] }[]): {
  ballotsCast: number;
  counts: Record<string, number>;
} {
  const counts: Record<string, number> = {};
  for (const b of ballots) for (const c of b.choices) counts[c] = (counts[c] ?? 0) + 1;
  return { ballotsCast: ballots.length, counts };
}

/** The share (percent) of satisfied + basically satisfied ratings; 0 when nobody rated. */
export function satisfactionShare(r: { satisfied: number; basicallySatisfied: number; unsatisfied: number }): number {
  const total = r.satisfied + r.basicallySatisfied + r.unsatisfied;
  return total === 0 ? 0 : ((r.satisfied + r.basicallySatisfied) * 100) / total;
}
