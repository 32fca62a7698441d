// 逐月超期: cases that became overdue, per month (Beijing time) and case kind, from a small set
// of events whose figures are counted here by hand; the same under redelivery, any order and a
// rebuild (a fold of the same stored events).
import { create, EnvelopeSchema } from '@duban/proto';
import type { NewEvent } from '@duban/platform';
import { foldCase } from '../../src/use-cases/fold';
import { firstOverdue, isOverdueEvent, overdueByMonth, yearRange } from '../../src/use-cases/overdue';
import type { ScoreEventDoc } from '../../src/data/models';
import { stored } from '../fold-in-memory';

type Body = NewEvent['body'];
const body = (name: string, fields: Record<string, unknown> = {}): Body =>
  create(EnvelopeSchema, { body: { case: name, value: fields } as never }).body as Body;

const counts = new Map<string, number>();
function ev(caseId: string, kind: string, at: string, name: string, fields?: Record<string, unknown>): NewEvent {
  const k = `${caseId}/${name}`;
  const no = (counts.get(k) ?? 0) + 1;
  counts.set(k, no);
  return {
    eventId: `${k}/${no}`,
    caseId,
    caseKind: kind,
    jurisdiction: 'cn-overdue-test',
    occurredAt: new Date(at),
    producer: 'scores-test',
    workflowId: caseId,
    runId: 'run-1',
    body: body(name, fields),
  };
}

// s1: suggestion overdue 10 Feb, very overdue 3 March, overdue again in round 2 in April → February only.
// s2: suggestion overdue at 2026-01-31T16:30Z = 1 February 00:30 in Beijing → February.
// s3: suggestion overdue at 2026-01-31T15:30Z = 31 January 23:30 in Beijing → January.
// s4: suggestion replied on time, never overdue → nowhere.
// r1: review opinion, item overdue 5 March, the handling report overdue 9 March → March once.
// a1: appointee report missing 20 March → March (a "Missing" event is overdue, as in the case index).
// q1: inquiry overdue 2025-12-31T16:00Z = 1 January 2026 00:00 in Beijing → January 2026.
// q2: inquiry overdue 2025-12-31T15:59:59Z = 31 December 2025 in Beijing → 2025, not 2026.
// l1: liaison letter overdue 2027-01-05 → 2027.
// Hand count, 2026: January 2 (s3 suggestion, q1 inquiry), February 2 (s1, s2 suggestions),
// March 2 (r1 review opinion, a1 appointee report), other months 0; total 6;
// by kind: suggestion 3, inquiry 1, review_opinion 1, appointee_report 1.
const events: NewEvent[] = [
  ev('s1', 'suggestion', '2026-01-20T02:00:00Z', 'suggestionAssigned', { leadUnit: 'edu' }),
  ev('s1', 'suggestion', '2026-02-10T02:00:00Z', 'suggestionOverdue', { unit: 'edu' }),
  ev('s1', 'suggestion', '2026-03-03T02:00:00Z', 'suggestionOverdue', { unit: 'edu', veryOverdue: true }),
  ev('s1', 'suggestion', '2026-04-07T02:00:00Z', 'suggestionOverdue', { unit: 'edu', round: 2 }),
  ev('s2', 'suggestion', '2026-01-31T16:30:00Z', 'suggestionOverdue', { unit: 'edu' }),
  ev('s3', 'suggestion', '2026-01-31T15:30:00Z', 'suggestionOverdue', { unit: 'edu' }),
  ev('s4', 'suggestion', '2026-05-01T02:00:00Z', 'suggestionReplied', { unit: 'edu', round: 1, onTime: true }),
  ev('r1', 'review_opinion', '2026-03-05T02:00:00Z', 'oversightItemOverdue', { itemId: 'i1', unit: 'edu' }),
  ev('r1', 'review_opinion', '2026-03-09T02:00:00Z', 'handlingReportOverdue', { unit: 'edu', round: 1 }),
  ev('a1', 'appointee_report', '2026-03-20T02:00:00Z', 'appointeeReportMissing', {}),
  ev('q1', 'inquiry', '2025-12-31T16:00:00Z', 'inquiryOverdue', { unit: 'edu', round: 1 }),
  ev('q2', 'inquiry', '2025-12-31T15:59:59Z', 'inquiryOverdue', { unit: 'edu', round: 1 }),
  ev('l1', 'liaison_letter', '2027-01-05T02:00:00Z', 'liaisonLetterOverdue', { unit: 'edu' }),
];

/** Folds each case of the stored events, as ingest does, into its facts. */
function factsOf(docs: ScoreEventDoc[]) {
  const byCase = new Map<string, Map<string, ScoreEventDoc>>();
  // Stored once per event id, as the case stream does: a redelivered event is a duplicate.
  for (const e of docs) (byCase.get(e.caseId) ?? byCase.set(e.caseId, new Map()).get(e.caseId)!).set(e._id, e);
  return [...byCase.entries()].map(([caseId, evs]) => ({ caseId, ...foldCase([...evs.values()]).facts }));
}

const zeroMonths = (y: string) =>
  Array.from({ length: 12 }, (_, i) => ({ month: `${y}-${String(i + 1).padStart(2, '0')}`, total: 0, byKind: {} }));

describe('scores: cases that became overdue, by month (逐月超期)', () => {
  const docs = stored(events);
  const facts = factsOf(docs);

  it('keeps the first overdue instant and event type in the case facts', () => {
    const by = Object.fromEntries(facts.map((f) => [f.caseId, f]));
    expect(by.s1).toMatchObject({ overdueAt: new Date('2026-02-10T02:00:00Z'), overdueType: 'SuggestionOverdue' });
    expect(by.r1).toMatchObject({ overdueAt: new Date('2026-03-05T02:00:00Z'), overdueType: 'OversightItemOverdue' });
    expect(by.a1).toMatchObject({ overdueType: 'AppointeeReportMissing' });
    expect(by.s4.overdueAt).toBeUndefined();
    expect('overdueAt' in by.s4).toBe(false);
  });

  it('counts each case once, in the Beijing month it first became overdue, per kind', () => {
    const months = zeroMonths('2026');
    months[0] = { month: '2026-01', total: 2, byKind: { suggestion: 1, inquiry: 1 } };
    months[1] = { month: '2026-02', total: 2, byKind: { suggestion: 2 } };
    months[2] = { month: '2026-03', total: 2, byKind: { review_opinion: 1, appointee_report: 1 } };
    expect(overdueByMonth(2026, facts)).toEqual({
      year: '2026',
      months,
      total: 6,
      byKind: { suggestion: 3, inquiry: 1, review_opinion: 1, appointee_report: 1 },
    });
    const y2025 = zeroMonths('2025');
    y2025[11] = { month: '2025-12', total: 1, byKind: { inquiry: 1 } };
    expect(overdueByMonth(2025, facts)).toEqual({ year: '2025', months: y2025, total: 1, byKind: { inquiry: 1 } });
    expect(overdueByMonth(2027, facts).months[0]).toEqual({
      month: '2027-01',
      total: 1,
      byKind: { liaison_letter: 1 },
    });
  });

  it('gives the same figures under redelivery, in any order, and after a rebuild', () => {
    const want = overdueByMonth(2026, facts);
    // Every event delivered twice (same event ids), in reverse order.
    const redelivered = [...docs, ...docs].reverse();
    expect(overdueByMonth(2026, factsOf(redelivered))).toEqual(want);
    // A rebuild folds the same stored events again from nothing (other Kafka offsets).
    const replayed = docs.map((d, i) => ({ ...d, offset: 1000 + i, partition: 3 }));
    expect(overdueByMonth(2026, factsOf(replayed))).toEqual(want);
    // A first overdue event arriving after a later one still decides the month.
    const s1 = docs.filter((d) => d.caseId === 's1');
    expect(foldCase([s1[3], s1[2], s1[0], s1[1]]).facts.overdueAt).toEqual(new Date('2026-02-10T02:00:00Z'));
  });

  it('bounds the Beijing year', () => {
    expect(yearRange(2026)).toEqual({
      from: new Date('2025-12-31T16:00:00Z'),
      to: new Date('2026-12-31T16:00:00Z'),
    });
  });

  it('takes every envelope event whose name ends in Overdue or Missing, and nothing else', () => {
    const names = EnvelopeSchema.oneofs[0].fields.map((f) => f.message?.name ?? '');
    const overdue = names.filter(isOverdueEvent).sort();
    expect(overdue).toEqual(
      [
        'AppointeeReportMissing',
        'CitizenOpinionOverdue',
        'CoHandlerOverdue',
        'GroupDutyMissing',
        'HandlingReportOverdue',
        'InquiryOverdue',
        'InvestigationOverdue',
        'LiaisonLetterOverdue',
        'LivelihoodFeasibilityOverdue',
        'LivelihoodFixOverdue',
        'LivelihoodMidYearOverdue',
        'LivelihoodProgressOverdue',
        'OversightItemOverdue',
        'RegulationReportOverdue',
        'SuggestionOverdue',
        'SupervisionPlanOverdue',
      ].sort(),
    );
    expect(isOverdueEvent('ReplyReminderSent')).toBe(false);
    expect(isOverdueEvent('SuggestionOverdueCleared')).toBe(false);
    expect(firstOverdue([])).toBeUndefined();
  });
});
