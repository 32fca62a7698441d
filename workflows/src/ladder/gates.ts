// Who may move an escalation ladder, and when: the gate its Update validators apply, and what
// the case services ask to list "resolve" and "escalate now" for staff. Pure (no workflow APIs).
import { firstRefusal, isStaffActor, refusal, type GateActor } from '../gates';
import type { LadderState, LadderStepState } from './definitions';

/** The step that has started and not ended yet, if any. */
export function ladderStepInProgress(s: LadderState): LadderStepState | undefined {
  if (s.status !== 'climbing' || s.current === undefined) return undefined;
  const step = s.steps[s.current - 1];
  return step && !step.outcome ? step : undefined;
}

/**
 * Staff (or an operator) may resolve or escalate a climbing ladder while a step runs, and not
 * twice at once. `escalating`: the workflow has taken an escalate-now it is still carrying out.
 */
export const ladderGate = (
  s: LadderState,
  by: GateActor | undefined,
  what: 'resolve' | 'escalate',
  escalating = false,
) =>
  firstRefusal(
    () =>
      !isStaffActor(by)
        ? refusal.forbidden(`only staff or operators may ${what} escalation ladder ${s.ladderId}`)
        : undefined,
    () =>
      s.status !== 'climbing' ? refusal.conflict(`escalation ladder ${s.ladderId} has ended (${s.status})`) : undefined,
    () =>
      !ladderStepInProgress(s)
        ? refusal.conflict(`escalation ladder ${s.ladderId} is between steps; try again shortly`)
        : undefined,
    () =>
      s.resolution || escalating
        ? refusal.conflict(`escalation ladder ${s.ladderId} is already being resolved or escalated`)
        : undefined,
  );

export type LadderAction = 'resolve' | 'escalateNow';
export const openLadderActions = (s: LadderState, by: GateActor): LadderAction[] =>
  ladderGate(s, by, 'resolve') ? [] : ['resolve', 'escalateNow'];
