// What one case contributes to each unit, deputy and station in each period: a pure fold of
// the case's stored events, in the order they happened (occurredAt, then the Kafka offset on
// the case's partition). The same events give the same rows whatever order they arrived in.
//
// Attribution (DOMAIN.md §7):
// - a unit's figures go to the unit named in the event (replies, overdue notices, scores,
//   ladders), else to the case's lead unit at that moment;
// - casesAssigned counts the case once, for its final lead unit, in the period of that
//   assignment (a unit that objected and was replaced does not keep it);
// - the satisfaction figures count the case's FINAL rating only, in the period of that rating;
//   an assumed rating (no rating within the window) counts as the rating it was taken as;
// - the average score counts the case's latest SuggestionScored;
// - a deputy earns suggestionsSubmitted for the case they submitted and ratingsGiven for each
//   rating they gave themself (assumed ratings are not theirs).
import type { CaseFactsDoc, EntityKind, RecordEntry, ScoreEventDoc, ScoreRowDoc } from './models';
import { periodsOf } from './periods';

export const UNIT_COUNTERS = [
  'casesAssigned',
  'replies',
  'firstReplies',
  'firstRepliesOnTime',
  'reReports',
  'scored',
  'scoreSum',
  'satisfied',
  'basicallySatisfied',
  'unsatisfied',
  'assumedRatings',
  'ladderSteps',
  'overdue',
  'veryOverdue',
] as const;

/**
 * inspections (视察调研), votes (表决) and stationDuty (进站履职) have no events yet: they stay 0
 * until the events of those later issues (e.g. InspectionAttended, VoteCast, StationDutyDone)
 * exist and are folded here.
 */
export const DEPUTY_COUNTERS = ['suggestionsSubmitted', 'ratingsGiven', 'inspections', 'votes', 'stationDuty'] as const;

/**
 * Fed by the citizen-opinion (民情快递) events of a later issue: an opinion received at a
 * station, answered (within its window or not), rated. No such event exists yet, so no row of
 * kind "station" is ever written and every station's figures stay at zero until then.
 */
export const STATION_COUNTERS = ['opinionsReceived', 'answeredInWindow', 'ratings', 'satisfiedRatings'] as const;

export type ScoreRow = Omit<ScoreRowDoc, '_id'>;
export type CaseFacts = Omit<CaseFactsDoc, '_id'>;

type Body = Record<string, Record<string, unknown> | undefined>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 0);

export function rowId(r: Pick<ScoreRow, 'caseId' | 'kind' | 'entity' | 'period'>): string {
  return `${r.caseId}|${r.kind}|${r.entity}|${r.period}`;
}

export function sortEvents(events: ScoreEventDoc[]): ScoreEventDoc[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.offset - b.offset);
}

export function foldCase(events: ScoreEventDoc[]): { facts: CaseFacts; rows: ScoreRow[] } {
  const sorted = sortEvents(events);
  const caseId = sorted[0].caseId;
  let jurisdiction = '';
  for (const e of sorted) jurisdiction = e.jurisdiction || jurisdiction;

  const rows = new Map<string, ScoreRow>();
  const add = (
    kind: EntityKind,
    entity: string | undefined,
    at: Date,
    counter: string,
    n = 1,
    extra: { step?: number; record?: RecordEntry } = {},
  ) => {
    if (!entity) return;
    for (const period of periodsOf(at)) {
      const key = rowId({ caseId, kind, entity, period });
      let row = rows.get(key);
      if (!row) {
        row = { caseId, kind, entity, period, jurisdiction, counters: {}, maxLadderStep: 0, records: [] };
        rows.set(key, row);
      }
      row.counters[counter] = (row.counters[counter] ?? 0) + n;
      if (extra.step) row.maxLadderStep = Math.max(row.maxLadderStep, extra.step);
      if (extra.record) row.records.push(extra.record);
    }
  };

  let deputyId: string | undefined;
  let leadUnit: string | undefined;
  let assignment: { unit: string; at: Date } | undefined;
  let finalRating: { rating: string; assumed: boolean; unit?: string; at: Date } | undefined;
  let lastScore: { unit?: string; total: number; at: Date } | undefined;
  const ladderUnits = new Map<string, string>();
  /** The deputy's acts, credited at the end to the case's deputy. */
  const deputyActs: { counter: string; record: RecordEntry }[] = [];
  let submittedCounted = false;

  for (const e of sorted) {
    const body = e.body as Body;
    const b = body[e.type.charAt(0).toLowerCase() + e.type.slice(1)] ?? {};
    const act = { type: e.type, caseId, eventId: e._id, at: e.occurredAt };
    switch (e.type) {
      case 'SuggestionSubmitted':
        deputyId = str(b.deputyId) ?? deputyId;
        if (!submittedCounted) deputyActs.push({ counter: 'suggestionsSubmitted', record: act });
        submittedCounted = true;
        break;
      case 'SuggestionAssigned': {
        leadUnit = str(b.leadUnit) ?? leadUnit;
        if (leadUnit && assignment?.unit !== leadUnit) assignment = { unit: leadUnit, at: e.occurredAt };
        break;
      }
      case 'SuggestionReplied': {
        const unit = str(b.unit) ?? leadUnit;
        // Round 0 comes from the first released version, which had only one reply.
        const round = num(b.round) || 1;
        add('unit', unit, e.occurredAt, 'replies');
        if (round === 1) {
          add('unit', unit, e.occurredAt, 'firstReplies');
          if (b.onTime === true) add('unit', unit, e.occurredAt, 'firstRepliesOnTime');
        } else {
          add('unit', unit, e.occurredAt, 'reReports');
        }
        break;
      }
      case 'SuggestionOverdue':
        add('unit', str(b.unit) ?? leadUnit, e.occurredAt, b.veryOverdue === true ? 'veryOverdue' : 'overdue');
        break;
      case 'SuggestionRated': {
        const rating = str(b.rating);
        if (!rating) break;
        const assumed = b.assumed === true;
        finalRating = { rating, assumed, unit: leadUnit, at: e.occurredAt };
        if (!assumed) deputyActs.push({ counter: 'ratingsGiven', record: act });
        break;
      }
      case 'SuggestionScored':
        lastScore = { unit: str(b.unit) ?? leadUnit, total: num(b.total), at: e.occurredAt };
        break;
      case 'LadderStarted': {
        const ladderId = str(b.ladderId);
        const unit = str(b.unit) ?? leadUnit;
        if (ladderId && unit) ladderUnits.set(ladderId, unit);
        break;
      }
      case 'LadderStepStarted': {
        const ladderId = str(b.ladderId);
        const unit = (ladderId && ladderUnits.get(ladderId)) || leadUnit;
        add('unit', unit, e.occurredAt, 'ladderSteps', 1, { step: num(b.stepNo) });
        break;
      }
      default:
        break;
    }
  }

  if (assignment) add('unit', assignment.unit, assignment.at, 'casesAssigned');
  if (finalRating && ['satisfied', 'basicallySatisfied', 'unsatisfied'].includes(finalRating.rating)) {
    add('unit', finalRating.unit, finalRating.at, finalRating.rating);
    if (finalRating.assumed) add('unit', finalRating.unit, finalRating.at, 'assumedRatings');
  }
  if (lastScore) {
    add('unit', lastScore.unit, lastScore.at, 'scored');
    add('unit', lastScore.unit, lastScore.at, 'scoreSum', lastScore.total);
  }
  for (const { counter, record } of deputyActs) add('deputy', deputyId, record.at, counter, 1, { record });

  const last = sorted[sorted.length - 1];
  return {
    facts: {
      kind: sorted[0].caseKind,
      jurisdiction,
      ...(deputyId ? { deputyId } : {}),
      ...(leadUnit ? { leadUnit } : {}),
      eventCount: sorted.length,
      lastEventAt: last.occurredAt,
    },
    rows: [...rows.values()],
  };
}
