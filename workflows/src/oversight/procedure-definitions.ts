// Contracts of the oversight procedures: inquiries (质询案), investigations of a specific question
// (特定问题调查) and the annual supervision plan (年度监督计划). Re-exported by definitions.ts.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EffectivePolicy } from '@duban/domain';
import type { Actor } from '../kernel/contracts';

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
