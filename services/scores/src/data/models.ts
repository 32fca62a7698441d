// The scores service's own documents, built only from events:
//   score_events  each event once (_id = event id): the processed-id table and the source of
//                 every figure;
//   score_cases   the per-case facts (kind, jurisdiction, deputy, lead unit, station, when it
//                 first became overdue);
//   score_rows    what one case contributes to one entity (unit, deputy, station) in one period
//                 (year, quarter, month): counters, replaced as a whole whenever the case is
//                 re-folded. Figures are sums over these rows, computed at read time.
import { Schema, type Connection } from 'mongoose';
import { caseStreamModel, type StoredEventFields } from '@duban/platform';

export interface ScoreEventDoc extends StoredEventFields {
  partition: number;
  offset: number;
}

export interface CaseFactsDoc {
  _id: string; // case id
  kind: string;
  jurisdiction: string;
  deputyId?: string;
  /** The case's (lead) unit: a suggestion's lead unit, a letter's department, a part's unit. */
  leadUnit?: string;
  /** A citizen opinion's liaison station. */
  stationId?: string;
  /** When the case first became overdue (its first overdue event, ./overdue.ts), and that event's type. */
  overdueAt?: Date;
  overdueType?: string;
  eventCount: number;
  lastEventAt: Date;
}

export const ENTITY_KINDS = ['unit', 'deputy', 'station'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** One counted act in a deputy's performance record (履职档案). */
export interface RecordEntry {
  type: string;
  caseId: string;
  eventId: string;
  at: Date;
}

export interface ScoreRowDoc {
  _id: string; // `${caseId}|${kind}|${entity}|${period}`
  caseId: string;
  kind: EntityKind;
  entity: string;
  period: string;
  jurisdiction: string;
  /** Counter name → count (names are fixed identifiers, never user data). */
  counters: Record<string, number>;
  /** Highest ladder step number reached (units only). */
  maxLadderStep: number;
  /** Deputies only: the counted acts. */
  records: RecordEntry[];
}

export function scoresModels(conn: Connection) {
  // Each case's events in one document, read by _id (see platform/src/case-stream.ts); its
  // `derived` field lists the row ids the last fold wrote, so rows a case no longer
  // contributes are deleted by _id.
  const ScoreEvents = caseStreamModel<ScoreEventDoc>(conn, 'ScoreEvents', 'score_event_streams');
  const CaseFacts = conn.model<CaseFactsDoc>(
    'CaseFacts',
    new Schema<CaseFactsDoc>(
      {
        _id: String,
        kind: String,
        jurisdiction: String,
        deputyId: String,
        leadUnit: String,
        stationId: String,
        overdueAt: Date,
        overdueType: String,
        eventCount: Number,
        lastEventAt: Date,
      },
      { collection: 'score_cases', versionKey: false },
    ).index({ overdueAt: 1 }),
  );
  const ScoreRow = conn.model<ScoreRowDoc>(
    'ScoreRow',
    new Schema<ScoreRowDoc>(
      {
        _id: String,
        caseId: { type: String, required: true, index: true },
        kind: { type: String, required: true },
        entity: { type: String, required: true },
        period: { type: String, required: true },
        jurisdiction: String,
        counters: { type: Schema.Types.Mixed, default: {} },
        maxLadderStep: { type: Number, default: 0 },
        records: {
          type: [new Schema<RecordEntry>({ type: String, caseId: String, eventId: String, at: Date }, { _id: false })],
          default: [],
        },
      },
      { collection: 'score_rows', versionKey: false, minimize: false },
    )
      .index({ kind: 1, period: 1, jurisdiction: 1 })
      .index({ kind: 1, entity: 1, period: 1 }),
  );
  return { ScoreEvents, CaseFacts, ScoreRow };
}
export type ScoresModels = ReturnType<typeof scoresModels>;
