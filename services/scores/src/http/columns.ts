// The CSV columns of each ranked list, in order: a header and how to read it from an item.
import type { Cell } from './csv';
import type { DeputyFigures, StationFigures, UnitFigures } from '../use-cases/figures';

type Ranked<F> = F & { rank: number; name?: string };
export type Columns<F> = [header: string, cell: (f: Ranked<F>) => Cell][];

export const UNIT_COLUMNS: Columns<UnitFigures> = [
  ['rank', (f) => f.rank],
  ['unit', (f) => f.unit],
  ['name', (f) => f.name],
  ['jurisdiction', (f) => f.jurisdiction],
  ['index', (f) => f.index],
  ['onTimeRate', (f) => f.onTimeRate],
  ['averageScore', (f) => f.averageScore],
  ['satisfactionRate', (f) => f.satisfactionRate],
  ['casesAssigned', (f) => f.casesAssigned],
  ['replies', (f) => f.replies],
  ['firstReplies', (f) => f.firstReplies],
  ['onTimeFirstReplies', (f) => f.onTimeFirstReplies],
  ['scoredCases', (f) => f.scoredCases],
  ['satisfied', (f) => f.ratings.satisfied],
  ['basicallySatisfied', (f) => f.ratings.basicallySatisfied],
  ['unsatisfied', (f) => f.ratings.unsatisfied],
  ['assumedRatings', (f) => f.ratings.assumed],
  ['reReports', (f) => f.reReports],
  ['ladderSteps', (f) => f.ladderSteps],
  ['maxLadderStep', (f) => f.maxLadderStep],
  ['overdue', (f) => f.overdue],
  ['veryOverdue', (f) => f.veryOverdue],
  ['responses', (f) => f.responses],
  ['onTimeResponses', (f) => f.onTimeResponses],
  ['letterReplies', (f) => f.byKind.liaisonLetter.replies],
  ['letterUnsatisfied', (f) => f.byKind.liaisonLetter.unsatisfied],
  ['reviewReports', (f) => f.byKind.reviewOpinion.reports],
  ['reviewPoor', (f) => f.byKind.reviewOpinion.poor],
  ['reviewVotesFailed', (f) => f.byKind.reviewOpinion.votesFailed],
  ['reviewReReportsRequired', (f) => f.byKind.reviewOpinion.reReportsRequired],
  ['inquiries', (f) => f.byKind.inquiry.filed],
  ['investigations', (f) => f.byKind.investigation.adopted],
  ['livelihoodPoints', (f) => f.byKind.livelihoodProject.points],
  ['livelihoodReports', (f) => f.byKind.livelihoodProject.reports],
  ['regulationReports', (f) => f.byKind.regulationReport.filed],
  ['appointeeReports', (f) => f.byKind.appointeeReport.filed],
  ['appointeeMissing', (f) => f.byKind.appointeeReport.missing],
];

export const DEPUTY_COLUMNS: Columns<DeputyFigures> = [
  ['rank', (f) => f.rank],
  ['deputy', (f) => f.deputy],
  ['name', (f) => f.name],
  ['jurisdiction', (f) => f.jurisdiction],
  ['points', (f) => f.points],
  ['suggestionsSubmitted', (f) => f.suggestionsSubmitted],
  ['ratingsGiven', (f) => f.ratingsGiven],
  ['inspections', (f) => f.inspections],
  ['votes', (f) => f.votes],
  ['stationDuty', (f) => f.stationDuty],
  ['opinionsHandled', (f) => f.opinionsHandled],
  ['opinionsOnTime', (f) => f.opinionsOnTime],
  ['opinionsSatisfied', (f) => f.opinionsSatisfied],
];

export const STATION_COLUMNS: Columns<StationFigures> = [
  ['rank', (f) => f.rank],
  ['station', (f) => f.station],
  ['name', (f) => f.name],
  ['jurisdiction', (f) => f.jurisdiction],
  ['vitality', (f) => f.vitality],
  ['stars', (f) => f.stars],
  ['opinionsReceived', (f) => f.opinionsReceived],
  ['answeredInWindow', (f) => f.answeredInWindow],
  ['ratings', (f) => f.ratings],
  ['satisfiedRatings', (f) => f.satisfiedRatings],
  ['answered', (f) => f.answered],
  ['overdue', (f) => f.overdue],
];

export function tableOf<F>(columns: Columns<F>, items: Ranked<F>[]): { header: string[]; rows: Cell[][] } {
  return { header: columns.map(([h]) => h), rows: items.map((f) => columns.map(([, cell]) => cell(f))) };
}
