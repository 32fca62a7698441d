// Citizens' opinions and liaison letters, folded in memory: exactly the figures derived by hand
// in ../kinds-scenario.ts.
import { kindsScenario, EXPECTED_DEPUTY_3, EXPECTED_STATION, EXPECTED_UNITS } from '../kinds-scenario';
import { deputies, rowsOf, stations, stored, unitOf } from '../fold-in-memory';
import { foldCase } from '../../src/use-cases/fold';

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
const scenario = kindsScenario(ids);
const points = (d: { points: number }) => d.points;

describe('scores: citizen opinions (民情快递)', () => {
  const rows = rowsOf(stored(scenario.citizen_opinion));

  it('gives the station its opinions received, answered in window, rated, and its vitality and stars', () => {
    expect(stations(rows)).toEqual([{ station: 'station-s', jurisdiction: 'cn-unit-test', ...EXPECTED_STATION }]);
    // Every count is in the period the opinion was received: all November.
    expect(stations(rows, '2026-11')).toEqual(stations(rows));
    expect(stations(rows, '2026-12')).toEqual([]);
  });

  it('gives the answering deputy points per opinion acted on, on time and rated satisfied', () => {
    const [d3] = deputies(rows);
    // 1 × 4 handled + 1 × 3 on time + 1 × 2 satisfied = 9 (no letter rating yet).
    expect(d3).toMatchObject({ ...EXPECTED_DEPUTY_3, ratingsGiven: 0, points: 9 });
    expect(d3.record.map((r) => [r.type, r.caseId])).toEqual([
      ['CitizenOpinionAnswered', 'k-o1'],
      ['CitizenOpinionLetterSent', 'k-o3'],
      ['CitizenOpinionAnswered', 'k-o4'],
      ['CitizenOpinionAnswered', 'k-o2'],
    ]);
  });

  it('counts no unit for an opinion (its letter counts for the department)', () => {
    expect(rows.filter((r) => r.kind === 'unit')).toEqual([]);
  });

  it('keeps the station in the case facts', () => {
    const o1 = stored(scenario.citizen_opinion).filter((e) => e.caseId === 'k-o1');
    expect(foldCase(o1).facts).toMatchObject({ kind: 'citizen_opinion', stationId: 'station-s', deputyId: 'deputy-3' });
  });
});

describe('scores: liaison letters (代表联系函)', () => {
  const rows = rowsOf(stored(scenario.liaison_letter));

  it('counts replies on time, overdue, ladder steps and every rating (unsatisfied against the unit)', () => {
    expect(unitOf(rows, 'unit-c')).toEqual(EXPECTED_UNITS.lettersC);
  });

  it('credits the deputy’s own rating of the reply as a rating given, not an assumed one', () => {
    const [d3] = deputies(rows);
    expect(d3).toMatchObject({ deputy: 'deputy-3', ratingsGiven: 1, opinionsHandled: 0, points: 1 });
    expect(d3.record.map((r) => [r.type, r.caseId])).toEqual([['LiaisonLetterRated', 'k-l1']]);
  });

  it('moves the unit with two unsatisfied ratings', () => {
    const l1 = scenario.liaison_letter.filter((e) => e.caseId === 'k-l1');
    // Replied on time, rated unsatisfied twice: base (30 × 1 + 30 × 0) × 100 / 60 = 50, no penalty.
    expect(unitOf(rowsOf(stored(l1)), 'unit-c')).toMatchObject({
      satisfactionRate: 0,
      index: 50,
      indexParts: { base: 50, penalty: 0, livelihood: 0 },
    });
  });

  it('gives opinions and letters together the deputy’s 10 points', () => {
    const all = rowsOf(stored([...scenario.citizen_opinion, ...scenario.liaison_letter]));
    expect(deputies(all).map(points)).toEqual([EXPECTED_DEPUTY_3.points]);
    expect(deputies(all)[0]).toMatchObject(EXPECTED_DEPUTY_3);
  });
});
