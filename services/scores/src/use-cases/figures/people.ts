// Deputies' points and liaison stations' vitality and stars, from summed counters and the
// jurisdiction's policy (`scores` section). Pure. docs/domain.md §7.
import type { ScoresPolicy } from '@duban/domain';
import { clamp, ratio, round, type EntityTotals } from './totals';

export interface DeputyFigures {
  deputy: string;
  jurisdiction: string;
  suggestionsSubmitted: number;
  /** Ratings the deputy gave themself: of suggestions' replies and of liaison letters' replies. */
  ratingsGiven: number;
  /** Citizen opinions the deputy acted on: answered, took up as a suggestion, or wrote a letter. */
  opinionsHandled: number;
  /** Of those, acted on within the opinion's answer window. */
  opinionsOnTime: number;
  /** Direct answers the citizen rated satisfied or basically satisfied. */
  opinionsSatisfied: number;
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
    opinionsHandled: c('opinionsHandled'),
    opinionsOnTime: c('opinionsOnTime'),
    opinionsSatisfied: c('opinionsSatisfied'),
    inspections: c('inspections'),
    votes: c('votes'),
    stationDuty: c('stationDuty'),
  };
  const points =
    rules.suggestionSubmitted * counts.suggestionsSubmitted +
    rules.ratingGiven * counts.ratingsGiven +
    rules.opinionHandled * counts.opinionsHandled +
    rules.opinionOnTime * counts.opinionsOnTime +
    rules.opinionSatisfied * counts.opinionsSatisfied +
    rules.inspection * counts.inspections +
    rules.vote * counts.votes +
    rules.stationDuty * counts.stationDuty;
  return { deputy: t.entity, jurisdiction: t.jurisdiction, ...counts, points: round(points, 2) };
}

export interface StationFigures {
  station: string;
  jurisdiction: string;
  /** Citizen opinions received in the period; the other counts are of these opinions. */
  opinionsReceived: number;
  /** Acted on by a deputy on duty (answered, taken up as a suggestion, or a letter sent). */
  answered: number;
  answeredInWindow: number;
  /** Not acted on within the answer window. */
  overdue: number;
  /** Direct answers rated (assumed ratings as taken). */
  ratings: number;
  /** Of those, satisfied or basically satisfied. */
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
 *   + satisfaction × satisfied (or basically satisfied) ratings / ratings,
 * one decimal. A component without data counts 0 (no activity, no vitality): a station with no
 * opinion in the period is at 0 and the lowest star.
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
    answered: c('answered'),
    answeredInWindow: c('answeredInWindow'),
    overdue: c('overdue'),
    ratings: c('ratings'),
    satisfiedRatings: c('satisfiedRatings'),
    vitality,
    stars: starsFor(vitality, policy.stationStars),
  };
}
