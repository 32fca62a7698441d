// One livelihood project's running parts, shared by its handlers and its clocks: the state,
// publishing in order, the stage and the overdue / at-risk flags with their search attributes.
import { acts, eventChain } from '../case-kit';
import { AtRisk, DueAt, Overdue, stageAttributes } from '../search-attributes';
import { upsertSearchAttributes } from '../ui';
import type { ProjectInput, ProjectStage, ProjectState } from './definitions';
import { initialProjectState } from './project-state';

export interface ProjectCase {
  input: ProjectInput;
  state: ProjectState;
  lp: ProjectInput['policy']['policy']['livelihood'];
  run: {
    /** Rises when a new year's report periods are planned (carry-over), so the clock follows. */
    planVersion: number;
    /** The evaluation round open now (1, or 2 after a re-report). */
    evaluationRound: number;
  };
  publish: ReturnType<typeof eventChain>;
  setStage(stage: ProjectStage): void;
  /** Overdue: a report period, the mid-year report or a fix is past its date and missing. */
  refreshFlags(): void;
}

export async function projectCase(input: ProjectInput): Promise<ProjectCase> {
  const lp = input.policy.policy.livelihood;
  const startedAt = new Date().toISOString();
  const plan = await acts.planProjectSchedule({ policy: lp, startedAt });
  const state = initialProjectState(input, startedAt, plan);
  const publish = eventChain({
    caseId: input.projectId,
    caseKind: 'livelihood_project',
    jurisdiction: input.jurisdiction,
    record: () => state.eventsPublished++,
  });
  function setStage(stage: ProjectStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  function refreshFlags(): void {
    state.overdue =
      state.periods.some((p) => p.status === 'overdue' || p.status === 'veryOverdue') ||
      state.midYear.overdue ||
      state.inspections.some((i) => i.findings.some((f) => f.status === 'overdue'));
    state.atRisk =
      state.periods.some((p) => p.status === 'veryOverdue') ||
      state.inspections.some((i) => i.findings.some((f) => f.status === 'overdue')) ||
      state.ladders.length > 0;
    const nextDue = state.periods.find((p) => p.status !== 'reported')?.dueAt ?? state.evaluationAt;
    upsertSearchAttributes([
      { key: Overdue, value: state.overdue },
      { key: AtRisk, value: state.atRisk },
      { key: DueAt, value: new Date(nextDue) },
    ]);
  }
  return { input, state, lp, run: { planVersion: 0, evaluationRound: 0 }, publish, setStage, refreshFlags };
}
