// Folds scenario events in memory, as the service does (stored form, one fold per case), and
// computes the figures of one period with the national policy: the unit tests' harness.
import national from '@duban/domain/data/policy-national.json';
import { scoresPolicySchema } from '@duban/domain';
import { buildEnvelope, type NewEvent } from '@duban/platform';
import { foldCase, type ScoreRow } from '../src/use-cases/fold';
import { storedEvent } from '../src/use-cases/ingest';
import type { EntityKind, ScoreEventDoc } from '../src/data/models';
import { deputyFigures, rank, stationFigures, sumRows, unitFigures } from '../src/use-cases/figures';

/** The national policy as stored today: without the optional weights (their defaults apply). */
export const rules = scoresPolicySchema.parse(national.settings.scores);

export function stored(events: NewEvent[]): ScoreEventDoc[] {
  return events.map((e, i) => storedEvent(buildEnvelope(e), { partition: 0, offset: String(i) }));
}

export function rowsOf(events: ScoreEventDoc[]): ScoreRow[] {
  const byCase = new Map<string, ScoreEventDoc[]>();
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  return [...byCase.values()].flatMap((evs) => foldCase(evs).rows);
}

const totals = (rows: ScoreRow[], kind: EntityKind, period: string) =>
  sumRows(rows.filter((r) => r.kind === kind && r.period === period));

export function units(rows: ScoreRow[], period = '2026') {
  return rank(
    totals(rows, 'unit', period).map((t) => unitFigures(t, rules.unitIndex)),
    (f) => f.index,
    (f) => f.unit,
  );
}

export function deputies(rows: ScoreRow[], period = '2026') {
  return totals(rows, 'deputy', period).map((t) => ({ ...deputyFigures(t, rules.deputyPoints), record: t.records }));
}

export function stations(rows: ScoreRow[], period = '2026') {
  return totals(rows, 'station', period).map((t) => stationFigures(t, rules));
}

/** A unit's figures without its id, jurisdiction and rank, to compare with the hand-computed ones. */
export function unitOf(rows: ScoreRow[], unit: string, period = '2026') {
  const found = units(rows, period).find((u) => u.unit === unit);
  if (!found) return undefined;
  const { unit: _u, jurisdiction: _j, rank: _r, ...figures } = found;
  return figures;
}
