// Assignment (交办) and what hangs on it: the plan with the reply deadline, the co-handlers'
// opinion deadline, and the recount of a provisional deadline when a year's calendar is published.
import { condition } from '@temporalio/workflow';
import { actorName, untilMs } from '../case-kit';
import type { Actor } from '../kernel';
import { AtRisk, Unit } from '../search-attributes';
import { timer } from '../ui';
import type { SuggestionCase } from './case';

export async function assign(c: SuggestionCase, by: Actor, leadUnit?: string, coHandlers?: string[]): Promise<void> {
  const { state, input } = c;
  const plan = await c.acts.planAssignment({
    policy: input.policy.policy,
    category: state.category,
    assignedAt: new Date().toISOString(),
    leadUnit,
    coHandlers,
    ...(c.local ? { withMilestones: true } : {}),
  });
  if (plan.milestones) c.milestonesOf.set(plan.replyDueAt, plan.milestones);
  c.run.planned = { assignedAt: plan.assignedAt, replyDueAt: plan.replyDueAt, window: plan.window };
  state.assignmentNo++;
  state.leadUnit = plan.leadUnit;
  state.coHandlers = plan.coHandlers.filter((u) => u !== plan.leadUnit);
  state.assignedAt = plan.assignedAt;
  // State only (no command): replays of older cases are unaffected.
  if (plan.calendarProvisional) state.calendarProvisional = true;
  else delete state.calendarProvisional;
  state.objectionDueAt = plan.objectionDueAt;
  state.coHandlerDueAt = plan.coHandlerDueAt;
  state.maxReplyDueAt = plan.maxReplyDueAt;
  state.objection = undefined;
  state.coHandlerOpinions = {};
  state.overdue = false;
  state.veryOverdue = false;
  c.oneUpsert(() => {
    c.setDue(plan.replyDueAt);
    c.setStage('assigned');
    c.upsert([
      { key: Unit, value: plan.leadUnit },
      { key: AtRisk, value: false },
    ]);
  });
  const n = state.assignmentNo;
  void watchCoHandlers(c, n);
  await c.publish(
    `assigned/${n}`,
    {
      suggestionAssigned: {
        leadUnit: plan.leadUnit,
        coHandlers: state.coHandlers,
        assignedAt: plan.assignedAt,
        replyDueAt: plan.replyDueAt,
        windowUnit: plan.window.unit,
        windowAmount: plan.window.amount,
        assignmentNo: n,
        key: !!state.key,
        leadingOfficial: state.key?.leadingOfficial ?? '',
        supervisingCommittee: state.key?.supervisingCommittee ?? '',
        objectionDueAt: plan.objectionDueAt,
        coHandlerDueAt: plan.coHandlerDueAt,
        maxReplyDueAt: plan.maxReplyDueAt,
      },
    },
    actorName(by),
  );
}

/** Each co-handler owes the lead unit an opinion by coHandlerDueAt (per assignment). */
async function watchCoHandlers(c: SuggestionCase, assignmentNo: number): Promise<void> {
  const { state } = c;
  const due = state.coHandlerDueAt;
  if (!due) return;
  const stale = () => state.assignmentNo !== assignmentNo || state.stage === 'closed';
  await Promise.all(
    state.coHandlers.map(async (unit) => {
      const answered = await condition(
        () => stale() || !!state.coHandlerOpinions[unit],
        untilMs(due),
        timer(`协办意见期限 ${unit}`, due),
      );
      if (!answered && !stale())
        await c.publish(`co-handler-overdue/${assignmentNo}/${unit}`, { coHandlerOverdue: { unit, dueAt: due } });
    }),
  );
}

/**
 * A year's calendar was published: the first-round reply deadline, if it was counted Monday–
 * Friday only and has not moved since (no extension, no pause), is counted again; when the date
 * changes the timers follow it and DeadlineRecomputed tells the unit. Otherwise nothing happens,
 * so a repeated signal is harmless.
 */
export async function recountReplyDue(c: SuggestionCase, year: number): Promise<void> {
  const { state, run } = c;
  const p = run.planned;
  const unchanged = () =>
    run.planned === p && state.replyDueAt === p?.replyDueAt && state.stage === 'assigned' && !state.clockPausedSince;
  if (!p || !state.calendarProvisional || run.round !== 1 || !unchanged()) return;
  const r = await c.acts.recountDeadline({ from: p.assignedAt, window: p.window, year });
  if (!unchanged()) return;
  if (r.calendarProvisional) state.calendarProvisional = true;
  else delete state.calendarProvisional;
  if (r.dueAt === p.replyDueAt) return;
  const old = p.replyDueAt;
  p.replyDueAt = r.dueAt;
  c.oneUpsert(() => c.setDue(r.dueAt));
  await c.publish(`deadline-recomputed/${state.assignmentNo}/${year}`, {
    deadlineRecomputed: {
      deadline: 'reply',
      oldDueAt: old,
      newDueAt: r.dueAt,
      calendarYear: year,
      unit: state.leadUnit!,
    },
  });
}
