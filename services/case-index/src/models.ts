// The case index's own read model, built only from events: each event once (by id), and a
// case view that is a fold of its events, so redelivery and rebuilds give the same view.
import { Schema, type Connection } from 'mongoose';
import { caseStreamModel } from '@duban/platform';

export interface CaseEventDoc {
  _id: string; // event id
  caseId: string;
  type: string;
  caseKind: string;
  jurisdiction: string;
  occurredAt: Date;
  producer: string;
  /** Who caused it: "deputy:deputy-001", "unit:edu-bureau/handler-1", "staff:clerk-1", "system". */
  actor?: string;
  workflowId: string;
  /** The body in protobuf JSON form. */
  body: Record<string, unknown>;
  topic: string;
  partition: number;
  offset: number;
}

export interface CaseViewDoc {
  _id: string; // case id
  kind: string;
  jurisdiction: string;
  stage: string;
  title?: string;
  category?: string;
  deputyId?: string;
  leadUnit?: string;
  coHandlers: string[];
  /** Key suggestion (重点建议). */
  key: boolean;
  /** The current reply deadline: first reply, extended, resumed, or the second reply's. */
  dueAt?: Date;
  overdue: boolean;
  veryOverdue: boolean;
  /** The latest reply's grade A/B/C/D. */
  grade?: string;
  /** The latest rating: satisfied, basicallySatisfied or unsatisfied. */
  satisfaction?: string;
  /** The latest rating was assumed (no rating within the window). */
  ratingAssumed?: boolean;
  /** The commitment ledger (承诺台账): how many, how many kept, how many missed. */
  commitments: { total: number; kept: number; missed: number };
  /** The latest escalation ladder and where it stands. */
  ladder?: { ladderId: string; step?: string; status: string };
  /** The 100-point score, once the case is scored. */
  score?: number;
  /** completed, merged or escalationExhausted. */
  closedOutcome?: string;
  submittedAt?: Date;
  lastEventAt: Date;
  eventCount: number;
}

export function caseIndexModels(conn: Connection) {
  // Each case's events in one document (see platform/src/case-stream.ts): the fold and the
  // timeline read it by _id.
  const CaseEvents = caseStreamModel<CaseEventDoc>(conn, 'CaseEvents', 'case_event_streams');
  const CaseView = conn.model<CaseViewDoc>(
    'CaseView',
    new Schema<CaseViewDoc>(
      {
        _id: String,
        kind: { type: String, required: true },
        jurisdiction: String,
        stage: { type: String, required: true },
        title: String,
        category: String,
        deputyId: { type: String, index: true },
        leadUnit: { type: String, index: true },
        coHandlers: { type: [String], default: [] },
        key: { type: Boolean, default: false },
        dueAt: Date,
        overdue: { type: Boolean, default: false },
        veryOverdue: { type: Boolean, default: false },
        grade: String,
        satisfaction: String,
        ratingAssumed: Boolean,
        commitments: {
          type: new Schema(
            {
              total: { type: Number, default: 0 },
              kept: { type: Number, default: 0 },
              missed: { type: Number, default: 0 },
            },
            { _id: false },
          ),
          default: () => ({ total: 0, kept: 0, missed: 0 }),
        },
        ladder: new Schema({ ladderId: String, step: String, status: String }, { _id: false }),
        score: Number,
        closedOutcome: String,
        submittedAt: Date,
        lastEventAt: Date,
        eventCount: Number,
      },
      { collection: 'cases', versionKey: false },
    ),
  );
  return { CaseEvents, CaseView };
}
export type CaseIndexModels = ReturnType<typeof caseIndexModels>;
