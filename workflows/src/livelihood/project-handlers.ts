// A livelihood project's handlers: each validator throws what the pure check refuses
// (project-state.ts `validateProject`), each handler applies the change (`applyProject`), then
// refreshes the flags and publishes the event, in the order the released workflow did.
import { condition, setHandler } from '@temporalio/workflow';
import { acts, actorName, untilMs } from '../case-kit';
import { enforce, ladderEndedSignal } from '../kernel';
import { Satisfaction } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import {
  projectStateQuery,
  recordEvaluationUpdate,
  recordInspectionUpdate,
  reportFixUpdate,
  reportProgressUpdate,
  submitMidYearReportUpdate,
  submitReReportUpdate,
  type Finding,
} from './definitions';
import type { ProjectCase } from './project-case';
import { applyProject as apply } from './project-state';
import { validateProject as validate } from './project-validate';

export function registerProjectHandlers(c: ProjectCase): void {
  const { state, lp, publish } = c;

  setHandler(projectStateQuery, () => state);

  setHandler(
    reportProgressUpdate,
    async (r) => {
      const e = apply.progress(state, r, actorName(r.by), Date.now());
      c.refreshFlags();
      await publish(e.step, e.body, actorName(r.by));
      return state;
    },
    { validator: (r) => enforce(validate.progress(state, r)) },
  );

  setHandler(
    recordInspectionUpdate,
    async (i) => {
      const fixDueAts: (string | undefined)[] = [];
      for (const f of i.findings)
        fixDueAts.push(
          f.fixRequired
            ? (f.fixDueAt ??
                (await acts.computeDeadline({ from: new Date().toISOString(), window: lp.findingFixWindow })))
            : undefined,
        );
      const { event, fixes } = apply.inspection(state, i, fixDueAts, actorName(i.by), Date.now());
      await publish(event.step, event.body, actorName(i.by));
      for (const f of fixes) {
        await publish(`fix/${f.findingId}/required`, {
          livelihoodFixRequired: { findingId: f.findingId, unit: state.leadUnit, dueAt: f.fixDueAt },
        });
        void watchFix(c, f);
      }
      return state;
    },
    { validator: (i) => enforce(validate.inspection(state, i, { now: Date.now() })) },
  );

  setHandler(
    reportFixUpdate,
    async (r) => {
      const e = apply.fix(state, r, Date.now());
      c.refreshFlags();
      await publish(e.step, e.body, actorName(r.by));
      return state;
    },
    { validator: (r) => enforce(validate.fix(state, r)) },
  );

  setHandler(
    submitMidYearReportUpdate,
    async (r) => {
      const e = apply.midYear(state, r, Date.now());
      c.refreshFlags();
      await publish(e.step, e.body, actorName(r.by));
      return state;
    },
    { validator: (r) => enforce(validate.midYear(state, r)) },
  );

  setHandler(
    recordEvaluationUpdate,
    async (e) => {
      const { event, satisfactory } = apply.evaluation(state, e, lp, Date.now());
      upsertSearchAttributes([{ key: Satisfaction, value: satisfactory ? 'satisfactory' : 'unsatisfactory' }]);
      await publish(event.step, event.body, actorName(e.by));
      return state;
    },
    { validator: (e) => enforce(validate.evaluation(state, e)) },
  );

  setHandler(
    submitReReportUpdate,
    async (r) => {
      const e = apply.reReport(state, r, Date.now());
      await publish(e.step, e.body, actorName(r.by));
      return state;
    },
    { validator: (r) => enforce(validate.reReport(state, r)) },
  );

  setHandler(ladderEndedSignal, ({ ladderId, outcome }) => {
    const ladder = state.ladders.find((l) => l.ladderId === ladderId);
    if (ladder && !ladder.outcome) ladder.outcome = outcome;
  });
}

/** A finding that demands a fix: overdue when its date passes unfixed. */
async function watchFix(c: ProjectCase, f: Finding): Promise<void> {
  const fixed = await condition(
    () => f.status === 'fixed' || c.state.stage === 'closed',
    untilMs(f.fixDueAt!),
    timer(`整改期限 ${f.findingId}`, f.fixDueAt),
  );
  if (fixed) return;
  f.status = 'overdue';
  c.refreshFlags();
  await c.publish(`fix/${f.findingId}/overdue`, {
    livelihoodFixOverdue: { findingId: f.findingId, unit: c.state.leadUnit, dueAt: f.fixDueAt },
  });
}
