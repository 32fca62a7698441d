// A livelihood project's contract with clients: input, state, query and updates. Re-exported by
// definitions.ts.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EffectivePolicy } from '@duban/domain';
import type { Actor } from '../kernel/contracts';
import type { MilestoneInput } from './definitions';

export interface ProjectInput {
  projectId: string;
  cycleId: string;
  /** The cycle's workflow, told when the project's year ends. */
  cycleWorkflowId?: string;
  jurisdiction: string;
  year: number;
  candidateId: string;
  title: string;
  category: string;
  leadUnit: string;
  coUnits: string[];
  /** Yuan. */
  budget: number;
  milestones: MilestoneInput[];
  policy: EffectivePolicy;
}

/** implementation → (carriedOver → …) → evaluation → reReport → evaluation → escalated → closed */
export type ProjectStage = 'implementation' | 'carriedOver' | 'evaluation' | 'reReport' | 'escalated' | 'closed';

export interface ReportPeriod {
  period: number;
  dueAt: string;
  status: 'open' | 'overdue' | 'veryOverdue' | 'reported';
  reportedAt?: string;
  onTime?: boolean;
}

export interface ProgressReport {
  period: number;
  percent: number;
  spent: number;
  summary: string;
  milestonesDone: string[];
  reportedAt: string;
  onTime: boolean;
  by: string;
}

export interface Finding {
  findingId: string;
  text: string;
  fixRequired: boolean;
  fixDueAt?: string;
  status: 'noted' | 'open' | 'fixed' | 'overdue';
  fix?: { note: string; at: string; onTime: boolean };
}

export interface Inspection {
  inspectionId: string;
  group: string;
  by: string;
  at: string;
  findings: Finding[];
}

export interface Evaluation {
  round: number;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  share: number;
  satisfactory: boolean;
  at: string;
}

export interface ProjectState {
  projectId: string;
  cycleId: string;
  jurisdiction: string;
  year: number;
  /** The cycle it counts in now: year + carry-overs. */
  cycleYear: number;
  candidateId: string;
  title: string;
  category: string;
  leadUnit: string;
  coUnits: string[];
  budget: number;
  stage: ProjectStage;
  startedAt: string;
  percent: number;
  spent: number;
  milestones: (MilestoneInput & { milestoneId: string; done: boolean; doneAt?: string })[];
  periods: ReportPeriod[];
  reports: ProgressReport[];
  latestReport?: ProgressReport;
  inspections: Inspection[];
  midYear: { dueAt: string; reportedAt?: string; onTime?: boolean; overdue: boolean; summary?: string };
  evaluationAt: string;
  evaluationDueAt?: string;
  evaluations: Evaluation[];
  reReport?: { dueAt: string; reportedAt?: string; onTime?: boolean; summary?: string };
  carryOvers: number;
  ladders: { ladderId: string; reason: string; outcome?: 'resolved' | 'exhausted' }[];
  overdue: boolean;
  atRisk: boolean;
  score?: { points: number; reason: string };
  outcome?: 'satisfactory' | 'unsatisfactory' | 'escalationResolved' | 'escalationExhausted';
  eventsPublished: number;
}

export interface ProgressReportInput {
  by: Actor;
  percent: number;
  spent: number;
  summary: string;
  milestonesDone?: string[];
}
export interface InspectionInput {
  by: Actor;
  group: string;
  findings: { text: string; fixRequired: boolean; fixDueAt?: string }[];
}
export interface FixReportInput {
  by: Actor;
  findingId: string;
  note: string;
}
export interface UnitReportInput {
  by: Actor;
  summary: string;
}
export interface EvaluationInput {
  by: Actor;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
}

export const projectStateQuery = defineQuery<ProjectState>('state');
export const reportProgressUpdate = defineUpdate<ProjectState, [ProgressReportInput]>('reportProgress');
export const recordInspectionUpdate = defineUpdate<ProjectState, [InspectionInput]>('recordInspection');
export const reportFixUpdate = defineUpdate<ProjectState, [FixReportInput]>('reportFix');
export const submitMidYearReportUpdate = defineUpdate<ProjectState, [UnitReportInput]>('submitMidYearReport');
export const recordEvaluationUpdate = defineUpdate<ProjectState, [EvaluationInput]>('recordEvaluation');
export const submitReReportUpdate = defineUpdate<ProjectState, [UnitReportInput]>('submitReReport');
