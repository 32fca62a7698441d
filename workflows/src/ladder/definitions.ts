// The escalation ladder's contract: a reusable workflow started by any case that fails its
// loop. Its input names the case, not a suggestion, so every case kind can use it.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LadderStep } from '@duban/domain';
import type { Actor } from '../kernel/contracts';

export const LADDER_WORKFLOW = 'escalationLadderWorkflow';

export interface LadderInput {
  /** Workflow id of the ladder: "<caseId>-ladder-<n>". */
  ladderId: string;
  caseId: string;
  caseKind: string;
  jurisdiction: string;
  unit: string;
  reason: string;
  /** From the case's policy (policy.escalation.steps), lowest first. */
  steps: LadderStep[];
  /** The workflow to signal (ladderEnded) when the ladder ends; usually the case's. */
  notifyWorkflowId?: string;
  /**
   * Also signal notifyWorkflowId (ladderStepReached) as each step starts, for cases whose top
   * steps need people to act (inquiry, investigation). Absent in older ladders: they send
   * nothing more, so their histories replay unchanged.
   */
  notifySteps?: boolean;
}

export interface LadderStepState {
  stepNo: number;
  step: LadderStep['step'];
  owner: string;
  startedAt: string;
  dueAt: string;
  outcome?: 'resolved' | 'timedOut';
}

export interface LadderState {
  ladderId: string;
  caseId: string;
  unit: string;
  reason: string;
  status: 'climbing' | 'resolved' | 'exhausted';
  current?: number;
  steps: LadderStepState[];
  resolution?: { by: Actor; note: string; at: string; stepNo: number };
  events: string[];
}

export interface ResolveInput {
  by: Actor;
  note: string;
}

export const ladderStateQuery = defineQuery<LadderState>('state');
/** Staff record that the case is fixed: the ladder ends at the current step. */
export const resolveLadderUpdate = defineUpdate<LadderState, [ResolveInput]>('resolve');
/** Staff move to the next step now, without waiting for the current one's deadline. */
export const escalateNowUpdate = defineUpdate<LadderState, [ResolveInput]>('escalateNow');

/** Sent to notifyWorkflowId as each step starts, when the ladder's input asks for it. */
export const ladderStepReachedSignal =
  defineSignal<[{ ladderId: string; stepNo: number; step: LadderStep['step']; dueAt: string }]>('ladderStepReached');
