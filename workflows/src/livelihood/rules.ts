// Who may do what in a livelihood cycle and on a livelihood project, and in which stages: the
// gate the workflows' update validators apply (they import these lists and predicates) and the
// answer to "what may this caller do now" that the livelihood service gives the console. Pure:
// no workflow APIs, so services import it as well as the workflow bundle.
import type { Actor } from '../kernel/contracts';
import type { CycleStage, CycleState, ProjectStage, ProjectState } from './definitions';
import { isStaffActor } from '../gates';

/** The stages each cycle action is accepted in (the validators' requireStage lists). */
export const CYCLE_ACTION_STAGES = {
  propose: ['collecting'],
  merge: ['collecting', 'screening'],
  screen: ['collecting', 'screening'],
  closeCollection: ['collecting'],
  feasibility: ['feasibility'],
  ballotList: ['ballotList'],
  openVote: ['awaitingVote'],
  recordTally: ['voting'],
} as const satisfies Record<string, readonly CycleStage[]>;

/** A project takes reports and inspections until it is escalated or closed. */
const RUNNING: readonly ProjectStage[] = ['implementation', 'carriedOver', 'evaluation', 'reReport'];

/** The stages each project action is accepted in. */
export const PROJECT_ACTION_STAGES = {
  progress: RUNNING,
  inspection: RUNNING,
  midYearReport: RUNNING,
  evaluation: ['evaluation'],
  reReport: ['reReport'],
} as const satisfies Record<string, readonly ProjectStage[]>;

export const inCycleStage = (state: Pick<CycleState, 'stage'>, a: keyof typeof CYCLE_ACTION_STAGES) =>
  (CYCLE_ACTION_STAGES[a] as readonly string[]).includes(state.stage);
export const inProjectStage = (state: Pick<ProjectState, 'stage'>, a: keyof typeof PROJECT_ACTION_STAGES) =>
  (PROJECT_ACTION_STAGES[a] as readonly string[]).includes(state.stage);

/** The department that reviews feasibility: the cycle's policy names it (livelihood.feasibilityReviewer). */
export const isFeasibilityReviewer = (by: Actor | undefined, reviewer: string) =>
  by?.role === 'unit' && by.unit === reviewer;
export const isLeadUnit = (by: Actor | undefined, state: Pick<ProjectState, 'leadUnit'>) =>
  by?.role === 'unit' && by.unit === state.leadUnit;

/** A candidate others may be merged into: not merged away, not rejected. */
export const isLiveCandidate = (c: CycleState['candidates'][number]) =>
  c.status !== 'merged' && c.status !== 'rejected';
/** A candidate that may go on the ballot list: accepted and found feasible. */
export const isBallotEligible = (c: CycleState['candidates'][number]) =>
  c.status === 'accepted' && !!c.feasibility?.feasible;

/**
 * The evaluation round open now while the project is in `evaluation`: the first, or the second
 * after a re-report. A round is open until it has been rated.
 */
export const evaluationRoundOf = (state: Pick<ProjectState, 'reReport'>) => (state.reReport?.reportedAt ? 2 : 1);
export const evaluationOpen = (state: Pick<ProjectState, 'stage' | 'reReport' | 'evaluations'>) =>
  inProjectStage(state, 'evaluation') && state.evaluations.length < evaluationRoundOf(state);

export type CycleAction =
  'propose' | 'merge' | 'screen' | 'closeCollection' | 'feasibility' | 'ballotList' | 'openVote' | 'closeVote';

/** An open action; `target` names the candidate (screen, feasibility) it is for. */
export interface OpenAction<A extends string> {
  action: A;
  target?: string;
}

/**
 * The cycle actions this caller may take now, by the role, stage and candidate checks the
 * validators make before they look at the input (the validators still decide: a merge may be
 * refused for its input). The service adds what it owns: the ballot, the count, the recount.
 */
export function openCycleActions(state: CycleState, by: Actor): OpenAction<CycleAction>[] {
  const open: OpenAction<CycleAction>[] = [];
  if (inCycleStage(state, 'propose')) open.push({ action: 'propose' });
  if (isStaffActor(by)) {
    const live = state.candidates.filter(isLiveCandidate);
    if (inCycleStage(state, 'merge') && live.length >= 2) open.push({ action: 'merge' });
    if (inCycleStage(state, 'screen'))
      for (const c of state.candidates)
        if (c.status === 'proposed') open.push({ action: 'screen', target: c.candidateId });
    if (inCycleStage(state, 'closeCollection')) open.push({ action: 'closeCollection' });
    if (inCycleStage(state, 'ballotList')) open.push({ action: 'ballotList' });
    if (inCycleStage(state, 'openVote')) open.push({ action: 'openVote' });
    if (inCycleStage(state, 'recordTally')) open.push({ action: 'closeVote' });
  }
  if (
    state.feasibilityReviewer &&
    isFeasibilityReviewer(by, state.feasibilityReviewer) &&
    inCycleStage(state, 'feasibility')
  )
    for (const c of state.candidates)
      if (c.status === 'accepted' && !c.feasibility) open.push({ action: 'feasibility', target: c.candidateId });
  return open;
}

export type ProjectAction = 'progress' | 'inspection' | 'reportFix' | 'midYearReport' | 'evaluation' | 'reReport';

/**
 * The project actions this caller may take now, by the checks the validators make. The service
 * adds its own: a deputy's secret evaluation rating and the count of the stored ratings.
 */
export function openProjectActions(state: ProjectState, by: Actor): OpenAction<ProjectAction>[] {
  const open: OpenAction<ProjectAction>[] = [];
  const lead = isLeadUnit(by, state);
  if (lead && inProjectStage(state, 'progress')) open.push({ action: 'progress' });
  if ((by?.role === 'deputy' || isStaffActor(by)) && inProjectStage(state, 'inspection'))
    open.push({ action: 'inspection' });
  if (lead)
    for (const f of state.inspections.flatMap((i) => i.findings))
      if (f.fixRequired && f.status !== 'fixed') open.push({ action: 'reportFix', target: f.findingId });
  if (lead && inProjectStage(state, 'midYearReport') && !state.midYear.reportedAt)
    open.push({ action: 'midYearReport' });
  if (isStaffActor(by) && evaluationOpen(state)) open.push({ action: 'evaluation' });
  if (lead && inProjectStage(state, 'reReport') && !state.reReport?.reportedAt) open.push({ action: 'reReport' });
  return open;
}
