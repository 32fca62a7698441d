// A livelihood project's clocks: the progress reports (reminders, overdue, very overdue), the
// mid-year report, the evaluation rounds, the score and the escalation ladder. The order of their
// timers and activities is what the recorded histories hold.
import { allHandlersFinished, condition, getExternalWorkflowHandle, log, workflowInfo } from '@temporalio/workflow';
import { acts, ms, untilMs } from '../case-kit';
import { DueAt, Overdue } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import { projectSettledSignal, type CycleProject } from './definitions';
import type { ProjectCase } from './project-case';

export async function reportClock(c: ProjectCase): Promise<void> {
  const { state, lp, run, publish } = c;
  for (;;) {
    const v = run.planVersion;
    const period = state.periods.find((p) => p.status === 'open');
    if (!period || state.stage === 'closed' || state.stage === 'escalated') {
      await condition(() => run.planVersion !== v || state.stage === 'closed');
      if (state.stage === 'closed') return;
      continue;
    }
    const reported = () => period.status === 'reported' || state.stage === 'closed' || run.planVersion !== v;
    const reminders = await acts.computeReminders({ dueAt: period.dueAt, before: lp.progressReminderBefore });
    for (const [i, at] of reminders.entries()) {
      if (ms(at) <= Date.now()) continue;
      if (await condition(reported, untilMs(at), timer(`进度报告提醒 第 ${period.period} 期 ${i + 1}`, at))) break;
      await publish(`progress/${period.period}/reminder/${i + 1}`, {
        livelihoodProgressReminderSent: { unit: state.leadUnit, period: period.period, dueAt: period.dueAt },
      });
    }
    if (await condition(reported, untilMs(period.dueAt), timer(`进度报告期限 第 ${period.period} 期`, period.dueAt)))
      continue;
    period.status = 'overdue';
    c.refreshFlags();
    await publish(`progress/${period.period}/overdue`, {
      livelihoodProgressOverdue: {
        unit: state.leadUnit,
        period: period.period,
        dueAt: period.dueAt,
        veryOverdue: false,
      },
    });
    const veryAt = await acts.computeDeadline({ from: period.dueAt, window: lp.progressVeryOverdueAfter });
    const next = state.periods.find((p) => p.period === period.period + 1);
    // The next period's clock starts at its own time; a very-overdue step after it is not waited for.
    if (next && ms(veryAt) > ms(next.dueAt)) continue;
    if (await condition(reported, untilMs(veryAt), timer(`进度报告严重超期 第 ${period.period} 期`, veryAt))) continue;
    period.status = 'veryOverdue';
    c.refreshFlags();
    await publish(`progress/${period.period}/very-overdue`, {
      livelihoodProgressOverdue: {
        unit: state.leadUnit,
        period: period.period,
        dueAt: period.dueAt,
        veryOverdue: true,
      },
    });
  }
}

export async function midYearClock(c: ProjectCase): Promise<void> {
  const { state, publish } = c;
  await publish('mid-year/due', { livelihoodMidYearReportDue: { unit: state.leadUnit, dueAt: state.midYear.dueAt } });
  if (
    await condition(
      () => !!state.midYear.reportedAt || state.stage === 'closed',
      untilMs(state.midYear.dueAt),
      timer('年中报告期限', state.midYear.dueAt),
    )
  )
    return;
  state.midYear.overdue = true;
  c.refreshFlags();
  await publish('mid-year/overdue', {
    livelihoodMidYearOverdue: { unit: state.leadUnit, dueAt: state.midYear.dueAt },
  });
}

export async function tellCycle(c: ProjectCase, outcome: CycleProject['settled']): Promise<void> {
  const { input } = c;
  if (!input.cycleWorkflowId) return;
  try {
    await getExternalWorkflowHandle(input.cycleWorkflowId).signal(projectSettledSignal, {
      projectId: input.projectId,
      outcome,
    });
  } catch (err) {
    // The cycle may have ended (a carried-over project rated a year later): its events say so.
    log.warn(`${input.projectId} could not tell its cycle ${input.cycleWorkflowId} (${outcome})`, {
      error: String(err),
    });
  }
}

export async function evaluate(c: ProjectCase): Promise<boolean> {
  const { state, lp, run, publish } = c;
  run.evaluationRound++;
  state.evaluationDueAt = await acts.computeDeadline({ from: new Date().toISOString(), window: lp.evaluationWindow });
  c.setStage('evaluation');
  upsertSearchAttributes([{ key: DueAt, value: new Date(state.evaluationDueAt) }]);
  await publish(`evaluation/${run.evaluationRound}/opened`, {
    livelihoodEvaluationOpened: { round: run.evaluationRound, dueAt: state.evaluationDueAt },
  });
  const rated = () => state.evaluations.length >= run.evaluationRound;
  // Staff late with the result: the case is marked overdue and keeps waiting for it.
  if (
    !(await condition(
      rated,
      untilMs(state.evaluationDueAt),
      timer('满意度测评期限', state.evaluationDueAt, lp.evaluationWindow),
    ))
  ) {
    upsertSearchAttributes([{ key: Overdue, value: true }]);
    await condition(rated);
  }
  await condition(allHandlersFinished);
  return state.evaluations[run.evaluationRound - 1].satisfactory;
}

export async function score(c: ProjectCase, points: number, reason: string): Promise<void> {
  const { state, publish } = c;
  state.score = { points, reason };
  await publish('scored', { livelihoodProjectScored: { unit: state.leadUnit, points, reason } });
}

/** The policy's ladder, up to and including its top step for livelihood projects. */
function ladderSteps(c: ProjectCase) {
  const { input, lp } = c;
  const steps = input.policy.policy.escalation.steps;
  const top = steps.findIndex((s) => s.step === lp.ladderTopStep);
  return top >= 0 ? steps.slice(0, top + 1) : steps;
}

export async function escalate(c: ProjectCase, reason: string): Promise<'resolved' | 'exhausted'> {
  const { state, input, publish } = c;
  const ladderId = `${input.projectId}-ladder-${state.ladders.length + 1}`;
  state.ladders.push({ ladderId, reason });
  c.setStage('escalated');
  c.refreshFlags();
  await acts.startLadder({
    ladderId,
    caseId: input.projectId,
    caseKind: 'livelihood_project',
    jurisdiction: input.jurisdiction,
    unit: state.leadUnit,
    reason,
    steps: ladderSteps(c),
    notifyWorkflowId: workflowInfo().workflowId,
  });
  await publish(`escalated/${state.ladders.length}`, { livelihoodProjectEscalated: { ladderId, reason } });
  await condition(() => !!state.ladders.find((l) => l.ladderId === ladderId)!.outcome);
  return state.ladders.find((l) => l.ladderId === ladderId)!.outcome!;
}
