// One elected livelihood project (民生实事项目), from its start to its year-end rating: milestones,
// progress reports on the policy's schedule with reminders and overdue steps, inspections by
// deputy groups whose findings may demand a fix by a date, the mid-year report, the deputies'
// satisfaction evaluation with the policy's threshold and a score event for the lead department,
// a re-report (再报告) and a second rating when unsatisfactory, then the escalation ladder up to
// the special inquiry (专题询问). A project unfinished at its evaluation carries over into the next
// cycle. Deterministic: the clock is the workflow's, every side effect is an activity.
// The parts: project-state.ts (pure checks and changes), project-case.ts (publishing, flags),
// project-handlers.ts (the Updates), project-clock.ts (what the deadlines drive).
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { acts, untilMs } from '../case-kit';
import { CycleYear, DueAt, Unit } from '../search-attributes';
import { dayOf, describeCase, timer, upsertSearchAttributes } from '../ui';
import type { ProjectInput, ProjectState } from './definitions';
import { projectCase } from './project-case';
import { evaluate, escalate, midYearClock, reportClock, score, tellCycle } from './project-clock';
import { registerProjectHandlers } from './project-handlers';

export async function livelihoodProjectWorkflow(input: ProjectInput): Promise<ProjectState> {
  const c = await projectCase(input);
  const { state, lp, run, publish } = c;
  describeCase(() => {
    const period = state.periods.find((p) => p.status !== 'reported');
    return {
      进度: `${state.percent}%`,
      进度报告: period ? `第 ${period.period} 期，期限 ${dayOf(period.dueAt)}` : undefined,
      年终测评: dayOf(state.evaluationAt),
      结转: state.carryOvers || undefined,
    };
  });
  upsertSearchAttributes([
    { key: Unit, value: input.leadUnit },
    { key: CycleYear, value: state.cycleYear },
  ]);
  c.refreshFlags();
  registerProjectHandlers(c);

  // ---- the year
  await publish('started', {
    livelihoodProjectStarted: {
      projectId: input.projectId,
      cycleId: input.cycleId,
      candidateId: input.candidateId,
      leadUnit: input.leadUnit,
      coUnits: input.coUnits,
      budget: String(Math.round(input.budget)),
      milestones: state.milestones.map((m) => ({ milestoneId: m.milestoneId, name: m.name, dueDate: m.dueDate })),
      evaluationAt: state.evaluationAt,
      carriedFromYear: 0,
    },
  });
  void reportClock(c);
  void midYearClock(c);

  // Year end: an unfinished project carries over (as often as the policy allows), else is rated.
  for (;;) {
    await condition(() => false, untilMs(state.evaluationAt), timer('年终：结转或测评', state.evaluationAt));
    if (state.percent >= 100 || state.carryOvers >= lp.maxCarryOvers) break;
    state.carryOvers++;
    state.cycleYear = input.year + state.carryOvers;
    const from = state.evaluationAt;
    const next = await acts.planProjectSchedule({ policy: lp, startedAt: state.startedAt, from });
    const base = state.periods.length;
    state.periods.push(
      ...next.reportDueAts.map((dueAt, i) => ({ period: base + i + 1, dueAt, status: 'open' as const })),
    );
    state.evaluationAt = next.evaluationAt;
    run.planVersion++;
    c.setStage('carriedOver');
    upsertSearchAttributes([{ key: CycleYear, value: state.cycleYear }]);
    c.refreshFlags();
    await publish(`carried-over/${state.carryOvers}`, {
      livelihoodProjectCarriedOver: {
        fromYear: state.cycleYear - 1,
        intoYear: state.cycleYear,
        percent: state.percent,
        evaluationAt: state.evaluationAt,
      },
    });
    await tellCycle(c, 'carriedOver');
  }

  let satisfactory = await evaluate(c);
  if (state.carryOvers === 0) await tellCycle(c, satisfactory ? 'satisfactory' : 'unsatisfactory');
  if (!satisfactory) {
    // 再报告 within the policy's window, then a second rating.
    const dueAt = await acts.computeDeadline({ from: new Date().toISOString(), window: lp.reReportWindow });
    state.reReport = { dueAt };
    c.setStage('reReport');
    upsertSearchAttributes([{ key: DueAt, value: new Date(dueAt) }]);
    await publish('re-report/requested', { livelihoodReReportRequested: { unit: state.leadUnit, dueAt } });
    const reReported = await condition(
      () => !!state.reReport!.reportedAt,
      untilMs(dueAt),
      timer('再报告期限', dueAt, lp.reReportWindow),
    );
    await condition(allHandlersFinished);
    if (reReported) satisfactory = await evaluate(c);
    if (!satisfactory || !reReported) {
      await score(c, -lp.score.unsatisfactory, reReported ? 'unsatisfactoryAfterReReport' : 'reReportMissed');
      const outcome = await escalate(c, reReported ? 'unsatisfiedAfterReReport' : 'reReportMissed');
      state.outcome = outcome === 'resolved' ? 'escalationResolved' : 'escalationExhausted';
    } else {
      await score(c, lp.score.satisfactory, 'satisfactoryAfterReReport');
      state.outcome = 'satisfactory';
    }
  } else {
    await score(c, lp.score.satisfactory, 'satisfactory');
    state.outcome = 'satisfactory';
  }

  c.setStage('closed');
  c.refreshFlags();
  await publish('closed', {
    livelihoodProjectClosed: { outcome: state.outcome, percent: state.percent, spent: String(Math.round(state.spent)) },
  });
  await condition(allHandlersFinished);
  return state;
}
