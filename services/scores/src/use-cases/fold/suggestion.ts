// A suggestion (代表建议, docs/domain.md §2 and §7) and its ladders:
// - a unit's figures go to the unit named in the event (replies, overdue notices, scores,
//   ladders), else to the case's lead unit at that moment;
// - casesAssigned counts the case once, for its final lead unit, in the period of that
//   assignment (a unit that objected and was replaced does not keep it);
// - the satisfaction figures count the case's FINAL rating only, in the period of that rating;
//   an assumed rating (no rating within the window) counts as the rating it was taken as;
// - the average score counts the case's latest SuggestionScored;
// - a deputy earns suggestionsSubmitted for the case they submitted and ratingsGiven for each
//   rating they gave themself (assumed ratings are not theirs).
import type { RecordEntry } from '../../data/models';
import { RATING_NAMES, actOf, fieldsOf, foldLadder, num, str, yes, type KindFold } from './sink';

export const foldSuggestion: KindFold = (sorted, sink) => {
  let deputyId: string | undefined;
  let leadUnit: string | undefined;
  let assignment: { unit: string; at: Date } | undefined;
  let finalRating: { rating: string; assumed: boolean; unit?: string; at: Date } | undefined;
  let lastScore: { unit?: string; total: number; at: Date } | undefined;
  const ladders = new Map<string, string>();
  /** The deputy's acts, credited at the end to the case's deputy. */
  const deputyActs: { counter: string; record: RecordEntry }[] = [];
  let submittedCounted = false;

  for (const e of sorted) {
    const b = fieldsOf(e);
    switch (e.type) {
      case 'SuggestionSubmitted':
        deputyId = str(b.deputyId) ?? deputyId;
        if (!submittedCounted) deputyActs.push({ counter: 'suggestionsSubmitted', record: actOf(e) });
        submittedCounted = true;
        break;
      case 'SuggestionAssigned':
        leadUnit = str(b.leadUnit) ?? leadUnit;
        if (leadUnit && assignment?.unit !== leadUnit) assignment = { unit: leadUnit, at: e.occurredAt };
        break;
      case 'SuggestionReplied': {
        const unit = str(b.unit) ?? leadUnit;
        // Round 0 comes from the first released version, which had only one reply.
        const round = num(b.round) || 1;
        sink.add('unit', unit, e.occurredAt, 'replies');
        if (round === 1) {
          sink.add('unit', unit, e.occurredAt, 'firstReplies');
          if (yes(b.onTime)) sink.add('unit', unit, e.occurredAt, 'firstRepliesOnTime');
        } else {
          sink.add('unit', unit, e.occurredAt, 'reReports');
        }
        break;
      }
      case 'SuggestionOverdue':
        sink.add('unit', str(b.unit) ?? leadUnit, e.occurredAt, yes(b.veryOverdue) ? 'veryOverdue' : 'overdue');
        break;
      case 'SuggestionRated': {
        const rating = str(b.rating);
        if (!rating) break;
        const assumed = yes(b.assumed);
        finalRating = { rating, assumed, unit: leadUnit, at: e.occurredAt };
        if (!assumed) deputyActs.push({ counter: 'ratingsGiven', record: actOf(e) });
        break;
      }
      case 'SuggestionScored':
        lastScore = { unit: str(b.unit) ?? leadUnit, total: num(b.total), at: e.occurredAt };
        break;
      default:
        foldLadder(e, sink, ladders, leadUnit);
        break;
    }
  }

  if (assignment) sink.add('unit', assignment.unit, assignment.at, 'casesAssigned');
  if (finalRating && RATING_NAMES.has(finalRating.rating)) {
    sink.add('unit', finalRating.unit, finalRating.at, finalRating.rating);
    if (finalRating.assumed) sink.add('unit', finalRating.unit, finalRating.at, 'assumedRatings');
  }
  if (lastScore) {
    sink.add('unit', lastScore.unit, lastScore.at, 'scored');
    sink.add('unit', lastScore.unit, lastScore.at, 'scoreSum', lastScore.total);
  }
  for (const { counter, record } of deputyActs) sink.add('deputy', deputyId, record.at, counter, 1, { record });
  return { deputyId, unit: leadUnit };
};
