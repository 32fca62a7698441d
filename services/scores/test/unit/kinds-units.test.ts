// Review opinions, inquiries, investigations, livelihood projects, regulation and appointee
// reports, folded in memory one kind at a time and all together: exactly the unit figures
// derived by hand in ../kinds-scenario.ts; then the ranking, units without figures last.
import { SCORES_DEFAULTS, scoresPolicySchema } from '@duban/domain';
import national from '@duban/domain/data/policy-national.json';
import type { NewEvent } from '@duban/platform';
import { EXPECTED_UNITS, kindsScenario } from '../kinds-scenario';
import { rowsOf, stored, unitOf, units } from '../fold-in-memory';
import { emptyTotals, rank, sumRows, unitFigures } from '../../src/use-cases/figures';

const ids = {
  jurisdiction: 'cn-unit-test',
  unitC: 'unit-c',
  unitD: 'unit-d',
  unitE: 'unit-e',
  unitF: 'unit-f',
  deputy3: 'deputy-3',
  station: 'station-s',
  cases: 'k',
};
const s = kindsScenario(ids);
const rowsFor = (...events: NewEvent[][]) => rowsOf(stored(events.flat()));

describe('scores: every kind against its unit', () => {
  it('review opinions: reports on time, poor twice, a failed vote, re-reports required, the ladder', () => {
    expect(unitOf(rowsFor(s.review_opinion), 'unit-d')).toEqual(EXPECTED_UNITS.reviewD);
  });

  it('a resolution (决议) runs the review-opinion loop and counts alike', () => {
    const asResolution = s.review_opinion.map((e) => ({ ...e, caseKind: 'resolution' }));
    expect(unitOf(rowsFor(asResolution), 'unit-d')).toEqual(EXPECTED_UNITS.reviewD);
  });

  it('inquiries: filed, overdue, replied late, replied again', () => {
    expect(unitOf(rowsFor(s.inquiry), 'unit-c')).toEqual(EXPECTED_UNITS.inquiryC);
    expect(unitOf(rowsFor(s.inquiry, s.liaison_letter), 'unit-c')).toEqual(EXPECTED_UNITS.allC);
  });

  it('investigations: one adopted counts against its unit, one not adopted counts nothing', () => {
    const rows = rowsFor(s.investigation);
    expect(unitOf(rows, 'unit-e')).toEqual(EXPECTED_UNITS.investigationE);
    expect(unitOf(rows, 'unit-f')).toBeUndefined();
  });

  it('livelihood projects: performance points per unit, reports, progress and fix overdue', () => {
    expect(unitOf(rowsFor(s.livelihood_project), 'unit-e')).toEqual(EXPECTED_UNITS.livelihoodE);
  });

  it('regulation reports: on time, returned, overdue', () => {
    expect(unitOf(rowsFor(s.regulation_report), 'unit-e')).toEqual(EXPECTED_UNITS.regulationE);
  });

  it('appointee reports: filed before or after the missing flag, a failed vote with quorum', () => {
    expect(unitOf(rowsFor(s.appointee_report), 'unit-e')).toEqual(EXPECTED_UNITS.appointeeE);
  });

  it('all kinds together', () => {
    const rows = rowsFor(...Object.values(s));
    expect(unitOf(rows, 'unit-c')).toEqual(EXPECTED_UNITS.allC);
    expect(unitOf(rows, 'unit-d')).toEqual(EXPECTED_UNITS.reviewD);
    expect(unitOf(rows, 'unit-e')).toEqual(EXPECTED_UNITS.allE);
    expect(units(rows, '2026-11')).toEqual(units(rows, '2026'));
    expect(units(rows, '2026-10')).toEqual([]);
  });

  it('gives the same rows whatever order the events arrived in', () => {
    const events = stored(Object.values(s).flat());
    const key = (rs: ReturnType<typeof rowsOf>) =>
      [...rs].sort((a, b) =>
        `${a.caseId}|${a.kind}|${a.entity}|${a.period}`.localeCompare(`${b.caseId}|${b.kind}|${b.entity}|${b.period}`),
      );
    expect(key(rowsOf([...events].reverse()))).toEqual(key(rowsOf(events)));
  });
});

describe('scores: the ranking and the weights', () => {
  const rules = scoresPolicySchema.parse(national.settings.scores);

  it('ranks units without figures last, all at the last place, with a null index', () => {
    const rows = rowsFor(...Object.values(s));
    const registered = ['unit-f', 'unit-g'].map((u) => emptyTotals('unit', u, 'cn-unit-test'));
    const withEmpty = [
      ...units(rows).map(({ rank: _r, ...f }) => f),
      ...registered.map((t) => unitFigures(t, rules.unitIndex)),
    ];
    const ranked = rank(
      withEmpty,
      (f) => f.index,
      (f) => f.unit,
    );
    expect(ranked.map((u) => [u.rank, u.unit, u.index])).toEqual([
      [1, 'unit-d', 43],
      [2, 'unit-e', 22.6],
      [3, 'unit-c', 21.7],
      [5, 'unit-f', null],
      [5, 'unit-g', null],
    ]);
    const { unit: _u, jurisdiction: _j, rank: _r, ...f } = ranked[3];
    expect(f).toEqual(EXPECTED_UNITS.none);
  });

  it('reads policies stored without the new weights with the defaults, and applies an override', () => {
    expect(rules.unitIndex.penalties).toMatchObject(SCORES_DEFAULTS.unitIndex.penalties);
    expect(rules.unitIndex.livelihoodPoint).toBe(1);
    expect(rules.deputyPoints).toMatchObject(SCORES_DEFAULTS.deputyPoints);
    const stricter = scoresPolicySchema.parse({
      ...national.settings.scores,
      unitIndex: {
        ...national.settings.scores.unitIndex,
        penalties: { ...national.settings.scores.unitIndex.penalties, poorReport: 10 },
      },
    });
    // Unit D with 10 per poor report or failed vote: penalty 32 + 5 × 3 = 47 → 75 − 47 = 28.
    const [t] = sumRows(rowsFor(s.review_opinion).filter((r) => r.kind === 'unit' && r.period === '2026'));
    expect(unitFigures(t, rules.unitIndex).index).toBe(43);
    expect(unitFigures(t, stricter.unitIndex)).toMatchObject({ index: 28, indexParts: { penalty: 47 } });
    expect(() =>
      scoresPolicySchema.parse({
        ...national.settings.scores,
        deputyPoints: { ...rules.deputyPoints, opinionHandled: -1 },
      }),
    ).toThrow(/must be 0 or more/);
  });
});
