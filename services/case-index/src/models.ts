// The case index's own read model, built only from events: each event once (by id), and a
// case view that is a fold of its events, so redelivery and rebuilds give the same view.
import { Schema, type Connection } from 'mongoose';

export interface CaseEventDoc {
  _id: string; // event id
  caseId: string;
  type: string;
  caseKind: string;
  jurisdiction: string;
  occurredAt: Date;
  producer: string;
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
  dueAt?: Date;
  overdue: boolean;
  grade?: string;
  submittedAt?: Date;
  lastEventAt: Date;
  eventCount: number;
}

export function caseIndexModels(conn: Connection) {
  const CaseEvent = conn.model<CaseEventDoc>(
    'CaseEvent',
    new Schema<CaseEventDoc>(
      {
        _id: String,
        caseId: { type: String, required: true, index: true },
        type: { type: String, required: true },
        caseKind: String,
        jurisdiction: String,
        occurredAt: { type: Date, required: true },
        producer: String,
        workflowId: String,
        body: { type: Schema.Types.Mixed, default: {} },
        topic: String,
        partition: Number,
        offset: Number,
      },
      { collection: 'case_events', versionKey: false, minimize: false },
    ),
  );
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
        dueAt: Date,
        overdue: { type: Boolean, default: false },
        grade: String,
        submittedAt: Date,
        lastEventAt: Date,
        eventCount: Number,
      },
      { collection: 'cases', versionKey: false },
    ),
  );
  return { CaseEvent, CaseView };
}
export type CaseIndexModels = ReturnType<typeof caseIndexModels>;
