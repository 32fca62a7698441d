// A fixed scenario of suggestion events for two units and two deputies, with the figures
// derived by hand, shared by the unit test (folded in memory) and the end-to-end test
// (published to Kafka). All times are UTC; Beijing is UTC+08:00.
import { create } from '@duban/proto';
import {
  LadderStartedSchema,
  LadderStepStartedSchema,
  SuggestionAssignedSchema,
  SuggestionClosedSchema,
  SuggestionEscalatedSchema,
  SuggestionObjectedSchema,
  SuggestionOverdueSchema,
  SuggestionRatedSchema,
  SuggestionRepliedSchema,
  SuggestionReturnedSchema,
  SuggestionScoredSchema,
  SuggestionSubmittedSchema,
  SpecialSupervisionStartedSchema,
  LadderResolvedSchema,
} from '@duban/proto';
import type { NewEvent } from '@duban/platform';
import { ZERO_BY_KIND } from './kinds-scenario';

export interface ScenarioIds {
  jurisdiction: string;
  unitA: string;
  unitB: string;
  deputy1: string;
  deputy2: string;
  /** Prefix of the case ids, e.g. "scores-1a2b". */
  cases: string;
}

/** 2026-11-<day> <hour>:00 UTC, i.e. the same day in Beijing for hours below 16. */
const nov = (day: number, hour = 2) => new Date(Date.UTC(2026, 10, day, hour));

export function scenario(ids: ScenarioIds): NewEvent[] {
  const { unitA: A, unitB: B, deputy1: D1, deputy2: D2 } = ids;
  const out: NewEvent[] = [];
  const caseOf = (n: number) => `${ids.cases}-c${n}`;
  const counts = new Map<string, number>();
  const ev = (n: number, at: Date, body: NewEvent['body']) => {
    const caseId = caseOf(n);
    const k = `${caseId}/${body.case}`;
    const no = (counts.get(k) ?? 0) + 1;
    counts.set(k, no);
    out.push({
      eventId: `${k}/${no}`,
      caseId,
      caseKind: 'suggestion',
      jurisdiction: ids.jurisdiction,
      occurredAt: at,
      producer: 'scores-test',
      workflowId: caseId,
      runId: 'run-1',
      body,
    });
  };
  const submitted = (deputyId: string) => ({
    case: 'suggestionSubmitted' as const,
    value: create(SuggestionSubmittedSchema, { deputyId, title: '关于“社区养老”的建议, 第二稿', category: 'health' }),
  });
  const assigned = (leadUnit: string, assignmentNo = 1) => ({
    case: 'suggestionAssigned' as const,
    value: create(SuggestionAssignedSchema, { leadUnit, assignmentNo, windowUnit: 'months', windowAmount: 3 }),
  });
  const replied = (unit: string, round: number, onTime: boolean) => ({
    case: 'suggestionReplied' as const,
    value: create(SuggestionRepliedSchema, { unit, round, onTime, grade: 'A' }),
  });
  const rated = (rating: string, round: number, assumed = false) => ({
    case: 'suggestionRated' as const,
    value: create(SuggestionRatedSchema, { rating, round, assumed }),
  });
  const overdue = (unit: string, veryOverdue: boolean, round = 1) => ({
    case: 'suggestionOverdue' as const,
    value: create(SuggestionOverdueSchema, { unit, veryOverdue, round }),
  });
  const scored = (unit: string, total: number) => ({
    case: 'suggestionScored' as const,
    value: create(SuggestionScoredSchema, {
      unit,
      total,
      replyStage: Math.min(40, total),
      implementationStage: Math.max(0, total - 40),
    }),
  });
  const supervision = (unit: string) => ({
    case: 'specialSupervisionStarted' as const,
    value: create(SpecialSupervisionStartedSchema, { unit }),
  });

  // c1 — deputy 1, unit A: on time, satisfied, scored 100.
  ev(1, nov(2), submitted(D1));
  ev(1, nov(3), assigned(A));
  ev(1, nov(10), replied(A, 1, true));
  ev(1, nov(12), rated('satisfied', 1));
  ev(1, nov(20), scored(A, 100));
  ev(1, nov(20, 3), {
    case: 'suggestionClosed',
    value: create(SuggestionClosedSchema, { outcome: 'completed', finalRating: 'satisfied' }),
  });

  // c2 — deputy 1, unit A: overdue, late first reply, unsatisfied, second reply, basically satisfied, 70.
  ev(2, nov(2, 3), submitted(D1));
  ev(2, nov(3, 3), assigned(A));
  ev(2, nov(15), overdue(A, false));
  ev(2, nov(16), replied(A, 1, false));
  ev(2, nov(17), rated('unsatisfied', 1));
  ev(2, nov(17, 3), supervision(A));
  ev(2, nov(20), replied(A, 2, true));
  ev(2, nov(22), rated('basicallySatisfied', 2));
  ev(2, nov(25), scored(A, 70));

  // c3 — deputy 2, unit A: on time, unsatisfied twice, the ladder climbs 2 steps, then resolved; 55.
  ev(3, nov(4), submitted(D2));
  ev(3, nov(5), assigned(A));
  ev(3, nov(8), replied(A, 1, true));
  ev(3, nov(9), rated('unsatisfied', 1));
  ev(3, nov(9, 3), supervision(A));
  ev(3, nov(12), replied(A, 2, true));
  ev(3, nov(13), rated('unsatisfied', 2));
  ev(3, nov(13, 3), {
    case: 'suggestionEscalated',
    value: create(SuggestionEscalatedSchema, { ladderId: `${caseOf(3)}-ladder-1` }),
  });
  ev(3, nov(13, 4), {
    case: 'ladderStarted',
    value: create(LadderStartedSchema, { ladderId: `${caseOf(3)}-ladder-1`, unit: A }),
  });
  ev(3, nov(13, 5), {
    case: 'ladderStepStarted',
    value: create(LadderStepStartedSchema, { ladderId: `${caseOf(3)}-ladder-1`, stepNo: 1, step: 'publicBulletin' }),
  });
  ev(3, nov(18), {
    case: 'ladderStepStarted',
    value: create(LadderStepStartedSchema, {
      ladderId: `${caseOf(3)}-ladder-1`,
      stepNo: 2,
      step: 'specialSupervision',
    }),
  });
  ev(3, nov(20), {
    case: 'ladderResolved',
    value: create(LadderResolvedSchema, { ladderId: `${caseOf(3)}-ladder-1`, stepNo: 2 }),
  });
  ev(3, nov(25), scored(A, 55));

  // c4 — deputy 2, unit B: overdue, very overdue, late reply, no rating (assumed satisfied), 60.
  ev(4, nov(4, 3), submitted(D2));
  ev(4, nov(5, 3), assigned(B));
  ev(4, nov(15, 3), overdue(B, false));
  ev(4, nov(20, 3), overdue(B, true));
  ev(4, nov(22, 3), replied(B, 1, false));
  ev(4, nov(28), rated('satisfied', 1, true));
  ev(4, nov(29), scored(B, 60));

  // c5 — deputy 1: assigned to A, which objects; reassigned to B, which replies on time. No rating yet.
  ev(5, nov(6), submitted(D1));
  ev(5, nov(7), assigned(A));
  ev(5, nov(8), {
    case: 'suggestionObjected',
    value: create(SuggestionObjectedSchema, { unit: A, reason: '非本单位职责' }),
  });
  ev(5, nov(9), assigned(B, 2));
  ev(5, nov(20, 4), replied(B, 1, true));

  // c6 — deputy 2, submitted one second before midnight of 31 December in Beijing: 2026, Q4, December.
  ev(6, new Date('2026-12-31T15:59:59Z'), submitted(D2));
  ev(6, new Date('2027-01-02T02:00:00Z'), {
    case: 'suggestionReturned',
    value: create(SuggestionReturnedSchema, { reason: '请补充' }),
  });

  // c7 — deputy 2, submitted at midnight of 1 January 2027 in Beijing (still 2026 in UTC): 2027.
  ev(7, new Date('2026-12-31T16:00:00Z'), submitted(D2));
  return out;
}

// ---------------------------------------------------------------- the figures, by hand
//
// Period 2026 (and 2026-Q4: every event but c7's is in October–December Beijing time).
// Policy: the national defaults — unitIndex weights onTimeRate 30, averageScore 40,
// satisfactionRate 30; penalties reReport 3, ladderStep 5, overdue 1, veryOverdue 2.
//
// Unit A: cases assigned 3 (c1, c2, c3; c5 went to B after A's objection)
//   replies 5 (c1 ×1, c2 ×2, c3 ×2); first replies 3, on time 2 (c1, c3) → 2/3 = 0.6667
//   re-reports 2 (c2, c3 round 2)
//   scores 100, 70, 55 → 225 / 3 = 75
//   final ratings: c1 satisfied, c2 basically satisfied, c3 unsatisfied → (1 + 1) / 3 = 0.6667
//   ladder steps 2 (c3 steps 1 and 2), max step 2; overdue 1 (c2), very overdue 0
//   base    = 30 × 2/3 + 40 × 0.75 + 30 × 2/3 = 20 + 30 + 20 = 70
//   penalty = 3 × 2 + 5 × 2 + 1 × 1 + 2 × 0 = 17
//   index   = 70 − 17 = 53
//
// Unit B: cases assigned 2 (c4, c5); replies 2; first replies 2, on time 1 (c5) → 0.5
//   re-reports 0; scores 60 → 60
//   final ratings: c4 satisfied (assumed) → 1 / 1 = 1; c5 not rated yet
//   ladder steps 0; overdue 1, very overdue 1 (c4)
//   base    = 30 × 0.5 + 40 × 0.6 + 30 × 1 = 15 + 24 + 30 = 69
//   penalty = 1 × 1 + 2 × 1 = 3
//   index   = 69 − 3 = 66          → B ranks 1st, A 2nd
//
// Deputies, national weights suggestionSubmitted 2, ratingGiven 1:
//   deputy 1: submitted c1, c2, c5 = 3; ratings given c1, c2 ×2 = 3 → 2×3 + 1×3 = 9
//   deputy 2: submitted c3, c4, c6 = 3; ratings given c3 ×2 = 2 (c4's was assumed) → 2×3 + 1×2 = 8
//   period 2026-11: deputy 2 submitted c3, c4 = 2 (c6 is in December), ratings 2 → 2×2 + 2 = 6
//   period 2027: deputy 2 submitted c7 = 1 → 2
export const EXPECTED_UNIT_A = {
  casesAssigned: 3,
  replies: 5,
  firstReplies: 3,
  onTimeFirstReplies: 2,
  responses: 3,
  onTimeResponses: 2,
  onTimeRate: 0.6667,
  scoredCases: 3,
  averageScore: 75,
  ratings: { satisfied: 1, basicallySatisfied: 1, unsatisfied: 1, assumed: 0 },
  satisfactionRate: 0.6667,
  reReports: 2,
  ladderSteps: 2,
  maxLadderStep: 2,
  overdue: 1,
  veryOverdue: 0,
  byKind: ZERO_BY_KIND,
  index: 53,
  indexParts: { base: 70, penalty: 17, livelihood: 0 },
};
export const EXPECTED_UNIT_B = {
  casesAssigned: 2,
  replies: 2,
  firstReplies: 2,
  onTimeFirstReplies: 1,
  responses: 2,
  onTimeResponses: 1,
  onTimeRate: 0.5,
  scoredCases: 1,
  averageScore: 60,
  ratings: { satisfied: 1, basicallySatisfied: 0, unsatisfied: 0, assumed: 1 },
  satisfactionRate: 1,
  reReports: 0,
  ladderSteps: 0,
  maxLadderStep: 0,
  overdue: 1,
  veryOverdue: 1,
  byKind: ZERO_BY_KIND,
  index: 66,
  indexParts: { base: 69, penalty: 3, livelihood: 0 },
};
