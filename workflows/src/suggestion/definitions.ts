// The suggestion case's contract with clients: input, state, query and updates.
// Imported by the workflow, the services and the tests alike.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EffectivePolicy } from '@duban/domain';

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
}

export type SuggestionStage = 'submitted' | 'assigned' | 'overdue' | 'replied';
export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

export interface ReplyInput {
  /** The unit replying; must be the lead unit. */
  unit: string;
  /** A solved, B being solved, C planned for later, D explained for reference. */
  grade: Grade;
  summary: string;
}

export interface SuggestionState {
  caseId: string;
  jurisdiction: string;
  deputyId: string;
  title: string;
  category: string;
  stage: SuggestionStage;
  submittedAt: string;
  leadUnit?: string;
  coHandlers: string[];
  assignedAt?: string;
  replyDueAt?: string;
  overdue: boolean;
  reply?: ReplyInput & { repliedAt: string; onTime: boolean };
  /** Ids of the events this case has published, in order. */
  events: string[];
}

export const stateQuery = defineQuery<SuggestionState>('state');
export const replyUpdate = defineUpdate<SuggestionState, [ReplyInput]>('reply');

/** Failure types an Update validator uses; services map them to HTTP statuses. */
export const REJECTION = { conflict: 'StageConflict', forbidden: 'NotYourCase', invalid: 'InvalidInput' } as const;
