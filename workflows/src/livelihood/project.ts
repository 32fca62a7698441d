// One elected livelihood project (民生实事项目), from its start to its year-end rating: milestones,
// progress reports on the policy's schedule with reminders and overdue steps, inspections by
// deputy groups whose findings may demand a fix by a date, the mid-year report, the deputies'
// satisfaction evaluation with the policy's threshold and a score event for the lead department,
// a re-report (再报告) and a second rating when unsatisfactory, then the escalation ladder up to
// the special inquiry (专题询问). A project unfinished at its evaluation carries over into the next
// cycle. Deterministic: the clock is the workflow's, every side effect is an activity.
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { satisfactionShare } from '@duban/domain/pure';
import { acts, actorName, alreadyRated, conflict, eventChain, forbidden, invalid, ms, untilMs } from '../case-kit';
import { AtRisk, CycleYear, DueAt, Overdue, Satisfaction, Unit, stageAttributes } from '../search-attributes';
import { dayOf, describeCase, timer, upsertSearchAttributes } from '../ui';
import { ladderEndedSignal, requireNonEmpty, type Actor } from '../kernel';
import {
  projectSettledSignal,
  projectStateQuery,
  recordEvaluationUpdate,
  recordInspectionUpdate,
  reportFixUpdate,
  reportProgressUpdate,
  submitMidYearReportUpdate,
  submitReReportUpdate,
  type CycleProject,
  type Finding,
  type ProjectInput,
  type ProjectStage,
  type ProjectState,
  type ReportPeriod,
} from './definitions';
import { isStaffActor } from '../gates';
import { evaluationRoundOf, inProjectStage, isLeadUnit } from './rules';

export async function livelihoodProjectWorkflow(input: ProjectInput): Promise<ProjectState> {
  const lp = input.policy.policy.livelihood;
  const startedAt = new Date().toISOString();
  const plan = await acts.planProjectSchedule({ policy: lp, startedAt });
  const state: ProjectState = {
    projectId: input.projectId,
    cycleId: input.cycleId,
    jurisdiction: input.jurisdiction,
    year: input.year,
    cycleYear: input.year,
    candidateId: input.candidateId,
    title: input.title,
    category: input.category,
    leadUnit: input.leadUnit,
    coUnits: input.coUnits,
    budget: input.budget,
    stage: 'implementation',
    startedAt,
    percent: 0,
    spent: 0,
    milestones: input.milestones.map((m, i) => ({ ...m, milestoneId: `m${i + 1}`, done: false })),
    periods: plan.reportDueAts.map((dueAt, i) => ({ period: i + 1, dueAt, status: 'open' })),
    reports: [],
    inspections: [],
    midYear: { dueAt: plan.midYearDueAt, overdue: false },
    evaluationAt: plan.evaluationAt,
    evaluations: [],
    carryOvers: 0,
    ladders: [],
    overdue: false,
    atRisk: false,
    eventsPublished: 0,
  };
  /** Rises when a new year's report periods are planned (carry-over), so the clock follows. */
  let planVersion = 0;
  /** The evaluation round open now (1, or 2 after a re-report). */
  let evaluationRound = 0;

  // ---- publishing: one event per transition, in order, with a deterministic id.
  const publish = eventChain({
    caseId: input.projectId,
    caseKind: 'livelihood_project',
    jurisdiction: input.jurisdiction,
    record: () => state.eventsPublished++,
  });
  describeCase(() => {
    const period = state.periods.find((p) => p.status !== 'reported');
    return {
      进度: `${state.percent}%`,
      进度报告: period ? `第 ${period.period} 期，期限 ${dayOf(period.dueAt)}` : undefined,
      年终测评: dayOf(state.evaluationAt),
      结转: state.carryOvers || undefined,
    };
  });
  function setStage(stage: ProjectStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  /** Overdue: a report period, the mid-year report or a fix is past its date and missing. */
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
  upsertSearchAttributes([
    { key: Unit, value: input.leadUnit },
    { key: CycleYear, value: state.cycleYear },
  ]);
  refreshFlags();

  // ---- validators' helpers
  const requireLeadUnit = (by: Actor, what: string) => {
    if (!isLeadUnit(by, state))
      throw forbidden(
        `${what} for ${input.projectId} comes from its lead department ${state.leadUnit}, not ${by?.unit ?? by?.role}`,
      );
  };

  setHandler(projectStateQuery, () => state);

  setHandler(
    reportProgressUpdate,
    async (r) => {
      const now = new Date().toISOString();
      const period: ReportPeriod | undefined = state.periods.find((p) => p.status !== 'reported');
      const n = period?.period ?? state.reports.length + 1;
      const onTime = !period || ms(now) <= ms(period.dueAt);
      if (period) {
        period.status = 'reported';
        period.reportedAt = now;
        period.onTime = onTime;
      }
      const done = r.milestonesDone ?? [];
      for (const m of state.milestones)
        if (done.includes(m.milestoneId) && !m.done) {
          m.done = true;
          m.doneAt = now;
        }
      const report = {
        period: n,
        percent: r.percent,
        spent: r.spent,
        summary: r.summary.trim(),
        milestonesDone: done,
        reportedAt: now,
        onTime,
        by: actorName(r.by),
      };
      state.reports.push(report);
      state.latestReport = report;
      state.percent = r.percent;
      state.spent = r.spent;
      refreshFlags();
      await publish(
        `progress/${n}`,
        {
          livelihoodProgressReported: {
            unit: state.leadUnit,
            period: n,
            percent: r.percent,
            spent: String(Math.round(r.spent)),
            onTime,
            milestonesDone: done,
          },
        },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        requireLeadUnit(r.by, 'a progress report');
        if (!inProjectStage(state, 'progress'))
          throw conflict(`${input.projectId} is ${state.stage}; it takes no progress reports`);
        if (!Number.isInteger(r.percent) || r.percent < 0 || r.percent > 100)
          throw invalid('percent must be a whole number 0–100');
        if (r.percent < state.percent) throw invalid(`percent must not go down (last report: ${state.percent}%)`);
        if (!Number.isFinite(r.spent) || r.spent < 0) throw invalid('spent must be yuan, 0 or more');
        requireNonEmpty(r.summary, 'summary');
        for (const id of r.milestonesDone ?? [])
          if (!state.milestones.some((m) => m.milestoneId === id))
            throw invalid(`no milestone ${id} in ${input.projectId}`);
      },
    },
  );

  setHandler(
    recordInspectionUpdate,
    async (i) => {
      const inspectionId = `i${state.inspections.length + 1}`;
      const findings: Finding[] = [];
      for (const [k, f] of i.findings.entries()) {
        const fixDueAt = f.fixRequired
          ? (f.fixDueAt ??
            (await acts.computeDeadline({ from: new Date().toISOString(), window: lp.findingFixWindow })))
          : undefined;
        findings.push({
          findingId: `${inspectionId}-f${k + 1}`,
          text: f.text.trim(),
          fixRequired: f.fixRequired,
          ...(fixDueAt ? { fixDueAt } : {}),
          status: f.fixRequired ? 'open' : 'noted',
        });
      }
      state.inspections.push({
        inspectionId,
        group: i.group,
        by: actorName(i.by),
        at: new Date().toISOString(),
        findings,
      });
      await publish(
        `inspection/${inspectionId}`,
        {
          livelihoodInspectionRecorded: {
            inspectionId,
            group: i.group,
            findings: findings.length,
            fixesRequired: findings.filter((f) => f.fixRequired).length,
          },
        },
        actorName(i.by),
      );
      for (const f of findings.filter((x) => x.fixRequired)) {
        await publish(`fix/${f.findingId}/required`, {
          livelihoodFixRequired: { findingId: f.findingId, unit: state.leadUnit, dueAt: f.fixDueAt },
        });
        void watchFix(f);
      }
      return state;
    },
    {
      validator: (i) => {
        if (!i.by || (i.by.role !== 'deputy' && !isStaffActor(i.by)))
          throw forbidden('inspections are recorded by deputies of the inspecting group or by staff');
        if (!inProjectStage(state, 'inspection'))
          throw conflict(`${input.projectId} is ${state.stage}; it takes no inspections`);
        requireNonEmpty(i.group, 'group');
        if (!Array.isArray(i.findings)) throw invalid('findings must be a list');
        for (const [k, f] of i.findings.entries()) {
          requireNonEmpty(f.text, `findings.${k}.text`);
          if (f.fixDueAt !== undefined && (Number.isNaN(ms(f.fixDueAt)) || ms(f.fixDueAt) <= Date.now()))
            throw invalid(`findings.${k}.fixDueAt must be a future date-time`);
        }
      },
    },
  );

  async function watchFix(f: Finding): Promise<void> {
    const fixed = await condition(
      () => f.status === 'fixed' || state.stage === 'closed',
      untilMs(f.fixDueAt!),
      timer(`整改期限 ${f.findingId}`, f.fixDueAt),
    );
    if (fixed) return;
    f.status = 'overdue';
    refreshFlags();
    await publish(`fix/${f.findingId}/overdue`, {
      livelihoodFixOverdue: { findingId: f.findingId, unit: state.leadUnit, dueAt: f.fixDueAt },
    });
  }

  setHandler(
    reportFixUpdate,
    async (r) => {
      const f = state.inspections.flatMap((i) => i.findings).find((x) => x.findingId === r.findingId)!;
      const onTime = f.status === 'open';
      f.status = 'fixed';
      f.fix = { note: r.note.trim(), at: new Date().toISOString(), onTime };
      refreshFlags();
      await publish(
        `fix/${f.findingId}/reported`,
        { livelihoodFixReported: { findingId: f.findingId, unit: state.leadUnit, onTime } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        requireLeadUnit(r.by, 'a fix report');
        const f = state.inspections.flatMap((i) => i.findings).find((x) => x.findingId === r.findingId);
        if (!f) throw invalid(`no finding ${r.findingId} in ${input.projectId}`);
        if (!f.fixRequired) throw conflict(`finding ${r.findingId} demands no fix`);
        if (f.status === 'fixed') throw conflict(`finding ${r.findingId} is fixed already`);
        requireNonEmpty(r.note, 'note');
      },
    },
  );

  setHandler(
    submitMidYearReportUpdate,
    async (r) => {
      const now = new Date().toISOString();
      state.midYear.reportedAt = now;
      state.midYear.onTime = ms(now) <= ms(state.midYear.dueAt);
      state.midYear.summary = r.summary.trim();
      state.midYear.overdue = false;
      refreshFlags();
      await publish(
        'mid-year/reported',
        { livelihoodMidYearReported: { unit: state.leadUnit, onTime: state.midYear.onTime } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        requireLeadUnit(r.by, 'the mid-year report');
        if (!inProjectStage(state, 'midYearReport')) throw conflict(`${input.projectId} is ${state.stage}`);
        if (state.midYear.reportedAt) throw conflict('the mid-year report has been submitted already');
        requireNonEmpty(r.summary, 'summary');
      },
    },
  );

  setHandler(
    recordEvaluationUpdate,
    async (e) => {
      const share = satisfactionShare(e);
      const satisfactory = share >= lp.satisfactionThreshold;
      const round = state.evaluations.length + 1;
      state.evaluations.push({
        round,
        ...e,
        by: undefined,
        share,
        satisfactory,
        at: new Date().toISOString(),
      } as never);
      upsertSearchAttributes([{ key: Satisfaction, value: satisfactory ? 'satisfactory' : 'unsatisfactory' }]);
      await publish(
        `rated/${round}`,
        {
          livelihoodProjectRated: {
            round,
            satisfied: e.satisfied,
            basicallySatisfied: e.basicallySatisfied,
            unsatisfied: e.unsatisfied,
            share,
            threshold: lp.satisfactionThreshold,
            satisfactory,
            notHeld: false,
          },
        },
        actorName(e.by),
      );
      return state;
    },
    {
      validator: (e) => {
        if (!isStaffActor(e.by)) throw forbidden('committee staff record the evaluation');
        if (!inProjectStage(state, 'evaluation'))
          throw conflict(`${input.projectId} is ${state.stage}; the evaluation opens at ${state.evaluationAt}`);
        if (state.evaluations.length >= evaluationRoundOf(state))
          throw alreadyRated('this round has been rated already');
        for (const k of ['satisfied', 'basicallySatisfied', 'unsatisfied'] as const)
          if (!Number.isInteger(e[k]) || e[k] < 0) throw invalid(`${k} must be a count, 0 or more`);
        if (e.satisfied + e.basicallySatisfied + e.unsatisfied === 0)
          throw invalid('nobody rated: the counts are all 0');
      },
    },
  );

  setHandler(
    submitReReportUpdate,
    async (r) => {
      const now = new Date().toISOString();
      state.reReport!.reportedAt = now;
      state.reReport!.onTime = ms(now) <= ms(state.reReport!.dueAt);
      state.reReport!.summary = r.summary.trim();
      await publish(
        're-reported',
        { livelihoodReReported: { unit: state.leadUnit, onTime: state.reReport!.onTime } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        requireLeadUnit(r.by, 'the re-report');
        if (!inProjectStage(state, 'reReport'))
          throw conflict(`${input.projectId} is ${state.stage}; no re-report is due`);
        if (state.reReport?.reportedAt) throw conflict('the re-report has been submitted already');
        requireNonEmpty(r.summary, 'summary');
      },
    },
  );

  setHandler(ladderEndedSignal, ({ ladderId, outcome }) => {
    const ladder = state.ladders.find((l) => l.ladderId === ladderId);
    if (ladder && !ladder.outcome) ladder.outcome = outcome;
  });

  // ---- the clocks: progress reports (reminders, overdue, very overdue), the mid-year report.
  async function reportClock(): Promise<void> {
    for (;;) {
      const v = planVersion;
      const period = state.periods.find((p) => p.status === 'open');
      if (!period || state.stage === 'closed' || state.stage === 'escalated') {
        await condition(() => planVersion !== v || state.stage === 'closed');
        if (state.stage === 'closed') return;
        continue;
      }
      const reported = () => period.status === 'reported' || state.stage === 'closed' || planVersion !== v;
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
      refreshFlags();
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
      if (await condition(reported, untilMs(veryAt), timer(`进度报告严重超期 第 ${period.period} 期`, veryAt)))
        continue;
      period.status = 'veryOverdue';
      refreshFlags();
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

  async function midYearClock(): Promise<void> {
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
    refreshFlags();
    await publish('mid-year/overdue', {
      livelihoodMidYearOverdue: { unit: state.leadUnit, dueAt: state.midYear.dueAt },
    });
  }

  async function tellCycle(outcome: CycleProject['settled']): Promise<void> {
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

  async function evaluate(): Promise<boolean> {
    evaluationRound++;
    state.evaluationDueAt = await acts.computeDeadline({ from: new Date().toISOString(), window: lp.evaluationWindow });
    setStage('evaluation');
    upsertSearchAttributes([{ key: DueAt, value: new Date(state.evaluationDueAt) }]);
    await publish(`evaluation/${evaluationRound}/opened`, {
      livelihoodEvaluationOpened: { round: evaluationRound, dueAt: state.evaluationDueAt },
    });
    const rated = () => state.evaluations.length >= evaluationRound;
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
    return state.evaluations[evaluationRound - 1].satisfactory;
  }

  async function score(points: number, reason: string): Promise<void> {
    state.score = { points, reason };
    await publish('scored', { livelihoodProjectScored: { unit: state.leadUnit, points, reason } });
  }

  /** The policy's ladder, up to and including its top step for livelihood projects. */
  function ladderSteps() {
    const steps = input.policy.policy.escalation.steps;
    const top = steps.findIndex((s) => s.step === lp.ladderTopStep);
    return top >= 0 ? steps.slice(0, top + 1) : steps;
  }

  async function escalate(reason: string): Promise<'resolved' | 'exhausted'> {
    const ladderId = `${input.projectId}-ladder-${state.ladders.length + 1}`;
    state.ladders.push({ ladderId, reason });
    setStage('escalated');
    refreshFlags();
    await acts.startLadder({
      ladderId,
      caseId: input.projectId,
      caseKind: 'livelihood_project',
      jurisdiction: input.jurisdiction,
      unit: state.leadUnit,
      reason,
      steps: ladderSteps(),
      notifyWorkflowId: workflowInfo().workflowId,
    });
    await publish(`escalated/${state.ladders.length}`, { livelihoodProjectEscalated: { ladderId, reason } });
    await condition(() => !!state.ladders.find((l) => l.ladderId === ladderId)!.outcome);
    return state.ladders.find((l) => l.ladderId === ladderId)!.outcome!;
  }

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
  void reportClock();
  void midYearClock();

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
    planVersion++;
    setStage('carriedOver');
    upsertSearchAttributes([{ key: CycleYear, value: state.cycleYear }]);
    refreshFlags();
    await publish(`carried-over/${state.carryOvers}`, {
      livelihoodProjectCarriedOver: {
        fromYear: state.cycleYear - 1,
        intoYear: state.cycleYear,
        percent: state.percent,
        evaluationAt: state.evaluationAt,
      },
    });
    await tellCycle('carriedOver');
  }

  let satisfactory = await evaluate();
  if (state.carryOvers === 0) await tellCycle(satisfactory ? 'satisfactory' : 'unsatisfactory');
  if (!satisfactory) {
    // 再报告 within the policy's window, then a second rating.
    const dueAt = await acts.computeDeadline({ from: new Date().toISOString(), window: lp.reReportWindow });
    state.reReport = { dueAt };
    setStage('reReport');
    upsertSearchAttributes([{ key: DueAt, value: new Date(dueAt) }]);
    await publish('re-report/requested', { livelihoodReReportRequested: { unit: state.leadUnit, dueAt } });
    const reReported = await condition(
      () => !!state.reReport!.reportedAt,
      untilMs(dueAt),
      timer('再报告期限', dueAt, lp.reReportWindow),
    );
    await condition(allHandlersFinished);
    if (reReported) satisfactory = await evaluate();
    if (!satisfactory || !reReported) {
      await score(-lp.score.unsatisfactory, reReported ? 'unsatisfactoryAfterReReport' : 'reReportMissed');
      const outcome = await escalate(reReported ? 'unsatisfiedAfterReReport' : 'reReportMissed');
      state.outcome = outcome === 'resolved' ? 'escalationResolved' : 'escalationExhausted';
    } else {
      await score(lp.score.satisfactory, 'satisfactoryAfterReReport');
      state.outcome = 'satisfactory';
    }
  } else {
    await score(lp.score.satisfactory, 'satisfactory');
    state.outcome = 'satisfactory';
  }

  setStage('closed');
  refreshFlags();
  await publish('closed', {
    livelihoodProjectClosed: { outcome: state.outcome, percent: state.percent, spent: String(Math.round(state.spent)) },
  });
  await condition(allHandlersFinished);
  return state;
}
