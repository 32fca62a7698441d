// The livelihood projects' contract with clients (民生实事项目票决制): the annual cycle and each
// elected project — inputs, states, queries, updates and signals. Imported by the workflows, the
// livelihood service and the tests alike.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EffectivePolicy, VoteDecision } from '@duban/domain';
import type { Actor } from '../kernel/contracts';

export const LIVELIHOOD_CYCLE_WORKFLOW = 'livelihoodCycleWorkflow';
export const LIVELIHOOD_PROJECT_WORKFLOW = 'livelihoodProjectWorkflow';

/** The business id of a year's cycle: also its workflow id when staff start it by hand. */
export const cycleIdOf = (jurisdiction: string, year: number) => `livelihood-${jurisdiction}-${year}`;
/** The Temporal Schedule that starts a jurisdiction's cycle once a year. */
export const cycleScheduleIdOf = (jurisdiction: string) => `livelihood-cycle-${jurisdiction}`;

export const PROPOSER_KINDS = ['citizen', 'deputy', 'station', 'unit'] as const;
export type ProposerKind = (typeof PROPOSER_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// The annual cycle

export interface CycleInput {
  jurisdiction: string;
  /** The cycle's year; by default the local (+08:00) year the run started in (a scheduled run). */
  year?: number;
  /** The policy in force when the cycle started (the schedule carries the latest one). */
  policy: EffectivePolicy;
  /** Continue-as-new once the history has this many events (tests); else when Temporal suggests. */
  historyLimit?: number;
  /** The state carried over by continue-as-new. */
  carried?: CycleState;
}

/**
 * collecting (proposals, merges, screening) → screening (the rest screened) → feasibility
 * (government review) → ballotList (staff publish it) → awaitingVote ⇄ voting (revote or runoff)
 * → implementation (projects run) → closed
 */
export type CycleStage =
  'collecting' | 'screening' | 'feasibility' | 'ballotList' | 'awaitingVote' | 'voting' | 'implementation' | 'closed';

export interface MilestoneInput {
  name: string;
  /** Local date YYYY-MM-DD. */
  dueDate: string;
}

export interface FeasibilityRecord {
  feasible: boolean;
  /** Yuan. */
  costEstimate: number;
  leadUnit: string;
  coUnits: string[];
  milestones: MilestoneInput[];
  note: string;
  reviewedAt: string;
  onTime: boolean;
}

export interface Candidate {
  candidateId: string;
  title: string;
  category: string;
  proposers: { kind: ProposerKind; id: string }[];
  proposedAt: string;
  status: 'proposed' | 'accepted' | 'rejected' | 'merged' | 'notReviewed';
  mergedInto?: string;
  screenReason?: string;
  feasibility?: FeasibilityRecord;
}

export interface LivelihoodVoteRound {
  round: number;
  /** Ballots are stored under "<voteId>:<deputyId>"; the first round's vote id is the cycle id. */
  voteId: string;
  kind: 'vote' | 'revote' | 'runoff';
  candidates: string[];
  seats: number;
  electorate?: number;
  present?: number;
  openedAt?: string;
  closesAt?: string;
  tally?: {
    ballotsCast: number;
    counts: Record<string, number>;
    ballotsDigest: string;
    decision: VoteDecision;
    next: 'elected' | 'runoff' | 'revote' | 'noProjects';
    at: string;
  };
}

export interface CycleProject {
  projectId: string;
  candidateId: string;
  leadUnit: string;
  /** Set when the project tells the cycle how its year ended. */
  settled?: 'satisfactory' | 'unsatisfactory' | 'carriedOver';
}

export interface CycleState {
  cycleId: string;
  jurisdiction: string;
  year: number;
  stage: CycleStage;
  startedAt: string;
  collectionClosesAt: string;
  feasibilityDueAt?: string;
  candidates: Candidate[];
  nextCandidateNo: number;
  ballotList?: string[];
  votes: LivelihoodVoteRound[];
  /** Elected candidate ids, in the order they were elected. */
  elected: string[];
  projects: CycleProject[];
  outcome?: 'completed' | 'noProjects';
  /** Runs so far: 1 + how often the collection continued as new. */
  runs: number;
  eventsPublished: number;
  /** From the policy the cycle started with (set on every run): who reviews feasibility, the seats, the list's length. */
  feasibilityReviewer?: string;
  seats?: number;
  ballotCandidates?: number;
}

export interface ProposeInput {
  by: Actor;
  /** Who proposes, as the service derived it from the caller (a station: staff acting for it). */
  proposer: { kind: ProposerKind; id: string };
  title: string;
  category: string;
}
export interface MergeInput {
  by: Actor;
  into: string;
  merge: string[];
  reason: string;
}
export interface ScreenInput {
  by: Actor;
  candidateId: string;
  decision: 'accept' | 'reject';
  reason?: string;
}
export interface CloseCollectionInput {
  by: Actor;
}
export interface FeasibilityInput {
  by: Actor;
  candidateId: string;
  feasible: boolean;
  costEstimate: number;
  leadUnit: string;
  coUnits?: string[];
  milestones?: MilestoneInput[];
  note: string;
}
export interface BallotListInput {
  by: Actor;
  candidateIds: string[];
}
export interface OpenLivelihoodVoteInput {
  by: Actor;
  /** Deputies of this congress (the roll the service holds). */
  electorate: number;
  /** Deputies present at the sitting. */
  present: number;
}
export interface TallyInput {
  by: Actor;
  voteId: string;
  ballotsCast: number;
  counts: Record<string, number>;
  ballotsDigest: string;
}

export const cycleStateQuery = defineQuery<CycleState>('state');
export const proposeUpdate = defineUpdate<Candidate, [ProposeInput]>('propose');
export const mergeCandidatesUpdate = defineUpdate<Candidate, [MergeInput]>('mergeCandidates');
export const screenUpdate = defineUpdate<Candidate, [ScreenInput]>('screen');
export const closeCollectionUpdate = defineUpdate<CycleStage, [CloseCollectionInput]>('closeCollection');
export const reviewFeasibilityUpdate = defineUpdate<Candidate, [FeasibilityInput]>('reviewFeasibility');
export const publishBallotListUpdate = defineUpdate<string[], [BallotListInput]>('publishBallotList');
export const openLivelihoodVoteUpdate = defineUpdate<LivelihoodVoteRound, [OpenLivelihoodVoteInput]>('openVote');
export const recordTallyUpdate = defineUpdate<LivelihoodVoteRound, [TallyInput]>('recordTally');
/** Sent by a project when its year ends: rated, or carried over. */
export const projectSettledSignal =
  defineSignal<[{ projectId: string; outcome: CycleProject['settled'] }]>('projectSettled');

export * from './project-definitions';
