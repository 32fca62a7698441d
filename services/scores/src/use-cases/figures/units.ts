// A handling unit's figures and its implementation-quality index (部门落实质效指数) over every
// case kind, from summed counters and the jurisdiction's policy (`scores.unitIndex`), computed
// at read time, so a policy change applies to the next read. Pure. docs/domain.md §7.
import type { ScoresPolicy } from '@duban/domain';
import { clamp, ratio, round, type EntityTotals } from './totals';

/** What each kind other than suggestions counted for the unit (see ../fold/*.ts). */
export interface UnitKindFigures {
  liaisonLetter: {
    replies: number;
    onTimeReplies: number;
    overdue: number;
    satisfied: number;
    basicallySatisfied: number;
    unsatisfied: number;
  };
  reviewOpinion: {
    reports: number;
    onTimeReports: number;
    overdue: number;
    accepted: number;
    poor: number;
    votesPassed: number;
    votesFailed: number;
    reReportsRequired: number;
  };
  inquiry: { filed: number; replies: number; onTimeReplies: number; overdue: number; repliesAgain: number };
  investigation: { adopted: number };
  livelihoodProject: {
    scored: number;
    points: number;
    reports: number;
    onTimeReports: number;
    overdue: number;
    veryOverdue: number;
    reReportsRequired: number;
  };
  regulationReport: { filed: number; onTime: number; overdue: number; returned: number };
  appointeeReport: { filed: number; onTime: number; missing: number; votesPassed: number; votesFailed: number };
}

export interface UnitFigures {
  unit: string;
  jurisdiction: string;
  /** Suggestions (代表建议) assigned, replies, first replies and those on time. */
  casesAssigned: number;
  replies: number;
  firstReplies: number;
  onTimeFirstReplies: number;
  /** Replies and reports of every kind judged on time or late, and those on time. */
  responses: number;
  onTimeResponses: number;
  /** onTimeResponses / responses, 0..1 (null: nothing judged yet). */
  onTimeRate: number | null;
  scoredCases: number;
  /** Average of the suggestions' 100-point scores (null: no case scored yet). */
  averageScore: number | null;
  /** Suggestions' final ratings; assumed ratings counted as what they were taken as. */
  ratings: { satisfied: number; basicallySatisfied: number; unsatisfied: number; assumed: number };
  /** (satisfied + basically satisfied) / rated, over suggestions' final ratings and liaison letters' ratings, 0..1 (null: none rated). */
  satisfactionRate: number | null;
  /** Suggestions' second replies (二次答复). */
  reReports: number;
  /** Ladder steps of every kind, and the highest step reached. */
  ladderSteps: number;
  maxLadderStep: number;
  /** Overdue notices of every kind (a missing appointee report included), and very overdue ones. */
  overdue: number;
  veryOverdue: number;
  byKind: UnitKindFigures;
  /** 部门落实质效指数, 0..100 (null: nothing to measure yet). */
  index: number | null;
  indexParts: { base: number | null; penalty: number; livelihood: number };
}

function byKind(c: (k: string) => number): UnitKindFigures {
  return {
    liaisonLetter: {
      replies: c('letterReplies'),
      onTimeReplies: c('letterRepliesOnTime'),
      overdue: c('letterOverdue'),
      satisfied: c('letterSatisfied'),
      basicallySatisfied: c('letterBasicallySatisfied'),
      unsatisfied: c('letterUnsatisfied'),
    },
    reviewOpinion: {
      reports: c('reviewReports'),
      onTimeReports: c('reviewReportsOnTime'),
      overdue: c('reviewOverdue'),
      accepted: c('reviewAccepted'),
      poor: c('reviewPoor'),
      votesPassed: c('reviewVotesPassed'),
      votesFailed: c('reviewVotesFailed'),
      reReportsRequired: c('reviewReReports'),
    },
    inquiry: {
      filed: c('inquiries'),
      replies: c('inquiryReplies'),
      onTimeReplies: c('inquiryRepliesOnTime'),
      overdue: c('inquiryOverdue'),
      repliesAgain: c('inquiryRepliesAgain'),
    },
    investigation: { adopted: c('investigations') },
    livelihoodProject: {
      scored: c('livelihoodScored'),
      points: round(c('livelihoodPoints'), 2),
      reports: c('livelihoodReports'),
      onTimeReports: c('livelihoodReportsOnTime'),
      overdue: c('livelihoodOverdue'),
      veryOverdue: c('livelihoodVeryOverdue'),
      reReportsRequired: c('livelihoodReReports'),
    },
    regulationReport: {
      filed: c('regulationReports'),
      onTime: c('regulationReportsOnTime'),
      overdue: c('regulationOverdue'),
      returned: c('regulationReturned'),
    },
    appointeeReport: {
      filed: c('appointeeReports'),
      onTime: c('appointeeReportsOnTime'),
      missing: c('appointeeMissing'),
      votesPassed: c('appointeeVotesPassed'),
      votesFailed: c('appointeeVotesFailed'),
    },
  };
}

/**
 * The department implementation-quality index (部门落实质效指数), over every case kind:
 *   base       = Σ weight × component over the components that have data, rescaled to the
 *                weights present (a unit with no rated case yet is judged on what it has done):
 *                onTimeRate       on-time / judged replies and reports: suggestions' first
 *                                 replies, letters' replies, handling reports, inquiry replies,
 *                                 livelihood reports, regulation and appointee reports;
 *                averageScore     suggestions' 100-point scores / 100;
 *                satisfactionRate satisfied + basically satisfied / rated: suggestions' final
 *                                 ratings and each rating of a letter's reply;
 *   penalty    = reReport × suggestions' second replies
 *                + reReportRequired × re-reports required (review parts, livelihood projects,
 *                  inquiries replied again, regulation reports returned)
 *                + poorReport × (reports assessed poor + failed review votes + failed appointee votes)
 *                + inquiry × inquiries filed + investigation × investigations adopted
 *                + ladderStep × ladder steps + overdue × overdue notices + veryOverdue × very overdue;
 *   livelihood = livelihoodPoint × Σ livelihood performance points (signed);
 *   index      = clamp(base − penalty + livelihood, 0, 100), one decimal; null while no base
 *                component has data (such units are listed last, see rank()).
 */
export function unitFigures(t: EntityTotals, rules: ScoresPolicy['unitIndex']): UnitFigures {
  const c = (k: string) => t.counters[k] ?? 0;
  const k = byKind(c);
  const ratings = {
    satisfied: c('satisfied'),
    basicallySatisfied: c('basicallySatisfied'),
    unsatisfied: c('unsatisfied'),
    assumed: c('assumedRatings'),
  };
  const L = k.liaisonLetter;
  const responses =
    c('firstReplies') +
    L.replies +
    k.reviewOpinion.reports +
    k.inquiry.replies +
    k.livelihoodProject.reports +
    k.regulationReport.filed +
    k.appointeeReport.filed;
  const onTimeResponses =
    c('firstRepliesOnTime') +
    L.onTimeReplies +
    k.reviewOpinion.onTimeReports +
    k.inquiry.onTimeReplies +
    k.livelihoodProject.onTimeReports +
    k.regulationReport.onTime +
    k.appointeeReport.onTime;
  const onTime = ratio(onTimeResponses, responses);
  const avg = ratio(c('scoreSum'), c('scored'));
  const good = ratings.satisfied + ratings.basicallySatisfied + L.satisfied + L.basicallySatisfied;
  const sat = ratio(good, good + ratings.unsatisfied + L.unsatisfied);
  const overdue =
    c('overdue') +
    L.overdue +
    k.reviewOpinion.overdue +
    k.inquiry.overdue +
    k.livelihoodProject.overdue +
    k.regulationReport.overdue +
    k.appointeeReport.missing;
  const veryOverdue = c('veryOverdue') + k.livelihoodProject.veryOverdue;

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
    p.reReportRequired *
      (k.reviewOpinion.reReportsRequired +
        k.livelihoodProject.reReportsRequired +
        k.inquiry.repliesAgain +
        k.regulationReport.returned) +
    p.poorReport * (k.reviewOpinion.poor + k.reviewOpinion.votesFailed + k.appointeeReport.votesFailed) +
    p.inquiry * k.inquiry.filed +
    p.investigation * k.investigation.adopted +
    p.ladderStep * c('ladderSteps') +
    p.overdue * overdue +
    p.veryOverdue * veryOverdue;
  const livelihood = rules.livelihoodPoint * c('livelihoodPoints');
  return {
    unit: t.entity,
    jurisdiction: t.jurisdiction,
    casesAssigned: c('casesAssigned'),
    replies: c('replies'),
    firstReplies: c('firstReplies'),
    onTimeFirstReplies: c('firstRepliesOnTime'),
    responses,
    onTimeResponses,
    onTimeRate: onTime === null ? null : round(onTime, 4),
    scoredCases: c('scored'),
    averageScore: avg === null ? null : round(avg, 2),
    ratings,
    satisfactionRate: sat === null ? null : round(sat, 4),
    reReports: c('reReports'),
    ladderSteps: c('ladderSteps'),
    maxLadderStep: t.maxLadderStep,
    overdue,
    veryOverdue,
    byKind: k,
    index: base === null ? null : round(clamp(base - penalty + livelihood), 1),
    indexParts: {
      base: base === null ? null : round(base, 2),
      penalty: round(penalty, 2),
      livelihood: round(livelihood, 2),
    },
  };
}
