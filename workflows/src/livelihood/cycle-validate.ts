// A livelihood cycle's checks, pure: whether an action may be taken, in the order the released
// validators made them (the first refusal wins). The Update validators throw what they return.
import type { LivelihoodPolicy } from '@duban/domain';
import { eachRefusal, firstRefusal, isStaffActor, refusal, type Refusal } from '../gates';
import type { Actor } from '../kernel/contracts';
import { nonEmpty } from '../kernel/text-guards';
import {
  PROPOSER_KINDS,
  type BallotListInput,
  type Candidate,
  type CycleStage,
  type CycleState,
  type FeasibilityInput,
  type MergeInput,
  type OpenLivelihoodVoteInput,
  type ProposeInput,
  type ScreenInput,
  type TallyInput,
} from './definitions';
import { CYCLE_ACTION_STAGES as STAGES, isBallotEligible, isFeasibilityReviewer, isLiveCandidate } from './rules';

const unitIdPattern = /^[a-z0-9][a-z0-9-]{1,63}$/;
const localDatePattern = /^\d{4}-\d{2}-\d{2}$/;

const staff = (by: Actor) => (isStaffActor(by) ? undefined : refusal.forbidden('only committee staff may do this'));
const inStage = (s: CycleState, allowed: readonly CycleStage[], what: string) =>
  allowed.includes(s.stage)
    ? undefined
    : refusal.conflict(`${s.cycleId} is ${s.stage}; ${what} is possible only when ${allowed.join(' or ')}`);
const candidateOf = (s: CycleState, id: string) => s.candidates.find((c) => c.candidateId === id);
/** A check on a named candidate; a missing one is refused first. */
const withCandidate =
  (s: CycleState, id: string, check: (c: Candidate) => Refusal | undefined) => (): Refusal | undefined => {
    const c = candidateOf(s, id);
    return c ? check(c) : refusal.invalid(`no candidate ${id} in ${s.cycleId}`);
  };
export const currentCycleVote = (s: CycleState) => s.votes[s.votes.length - 1];

export const validateCycle = {
  propose: (s: CycleState, p: ProposeInput) =>
    firstRefusal(
      () => inStage(s, STAGES.propose, 'proposing a candidate'),
      () => (p.by ? undefined : refusal.forbidden('a proposal must name who proposes')),
      () =>
        !p.proposer || !(PROPOSER_KINDS as readonly string[]).includes(p.proposer.kind) || !p.proposer.id
          ? refusal.invalid(`proposer must be one of ${PROPOSER_KINDS.join(', ')} with an id`)
          : undefined,
      () => nonEmpty(p.title, 'title'),
      () => nonEmpty(p.category, 'category'),
    ),

  merge: (s: CycleState, m: MergeInput) =>
    firstRefusal(
      () => staff(m.by),
      () => inStage(s, STAGES.merge, 'merging duplicates'),
      () => nonEmpty(m.reason, 'reason'),
      () =>
        !Array.isArray(m.merge) || m.merge.length === 0 ? refusal.invalid('merge must list the duplicates') : undefined,
      () =>
        new Set(m.merge).size !== m.merge.length || m.merge.includes(m.into)
          ? refusal.invalid('merge must list distinct duplicates, not the surviving candidate')
          : undefined,
      withCandidate(s, m.into, (into) =>
        isLiveCandidate(into)
          ? undefined
          : refusal.conflict(`candidate ${m.into} is ${into.status}; merge into a live candidate`),
      ),
      eachRefusal(m.merge, (id) =>
        withCandidate(s, id, (c) =>
          c.status === 'merged'
            ? refusal.conflict(`candidate ${id} is already merged into ${c.mergedInto}`)
            : undefined,
        )(),
      ),
    ),

  screen: (s: CycleState, x: ScreenInput) =>
    firstRefusal(
      () => staff(x.by),
      () => inStage(s, STAGES.screen, 'screening'),
      () =>
        x.decision !== 'accept' && x.decision !== 'reject'
          ? refusal.invalid('decision must be accept or reject')
          : undefined,
      () => (x.decision === 'reject' ? nonEmpty(x.reason, 'reason') : undefined),
      withCandidate(s, x.candidateId, (c) =>
        c.status !== 'proposed' ? refusal.conflict(`candidate ${x.candidateId} is already ${c.status}`) : undefined,
      ),
    ),

  closeCollection: (s: CycleState, by: Actor) =>
    firstRefusal(
      () => staff(by),
      () => inStage(s, STAGES.closeCollection, 'closing the collection'),
    ),

  feasibility: (s: CycleState, f: FeasibilityInput, lp: LivelihoodPolicy) =>
    firstRefusal(
      () =>
        isFeasibilityReviewer(f.by, lp.feasibilityReviewer)
          ? undefined
          : refusal.forbidden(`only ${lp.feasibilityReviewer} (the policy's feasibilityReviewer) reviews feasibility`),
      () => inStage(s, STAGES.feasibility, 'a feasibility review'),
      withCandidate(s, f.candidateId, (c) => {
        if (c.status !== 'accepted') return refusal.conflict(`candidate ${f.candidateId} is ${c.status}, not accepted`);
        if (c.feasibility) return refusal.conflict(`candidate ${f.candidateId} has been reviewed already`);
        return undefined;
      }),
      () => (typeof f.feasible !== 'boolean' ? refusal.invalid('feasible must be true or false') : undefined),
      () =>
        !Number.isFinite(f.costEstimate) || f.costEstimate < 0
          ? refusal.invalid('costEstimate must be yuan, 0 or more')
          : undefined,
      () => (unitIdPattern.test(f.leadUnit ?? '') ? undefined : refusal.invalid('leadUnit must be a unit id')),
      eachRefusal(f.coUnits, (u) =>
        unitIdPattern.test(u) ? undefined : refusal.invalid(`coUnits: "${u}" is not a unit id`),
      ),
      eachRefusal(f.milestones, (m, i) => {
        const empty = nonEmpty(m.name, `milestones.${i}.name`);
        if (empty) return empty;
        return localDatePattern.test(m.dueDate)
          ? undefined
          : refusal.invalid(`milestones.${i}.dueDate must be YYYY-MM-DD`);
      }),
      () => nonEmpty(f.note, 'note'),
    ),

  ballotList: (s: CycleState, b: BallotListInput, lp: LivelihoodPolicy) =>
    firstRefusal(
      () => staff(b.by),
      () => inStage(s, STAGES.ballotList, 'publishing the ballot list'),
      () => (Array.isArray(b.candidateIds) ? undefined : refusal.invalid('candidateIds must list the candidates')),
      () =>
        new Set(b.candidateIds).size !== b.candidateIds.length
          ? refusal.invalid('candidateIds must be distinct')
          : undefined,
      () =>
        b.candidateIds.length !== lp.ballotCandidates
          ? refusal.invalid(
              `candidateIds must name ${lp.ballotCandidates} candidates for ${lp.seats} seats (差额, policy livelihood.ballotCandidates); it names ${b.candidateIds.length}`,
            )
          : undefined,
      eachRefusal(b.candidateIds, (id) =>
        withCandidate(s, id, (c) =>
          isBallotEligible(c)
            ? undefined
            : refusal.invalid(`candidate ${id} is not an accepted candidate found feasible`),
        )(),
      ),
    ),

  openVote: (s: CycleState, o: OpenLivelihoodVoteInput) =>
    firstRefusal(
      () => staff(o.by),
      () => inStage(s, STAGES.openVote, 'opening the vote'),
      () =>
        !Number.isInteger(o.electorate) || o.electorate < 1
          ? refusal.invalid('electorate must be at least 1 deputy')
          : undefined,
      () =>
        !Number.isInteger(o.present) || o.present < 0 || o.present > o.electorate
          ? refusal.invalid('present must be between 0 and the electorate')
          : undefined,
    ),

  tally: (s: CycleState, t: TallyInput) => {
    const v = currentCycleVote(s);
    return firstRefusal(
      () => staff(t.by),
      () => inStage(s, STAGES.recordTally, 'recording the count'),
      () => (t.voteId !== v.voteId ? refusal.conflict(`the open vote is ${v.voteId}, not ${t.voteId}`) : undefined),
      () =>
        !Number.isInteger(t.ballotsCast) || t.ballotsCast < 0 || t.ballotsCast > v.electorate!
          ? refusal.invalid(`ballotsCast must be between 0 and the electorate (${v.electorate})`)
          : undefined,
      () => {
        let total = 0;
        for (const [id, n] of Object.entries(t.counts ?? {}) as [string, number][]) {
          if (!v.candidates.includes(id))
            return refusal.invalid(`counts name ${id}, which is not on this round's list`);
          if (!Number.isInteger(n) || n < 0 || n > t.ballotsCast)
            return refusal.invalid(`counts.${id} must be 0..ballotsCast`);
          total += n;
        }
        if (total > t.ballotsCast * v.seats)
          return refusal.invalid('counts add up to more choices than the ballots allow');
        return undefined;
      },
      () => nonEmpty(t.ballotsDigest, 'ballotsDigest'),
    );
  },
};
