// Activities: the workflows' only side effects. Built by a factory that receives their
// dependencies, so tests pass fakes or real clients and the worker passes real ones.
import { fromJson } from '@bufbuild/protobuf';
import { log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { EnvelopeSchema, type Envelope, type EnvelopeJson } from '@duban/proto';
import {
  deadlineAfter,
  isClockWindow,
  localDateOf,
  reminderAt,
  routeSuggestion,
  type Policy,
  type Window,
  type WorkingCalendar,
} from '@duban/domain';
import { CURRENT_SCHEMA_VERSION, caseMetadata, eventTypeOf, topicForCaseKind } from '@duban/platform';
import { LADDER_WORKFLOW, type LadderInput } from './ladder/definitions';
import { calendarOf, type CalendarSource } from './calendar-source';
import { createLivelihoodActivities } from './livelihood/activities';
import { CaseKind, Jurisdiction, Unit, stageAttributes } from './search-attributes';
import { createCitizenActivities } from './citizen/activities';
import { createDutyActivities } from './duties/activities';
import { createOversightActivities } from './oversight/activities';

export type { AssignmentPlan, EventBody, PublishInput, ReplyMilestones } from './activity-types';
import type { AssignmentPlan, PublishInput, ReplyMilestones } from './activity-types';

export interface ActivityDeps {
  /** Publishes one encoded envelope to a topic, keyed by case id. */
  publish: (topic: string, env: Envelope) => Promise<void>;
  /** The working-day calendars: a fixed set, or a source that follows the registry. */
  calendar: WorkingCalendar | CalendarSource;
  producer: string;
  /** Starts workflows linked by id (the escalation ladder); absent where none are started. */
  temporal?: Pick<Client, 'workflow'>;
  taskQueue?: string;
}

export function createActivities(deps: ActivityDeps) {
  const warned = new Set<string>();
  /**
   * A deadline in a year whose holiday schedule is not published yet is counted on weekends
   * only: say so where operators look, once per year and process.
   */
  function warnUnknownYears(cal: WorkingCalendar): void {
    for (const w of cal.warnings) {
      if (warned.has(w)) continue;
      warned.add(w);
      log.warn(`working-day calendar: ${w}`);
    }
  }

  /** Whether a deadline from `from` to `due` was counted on a year with no official schedule. */
  function provisional(cal: WorkingCalendar, from: string, due: string, window: Window): boolean {
    if (isClockWindow(window)) return false;
    return !cal.covers(localDateOf(new Date(from)), localDateOf(new Date(due)));
  }

  /** Publishes one event. Its id is deterministic, so a retry republishes the same event. */
  async function publishEvent(e: PublishInput): Promise<void> {
    const json = {
      ...e.body,
      eventId: e.eventId,
      caseId: e.caseId,
      caseKind: e.caseKind,
      jurisdiction: e.jurisdiction,
      occurredAt: e.occurredAt,
      producer: deps.producer,
      workflowId: e.workflowId,
      runId: e.runId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      ...(e.actor ? { actor: e.actor } : {}),
    } as EnvelopeJson;
    const env = fromJson(EnvelopeSchema, json);
    env.type = eventTypeOf(env.body as never);
    await deps.publish(topicForCaseKind(e.caseKind), env);
  }

  function replyMilestones(
    cal: WorkingCalendar,
    dueAt: string,
    before: Window[],
    veryOverdueAfter: Window,
  ): ReplyMilestones {
    const due = new Date(dueAt);
    const m = {
      reminders: before.map((w) => reminderAt(due, w, cal).toISOString()),
      veryOverdueAt: deadlineAfter(due, veryOverdueAfter, cal).toISOString(),
    };
    warnUnknownYears(cal);
    return m;
  }

  return {
    ...createCitizenActivities(deps),
    ...createDutyActivities(deps),
    ...createOversightActivities(deps),
    /**
     * Routes a suggestion to its lead unit (unless staff named one) and computes its deadlines on
     * the legal calendar: reply, objection, co-handlers' opinions, and the extension limit.
     */
    async planAssignment(args: {
      policy: Policy;
      category: string;
      assignedAt: string;
      leadUnit?: string;
      coHandlers?: string[];
      /** Also compute the reply deadline's milestones (saves the workflow a call). */
      withMilestones?: boolean;
    }): Promise<AssignmentPlan> {
      const p = args.policy.suggestion;
      const at = new Date(args.assignedAt);
      const cal = await calendarOf(deps);
      const plan: AssignmentPlan = {
        leadUnit: args.leadUnit ?? routeSuggestion(args.policy, args.category),
        coHandlers: args.coHandlers ?? [],
        assignedAt: args.assignedAt,
        replyDueAt: deadlineAfter(at, p.replyWindow, cal).toISOString(),
        window: p.replyWindow,
      };
      if (provisional(cal, args.assignedAt, plan.replyDueAt, p.replyWindow)) plan.calendarProvisional = true;
      if (p.maxReplyWindow) {
        plan.objectionDueAt = deadlineAfter(at, p.objectionWindow, cal).toISOString();
        plan.coHandlerDueAt = deadlineAfter(at, p.coHandlerWindow, cal).toISOString();
        plan.maxReplyDueAt = deadlineAfter(at, p.maxReplyWindow, cal).toISOString();
      }
      if (args.withMilestones)
        plan.milestones = replyMilestones(cal, plan.replyDueAt, p.reminderBefore, p.veryOverdueAfter);
      warnUnknownYears(cal);
      return plan;
    },

    /** The instant a window that starts at `from` ends, on the legal calendar. */
    async computeDeadline(args: { from: string; window: Window }): Promise<string> {
      const cal = await calendarOf(deps);
      const due = deadlineAfter(new Date(args.from), args.window, cal).toISOString();
      warnUnknownYears(cal);
      return due;
    },

    /**
     * A deadline counted again on the calendars now published (after a year's calendar came out);
     * `year` is the year that was published, fetched at once if this worker has not seen it yet.
     */
    async recountDeadline(args: {
      from: string;
      window: Window;
      year: number;
    }): Promise<{ dueAt: string; calendarProvisional?: boolean }> {
      const cal = await calendarOf(deps, args.year);
      const dueAt = deadlineAfter(new Date(args.from), args.window, cal).toISOString();
      return provisional(cal, args.from, dueAt, args.window) ? { dueAt, calendarProvisional: true } : { dueAt };
    },

    /** When to send each reminder that comes `before` a deadline (working-day aware). */
    async computeReminders(args: { dueAt: string; before: Window[] }): Promise<string[]> {
      const cal = await calendarOf(deps);
      return args.before.map((w) => reminderAt(new Date(args.dueAt), w, cal).toISOString());
    },

    /** A reply deadline's reminders (`before` it) and its very-overdue instant (`veryOverdueAfter` it). */
    async replyMilestones(args: {
      dueAt: string;
      before: Window[];
      veryOverdueAfter: Window;
    }): Promise<ReplyMilestones> {
      return replyMilestones(await calendarOf(deps), args.dueAt, args.before, args.veryOverdueAfter);
    },

    publishEvent,

    /** Publishes events in order; a retry republishes the same events (their ids are deterministic). */
    async publishEvents(events: PublishInput[]): Promise<void> {
      for (const e of events) await publishEvent(e);
    },

    /** Starts an escalation ladder linked to its case by id; starting it again is harmless. */
    async startLadder(input: LadderInput): Promise<void> {
      if (!deps.temporal) throw new Error('startLadder needs a Temporal client in the activity dependencies');
      try {
        await deps.temporal.workflow.start(LADDER_WORKFLOW, {
          workflowId: input.ladderId,
          taskQueue: deps.taskQueue ?? 'duban-cases',
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          memo: { caseId: input.caseId, reason: input.reason },
          ...caseMetadata({
            caseId: input.ladderId,
            kind: 'ladder',
            title: `${input.caseId}：${input.reason}`,
            unit: input.unit,
            jurisdiction: input.jurisdiction,
            consolePath: `/cases/${encodeURIComponent(input.caseId)}`,
            facts: {
              案件: `${input.caseId}（${input.caseKind}）`,
              阶梯: input.steps.map((s) => s.step).join(' → '),
            },
          }),
          typedSearchAttributes: new TypedSearchAttributes([
            { key: CaseKind, value: 'ladder' },
            ...stageAttributes(input.steps[0]?.step ?? 'none'),
            { key: Unit, value: input.unit },
            { key: Jurisdiction, value: input.jurisdiction },
          ]),
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },

    ...createLivelihoodActivities(deps),
  };
}
