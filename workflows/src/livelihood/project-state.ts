// A livelihood project as a pure state machine: `validateProject` (project-validate.ts) says
// whether an action may be taken, `applyProject` changes the state for an accepted action
// and names the event that follows. No workflow APIs: unit tests run it without a server
// (workflows/test/unit/livelihood-project-state.test.ts); project-handlers.ts wires it.
import type { LivelihoodPolicy } from '@duban/domain';
import { satisfactionShare } from '@duban/domain/pure';
import type { EventBody } from '../activities';
import type {
  EvaluationInput,
  Finding,
  FixReportInput,
  InspectionInput,
  ProgressReportInput,
  ProjectInput,
  ProjectState,
  UnitReportInput,
} from './definitions';

/** The event an accepted action publishes: "<projectId>/<step>". */
export interface ProjectEvent {
  step: string;
  body: EventBody;
}

const ms = (iso: string) => Date.parse(iso);
const iso = (at: number) => new Date(at).toISOString();

export function initialProjectState(
  input: ProjectInput,
  startedAt: string,
  plan: { reportDueAts: string[]; midYearDueAt: string; evaluationAt: string },
): ProjectState {
  return {
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
}

export const findingOf = (s: ProjectState, findingId: string) =>
  s.inspections.flatMap((i) => i.findings).find((x) => x.findingId === findingId);

/** The changes an accepted action makes; `now` is the workflow's clock. */
export const applyProject = {
  progress(s: ProjectState, r: ProgressReportInput, by: string, now: number): ProjectEvent {
    const at = iso(now);
    const period = s.periods.find((p) => p.status !== 'reported');
    const n = period?.period ?? s.reports.length + 1;
    const onTime = !period || now <= ms(period.dueAt);
    if (period) {
      period.status = 'reported';
      period.reportedAt = at;
      period.onTime = onTime;
    }
    const done = r.milestonesDone ?? [];
    for (const m of s.milestones)
      if (done.includes(m.milestoneId) && !m.done) {
        m.done = true;
        m.doneAt = at;
      }
    const report = { period: n, percent: r.percent, spent: r.spent, summary: r.summary.trim(), milestonesDone: done };
    s.latestReport = { ...report, reportedAt: at, onTime, by };
    s.reports.push(s.latestReport);
    s.percent = r.percent;
    s.spent = r.spent;
    return {
      step: `progress/${n}`,
      body: {
        livelihoodProgressReported: {
          unit: s.leadUnit,
          period: n,
          percent: r.percent,
          spent: String(Math.round(r.spent)),
          onTime,
          milestonesDone: done,
        },
      },
    };
  },

  /** Records an inspection whose findings' fix dates are known (the handler computes defaults). */
  inspection(s: ProjectState, i: InspectionInput, fixDueAts: (string | undefined)[], by: string, now: number) {
    const inspectionId = `i${s.inspections.length + 1}`;
    const findings: Finding[] = i.findings.map((f, k) => ({
      findingId: `${inspectionId}-f${k + 1}`,
      text: f.text.trim(),
      fixRequired: f.fixRequired,
      ...(fixDueAts[k] ? { fixDueAt: fixDueAts[k] } : {}),
      status: f.fixRequired ? 'open' : 'noted',
    }));
    s.inspections.push({ inspectionId, group: i.group, by, at: iso(now), findings });
    const event: ProjectEvent = {
      step: `inspection/${inspectionId}`,
      body: {
        livelihoodInspectionRecorded: {
          inspectionId,
          group: i.group,
          findings: findings.length,
          fixesRequired: findings.filter((f) => f.fixRequired).length,
        },
      },
    };
    return { event, fixes: findings.filter((x) => x.fixRequired) };
  },

  fix(s: ProjectState, r: FixReportInput, now: number): ProjectEvent {
    const f = findingOf(s, r.findingId)!;
    const onTime = f.status === 'open';
    f.status = 'fixed';
    f.fix = { note: r.note.trim(), at: iso(now), onTime };
    return {
      step: `fix/${f.findingId}/reported`,
      body: { livelihoodFixReported: { findingId: f.findingId, unit: s.leadUnit, onTime } },
    };
  },

  midYear(s: ProjectState, r: UnitReportInput, now: number): ProjectEvent {
    s.midYear.reportedAt = iso(now);
    s.midYear.onTime = now <= ms(s.midYear.dueAt);
    s.midYear.summary = r.summary.trim();
    s.midYear.overdue = false;
    return {
      step: 'mid-year/reported',
      body: { livelihoodMidYearReported: { unit: s.leadUnit, onTime: s.midYear.onTime } },
    };
  },

  evaluation(s: ProjectState, e: EvaluationInput, lp: LivelihoodPolicy, now: number) {
    const share = satisfactionShare(e);
    const satisfactory = share >= lp.satisfactionThreshold;
    const round = s.evaluations.length + 1;
    s.evaluations.push({ round, ...e, by: undefined, share, satisfactory, at: iso(now) } as never);
    const event: ProjectEvent = {
      step: `rated/${round}`,
      body: {
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
    };
    return { event, satisfactory };
  },

  reReport(s: ProjectState, r: UnitReportInput, now: number): ProjectEvent {
    s.reReport!.reportedAt = iso(now);
    s.reReport!.onTime = now <= ms(s.reReport!.dueAt);
    s.reReport!.summary = r.summary.trim();
    return { step: 're-reported', body: { livelihoodReReported: { unit: s.leadUnit, onTime: s.reReport!.onTime } } };
  },
};
