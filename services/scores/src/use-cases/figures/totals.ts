// Sums of a period's rows per entity, and the ranking. Pure.
import type { EntityKind, RecordEntry } from '../../data/models';
import type { ScoreRow } from '../fold';

export interface EntityTotals {
  kind: EntityKind;
  entity: string;
  jurisdiction: string;
  counters: Record<string, number>;
  maxLadderStep: number;
  records: RecordEntry[];
  /** Distinct cases that contributed. */
  cases: number;
}

/** Sums the rows of one period by (jurisdiction, entity). */
export function sumRows(
  rows: Pick<ScoreRow, 'kind' | 'entity' | 'jurisdiction' | 'caseId' | 'counters' | 'maxLadderStep' | 'records'>[],
): EntityTotals[] {
  const out = new Map<string, EntityTotals & { caseIds: Set<string> }>();
  for (const r of rows) {
    const key = `${r.jurisdiction}\u0000${r.kind}\u0000${r.entity}`;
    let t = out.get(key);
    if (!t) {
      t = {
        kind: r.kind,
        entity: r.entity,
        jurisdiction: r.jurisdiction,
        counters: {},
        maxLadderStep: 0,
        records: [],
        cases: 0,
        caseIds: new Set(),
      };
      out.set(key, t);
    }
    for (const [k, v] of Object.entries(r.counters ?? {})) t.counters[k] = (t.counters[k] ?? 0) + v;
    t.maxLadderStep = Math.max(t.maxLadderStep, r.maxLadderStep ?? 0);
    t.records.push(...(r.records ?? []));
    t.caseIds.add(r.caseId);
  }
  return [...out.values()].map(({ caseIds, ...t }) => ({
    ...t,
    cases: caseIds.size,
    records: [...t.records].sort(
      (a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || a.eventId.localeCompare(b.eventId),
    ),
  }));
}

/** An empty total, for an entity with no events in the period. */
export function emptyTotals(kind: EntityKind, entity: string, jurisdiction: string): EntityTotals {
  return { kind, entity, jurisdiction, counters: {}, maxLadderStep: 0, records: [], cases: 0 };
}

export const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
export const clamp = (v: number) => Math.min(100, Math.max(0, v));

/**
 * Ranks by value, highest first, ties sharing a rank (1, 2, 2, 4), then by id. Items without a
 * value (null: a unit with no index yet) come after every item with one and all take the LAST
 * place, the number of items listed (1, 2, 4, 4 for two valued and two null), so none of them
 * reads as second.
 */
export function rank<T>(items: T[], value: (t: T) => number | null, id: (t: T) => string): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va !== vb) return (vb ?? -Infinity) - (va ?? -Infinity);
    return id(a).localeCompare(id(b));
  });
  let prev: number | null | undefined;
  let prevRank = 0;
  return sorted.map((t, i) => {
    const v = value(t);
    const r = v === null ? sorted.length : i > 0 && v === prev ? prevRank : i + 1;
    prev = v;
    prevRank = r;
    return { ...t, rank: r };
  });
}
