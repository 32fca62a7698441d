// The calendar-driven duties (docs/domain.md §5 and §7), for the unit each event names, in the
// period of the event:
// - a regulation report: regulationReports and regulationReportsOnTime (each report filed),
//   regulationOverdue, regulationReturned (staff returned it: a new report is due);
// - an appointee report: appointeeReports (filed) and appointeeReportsOnTime (filed before it
//   was flagged missing: its event has no on-time flag of its own), appointeeMissing (still
//   missing near the term's end),
//   appointeeVotesPassed / appointeeVotesFailed (a vote with quorum that passed or failed; a
//   vote without quorum is not the unit's).
// A group's duty year (group_duty) is a deputy group's and counts for no unit.
import { fieldsOf, str, yes, type KindFold } from './sink';

export const foldRegulationReport: KindFold = (sorted, sink) => {
  let unit: string | undefined;
  for (const e of sorted) {
    const b = fieldsOf(e);
    unit = str(b.unit) ?? unit;
    if (e.type === 'RegulationReportFiled') {
      sink.add('unit', unit, e.occurredAt, 'regulationReports');
      if (yes(b.onTime)) sink.add('unit', unit, e.occurredAt, 'regulationReportsOnTime');
    } else if (e.type === 'RegulationReportOverdue') sink.add('unit', unit, e.occurredAt, 'regulationOverdue');
    else if (e.type === 'RegulationReportReviewed' && str(b.decision) === 'returned')
      sink.add('unit', unit, e.occurredAt, 'regulationReturned');
  }
  return { unit };
};

export const foldAppointeeReport: KindFold = (sorted, sink) => {
  let unit: string | undefined;
  let missing = false;
  for (const e of sorted) {
    const b = fieldsOf(e);
    unit = str(b.unit) ?? unit;
    if (e.type === 'AppointeeReportFiled') {
      sink.add('unit', unit, e.occurredAt, 'appointeeReports');
      if (!missing) sink.add('unit', unit, e.occurredAt, 'appointeeReportsOnTime');
    } else if (e.type === 'AppointeeReportMissing') {
      missing = true;
      sink.add('unit', unit, e.occurredAt, 'appointeeMissing');
    } else if (e.type === 'AppointeeVoteTallied' && yes(b.quorum))
      sink.add('unit', unit, e.occurredAt, yes(b.passed) ? 'appointeeVotesPassed' : 'appointeeVotesFailed');
  }
  return { unit };
};
