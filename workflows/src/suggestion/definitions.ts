// The suggestion case's contract with clients: input, state, query and updates.
// Imported by the workflow, the services and the tests alike.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EffectivePolicy, Rating } from '@duban/domain';
import type { Actor } from '../kernel/contracts';

// The cross-kind contracts live in the kernel; clients keep importing them from the package root.
export { REJECTION, calendarPublishedSignal, ladderEndedSignal, type Actor } from '../kernel/contracts';

export const SUGGESTION_WORKFLOW = 'suggestionWorkflow';

export interface SuggestionInput {
  /** Business id, also the workflow id: "suggestion-2026-0001". */
  caseId: string;
  jurisdiction: string;
  deputyId: string;
  title: string;
  category: string;
  /** ISO instant the deputy submitted it. */
  submittedAt: string;
  /** The policy in force when the case started; a later policy change does not touch it. */
  policy: EffectivePolicy;
  /**
   * The citizen opinion (民情) this suggestion was taken up from, if any. Optional and only
   * read into the state, so cases started before it existed replay unchanged.
   */
  sourceCaseId?: string;
}

/**
 * submitted → (review) → returned ⇄ submitted | merged | assigned
 * assigned ⇄ objected (→ reassigned: the clock restarts); assigned → overdue (the deadline passed)
 * assigned | overdue → awaitingRating → secondReply (unsatisfied, special supervision) → awaitingRating
 *   → escalated (unsatisfied again: the ladder) → lookBack (commitments) → closed
 */
export type SuggestionStage =
  | 'submitted'
  | 'returned'
  | 'merged'
  | 'assigned'
  | 'objected'
  | 'overdue'
  | 'awaitingRating'
  | 'secondReply'
  | 'escalated'
  | 'lookBack'
  | 'closed'
  /** Only in cases started by the first released version: replied and done. */
  | 'replied';

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

export interface CommitmentInput {
  description: string;
  /** Local date "YYYY-MM-DD". */
  dueDate: string;
}

export interface Commitment extends CommitmentInput {
  commitmentId: string;
  round: number;
  status: 'pending' | 'due' | 'kept' | 'missed';
  reportDueAt?: string;
  note?: string;
}

// ---- Update arguments: each names the actor; validators check role, ownership and stage.

export interface ReviewInput {
  by: Actor;
  decision: 'accept' | 'return' | 'merge';
  /** For return and merge. */
  reason?: string;
  /** For merge: the surviving case. */
  mergeInto?: string;
  /** For accept: the lead unit; by default the policy's routing of the category. */
  leadUnit?: string;
  coHandlers?: string[];
  /** For accept: a key suggestion (重点建议) with its leading official and supervising committee. */
  key?: { leadingOfficial: string; supervisingCommittee: string };
}

export interface ReviseInput {
  by: Actor;
  title: string;
  category: string;
}

export interface ObjectInput {
  by: Actor;
  reason: string;
}

export interface ReassignInput {
  by: Actor;
  leadUnit: string;
  coHandlers?: string[];
}

export interface CoHandlerOpinionInput {
  by: Actor;
  opinion: string;
}

export interface ExtensionRequestInput {
  by: Actor;
  reason: string;
  /** The requested new deadline (ISO instant). */
  until: string;
}

export interface ExtensionDecisionInput {
  by: Actor;
  approve: boolean;
  note: string;
}

export interface PauseInput {
  by: Actor;
  reason: string;
}

export interface ResumeInput {
  by: Actor;
}

export interface ReplyInput {
  /** The lead unit replying. In the first released version this was a unit id string. */
  by?: Actor;
  /** First released version only. */
  unit?: string;
  /** A solved, B being solved, C planned for later, D explained for reference. */
  grade: Grade;
  summary: string;
  /** Required for B and C: what will be done by when (承诺台账). */
  commitments?: CommitmentInput[];
}

export interface RateInput {
  by: Actor;
  rating: Rating;
  comment?: string;
}

export interface CommitmentReportInput {
  by: Actor;
  commitmentId: string;
  kept: boolean;
  note: string;
}

export interface ReplyRecord {
  round: number;
  unit: string;
  grade: Grade;
  summary: string;
  repliedAt: string;
  onTime: boolean;
}

export interface RatingRecord {
  round: number;
  rating: Rating;
  assumed: boolean;
  ratedAt: string;
  comment?: string;
}

export interface ExtensionRecord {
  reason: string;
  requestedUntil: string;
  requestedAt: string;
  decided?: { approved: boolean; note: string; at: string };
}

export interface ScoreRecord {
  replyStage: number;
  implementationStage: number;
  total: number;
  deductions: string[];
}

export interface SuggestionState {
  caseId: string;
  jurisdiction: string;
  deputyId: string;
  title: string;
  category: string;
  stage: SuggestionStage;
  submittedAt: string;
  /** The citizen opinion it came from (input.sourceCaseId). */
  sourceCaseId?: string;
  /** Why it was returned for revision, while it is. */
  returnedReason?: string;
  mergedInto?: string;
  leadUnit?: string;
  coHandlers: string[];
  key?: { leadingOfficial: string; supervisingCommittee: string };
  assignmentNo: number;
  assignedAt?: string;
  objectionDueAt?: string;
  objection?: { unit: string; reason: string; at: string };
  coHandlerDueAt?: string;
  coHandlerOpinions: Record<string, { opinion: string; at: string; onTime: boolean }>;
  /** The current reply deadline (first reply or, in round 2, second reply). */
  replyDueAt?: string;
  /**
   * True while the reply deadline was counted on a year with no official holiday schedule
   * (Monday–Friday only): it may move when that year's calendar is published.
   */
  calendarProvisional?: boolean;
  maxReplyDueAt?: string;
  clockPausedSince?: string;
  extensions: ExtensionRecord[];
  overdue: boolean;
  veryOverdue: boolean;
  /** First released version only: its single reply. */
  reply?: ReplyInput & { repliedAt: string; onTime: boolean };
  replies: ReplyRecord[];
  ratings: RatingRecord[];
  ratingDueAt?: string;
  commitments: Commitment[];
  ladders: { ladderId: string; reason: string; outcome?: 'resolved' | 'exhausted' }[];
  score?: ScoreRecord;
  closedOutcome?: 'completed' | 'merged' | 'escalationExhausted';
  /** Ids of the events this case has published, in order. */
  events: string[];
}

export const stateQuery = defineQuery<SuggestionState>('state');

export const reviewUpdate = defineUpdate<SuggestionState, [ReviewInput]>('review');
export const reviseUpdate = defineUpdate<SuggestionState, [ReviseInput]>('revise');
export const objectUpdate = defineUpdate<SuggestionState, [ObjectInput]>('object');
export const reassignUpdate = defineUpdate<SuggestionState, [ReassignInput]>('reassign');
export const coHandlerOpinionUpdate = defineUpdate<SuggestionState, [CoHandlerOpinionInput]>('coHandlerOpinion');
export const requestExtensionUpdate = defineUpdate<SuggestionState, [ExtensionRequestInput]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<SuggestionState, [ExtensionDecisionInput]>('decideExtension');
export const pauseClockUpdate = defineUpdate<SuggestionState, [PauseInput]>('pauseClock');
export const resumeClockUpdate = defineUpdate<SuggestionState, [ResumeInput]>('resumeClock');
export const replyUpdate = defineUpdate<SuggestionState, [ReplyInput]>('reply');
export const rateUpdate = defineUpdate<SuggestionState, [RateInput]>('rate');
export const reportCommitmentUpdate = defineUpdate<SuggestionState, [CommitmentReportInput]>('reportCommitment');
