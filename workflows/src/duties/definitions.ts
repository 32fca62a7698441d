// The calendar-driven duties (docs/domain.md §5): each starts on its own. The duties service starts
// one workflow when a regulation, an appointment or a group is registered (id from the
// business id, so registering twice starts nothing new); the workflow sleeps on a durable
// timer to its date, visible to an operator as Stage and DueAt. Ids only.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EffectivePolicy, Rating } from '@duban/domain';
import type { Actor } from '../kernel/contracts';

export const REGULATION_REPORT_WORKFLOW = 'regulationReportWorkflow';
export const APPOINTEE_REPORT_WORKFLOW = 'appointeeReportWorkflow';
export const GROUP_DUTY_WORKFLOW = 'groupDutyWorkflow';

export const regulationCaseId = (regulationId: string) => `regulation-report-${regulationId}`;
export const appointeeCaseId = (appointmentId: string) => `appointee-report-${appointmentId}`;
export const groupDutyCaseId = (groupId: string, year: number) => `group-duty-${groupId}-${year}`;

// ---- a local regulation's implementation report (法规实施情况报告)

export interface RegulationReportInput {
  caseId: string;
  regulationId: string;
  jurisdiction: string;
  /** The government department that reports (usually the one that implements it). */
  unit: string;
  /** Local date it came into force, "YYYY-MM-DD". */
  inForceOn: string;
  policy: EffectivePolicy;
}

/** inForce (waiting for the period) → requested → underReview → (returned: requested again) → closed */
export type RegulationReportStage = 'inForce' | 'requested' | 'underReview' | 'closed';

export interface RegulationReportState {
  caseId: string;
  regulationId: string;
  unit: string;
  inForceOn: string;
  stage: RegulationReportStage;
  /** When the policy's period in force is reached and the report is requested. */
  requestAt: string;
  round: number;
  reportDueAt?: string;
  overdue: boolean;
  reports: { round: number; summary: string; at: string; onTime: boolean }[];
  reviewDueAt?: string;
  reviewOverdue: boolean;
  reviews: { round: number; decision: 'accepted' | 'returned'; note: string; at: string; by: string }[];
  closedOutcome?: 'accepted' | 'returned';
  events: string[];
}

export const regulationStateQuery = defineQuery<RegulationReportState>('state');
export const fileRegulationReportUpdate = defineUpdate<RegulationReportState, [{ by: Actor; summary: string }]>(
  'fileReport',
);
export const reviewRegulationReportUpdate = defineUpdate<
  RegulationReportState,
  [{ by: Actor; decision: 'accepted' | 'returned'; note: string }]
>('review');

// ---- an appointed department head's report in the term, with a satisfaction vote (任命人员履职报告)

export interface AppointeeReportInput {
  caseId: string;
  appointmentId: string;
  officialId: string;
  unit: string;
  jurisdiction: string;
  /** Local date the term began, "YYYY-MM-DD"; it ends after the policy's term length unless termEnd is given. */
  termStart: string;
  termEnd?: string;
  policy: EffectivePolicy;
}

/** due → (flagged) → voting → closed */
export type AppointeeReportStage = 'due' | 'voting' | 'closed';

export interface AppointeeReportState {
  caseId: string;
  appointmentId: string;
  officialId: string;
  unit: string;
  stage: AppointeeReportStage;
  termEndsAt: string;
  flagAt: string;
  flagged: boolean;
  report?: { summary: string; at: string };
  /** Committee member ids entitled to vote (the registry's roster when the report was filed). */
  electorate: string[];
  voteDueAt?: string;
  votes: Record<string, Rating>;
  tally?: {
    satisfied: number;
    basicallySatisfied: number;
    unsatisfied: number;
    roster: number;
    quorum: boolean;
    passed: boolean;
  };
  closedOutcome?: 'passed' | 'failed' | 'noQuorum' | 'termEndedWithoutReport';
  events: string[];
}

export const appointeeStateQuery = defineQuery<AppointeeReportState>('state');
/** The department files the head's report; the service passes the committee roster as the electorate. */
export const fileAppointeeReportUpdate = defineUpdate<
  AppointeeReportState,
  [{ by: Actor; summary: string; electorate: string[] }]
>('fileReport');
/** A committee member votes once while the vote is open. */
export const appointeeVoteUpdate = defineUpdate<AppointeeReportState, [{ by: Actor; choice: Rating }]>('vote');

// ---- a deputy professional group's year (代表专业小组)

export const GROUP_DUTIES = ['researchReport', 'supervisedSuggestion'] as const;
export type GroupDuty = (typeof GROUP_DUTIES)[number];

export interface GroupDutyInput {
  caseId: string;
  groupId: string;
  jurisdiction: string;
  year: number;
  /** Deputies in the group (ids) when the year started: they, and staff, record its duties. */
  members: string[];
  policy: EffectivePolicy;
}

/** open → (flagged before the year ends) missing → closed; complete once every duty is done */
export type GroupDutyStage = 'open' | 'complete' | 'missing' | 'closed';

export interface GroupDutyState {
  caseId: string;
  groupId: string;
  year: number;
  /** The group's deputies when its year started (they, and staff, record its duties). */
  members?: string[];
  stage: GroupDutyStage;
  flagAt: string;
  yearEndsAt: string;
  records: { duty: GroupDuty; refId: string; at: string; by: string }[];
  missing: GroupDuty[];
  flagged: boolean;
  /** The next year's case, started when this one closes. */
  nextCaseId?: string;
  events: string[];
}

export const groupDutyStateQuery = defineQuery<GroupDutyState>('state');
export const recordGroupDutyUpdate = defineUpdate<GroupDutyState, [{ by: Actor; duty: GroupDuty; refId: string }]>(
  'record',
);
