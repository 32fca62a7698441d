// The figures, computed at read time from summed counters and the jurisdiction's policy
// (`scores` section), so a policy change applies to the next read. Pure.
import type { ScoresPolicy } from '@duban/domain';
import type { EntityKind, RecordEntry } from './models';
import type { ScoreRow } from './fold';

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

const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const clamp = (v: number) => Math.min(100, Math.max(0, v));

export interface UnitFigures {
  unit: string;
  jurisdiction: string;
  casesAssigned: number;
  replies: number;
  firstReplies: number;
  onTimeFirstReplies: number;
  /** On-time first replies / first replies, 0..1 (null: no first reply yet). */
  onTimeRate: number | null;
  scoredCases: number;
  /** Average of the 100-point scores (null: no case scored yet). */
  averageScore: number | null;
  /** Final rating per case; assumed ratings counted as what they were taken as. */
  ratings: { satisfied: number; basicallySatisfied: number; unsatisfied: number; assumed: number };
  /** (satisfied + basically satisfied) / rated cases, 0..1 (null: none rated). */
  satisfactionRate: number | null;
  /** Second replies (二次答复). */
  reReports: number;
  ladderSteps: number;
  maxLadderStep: number;
  overdue: number;
  veryOverdue: number;
  /** 部门落实质效指数, 0..100 (null: nothing to measure yet). */
  index: number | null;
  indexParts: { base: number | null; penalty: number };
}

/**
 * The department implementation-quality index (部门落实质效指数):
 *   base    = Σ weight × component over the components that have data (onTimeRate,
 *             averageScore / 100, satisfactionRate), rescaled to the weights present, so a unit
 *             with no rated case yet is judged on what it has done;
 *   penalty = reReport × re-reports + ladderStep × ladder steps + overdue × overdue notices
 *             + veryOverdue × very-overdue notices;
 *   index   = clamp(base − penalty, 0, 100), one decimal; null while no component has data.
 */
export function unitFigures(t: EntityTotals, rules: ScoresPolicy['unitIndex']): UnitFigures {
  const c = (k: string) => t.counters[k] ?? 0;
  const ratings = {
    satisfied: c('satisfied'),
    basicallySatisfied: c('basicallySatisfied'),
    unsatisfied: c('unsatisfied'),
    assumed: c('assumedRatings'),
  };
  const onTime = ratio(c('firstRepliesOnTime'), c('firstReplies'));
  const avg = ratio(c('scoreSum'), c('scored'));
  const rated = ratings.satisfied + ratings.basicallySatisfied + ratings.unsatisfied;
  const sat = ratio(ratings.satisfied + ratings.basicallySatisfied, rated);
  const w = rules.weights;
  const parts: [number, number | null][] = [
    [w.onTimeRate, onTime],
    [w.averageScore, avg === null ? null : avg / 100],
    [w.satisfactionRate, sat],
  ];
  const present = parts.filter(([, v]) => v !== null) as [number, number][];
  const weightPresent = present.reduce((s, [wt]) => s + wt, 0);
  const base = weightPresent > 0 ? (present.reduce((s, [wt, v]) => s + wt * v, 0) * 100) / weightPresent : null;
  const p = rules.penalties;
  const penalty =
    p.reReport * c('reReports') +
    p.ladderStep * c('ladderSteps') +
    p.overdue * c('overdue') +
    p.veryOverdue * c('veryOverdue');
  return {
    unit: t.entity,
    jurisdiction: t.jurisdiction,
    casesAssigned: c('casesAssigned'),
    replies: c('replies'),
    firstReplies: c('firstReplies'),
    onTimeFirstReplies: c('firstRepliesOnTime'),
    onTimeRate: onTime === null ? null : round(onTime, 4),
    scoredCases: c('scored'),
    averageScore: avg === null ? null : round(avg, 2),
    ratings,
    satisfactionRate: sat === null ? null : round(sat, 4),
    reReports: c('reReports'),
    ladderSteps: c('ladderSteps'),
    maxLadderStep: t.maxLadderStep,
    overdue: c('overdue'),
    veryOverdue: c('veryOverdue'),
    index: base === null ? null : round(clamp(base - penalty), 1),
    indexParts: { base: base === null ? null : round(base, 2), penalty: round(penalty, 2) },
  };
}

export interface DeputyFigures {
  deputy: string;
  jurisdiction: string;
  suggestionsSubmitted: number;
  ratingsGiven: number;
  /** No events yet (a later issue): always 0 for now. */
  inspections: number;
  /** No events yet (a later issue): always 0 for now. */
  votes: number;
  /** No events yet (a later issue): always 0 for now. */
  stationDuty: number;
  /** 履职积分: Σ weight × count. */
  points: number;
}

export function deputyFigures(t: EntityTotals, rules: ScoresPolicy['deputyPoints']): DeputyFigures {
  const c = (k: string) => t.counters[k] ?? 0;
  const counts = {
    suggestionsSubmitted: c('suggestionsSubmitted'),
    ratingsGiven: c('ratingsGiven'),
    inspections: c('inspections'),
    votes: c('votes'),
    stationDuty: c('stationDuty'),
  };
  const points =
    rules.suggestionSubmitted * counts.suggestionsSubmitted +
    rules.ratingGiven * counts.ratingsGiven +
    rules.inspection * counts.inspections +
    rules.vote * counts.votes +
    rules.stationDuty * counts.stationDuty;
  return { deputy: t.entity, jurisdiction: t.jurisdiction, ...counts, points: round(points, 2) };
}

export interface StationFigures {
  station: string;
  jurisdiction: string;
  opinionsReceived: number;
  answeredInWindow: number;
  ratings: number;
  satisfiedRatings: number;
  /** 联络站运行活力指数, 0..100. */
  vitality: number;
  /** 1..5 stars by the policy's thresholds. */
  stars: number;
}

/** 5 stars at or above thresholds[0], 4 at or above thresholds[1], ...; below the last: 1. */
export function starsFor(vitality: number, thresholds: readonly number[]): number {
  const i = thresholds.findIndex((t) => vitality >= t);
  return i === -1 ? 1 : 5 - i;
}

/**
 * The liaison station vitality index (联络站运行活力指数):
 *   opinionsReceived × min(1, received / opinionsTarget)
 *   + answeredInWindow × answered within window / received
 *   + satisfaction × satisfied ratings / ratings,
 * one decimal. A component without data counts 0 (no activity, no vitality). The citizen-opinion
 * events (民情快递) that feed these counters do not exist yet, so every station stays at 0 — and
 * at the lowest star — until they do.
 */
export function stationFigures(
  t: EntityTotals,
  policy: Pick<ScoresPolicy, 'stationVitality' | 'stationStars'>,
): StationFigures {
  const c = (k: string) => t.counters[k] ?? 0;
  const w = policy.stationVitality.weights;
  const received = c('opinionsReceived');
  const vitality = round(
    clamp(
      w.opinionsReceived * Math.min(1, received / policy.stationVitality.opinionsTarget) +
        w.answeredInWindow * (ratio(c('answeredInWindow'), received) ?? 0) +
        w.satisfaction * (ratio(c('satisfiedRatings'), c('ratings')) ?? 0),
    ),
    1,
  );
  return {
    station: t.entity,
    jurisdiction: t.jurisdiction,
    opinionsReceived: received,
    answeredInWindow: c('answeredInWindow'),
    ratings: c('ratings'),
    satisfiedRatings: c('satisfiedRatings'),
    vitality,
    stars: starsFor(vitality, policy.stationStars),
  };
}

/** Ranks by value, highest first (null last), ties sharing a rank (1, 2, 2, 4); then by id. */
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
    const r = i > 0 && v === prev ? prevRank : i + 1;
    prev = v;
    prevRank = r;
    return { ...t, rank: r };
  });
}

/** An empty total, for an entity with no events in the period. */
export function emptyTotals(kind: EntityKind, entity: string, jurisdiction: string): EntityTotals {
  return { kind, entity, jurisdiction, counters: {}, maxLadderStep: 0, records: [], cases: 0 };
}
