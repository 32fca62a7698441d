// A livelihood project (民生实事项目, docs/domain.md §1 and §7), for its lead department, in the
// period of each event: livelihoodScored and livelihoodPoints (LivelihoodProjectScored, the
// performance points added or deducted, summed as signed); livelihoodReports and
// livelihoodReportsOnTime (progress, mid-year, fix and re-reports); livelihoodOverdue (a
// progress report, a mid-year report or a fix past its date) and livelihoodVeryOverdue (a
// progress report very overdue, at risk); livelihoodReReports (a re-report required); the
// ladder's steps. The annual cycle (livelihood_cycle) is the committee's and counts for nobody.
import { fieldsOf, foldLadder, num, str, yes, type KindFold } from './sink';

const REPORTS = new Set([
  'LivelihoodProgressReported',
  'LivelihoodMidYearReported',
  'LivelihoodFixReported',
  'LivelihoodReReported',
]);
const OVERDUE = new Set(['LivelihoodMidYearOverdue', 'LivelihoodFixOverdue']);

export const foldLivelihoodProject: KindFold = (sorted, sink) => {
  let unit: string | undefined;
  const ladders = new Map<string, string>();
  for (const e of sorted) {
    const b = fieldsOf(e);
    const u = str(b.unit) ?? unit;
    if (e.type === 'LivelihoodProjectStarted') unit = str(b.leadUnit) ?? unit;
    else if (REPORTS.has(e.type)) {
      sink.add('unit', u, e.occurredAt, 'livelihoodReports');
      if (yes(b.onTime)) sink.add('unit', u, e.occurredAt, 'livelihoodReportsOnTime');
    } else if (e.type === 'LivelihoodProgressOverdue')
      sink.add('unit', u, e.occurredAt, yes(b.veryOverdue) ? 'livelihoodVeryOverdue' : 'livelihoodOverdue');
    else if (OVERDUE.has(e.type)) sink.add('unit', u, e.occurredAt, 'livelihoodOverdue');
    else if (e.type === 'LivelihoodReReportRequested') sink.add('unit', u, e.occurredAt, 'livelihoodReReports');
    else if (e.type === 'LivelihoodProjectScored') {
      sink.add('unit', u, e.occurredAt, 'livelihoodScored');
      sink.add('unit', u, e.occurredAt, 'livelihoodPoints', num(b.points));
    } else foldLadder(e, sink, ladders, unit);
  }
  return { unit };
};
