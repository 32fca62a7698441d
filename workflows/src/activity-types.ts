// What the workflows and their activities exchange: the event body, a publish, the assignment
// plan and a deadline's milestones. Types only; re-exported by activities.ts.
import type { EnvelopeJson } from '@duban/proto';
import type { Window } from '@duban/domain';

type EnvelopeHeader =
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
  | 'actor';

/** The envelope's body in protobuf JSON form, e.g. { suggestionAssigned: {...} }. */
export type EventBody = Omit<EnvelopeJson, EnvelopeHeader>;

export interface PublishInput {
  eventId: string;
  caseId: string;
  caseKind: string;
  jurisdiction: string;
  occurredAt: string;
  workflowId: string;
  runId: string;
  /** "deputy:deputy-001", "unit:edu-bureau/handler-1", "staff:clerk-1" or "system". */
  actor?: string;
  body: EventBody;
}

export interface AssignmentPlan {
  leadUnit: string;
  coHandlers: string[];
  assignedAt: string;
  replyDueAt: string;
  window: Window;
  /**
   * True when the reply deadline spans a year with no official schedule yet (counted Monday–Friday
   * only): it may move when that year's calendar is published. Absent in plans made before.
   */
  calendarProvisional?: boolean;
  /** Present from the second released version on. */
  objectionDueAt?: string;
  coHandlerDueAt?: string;
  maxReplyDueAt?: string;
  /** The reply deadline's reminders and very-overdue instant, when asked for. */
  milestones?: ReplyMilestones;
}

export interface ReplyMilestones {
  /** When each reminder is due, in the order of policy.suggestion.reminderBefore. */
  reminders: string[];
  veryOverdueAt: string;
}
