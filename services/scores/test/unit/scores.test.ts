// The fold and the formulas over a fixed scenario whose figures are derived by hand in
// ../scenario.ts (the same scenario the end-to-end test publishes to Kafka).
import national from '@duban/domain/data/policy-national.json';
import { scoresPolicySchema } from '@duban/domain';
import { buildEnvelope } from '@duban/platform';
import { foldCase, type ScoreRow } from '../../src/use-cases/fold';
import { storedEvent } from '../../src/use-cases/ingest';
import type { ScoreEventDoc } from '../../src/data/models';
import {
  deputyFigures,
  rank,
  starsFor,
  stationFigures,
  sumRows,
  unitFigures,
  emptyTotals,
} from '../../src/use-cases/figures';
import { periodsOf } from '../../src/use-cases/periods';
import { csvField, toCsv } from '../../src/http/csv';
import { EXPECTED_UNIT_A, EXPECTED_UNIT_B, scenario } from '../scenario';

const rules = scoresPolicySchema.parse(national.settings.scores);
const ids = {
  jurisdiction: 'cn-unit-test',
  unitA: 'unit-a',
  unitB: 'unit-b',
  deputy1: 'deputy-1',
  deputy2: 'deputy-2',
  cases: 'case',
};

function stored(): ScoreEventDoc[] {
  return scenario(ids).map((e, i) => storedEvent(buildEnvelope(e), { partition: 0, offset: String(i) }));
}

function rowsOf(events: ScoreEventDoc[]): ScoreRow[] {
  const byCase = new Map<string, ScoreEventDoc[]>();
  for (const e of events) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  return [...byCase.values()].flatMap((evs) => foldCase(evs).rows);
}

function units(rows: ScoreRow[], period: string) {
  const totals = sumRows(rows.filter((r) => r.kind === 'unit' && r.period === period));
  return rank(
    totals.map((t) => unitFigures(t, rules.unitIndex)),
    (f) => f.index,
    (f) => f.unit,
  );
}

function deputies(rows: ScoreRow[], period: string) {
  const totals = sumRows(rows.filter((r) => r.kind === 'deputy' && r.period === period));
  return rank(
    totals.map((t) => ({ ...deputyFigures(t, rules.deputyPoints), record: t.records })),
    (f) => f.points,
    (f) => f.deputy,
  );
}

describe('scores: the fold and the unit index', () => {
  const rows = rowsOf(stored());

  it('computes each unit’s figures and index as derived by hand, and ranks them', () => {
    const ranked = units(rows, '2026');
    expect(ranked.map((u) => [u.rank, u.unit, u.index])).toEqual([
      [1, 'unit-b', 66],
      [2, 'unit-a', 53],
    ]);
    expect(ranked.find((u) => u.unit === 'unit-a')).toEqual({
      unit: 'unit-a',
      jurisdiction: 'cn-unit-test',
      rank: 2,
      ...EXPECTED_UNIT_A,
    });
    expect(ranked.find((u) => u.unit === 'unit-b')).toEqual({
      unit: 'unit-b',
      jurisdiction: 'cn-unit-test',
      rank: 1,
      ...EXPECTED_UNIT_B,
    });
  });

  it('keeps every counter per year, quarter and month, by Beijing time', () => {
    expect(units(rows, '2026-Q4')).toEqual(units(rows, '2026'));
    expect(units(rows, '2026-11')).toEqual(units(rows, '2026'));
    expect(units(rows, '2027')).toEqual([]);
    expect(units(rows, '2026-Q3')).toEqual([]);
    // c6 was submitted 2026-12-31 23:59:59 Beijing, c7 at 2027-01-01 00:00:00 Beijing.
    const pts = (period: string) => deputies(rows, period).map((d) => [d.deputy, d.suggestionsSubmitted, d.points]);
    expect(pts('2026')).toEqual([
      ['deputy-1', 3, 9], // 2×3 + 1×3
      ['deputy-2', 3, 8], // 2×3 + 1×2
    ]);
    expect(pts('2026-11')).toEqual([
      ['deputy-1', 3, 9],
      ['deputy-2', 2, 6], // 2×2 + 1×2: c6 is in December
    ]);
    expect(pts('2026-12')).toEqual([['deputy-2', 1, 2]]);
    expect(pts('2027')).toEqual([['deputy-2', 1, 2]]);
    expect(pts('2027-01')).toEqual([['deputy-2', 1, 2]]);
  });

  it('gives each deputy their points and performance record (履职档案)', () => {
    const [d1, d2] = deputies(rows, '2026');
    expect(d1).toMatchObject({
      deputy: 'deputy-1',
      rank: 1,
      suggestionsSubmitted: 3,
      ratingsGiven: 3,
      inspections: 0,
      votes: 0,
      stationDuty: 0,
      points: 9,
    });
    expect(d1.record.map((r) => [r.type, r.caseId])).toEqual([
      ['SuggestionSubmitted', 'case-c1'],
      ['SuggestionSubmitted', 'case-c2'],
      ['SuggestionSubmitted', 'case-c5'],
      ['SuggestionRated', 'case-c1'],
      ['SuggestionRated', 'case-c2'],
      ['SuggestionRated', 'case-c2'],
    ]);
    // c4's assumed rating is not the deputy's act.
    expect(d2).toMatchObject({ deputy: 'deputy-2', rank: 2, ratingsGiven: 2, points: 8 });
    expect(d2.record.filter((r) => r.type === 'SuggestionRated').map((r) => r.caseId)).toEqual(['case-c3', 'case-c3']);
  });

  it('gives the same rows whatever order the events arrived in', () => {
    const events = stored();
    const reversed = [...events].reverse();
    const interleaved = [...events.filter((_, i) => i % 2 === 1), ...events.filter((_, i) => i % 2 === 0)];
    const key = (rs: ScoreRow[]) =>
      [...rs].sort((a, b) =>
        `${a.caseId}|${a.kind}|${a.entity}|${a.period}`.localeCompare(`${b.caseId}|${b.kind}|${b.entity}|${b.period}`),
      );
    expect(key(rowsOf(reversed))).toEqual(key(rows));
    expect(key(rowsOf(interleaved))).toEqual(key(rows));
  });

  it('applies a policy change at the next computation', () => {
    const deputyRules = { ...rules.deputyPoints, suggestionSubmitted: 5, ratingGiven: 4 };
    const totals = sumRows(rows.filter((r) => r.kind === 'deputy' && r.period === '2026'));
    expect(totals.map((t) => deputyFigures(t, deputyRules).points)).toEqual([5 * 3 + 4 * 3, 5 * 3 + 4 * 2]);
  });
});

describe('scores: formulas', () => {
  it('clamps the index, rescales to the components present, and is null with no data', () => {
    const t = (counters: Record<string, number>) => ({ ...emptyTotals('unit', 'u', 'j'), counters });
    expect(unitFigures(t({ casesAssigned: 2 }), rules.unitIndex).index).toBeNull();
    // Only a satisfied rating: base = 30 × 1 × 100 / 30 = 100; one overdue notice −1 → 99.
    expect(unitFigures(t({ satisfied: 1, overdue: 1 }), rules.unitIndex)).toMatchObject({
      index: 99,
      indexParts: { base: 100, penalty: 1, livelihood: 0 },
    });
    // One late first reply, 4 ladder steps: base 0, penalty 20 → clamped at 0.
    expect(unitFigures(t({ firstReplies: 1, ladderSteps: 4 }), rules.unitIndex)).toMatchObject({
      index: 0,
      indexParts: { base: 0, penalty: 20, livelihood: 0 },
    });
  });

  it('computes a station’s vitality and stars, and stays at zero without citizen opinions', () => {
    const station = (counters: Record<string, number>) =>
      stationFigures({ ...emptyTotals('station', 's', 'j'), counters }, rules);
    // 30 × min(1, 10/20) + 40 × 8/10 + 30 × 9/10 = 15 + 32 + 27 = 74 → below 75, at least 60: 3 stars.
    expect(station({ opinionsReceived: 10, answeredInWindow: 8, ratings: 10, satisfiedRatings: 9 })).toMatchObject({
      vitality: 74,
      stars: 3,
    });
    // 30 × 1 + 40 × 1 + 30 × 1 = 100 → 5 stars.
    expect(station({ opinionsReceived: 40, answeredInWindow: 40, ratings: 5, satisfiedRatings: 5 })).toMatchObject({
      vitality: 100,
      stars: 5,
    });
    expect(station({})).toMatchObject({ vitality: 0, stars: 1 });
    expect([90, 89.9, 75, 60, 45, 44.9, 0].map((v) => starsFor(v, [90, 75, 60, 45]))).toEqual([5, 4, 4, 3, 2, 1, 1]);
  });

  it('ranks ties alike, and items without a value last, all at the last place', () => {
    const r = rank(
      [
        { id: 'b', v: 5 },
        { id: 'e', v: null },
        { id: 'a', v: 5 },
        { id: 'c', v: 7 },
        { id: 'd', v: null },
      ],
      (x) => x.v,
      (x) => x.id,
    );
    expect(r.map((x) => [x.id, x.rank])).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 2],
      ['d', 5],
      ['e', 5],
    ]);
  });

  it('finds the period of an instant in Beijing time', () => {
    expect(periodsOf(new Date('2026-12-31T15:59:59Z'))).toEqual(['2026', '2026-Q4', '2026-12']);
    expect(periodsOf(new Date('2026-12-31T16:00:00Z'))).toEqual(['2027', '2027-Q1', '2027-01']);
    expect(periodsOf(new Date('2026-06-30T16:00:00Z'))).toEqual(['2026', '2026-Q3', '2026-07']);
  });

  it('writes CSV that Excel reads: BOM, header, quoting', () => {
    expect(csvField('市教育局')).toBe('市教育局');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.6667)).toBe('0.6667');
    const csv = toCsv(['unit', 'name'], [['edu', '市教育局, "一处"']]);
    expect(csv).toBe('\uFEFFunit,name\r\nedu,"市教育局, ""一处"""\r\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
