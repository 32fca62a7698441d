// What one case contributes to each unit, deputy and station in each period: a pure fold of
// the case's stored events, in the order they happened (occurredAt, then the Kafka offset on
// the case's partition), by one fold per case kind (./fold/*.ts, each saying what it counts;
// docs/domain.md §7). The same events give the same rows whatever order they arrived in.
// Kinds that count for no unit, deputy or station (livelihood_cycle, supervision_plan,
// group_duty) and kinds not known yet keep their facts and make no rows. Every kind's facts
// keep when the case first became overdue (./overdue.ts).
import type { ScoreEventDoc } from '../data/models';
import { RowSink, type CaseFacts, type KindFold, type ScoreRow } from './fold/sink';
import { foldSuggestion } from './fold/suggestion';
import { foldCitizenOpinion, foldLiaisonLetter } from './fold/citizen';
import { foldInquiry, foldInvestigation, foldReviewOpinion } from './fold/oversight';
import { foldLivelihoodProject } from './fold/livelihood';
import { foldAppointeeReport, foldRegulationReport } from './fold/duties';
import { firstOverdue } from './overdue';

export { rowId, type CaseFacts, type ScoreRow } from './fold/sink';

export const KIND_FOLDS: Record<string, KindFold> = {
  suggestion: foldSuggestion,
  citizen_opinion: foldCitizenOpinion,
  liaison_letter: foldLiaisonLetter,
  review_opinion: foldReviewOpinion,
  resolution: foldReviewOpinion,
  inquiry: foldInquiry,
  investigation: foldInvestigation,
  livelihood_project: foldLivelihoodProject,
  regulation_report: foldRegulationReport,
  appointee_report: foldAppointeeReport,
};

export function sortEvents(events: ScoreEventDoc[]): ScoreEventDoc[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.offset - b.offset);
}

export function foldCase(events: ScoreEventDoc[]): { facts: CaseFacts; rows: ScoreRow[] } {
  const sorted = sortEvents(events);
  const caseId = sorted[0].caseId;
  let jurisdiction = '';
  for (const e of sorted) jurisdiction = e.jurisdiction || jurisdiction;
  // A case's kind is on every envelope; the first one that names it decides.
  const kind = sorted.find((e) => e.caseKind)?.caseKind ?? '';
  const sink = new RowSink(caseId, jurisdiction);
  const fold = Object.hasOwn(KIND_FOLDS, kind) ? KIND_FOLDS[kind] : undefined;
  const summary = fold ? fold(sorted, sink) : {};

  const last = sorted[sorted.length - 1];
  const overdue = firstOverdue(sorted);
  return {
    facts: {
      kind,
      jurisdiction,
      ...(summary.deputyId ? { deputyId: summary.deputyId } : {}),
      ...(summary.unit ? { leadUnit: summary.unit } : {}),
      ...(summary.stationId ? { stationId: summary.stationId } : {}),
      ...(overdue ? { overdueAt: overdue.at, overdueType: overdue.type } : {}),
      eventCount: sorted.length,
      lastEventAt: last.occurredAt,
    },
    rows: sink.all(),
  };
}
