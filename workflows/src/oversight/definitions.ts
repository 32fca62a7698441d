// Contracts of the oversight cases (review opinions, resolutions, inquiries, investigations, the
// annual supervision plan): inputs, states, queries, updates. Imported by the workflows, the
// oversight service and the tests alike.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EffectivePolicy, Rating } from '@duban/domain';
import type { Actor } from '../kernel/contracts';

export const REVIEW_OPINION_WORKFLOW = 'reviewOpinionWorkflow';
export const INQUIRY_WORKFLOW = 'inquiryWorkflow';
export const INVESTIGATION_WORKFLOW = 'investigationWorkflow';
export const SUPERVISION_PLAN_WORKFLOW = 'supervisionPlanWorkflow';

/** The workflow of one unit's part of a review opinion or resolution: "<caseId>.<unit>". */
export const trackWorkflowId = (caseId: string, unit: string) => `${caseId}.${unit}`;

// ---- Review opinions (审议意见) and resolutions (决议): one workflow per unit ("track"), so each
// has exactly one Unit search attribute and its own report, vote, re-report and ladder.

export type ItemList = 'issue' | 'supervision';

export interface TrackItemInput {
  /** Numbered across the whole opinion by the service: "1", "2", ... */
  itemId: string;
  list: ItemList;
  description: string;
  /** ISO instant; the policy's itemWindow from the opening when absent. */
  dueAt?: string;
}

export interface ReviewOpinionInput {
  /** The opinion's (or resolution's) business id, e.g. "review-opinion-2026-0001". */
  caseId: string;
  kind: 'review_opinion' | 'resolution';
  jurisdiction: string;
  unit: string;
  items: TrackItemInput[];
  openedAt: string;
  openedBy: Actor;
  /** What it came from: a supervision plan item, an investigation. */
  source?: { caseId: string; itemId?: string };
  policy: EffectivePolicy;
}

export interface ItemFeedback {
  no: number;
  progress: string;
  done: boolean;
  evidence: string[];
  at: string;
}

export interface TrackItem {
  itemId: string;
  list: ItemList;
  description: string;
  dueAt: string;
  /** open → awaitingConfirmation (the unit says done) → closed (staff confirmed, 销号). */
  status: 'open' | 'awaitingConfirmation' | 'closed';
  overdue: boolean;
  feedback: ItemFeedback[];
  closure?: { by: string; evidence: string[]; note: string; at: string };
}

export type VoteChoice = Rating;

export interface VoteRound {
  round: number;
  electorate: string[];
  closesAt: string;
  votes: Record<string, VoteChoice>;
  result?: {
    satisfied: number;
    basicallySatisfied: number;
    unsatisfied: number;
    ratePercent: number;
    passed: boolean;
  };
}

export interface ReportRecord {
  round: number;
  summary: string;
  at: string;
  onTime: boolean;
  /** accepted / poor by staff, or passed / failed by the members' vote. */
  verdict?: 'accepted' | 'poor' | 'passed' | 'failed';
}

/** A ladder step that needs people to act, per the law, and what was started for it. */
export interface ProcedureRecord {
  step: 'inquiry' | 'investigation';
  needs: string;
  at: string;
  linkedCaseId?: string;
}

export type TrackStage =
  | 'rectifying'
  | 'reported'
  | 'voting'
  | 'reReport'
  | 'accepted'
  | 'escalated'
  | 'inquiryDue'
  | 'investigationDue'
  | 'closed';

export interface ReviewOpinionState {
  caseId: string;
  kind: ReviewOpinionInput['kind'];
  jurisdiction: string;
  unit: string;
  stage: TrackStage;
  /** 1: the handling report; 2: the re-report (再次报告). */
  round: number;
  items: TrackItem[];
  reportDueAt: string;
  reportOverdue: boolean;
  reports: ReportRecord[];
  votes: VoteRound[];
  ladder?: { ladderId: string; reason: string; step?: string; outcome?: 'resolved' | 'exhausted' };
  procedures: ProcedureRecord[];
  closedOutcome?: 'completed' | 'escalationExhausted';
  events: string[];
}

export interface ItemFeedbackInput {
  by: Actor;
  itemId: string;
  progress: string;
  /** The unit says rectification of this item is complete (asks for 销号). */
  done: boolean;
  /** References to documents, photos, links that show it. */
  evidence?: string[];
}

export interface ConfirmItemInput {
  by: Actor;
  itemId: string;
  /** true: closed (销号); false: not yet, rectification goes on. */
  confirm: boolean;
  note: string;
  evidence?: string[];
}

export interface SubmitReportInput {
  by: Actor;
  summary: string;
}

export interface AssessReportInput {
  by: Actor;
  verdict: 'accepted' | 'poor';
}

export interface OpenVoteInput {
  by: Actor;
  /** The committee members entitled to vote, from the registry's roster. */
  electorate: string[];
}

export interface CastVoteInput {
  by: Actor;
  vote: VoteChoice;
}

export interface LinkCaseInput {
  by: Actor;
  linkedCaseId: string;
  kind: 'inquiry' | 'investigation';
}

export const reviewOpinionStateQuery = defineQuery<ReviewOpinionState>('state');
export const itemFeedbackUpdate = defineUpdate<ReviewOpinionState, [ItemFeedbackInput]>('itemFeedback');
export const confirmItemUpdate = defineUpdate<ReviewOpinionState, [ConfirmItemInput]>('confirmItem');
export const submitReportUpdate = defineUpdate<ReviewOpinionState, [SubmitReportInput]>('submitReport');
export const assessReportUpdate = defineUpdate<ReviewOpinionState, [AssessReportInput]>('assessReport');
export const openVoteUpdate = defineUpdate<ReviewOpinionState, [OpenVoteInput]>('openVote');
export const castVoteUpdate = defineUpdate<ReviewOpinionState, [CastVoteInput]>('castVote');
export const linkCaseUpdate = defineUpdate<ReviewOpinionState, [LinkCaseInput]>('linkCase');

export * from './procedure-definitions';
