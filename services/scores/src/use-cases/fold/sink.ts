// What a case's fold writes: counters per (entity kind, entity, period), with the highest
// ladder step and, for deputies, the counted acts (履职档案). Shared by the fold of every kind.
import type { CaseFactsDoc, EntityKind, RecordEntry, ScoreEventDoc, ScoreRowDoc } from '../../data/models';
import { periodsOf } from '../periods';

export type ScoreRow = Omit<ScoreRowDoc, '_id'>;
export type CaseFacts = Omit<CaseFactsDoc, '_id'>;

export function rowId(r: Pick<ScoreRow, 'caseId' | 'kind' | 'entity' | 'period'>): string {
  return `${r.caseId}|${r.kind}|${r.entity}|${r.period}`;
}

export class RowSink {
  private readonly rows = new Map<string, ScoreRow>();
  constructor(
    readonly caseId: string,
    readonly jurisdiction: string,
  ) {}

  /** Adds n to a counter of an entity in the year, quarter and month of `at`; no entity, no row. */
  add(
    kind: EntityKind,
    entity: string | undefined,
    at: Date,
    counter: string,
    n = 1,
    extra: { step?: number; record?: RecordEntry } = {},
  ): void {
    if (!entity || !Number.isFinite(n) || n === 0) return;
    const { caseId, jurisdiction } = this;
    for (const period of periodsOf(at)) {
      const key = rowId({ caseId, kind, entity, period });
      let row = this.rows.get(key);
      if (!row) {
        row = { caseId, kind, entity, period, jurisdiction, counters: {}, maxLadderStep: 0, records: [] };
        this.rows.set(key, row);
      }
      row.counters[counter] = (row.counters[counter] ?? 0) + n;
      if (extra.step) row.maxLadderStep = Math.max(row.maxLadderStep, extra.step);
      if (extra.record) row.records.push(extra.record);
    }
  }

  all(): ScoreRow[] {
    return [...this.rows.values()];
  }
}

/** What a kind's fold learned of the case, for its facts document. */
export interface CaseSummary {
  deputyId?: string;
  /** The case's (lead) unit at its last event. */
  unit?: string;
  stationId?: string;
}

export type KindFold = (sorted: ScoreEventDoc[], sink: RowSink) => CaseSummary;

type Fields = Record<string, unknown>;
export const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
export const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 0;
  return Number.isFinite(n) ? n : 0;
};
/** Protobuf JSON leaves false out: only an explicit true is true. */
export const yes = (v: unknown) => v === true;

/** The event's body fields, e.g. { unit, onTime } of a { suggestionReplied: {...} } body. */
export function fieldsOf(e: ScoreEventDoc): Fields {
  const body = e.body as Record<string, Fields | undefined>;
  return body[e.type.charAt(0).toLowerCase() + e.type.slice(1)] ?? {};
}

/** A deputy's counted act, for their record. */
export const actOf = (e: ScoreEventDoc): RecordEntry => ({
  type: e.type,
  caseId: e.caseId,
  eventId: e._id,
  at: e.occurredAt,
});

/**
 * The shared escalation ladder (docs/domain.md §6) on any case: each step started counts one
 * ladderSteps for the unit the ladder names (else the case's unit now), with its step number.
 * Answers true when the event was a ladder event.
 */
export function foldLadder(e: ScoreEventDoc, sink: RowSink, ladders: Map<string, string>, unit?: string): boolean {
  const b = fieldsOf(e);
  if (e.type === 'LadderStarted') {
    const ladderId = str(b.ladderId);
    const named = str(b.unit) ?? unit;
    if (ladderId && named) ladders.set(ladderId, named);
    return true;
  }
  if (e.type === 'LadderStepStarted') {
    const ladderId = str(b.ladderId);
    const owner = (ladderId && ladders.get(ladderId)) || unit;
    sink.add('unit', owner, e.occurredAt, 'ladderSteps', 1, { step: num(b.stepNo) });
    return true;
  }
  return e.type.startsWith('Ladder');
}

export const SATISFIED = new Set(['satisfied', 'basicallySatisfied']);
export const RATING_NAMES = new Set(['satisfied', 'basicallySatisfied', 'unsatisfied']);
