// A livelihood project's checks, pure: whether an action may be taken, in the order the released
// validators made them (the first refusal wins). The Update validators throw what they return.
import { eachRefusal, firstRefusal, isStaffActor, refusal, type Refusal } from '../gates';
import type { Actor } from '../kernel/contracts';
import { nonEmpty } from '../kernel/text-guards';
import type {
  EvaluationInput,
  FixReportInput,
  InspectionInput,
  ProgressReportInput,
  ProjectState,
  UnitReportInput,
} from './definitions';
import { findingOf } from './project-state';
import { evaluationRoundOf, inProjectStage, isLeadUnit } from './rules';

const ms = (iso: string) => Date.parse(iso);

const leadUnit = (s: ProjectState, by: Actor, what: string) =>
  isLeadUnit(by, s)
    ? undefined
    : refusal.forbidden(
        `${what} for ${s.projectId} comes from its lead department ${s.leadUnit}, not ${by?.unit ?? by?.role}`,
      );

export const validateProject = {
  progress: (s: ProjectState, r: ProgressReportInput): Refusal | undefined =>
    firstRefusal(
      () => leadUnit(s, r.by, 'a progress report'),
      () =>
        inProjectStage(s, 'progress')
          ? undefined
          : refusal.conflict(`${s.projectId} is ${s.stage}; it takes no progress reports`),
      () =>
        !Number.isInteger(r.percent) || r.percent < 0 || r.percent > 100
          ? refusal.invalid('percent must be a whole number 0–100')
          : undefined,
      () =>
        r.percent < s.percent ? refusal.invalid(`percent must not go down (last report: ${s.percent}%)`) : undefined,
      () => (!Number.isFinite(r.spent) || r.spent < 0 ? refusal.invalid('spent must be yuan, 0 or more') : undefined),
      () => nonEmpty(r.summary, 'summary'),
      eachRefusal(r.milestonesDone, (id) =>
        s.milestones.some((m) => m.milestoneId === id)
          ? undefined
          : refusal.invalid(`no milestone ${id} in ${s.projectId}`),
      ),
    ),

  inspection: (s: ProjectState, i: InspectionInput, { now }: { now: number }): Refusal | undefined =>
    firstRefusal(
      () =>
        !i.by || (i.by.role !== 'deputy' && !isStaffActor(i.by))
          ? refusal.forbidden('inspections are recorded by deputies of the inspecting group or by staff')
          : undefined,
      () =>
        inProjectStage(s, 'inspection')
          ? undefined
          : refusal.conflict(`${s.projectId} is ${s.stage}; it takes no inspections`),
      () => nonEmpty(i.group, 'group'),
      () => (Array.isArray(i.findings) ? undefined : refusal.invalid('findings must be a list')),
      eachRefusal(i.findings, (f, k) => {
        const empty = nonEmpty(f.text, `findings.${k}.text`);
        if (empty) return empty;
        if (f.fixDueAt !== undefined && (Number.isNaN(ms(f.fixDueAt)) || ms(f.fixDueAt) <= now))
          return refusal.invalid(`findings.${k}.fixDueAt must be a future date-time`);
        return undefined;
      }),
    ),

  fix: (s: ProjectState, r: FixReportInput): Refusal | undefined => {
    const f = findingOf(s, r.findingId);
    return firstRefusal(
      () => leadUnit(s, r.by, 'a fix report'),
      () => (f ? undefined : refusal.invalid(`no finding ${r.findingId} in ${s.projectId}`)),
      () => (f!.fixRequired ? undefined : refusal.conflict(`finding ${r.findingId} demands no fix`)),
      () => (f!.status === 'fixed' ? refusal.conflict(`finding ${r.findingId} is fixed already`) : undefined),
      () => nonEmpty(r.note, 'note'),
    );
  },

  midYear: (s: ProjectState, r: UnitReportInput): Refusal | undefined =>
    firstRefusal(
      () => leadUnit(s, r.by, 'the mid-year report'),
      () => (inProjectStage(s, 'midYearReport') ? undefined : refusal.conflict(`${s.projectId} is ${s.stage}`)),
      () => (s.midYear.reportedAt ? refusal.conflict('the mid-year report has been submitted already') : undefined),
      () => nonEmpty(r.summary, 'summary'),
    ),

  evaluation: (s: ProjectState, e: EvaluationInput): Refusal | undefined =>
    firstRefusal(
      () => (isStaffActor(e.by) ? undefined : refusal.forbidden('committee staff record the evaluation')),
      () =>
        inProjectStage(s, 'evaluation')
          ? undefined
          : refusal.conflict(`${s.projectId} is ${s.stage}; the evaluation opens at ${s.evaluationAt}`),
      () =>
        s.evaluations.length >= evaluationRoundOf(s)
          ? refusal.alreadyRated('this round has been rated already')
          : undefined,
      eachRefusal(['satisfied', 'basicallySatisfied', 'unsatisfied'] as const, (k) =>
        !Number.isInteger(e[k]) || e[k] < 0 ? refusal.invalid(`${k} must be a count, 0 or more`) : undefined,
      ),
      () =>
        e.satisfied + e.basicallySatisfied + e.unsatisfied === 0
          ? refusal.invalid('nobody rated: the counts are all 0')
          : undefined,
    ),

  reReport: (s: ProjectState, r: UnitReportInput): Refusal | undefined =>
    firstRefusal(
      () => leadUnit(s, r.by, 'the re-report'),
      () =>
        inProjectStage(s, 'reReport')
          ? undefined
          : refusal.conflict(`${s.projectId} is ${s.stage}; no re-report is due`),
      () => (s.reReport?.reportedAt ? refusal.conflict('the re-report has been submitted already') : undefined),
      () => nonEmpty(r.summary, 'summary'),
    ),
};
