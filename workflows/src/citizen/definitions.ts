// The contracts of citizens' opinions through liaison stations (民情快递) and deputies' liaison
// letters (代表联系函): inputs, states, queries and updates. Ids only: a citizen's contact
// details live in the citizen service's document, never here (inputs, memos, search attributes
// and events are all visible to operators and other services).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DutyEntry, EffectivePolicy, Rating } from '@duban/domain';
import type { Actor } from '../kernel/contracts';

export const CITIZEN_OPINION_WORKFLOW = 'citizenOpinionWorkflow';
export const LIAISON_LETTER_WORKFLOW = 'liaisonLetterWorkflow';

export interface CitizenOpinionInput {
  /** Business id, also the workflow id: "opinion-2026-000001". */
  caseId: string;
  jurisdiction: string;
  stationId: string;
  /** The citizen's opaque id (token subject). */
  citizenId: string;
  channel: 'station' | 'online';
  category: string;
  submittedAt: string;
  /** The station's deputies and duty roster when the opinion arrived (ids and dates only). */
  station: { deputies: string[]; duty?: DutyEntry[] };
  policy: EffectivePolicy;
}

/**
 * submitted → (deadline) overdue; submitted | overdue →
 *   answered → awaitingRating → closed
 *   forwarding → forwarded (a suggestion case) → closed
 *   letterSent (a liaison letter case) → closed when the letter closes
 */
export type CitizenOpinionStage = 'submitted' | 'overdue' | 'awaitingRating' | 'forwarding' | 'letterSent' | 'closed';

export interface CitizenOpinionState {
  caseId: string;
  jurisdiction: string;
  stationId: string;
  citizenId: string;
  channel: 'station' | 'online';
  category: string;
  stage: CitizenOpinionStage;
  submittedAt: string;
  dutyDeputyIds: string[];
  answerDueAt: string;
  overdue: boolean;
  /** The deputy on duty who took it up, and when. */
  handledBy?: string;
  handledAt?: string;
  onTime?: boolean;
  answer?: { text: string; at: string };
  ratingDueAt?: string;
  rating?: { rating: Rating; assumed: boolean; at: string };
  /** The suggestion this opinion became (its input carries this case's id back). */
  suggestionId?: string;
  letter?: { letterId: string; unit: string; outcome?: LiaisonLetterOutcome };
  closedOutcome?: 'answered' | 'forwarded' | 'letterClosed';
  events: string[];
}

export interface OpinionAnswerInput {
  by: Actor;
  text: string;
}
export interface BeginForwardInput {
  by: Actor;
}
export interface LinkSuggestionInput {
  by: Actor;
  suggestionId: string;
}
export interface SendLetterInput {
  by: Actor;
  unit: string;
}
export interface OpinionRateInput {
  by: Actor;
  rating: Rating;
}

export const opinionStateQuery = defineQuery<CitizenOpinionState>('state');
/** A deputy on duty answers the citizen directly. */
export const answerOpinionUpdate = defineUpdate<CitizenOpinionState, [OpinionAnswerInput]>('answer');
/**
 * A deputy on duty takes the opinion up as a suggestion. Two steps so that the suggestion is
 * created only for a deputy the case accepts: beginForward (validated here), then the service
 * submits the suggestion (idempotent by this case id) and links it with linkSuggestion.
 */
export const beginForwardUpdate = defineUpdate<CitizenOpinionState, [BeginForwardInput]>('beginForward');
export const linkSuggestionUpdate = defineUpdate<CitizenOpinionState, [LinkSuggestionInput]>('linkSuggestion');
/** A deputy on duty sends a liaison letter to a department: a liaison_letter case starts. */
export const sendLetterUpdate = defineUpdate<CitizenOpinionState, [SendLetterInput]>('sendLetter');
/** The citizen rates a deputy's direct answer. */
export const rateOpinionUpdate = defineUpdate<CitizenOpinionState, [OpinionRateInput]>('rate');

export type LiaisonLetterOutcome = 'rated' | 'unansweredAfterLadder';
/** Sent by a liaison letter to its opinion when the letter closes. */
export const letterEndedSignal = defineSignal<[{ letterId: string; outcome: LiaisonLetterOutcome }]>('letterEnded');

export interface LiaisonLetterInput {
  /** Workflow id and case id: "<opinionId>-letter-<n>". */
  letterId: string;
  opinionId: string;
  jurisdiction: string;
  citizenId: string;
  deputyId: string;
  unit: string;
  sentAt: string;
  policy: EffectivePolicy;
  /** The opinion's workflow, signalled (letterEnded) when the letter closes. */
  notifyWorkflowId?: string;
}

/** sent → (deadline) escalated (the ladder) → awaitingRating (replied) → closed */
export type LiaisonLetterStage = 'sent' | 'escalated' | 'awaitingRating' | 'closed';

export interface LiaisonLetterState {
  letterId: string;
  opinionId: string;
  jurisdiction: string;
  citizenId: string;
  deputyId: string;
  unit: string;
  stage: LiaisonLetterStage;
  sentAt: string;
  replyDueAt: string;
  overdue: boolean;
  reply?: { by: string; text: string; at: string; onTime: boolean };
  ratingDueAt?: string;
  ratings: { citizen?: LetterRating; deputy?: LetterRating };
  ladders: { ladderId: string; outcome?: 'resolved' | 'exhausted' }[];
  closedOutcome?: LiaisonLetterOutcome;
  events: string[];
}

export interface LetterRating {
  rating: Rating;
  assumed: boolean;
  at: string;
}

export interface LetterReplyInput {
  by: Actor;
  text: string;
}
export interface LetterRateInput {
  by: Actor;
  rating: Rating;
}

export const letterStateQuery = defineQuery<LiaisonLetterState>('state');
/** The department the letter was sent to replies. */
export const replyLetterUpdate = defineUpdate<LiaisonLetterState, [LetterReplyInput]>('reply');
/** The citizen or the deputy rates the reply (反馈评价), once each. */
export const rateLetterUpdate = defineUpdate<LiaisonLetterState, [LetterRateInput]>('rate');
