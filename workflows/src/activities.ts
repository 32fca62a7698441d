// Activities: the workflows' only side effects. Built by a factory that receives their
// dependencies, so tests pass fakes or real clients and the worker passes real ones.
import { fromJson } from '@bufbuild/protobuf';
import { log } from '@temporalio/activity';
import { EnvelopeSchema, type Envelope, type EnvelopeJson } from '@duban/proto';
import { deadlineAfter, routeSuggestion, type Policy, type Window, type WorkingCalendar } from '@duban/domain';
import { CURRENT_SCHEMA_VERSION, eventTypeOf, topicForCaseKind } from '@duban/platform';

export interface PublishInput {
  eventId: string;
  caseId: string;
  caseKind: string;
  jurisdiction: string;
  occurredAt: string;
  workflowId: string;
  runId: string;
  /** The envelope's body in protobuf JSON form, e.g. { suggestionAssigned: {...} }. */
  body: Omit<
    EnvelopeJson,
    | 'eventId'
    | 'type'
    | 'caseId'
    | 'occurredAt'
    | 'producer'
    | 'workflowId'
    | 'runId'
    | 'schemaVersion'
    | 'caseKind'
    | 'jurisdiction'
  >;
}

export interface AssignmentPlan {
  leadUnit: string;
  coHandlers: string[];
  assignedAt: string;
  replyDueAt: string;
  window: Window;
}

export interface ActivityDeps {
  /** Publishes one encoded envelope to a topic, keyed by case id. */
  publish: (topic: string, env: Envelope) => Promise<void>;
  calendar: WorkingCalendar;
  producer: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    /** Routes a suggestion to its lead unit and computes the reply deadline on the legal calendar. */
    async planAssignment(args: { policy: Policy; category: string; assignedAt: string }): Promise<AssignmentPlan> {
      const window = args.policy.suggestion.replyWindow;
      const due = deadlineAfter(new Date(args.assignedAt), window, deps.calendar);
      // A deadline in a year whose holiday schedule is not published yet is counted on
      // weekends only: say so where operators look.
      for (const w of deps.calendar.warnings) log.warn(`working-day calendar: ${w}`);
      return {
        leadUnit: routeSuggestion(args.policy, args.category),
        coHandlers: [],
        assignedAt: args.assignedAt,
        replyDueAt: due.toISOString(),
        window,
      };
    },

    /** Publishes one event. Its id is deterministic, so a retry republishes the same event. */
    async publishEvent(e: PublishInput): Promise<void> {
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
      } as EnvelopeJson;
      const env = fromJson(EnvelopeSchema, json);
      env.type = eventTypeOf(env.body as never);
      await deps.publish(topicForCaseKind(e.caseKind), env);
    },
  };
}
