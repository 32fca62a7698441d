// The case index's own read model, built only from events: each event once (by id), and a
// case view that is a fold of its events, so redelivery and rebuilds give the same view.
import { Schema, type Connection } from 'mongoose';
import { caseStreamModel, type StoredEventFields } from '@duban/platform';
import type { CaseView } from '../use-cases/view';

export interface CaseEventDoc extends StoredEventFields {
  producer: string;
  workflowId: string;
  topic: string;
  partition: number;
  offset: number;
}

/** The stored view: the fold of the case's events (see view.ts), addressed by the case id. */
export type CaseViewDoc = CaseView & {
  _id: string;
  /** The board chunks the case is listed in (chunk id → board), for the next change to leave. */
  boardChunks?: Record<string, string>;
};

export function caseIndexModels(conn: Connection) {
  // Each case's events in one document (see platform/src/case-stream.ts): the fold and the
  // timeline read it by _id.
  const CaseEvents = caseStreamModel<CaseEventDoc>(conn, 'CaseEvents', 'case_event_streams');
  const CaseView = conn.model<CaseViewDoc>(
    'CaseView',
    new Schema<CaseViewDoc>(
      {
        _id: String,
        caseId: String,
        kind: { type: String, required: true },
        jurisdiction: String,
        stage: { type: String, required: true },
        title: String,
        category: String,
        deputyId: String,
        deputies: { type: [String], default: [] },
        leadUnit: String,
        coHandlers: { type: [String], default: [] },
        units: { type: [String], default: [] },
        parts: {
          type: [
            new Schema(
              { unit: String, dueAt: Date, overdue: Boolean, answered: Boolean, stage: String, closed: Boolean },
              { _id: false },
            ),
          ],
          default: [],
        },
        stationId: String,
        citizenId: String,
        subjectId: String,
        key: { type: Boolean, default: false },
        dueAt: Date,
        sortDue: Date,
        overdue: { type: Boolean, default: false },
        caseOverdue: { type: Boolean, default: false },
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
        closed: { type: Boolean, default: false },
        closedAt: Date,
        closedOutcome: String,
        submittedAt: Date,
        openedAt: Date,
        year: Number,
        links: { type: [new Schema({ caseId: String, rel: String }, { _id: false })], default: [] },
        lastEventAt: Date,
        eventCount: Number,
        boardChunks: { type: Schema.Types.Mixed },
      },
      { collection: 'cases', versionKey: false },
    )
      // The lists people open, for a MongoDB that uses indexes (see docs/case-index.md).
      .index({ units: 1, closed: 1, sortDue: 1, _id: 1 })
      .index({ deputies: 1, lastEventAt: -1, _id: 1 })
      .index({ stationId: 1, lastEventAt: -1, _id: 1 })
      .index({ jurisdiction: 1, closed: 1, sortDue: 1, _id: 1 })
      .index({ kind: 1, stage: 1 })
      .index({ year: 1, closed: 1 }),
  );
  return { CaseEvents, CaseView };
}
export type CaseIndexModels = ReturnType<typeof caseIndexModels>;
