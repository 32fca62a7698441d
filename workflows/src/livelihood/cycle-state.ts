// A livelihood cycle as a pure state machine: `applyCycle` changes the state for an accepted
// action and names the event that follows (cycle-validate.ts says whether it may be taken). No
// workflow APIs: unit tests run it without a server; cycle-handlers.ts wires it.
import type { LivelihoodPolicy } from '@duban/domain';
import { decideVote } from '@duban/domain/pure';
import type { EventBody } from '../activities';
import type {
  BallotListInput,
  Candidate,
  CycleStage,
  CycleState,
  FeasibilityInput,
  LivelihoodVoteRound,
  MergeInput,
  ProposeInput,
  ScreenInput,
  TallyInput,
} from './definitions';
import { currentCycleVote } from './cycle-validate';

export interface CycleEvent {
  stage?: CycleStage;
  step: string;
  body: EventBody;
}

const candidateOf = (s: CycleState, id: string) => s.candidates.find((c) => c.candidateId === id)!;

/** The changes an accepted action makes; `at` is the workflow's clock as an ISO instant. */
export const applyCycle = {
  propose(s: CycleState, p: ProposeInput, at: string): CycleEvent & { candidate: Candidate } {
    const candidateId = `c${String(s.nextCandidateNo++).padStart(4, '0')}`;
    const candidate: Candidate = {
      candidateId,
      title: p.title.trim(),
      category: p.category,
      proposers: [p.proposer],
      proposedAt: at,
      status: 'proposed',
    };
    s.candidates.push(candidate);
    return {
      candidate,
      step: `proposed/${candidateId}`,
      body: {
        livelihoodCandidateProposed: {
          candidateId,
          proposerKind: p.proposer.kind,
          proposerId: p.proposer.id,
          category: p.category,
        },
      },
    };
  },

  /** The duplicates' proposers join the surviving candidate's. */
  merge(s: CycleState, m: MergeInput): CycleEvent & { into: Candidate } {
    const into = candidateOf(s, m.into);
    for (const id of m.merge) {
      const c = candidateOf(s, id);
      c.status = 'merged';
      c.mergedInto = m.into;
      for (const p of c.proposers)
        if (!into.proposers.some((q) => q.kind === p.kind && q.id === p.id)) into.proposers.push(p);
    }
    return {
      into,
      step: `merged/${m.into}/${m.merge.join('+')}`,
      body: {
        livelihoodCandidatesMerged: {
          intoCandidateId: m.into,
          mergedCandidateIds: m.merge,
          proposers: into.proposers.length,
          reason: m.reason,
        },
      },
    };
  },

  screen(s: CycleState, x: ScreenInput): CycleEvent & { candidate: Candidate } {
    const c = candidateOf(s, x.candidateId);
    c.status = x.decision === 'accept' ? 'accepted' : 'rejected';
    c.screenReason = x.reason?.trim() || undefined;
    return {
      candidate: c,
      step: `screened/${c.candidateId}`,
      body: {
        livelihoodCandidateScreened: {
          candidateId: c.candidateId,
          accepted: x.decision === 'accept',
          reason: c.screenReason ?? '',
          proposerIds: c.proposers.map((p) => `${p.kind}:${p.id}`),
        },
      },
    };
  },

  feasibility(s: CycleState, f: FeasibilityInput, now: number, at: string): CycleEvent & { candidate: Candidate } {
    const c = candidateOf(s, f.candidateId);
    const onTime = !s.feasibilityDueAt || now <= Date.parse(s.feasibilityDueAt);
    c.feasibility = {
      feasible: f.feasible,
      costEstimate: f.costEstimate,
      leadUnit: f.leadUnit,
      coUnits: (f.coUnits ?? []).filter((u) => u !== f.leadUnit),
      milestones: f.milestones ?? [],
      note: f.note.trim(),
      reviewedAt: at,
      onTime,
    };
    return {
      candidate: c,
      step: `feasibility/${c.candidateId}`,
      body: {
        livelihoodFeasibilityReviewed: {
          candidateId: c.candidateId,
          feasible: f.feasible,
          costEstimate: String(Math.round(f.costEstimate)),
          leadUnit: f.leadUnit,
          coUnits: c.feasibility.coUnits,
          onTime,
        },
      },
    };
  },

  ballotList(s: CycleState, b: BallotListInput, lp: LivelihoodPolicy): CycleEvent {
    s.ballotList = [...b.candidateIds];
    s.votes.push({ round: 1, voteId: s.cycleId, kind: 'vote', candidates: [...b.candidateIds], seats: lp.seats });
    return {
      stage: 'awaitingVote',
      step: 'ballot-list',
      body: { livelihoodBallotListPublished: { candidateIds: b.candidateIds, seats: lp.seats } },
    };
  },

  /**
   * The policy's quorum, majority and tie rules applied to the count: elected, a revote without
   * quorum, a runoff on a tie (the lower cost estimate breaks a tie when no round is left).
   */
  tally(s: CycleState, t: TallyInput, lp: LivelihoodPolicy, at: string): CycleEvent & { vote: LivelihoodVoteRound } {
    const v = currentCycleVote(s);
    const costs = Object.fromEntries(
      s.candidates.map((c) => [c.candidateId, c.feasibility?.costEstimate ?? Number.MAX_SAFE_INTEGER]),
    );
    const rounds = s.votes.length;
    const base = {
      candidates: v.candidates,
      seats: v.seats,
      electorate: v.electorate!,
      present: v.present!,
      ballotsCast: t.ballotsCast,
      counts: t.counts,
      costs,
    };
    let decision = decideVote({ ...base, rules: lp.vote });
    if (decision.tied.length > 0 && rounds >= lp.vote.maxRounds)
      decision = decideVote({ ...base, rules: { ...lp.vote, tieRule: 'lowerCost' } });
    let next: NonNullable<LivelihoodVoteRound['tally']>['next'];
    if (!decision.quorumMet)
      next = lp.vote.onQuorumFailure === 'revote' && rounds < lp.vote.maxRounds ? 'revote' : 'noProjects';
    else if (decision.tied.length > 0) next = 'runoff';
    else next = 'elected';
    v.tally = { ballotsCast: t.ballotsCast, counts: t.counts, ballotsDigest: t.ballotsDigest, decision, next, at };
    s.elected.push(...decision.elected);
    const another = next === 'revote' || next === 'runoff';
    if (another) {
      const round = rounds + 1;
      s.votes.push({
        round,
        voteId: `${s.cycleId}-r${round}`,
        kind: next as 'revote' | 'runoff',
        candidates: next === 'revote' ? v.candidates : decision.tied,
        seats: next === 'revote' ? v.seats : decision.seatsLeft,
      });
    }
    return {
      vote: v,
      ...(another ? { stage: 'awaitingVote' as const } : {}),
      step: `vote/${v.round}/tallied`,
      body: {
        livelihoodVoteTallied: {
          round: v.round,
          voteId: v.voteId,
          electorate: v.electorate!,
          present: v.present!,
          ballotsCast: t.ballotsCast,
          quorumMet: decision.quorumMet,
          results: decision.ranked.map((r) => ({ candidateId: r.candidateId, votes: r.votes, passed: r.passed })),
          elected: decision.elected,
          tied: decision.tied,
          next,
          ballotsDigest: t.ballotsDigest,
        },
      },
    };
  },
};
