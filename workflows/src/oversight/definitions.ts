// Contracts of the oversight cases (review opinions, resolutions, inquiries, investigations, the
// annual supervision plan): inputs, states, queries, updates. Imported by the workflows, the
// oversight service and the tests alike.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
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

// ---- Inquiry (质询案).

export interface InquiryInput {
  caseId: string;
  jurisdiction: string;
  /** The unit questioned. */
  unit: string;
  subject: string;
  /** Member ids, the filer first; checked against the roster before the start. */
  signers: string[];
  filedAt: string;
  relatedCaseId?: string;
  policy: EffectivePolicy;
}

export type InquiryStage = 'filed' | 'awaitingReply' | 'rating' | 'closed';

export interface InquiryState {
  caseId: string;
  jurisdiction: string;
  unit: string;
  subject: string;
  signers: string[];
  minSigners: number;
  stage: InquiryStage;
  round: number;
  mode?: 'oral' | 'written';
  replyDueAt?: string;
  overdue: boolean;
  replies: { round: number; summary: string; at: string; onTime: boolean; by: string }[];
  ratings: { round: number; memberId: string; satisfied: boolean; at: string }[];
  ratingDueAt?: string;
  roundResults: { round: number; dissatisfied: number; replyAgain: boolean }[];
  relatedCaseId?: string;
  closedOutcome?: 'answered' | 'dissatisfied';
  events: string[];
}

export interface DecideInquiryInput {
  by: Actor;
  mode: 'oral' | 'written';
  /** Oral: the session's time (required). Written: the deadline; the policy's window when absent. */
  dueAt?: string;
}

export interface InquiryReplyInput {
  by: Actor;
  summary: string;
}

export interface RateInquiryInput {
  by: Actor;
  satisfied: boolean;
}

export const inquiryStateQuery = defineQuery<InquiryState>('state');
export const decideInquiryUpdate = defineUpdate<InquiryState, [DecideInquiryInput]>('decideInquiry');
export const inquiryReplyUpdate = defineUpdate<InquiryState, [InquiryReplyInput]>('inquiryReply');
export const rateInquiryUpdate = defineUpdate<InquiryState, [RateInquiryInput]>('rateInquiry');

// ---- Investigation of a specific question (特定问题调查).

export interface InvestigationInput {
  caseId: string;
  jurisdiction: string;
  question: string;
  /** The unit the question concerns, if one (for the Unit search attribute). */
  unit?: string;
  proposedBy: 'chairCouncil' | 'members';
  /** Member ids when proposed by members; checked against the roster before the start. */
  proposers: string[];
  memberCount: number;
  proposedAt: string;
  relatedCaseId?: string;
  policy: EffectivePolicy;
}

export type InvestigationStage = 'proposed' | 'investigating' | 'closed';

export interface InvestigationState {
  caseId: string;
  jurisdiction: string;
  question: string;
  unit?: string;
  stage: InvestigationStage;
  decisionDueAt: string;
  reportDueAt?: string;
  overdue: boolean;
  committeeMembers: string[];
  report?: { summary: string; at: string; onTime: boolean };
  resolutionCaseId?: string;
  relatedCaseId?: string;
  closedOutcome?: 'reported' | 'resolutionStarted' | 'rejected';
  events: string[];
}

export interface DecideInvestigationInput {
  by: Actor;
  adopt: boolean;
  /** The investigation committee (调查委员会): member ids. */
  committeeMembers?: string[];
  /** ISO instant; the policy's reportWindow when absent. */
  reportDueAt?: string;
}

export interface InvestigationReportInput {
  by: Actor;
  summary: string;
  /** The resolution case the service started for what the committee resolved, if any. */
  resolutionCaseId?: string;
}

export const investigationStateQuery = defineQuery<InvestigationState>('state');
export const decideInvestigationUpdate = defineUpdate<InvestigationState, [DecideInvestigationInput]>(
  'decideInvestigation',
);
export const investigationReportUpdate = defineUpdate<InvestigationState, [InvestigationReportInput]>(
  'investigationReport',
);

// ---- The annual supervision plan (年度监督计划).

export const TOPIC_SOURCES = [
  'governmentReport',
  'suggestion',
  'letter',
  'hotline',
  'citizenOpinion',
  'other',
] as const;
export type TopicSource = (typeof TOPIC_SOURCES)[number];

/** A jurisdiction's plan of a year: its workflow id. */
export const planCaseId = (jurisdiction: string, year: number) => `supervision-plan-${jurisdiction}-${year}`;

export interface SupervisionPlanInput {
  /** "supervision-plan-<jurisdiction>-<year>". */
  caseId: string;
  jurisdiction: string;
  year: number;
  /** Topics carried over from the year before (proposed after its plan was adopted). */
  carriedTopics?: PlanTopic[];
  policy: EffectivePolicy;
}

export interface PlanTopic {
  topicId: string;
  source: TopicSource;
  sourceRef?: string;
  title: string;
  unit: string;
  proposedAt: string;
}

export interface PlanItem {
  itemId: string;
  topicId: string;
  unit: string;
  sessionAt: string;
  weight: 'key' | 'routine';
  status: 'scheduled' | 'due' | 'started';
  reviewOpinionCaseId?: string;
}

export interface SupervisionPlanState {
  caseId: string;
  jurisdiction: string;
  year: number;
  stage: 'collecting' | 'adopted' | 'closed';
  adoptionDueAt: string;
  overdue: boolean;
  topics: PlanTopic[];
  /** Topics proposed after adoption: they go to next year's plan. */
  nextYearTopics: PlanTopic[];
  items: PlanItem[];
  nextPlanCaseId?: string;
  events: string[];
}

export interface ProposeTopicInput {
  by: Actor;
  source: TopicSource;
  sourceRef?: string;
  title: string;
  unit: string;
}

export interface AdoptPlanInput {
  by: Actor;
  items: { topicId: string; sessionAt: string; weight: 'key' | 'routine' }[];
}

export interface PlanItemStartedInput {
  by: Actor;
  itemId: string;
  reviewOpinionCaseId: string;
}

export const supervisionPlanStateQuery = defineQuery<SupervisionPlanState>('state');
export const proposeTopicUpdate = defineUpdate<SupervisionPlanState, [ProposeTopicInput]>('proposeTopic');
export const adoptPlanUpdate = defineUpdate<SupervisionPlanState, [AdoptPlanInput]>('adoptPlan');
export const planItemStartedUpdate = defineUpdate<SupervisionPlanState, [PlanItemStartedInput]>('planItemStarted');

/** Staff end a plan's year early (drills, tests); normally it ends on 1 January of the next. */
export const closePlanYearSignal = defineSignal('closePlanYear');
