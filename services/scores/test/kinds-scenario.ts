// A fixed scenario of every case kind other than suggestions, with the figures derived by hand
// below, shared by the unit tests (folded in memory, one kind at a time) and the end-to-end test
// (published to the real topics, all kinds together). Times are UTC in November 2026, hours
// below 16, so the same day in Beijing (UTC+08:00). Policy: the national defaults and
// SCORES_DEFAULTS (docs/policy.md).
import { EnvelopeSchema, create } from '@duban/proto';
import type { NewEvent } from '@duban/platform';

export interface KindIds {
  jurisdiction: string;
  /** Letters and an inquiry. */
  unitC: string;
  /** Two review-opinion parts. */
  unitD: string;
  /** Livelihood projects, a regulation report, appointee reports, an investigation. */
  unitE: string;
  /** Only an investigation proposed and not adopted: no figures. */
  unitF: string;
  /** The deputy on duty at the station, who answers opinions and rates a letter's reply. */
  deputy3: string;
  station: string;
  /** Prefix of the case ids. */
  cases: string;
}

export type KindName =
  | 'citizen_opinion'
  | 'liaison_letter'
  | 'review_opinion'
  | 'inquiry'
  | 'investigation'
  | 'livelihood_project'
  | 'regulation_report'
  | 'appointee_report';

type Body = NewEvent['body'];
const nov = (day: number, hour = 2) => new Date(Date.UTC(2026, 10, day, hour));

/** A body of the named oneof case, made from its fields. */
function body(name: string, fields: Record<string, unknown> = {}): Body {
  return create(EnvelopeSchema, { body: { case: name, value: fields } as never }).body as Body;
}

export function kindsScenario(ids: KindIds): Record<KindName, NewEvent[]> {
  const { unitC: C, unitD: D, unitE: E, unitF: F, deputy3: D3, station: S } = ids;
  const out = {} as Record<KindName, NewEvent[]>;
  const counts = new Map<string, number>();
  const ev = (kind: KindName, n: string, at: Date, name: string, fields?: Record<string, unknown>) => {
    const caseId = `${ids.cases}-${n}`;
    const k = `${caseId}/${name}`;
    const no = (counts.get(k) ?? 0) + 1;
    counts.set(k, no);
    (out[kind] ??= []).push({
      eventId: `${k}/${no}`,
      caseId,
      caseKind: kind,
      jurisdiction: ids.jurisdiction,
      occurredAt: at,
      producer: 'scores-test',
      workflowId: caseId,
      runId: 'run-1',
      body: body(name, fields),
    });
  };
  const opinion = (n: string, at: Date, name: string, f?: Record<string, unknown>) =>
    ev('citizen_opinion', n, at, name, f);
  const letter = (n: string, at: Date, name: string, f?: Record<string, unknown>) =>
    ev('liaison_letter', n, at, name, f);

  // Citizen opinions at station S, deputy 3 on duty.
  const submitted = { stationId: S, citizenId: 'citizen-x', channel: 'online', dutyDeputyIds: [D3] };
  opinion('o1', nov(2), 'citizenOpinionSubmitted', submitted);
  opinion('o1', nov(3), 'citizenOpinionAnswered', { deputyId: D3, onTime: true });
  opinion('o1', nov(5), 'citizenOpinionRated', { rating: 'satisfied' });
  opinion('o1', nov(5, 3), 'citizenOpinionClosed', { outcome: 'answered', rating: 'satisfied' });
  opinion('o2', nov(4), 'citizenOpinionSubmitted', submitted);
  opinion('o2', nov(18), 'citizenOpinionOverdue', { stationId: S });
  opinion('o2', nov(19), 'citizenOpinionAnswered', { deputyId: D3, onTime: false });
  opinion('o2', nov(20), 'citizenOpinionRated', { rating: 'unsatisfied' });
  opinion('o3', nov(6), 'citizenOpinionSubmitted', submitted);
  opinion('o3', nov(7), 'citizenOpinionLetterSent', {
    deputyId: D3,
    letterId: `${ids.cases}-l1`,
    unit: C,
    onTime: true,
  });
  opinion('o4', nov(8), 'citizenOpinionSubmitted', submitted);
  opinion('o4', nov(9), 'citizenOpinionAnswered', { deputyId: D3, onTime: true });
  opinion('o4', nov(25), 'citizenOpinionRated', { rating: 'basicallySatisfied', assumed: true });
  opinion('o5', nov(10), 'citizenOpinionSubmitted', submitted);

  // Liaison letters to unit C: l1 replied on time and rated unsatisfied twice; l2 overdue, on
  // the ladder one step, replied late, rated satisfied by the citizen and (assumed) the deputy.
  letter('l1', nov(7), 'liaisonLetterSent', { opinionId: `${ids.cases}-o3`, deputyId: D3, unit: C });
  letter('l1', nov(20), 'liaisonLetterReplied', { unit: C, onTime: true });
  letter('l1', nov(21), 'liaisonLetterRated', { raterRole: 'citizen', raterId: 'citizen-x', rating: 'unsatisfied' });
  letter('l1', nov(22), 'liaisonLetterRated', { raterRole: 'deputy', raterId: D3, rating: 'unsatisfied' });
  letter('l2', nov(1), 'liaisonLetterSent', { opinionId: `${ids.cases}-o9`, deputyId: D3, unit: C });
  letter('l2', nov(24), 'liaisonLetterReminder', { unit: C, reminderNo: 1 });
  letter('l2', nov(28), 'liaisonLetterOverdue', { unit: C, ladderId: `${ids.cases}-l2-ladder-1` });
  letter('l2', nov(28, 3), 'ladderStarted', { ladderId: `${ids.cases}-l2-ladder-1`, unit: C });
  letter('l2', nov(28, 4), 'ladderStepStarted', { ladderId: `${ids.cases}-l2-ladder-1`, stepNo: 1 });
  letter('l2', nov(29), 'liaisonLetterReplied', { unit: C, onTime: false });
  letter('l2', nov(30), 'liaisonLetterRated', { raterRole: 'citizen', raterId: 'citizen-y', rating: 'satisfied' });
  letter('l2', nov(30, 3), 'liaisonLetterRated', {
    raterRole: 'deputy',
    raterId: D3,
    rating: 'satisfied',
    assumed: true,
  });

  // Review opinions, two parts of unit D: ro1 assessed poor twice and escalated two steps;
  // ro2's first vote failed, its re-report passed.
  const ro1 = `ro1.${D}`;
  const ro2 = `ro2.${D}`;
  const review = (n: string, at: Date, name: string, f?: Record<string, unknown>) =>
    ev('review_opinion', n, at, name, f);
  review(ro1, nov(2), 'reviewOpinionOpened', { units: [D], items: [{ itemId: 'i1', list: 'issue', unit: D }] });
  review(ro1, nov(10), 'oversightItemOverdue', { itemId: 'i1', unit: D });
  review(ro1, nov(12), 'handlingReportSubmitted', { unit: D, round: 1, onTime: true });
  review(ro1, nov(13), 'handlingReportAssessed', { unit: D, round: 1, verdict: 'poor' });
  review(ro1, nov(13, 3), 'reReportRequired', { unit: D, reason: 'poorRectification' });
  review(ro1, nov(20), 'handlingReportSubmitted', { unit: D, round: 2, onTime: false });
  review(ro1, nov(21), 'handlingReportAssessed', { unit: D, round: 2, verdict: 'poor' });
  review(ro1, nov(21, 3), 'oversightEscalated', { unit: D, ladderId: `${ids.cases}-ro1-ladder-1` });
  review(ro1, nov(21, 4), 'ladderStarted', { ladderId: `${ids.cases}-ro1-ladder-1`, unit: D });
  review(ro1, nov(21, 5), 'ladderStepStarted', { ladderId: `${ids.cases}-ro1-ladder-1`, stepNo: 1 });
  review(ro1, nov(26), 'ladderStepStarted', { ladderId: `${ids.cases}-ro1-ladder-1`, stepNo: 2 });
  review(ro2, nov(3), 'reviewOpinionOpened', { units: [D] });
  review(ro2, nov(10), 'handlingReportSubmitted', { unit: D, round: 1, onTime: true });
  review(ro2, nov(12), 'satisfactionVoteClosed', { unit: D, round: 1, satisfied: 2, unsatisfied: 5, passed: false });
  review(ro2, nov(12, 3), 'reReportRequired', { unit: D, reason: 'lowSatisfaction' });
  review(ro2, nov(25), 'handlingReportSubmitted', { unit: D, round: 2, onTime: true });
  review(ro2, nov(27), 'satisfactionVoteClosed', { unit: D, round: 2, satisfied: 6, unsatisfied: 1, passed: true });
  review(ro2, nov(28), 'reviewOpinionClosed', { outcome: 'completed' });

  // An inquiry about unit C: overdue, replied late, more than half of the filers dissatisfied.
  ev('inquiry', 'q1', nov(22), 'inquiryFiled', { unit: C, signers: ['m1', 'm2', 'm3'], minSigners: 3 });
  ev('inquiry', 'q1', nov(23), 'inquiryReplyDecided', { mode: 'written' });
  ev('inquiry', 'q1', nov(27), 'inquiryOverdue', { unit: C, round: 1 });
  ev('inquiry', 'q1', nov(28), 'inquiryReplied', { unit: C, round: 1, onTime: false });
  ev('inquiry', 'q1', nov(29), 'inquiryRatingClosed', { round: 1, dissatisfied: 2, filers: 3, replyAgain: true });

  // Investigations: v1 about unit E adopted (its late report is the committee's); v2 about
  // unit F not adopted.
  ev('investigation', 'v1', nov(23), 'investigationProposed', { byChairCouncil: true, unit: E });
  ev('investigation', 'v1', nov(24), 'investigationDecided', { adopted: true });
  ev('investigation', 'v1', nov(30), 'investigationOverdue', {});
  ev('investigation', 'v2', nov(23), 'investigationProposed', { byChairCouncil: true, unit: F });
  ev('investigation', 'v2', nov(24, 3), 'investigationDecided', { adopted: false });

  // Livelihood projects of unit E: p1 progress on time, overdue, very overdue, late; a fix
  // overdue and late; scored +2. p2 on time, a re-report required and made on time; scored −3.
  const project = (n: string, at: Date, name: string, f?: Record<string, unknown>) =>
    ev('livelihood_project', n, at, name, f);
  project('p1', nov(1), 'livelihoodProjectStarted', { projectId: `${ids.cases}-p1`, leadUnit: E, coUnits: [C] });
  project('p1', nov(5), 'livelihoodProgressReported', { unit: E, period: 1, percent: 10, onTime: true });
  project('p1', nov(10), 'livelihoodFixRequired', { findingId: 'f1', unit: E });
  project('p1', nov(15), 'livelihoodProgressOverdue', { unit: E, period: 2 });
  project('p1', nov(18), 'livelihoodFixOverdue', { findingId: 'f1', unit: E });
  project('p1', nov(19), 'livelihoodFixReported', { findingId: 'f1', unit: E, onTime: false });
  project('p1', nov(20), 'livelihoodProgressOverdue', { unit: E, period: 2, veryOverdue: true });
  project('p1', nov(21), 'livelihoodProgressReported', { unit: E, period: 2, percent: 40 });
  project('p1', nov(28), 'livelihoodProjectScored', { unit: E, points: 2, reason: 'satisfactory' });
  project('p2', nov(1, 3), 'livelihoodProjectStarted', { projectId: `${ids.cases}-p2`, leadUnit: E });
  project('p2', nov(6), 'livelihoodProgressReported', { unit: E, period: 1, percent: 20, onTime: true });
  project('p2', nov(20, 3), 'livelihoodReReportRequested', { unit: E });
  project('p2', nov(25, 3), 'livelihoodReReported', { unit: E, onTime: true });
  project('p2', nov(29), 'livelihoodProjectScored', { unit: E, points: -3, reason: 'unsatisfactory' });

  // A regulation report of unit E: on time, returned, the second one overdue and late.
  const reg = (at: Date, name: string, f: Record<string, unknown>) =>
    ev('regulation_report', 'r1', at, name, { regulationId: 'reg-1', unit: E, ...f });
  reg(nov(1), 'regulationRegistered', { inForceOn: '2024-11-01' });
  reg(nov(2), 'regulationReportRequested', { round: 1 });
  reg(nov(10), 'regulationReportFiled', { round: 1, onTime: true });
  reg(nov(12), 'regulationReportReviewed', { round: 1, decision: 'returned' });
  reg(nov(12, 3), 'regulationReportRequested', { round: 2 });
  reg(nov(25), 'regulationReportOverdue', { round: 2 });
  reg(nov(26), 'regulationReportFiled', { round: 2 });
  reg(nov(27), 'regulationReportReviewed', { round: 2, decision: 'accepted' });

  // Appointee reports of unit E: a1 flagged missing, filed, its vote (with quorum) failed;
  // a2 filed before any flag, its vote had no quorum.
  const app = (n: string, at: Date, name: string, f: Record<string, unknown> = {}) =>
    ev('appointee_report', n, at, name, { appointmentId: n, unit: E, ...f });
  app('a1', nov(1), 'appointeeRegistered', { officialId: 'official-1' });
  app('a1', nov(5), 'appointeeReportMissing');
  app('a1', nov(10), 'appointeeReportFiled', { voters: 7 });
  app('a1', nov(18), 'appointeeVoteTallied', { satisfied: 1, unsatisfied: 5, roster: 7, quorum: true });
  app('a2', nov(1, 3), 'appointeeRegistered', { officialId: 'official-2' });
  app('a2', nov(12), 'appointeeReportFiled', { voters: 7 });
  app('a2', nov(19), 'appointeeVoteTallied', { satisfied: 1, roster: 7, quorum: false });
  return out;
}

// ---------------------------------------------------------------- the figures, by hand
//
// Period 2026 (also 2026-Q4 and 2026-11). National weights: unitIndex onTimeRate 30,
// averageScore 40, satisfactionRate 30; penalties reReport 3, ladderStep 5, overdue 1,
// veryOverdue 2, and SCORES_DEFAULTS poorReport 5, reReportRequired 3, inquiry 10,
// investigation 15; livelihoodPoint 1. deputyPoints ratingGiven 1, opinionHandled 1,
// opinionOnTime 1, opinionSatisfied 1. Station vitality 30 / 40 / 30, target 20; stars
// 90 / 75 / 60 / 45.
//
// Station S (citizen opinions, all received in November):
//   received 5 (o1–o5); acted on 4 (o1, o2, o3 by letter, o4), in window 3 (o1, o3, o4);
//   overdue 1 (o2); rated 3 (o1 satisfied, o2 unsatisfied, o4 basically satisfied, assumed),
//   satisfied 2 → vitality = 30 × min(1, 5/20) + 40 × 3/5 + 30 × 2/3 = 7.5 + 24 + 20 = 51.5 → 2 stars.
// Deputy 3: opinions handled 4, on time 3, satisfied 2 (o1, o4) → 4 + 3 + 2 = 9 points;
//   with letters also ratingsGiven 1 (l1; l2's deputy rating was assumed) → 10 points.
//
// Unit C, letters only: replies 2, on time 1 (l1) → 0.5; ratings: l1 unsatisfied ×2, l2
//   satisfied ×2 (one assumed) → 2/4 = 0.5; no suggestion score.
//   base = (30 × 0.5 + 30 × 0.5) × 100 / 60 = 50; penalty = 5 × 1 step + 1 × 1 overdue = 6 → 44.
// Unit C, the inquiry only: 1 reply, late → 0; base 0;
//   penalty = 10 (filed) + 3 (replied again) + 1 (overdue) = 14 → clamped to 0.
// Unit C, both: on time 1 / 3; base = (30 × 1/3 + 30 × 0.5) × 100 / 60 = 41.67;
//   penalty = 5 + 2 × 1 + 10 + 3 = 20 → 21.67 → 21.7.
// Unit D, two review parts: reports 4 (ro1 on time then late, ro2 on time twice) → 3/4 = 0.75;
//   base = 75; penalty = 5 × (2 poor + 1 failed vote) + 3 × 2 re-reports required
//   + 5 × 2 ladder steps + 1 × 1 item overdue = 15 + 6 + 10 + 1 = 32 → 43.
// Unit E, livelihood only: reports 5 (p1: progress on time, fix late, progress late; p2:
//   progress on time, re-report on time), on time 3 → 0.6, base 60; overdue 2 (p1 progress,
//   fix), very overdue 1; re-reports required 1; points +2 − 3 = −1;
//   penalty = 3 + 2 × 1 + 1 × 2 = 7 → 60 − 7 − 1 = 52.
// Unit E, regulation only: filed 2, on time 1 → base 50; penalty = 3 (returned) + 1 (overdue) = 4 → 46.
// Unit E, appointees only: filed 2, on time 1 (a2, never flagged) → base 50;
//   penalty = 1 (a1 missing) + 5 (a1's vote failed; a2's had no quorum) = 6 → 44.
// Unit E, the investigation only: nothing judged, so no base: index null, penalty 15.
// Unit E, all: on time 5 / 9, base 55.56; penalty = 3 × 2 + 5 × 1 + 15 + 1 × 4 + 2 × 1 = 32;
//   livelihood −1 → 55.5556 − 32 − 1 = 22.56 → 22.6.
// Unit F: v2 was not adopted: no rows, index null.
// Ranking of C, D, E and two registered units without figures (F, G):
//   D 43 (1), E 22.6 (2), C 21.7 (3), F and G null (5 and 5: the last place of 5).

export const ZERO_BY_KIND = {
  liaisonLetter: { replies: 0, onTimeReplies: 0, overdue: 0, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 },
  reviewOpinion: {
    reports: 0,
    onTimeReports: 0,
    overdue: 0,
    accepted: 0,
    poor: 0,
    votesPassed: 0,
    votesFailed: 0,
    reReportsRequired: 0,
  },
  inquiry: { filed: 0, replies: 0, onTimeReplies: 0, overdue: 0, repliesAgain: 0 },
  investigation: { adopted: 0 },
  livelihoodProject: {
    scored: 0,
    points: 0,
    reports: 0,
    onTimeReports: 0,
    overdue: 0,
    veryOverdue: 0,
    reReportsRequired: 0,
  },
  regulationReport: { filed: 0, onTime: 0, overdue: 0, returned: 0 },
  appointeeReport: { filed: 0, onTime: 0, missing: 0, votesPassed: 0, votesFailed: 0 },
};

/** The suggestion figures of a unit that has none. */
const NO_SUGGESTIONS = {
  casesAssigned: 0,
  replies: 0,
  firstReplies: 0,
  onTimeFirstReplies: 0,
  scoredCases: 0,
  averageScore: null,
  ratings: { satisfied: 0, basicallySatisfied: 0, unsatisfied: 0, assumed: 0 },
  reReports: 0,
};

export const EXPECTED_STATION = {
  opinionsReceived: 5,
  answered: 4,
  answeredInWindow: 3,
  overdue: 1,
  ratings: 3,
  satisfiedRatings: 2,
  vitality: 51.5,
  stars: 2,
};

export const EXPECTED_DEPUTY_3 = {
  suggestionsSubmitted: 0,
  ratingsGiven: 1,
  opinionsHandled: 4,
  opinionsOnTime: 3,
  opinionsSatisfied: 2,
  inspections: 0,
  votes: 0,
  stationDuty: 0,
  points: 10,
};

const LETTERS = { replies: 2, onTimeReplies: 1, overdue: 1, satisfied: 2, basicallySatisfied: 0, unsatisfied: 2 };
const INQUIRY = { filed: 1, replies: 1, onTimeReplies: 0, overdue: 1, repliesAgain: 1 };
const REVIEW = {
  reports: 4,
  onTimeReports: 3,
  overdue: 1,
  accepted: 0,
  poor: 2,
  votesPassed: 1,
  votesFailed: 1,
  reReportsRequired: 2,
};
const LIVELIHOOD = {
  scored: 2,
  points: -1,
  reports: 5,
  onTimeReports: 3,
  overdue: 2,
  veryOverdue: 1,
  reReportsRequired: 1,
};
const REGULATION = { filed: 2, onTime: 1, overdue: 1, returned: 1 };
const APPOINTEE = { filed: 2, onTime: 1, missing: 1, votesPassed: 0, votesFailed: 1 };

const unit = <F extends object>(f: F, byKind: Partial<typeof ZERO_BY_KIND>) => ({
  ...NO_SUGGESTIONS,
  ...f,
  byKind: { ...ZERO_BY_KIND, ...byKind },
});

/** Unit figures (without unit, jurisdiction, rank, name) of each kind alone, and all together. */
export const EXPECTED_UNITS = {
  lettersC: unit(
    {
      responses: 2,
      onTimeResponses: 1,
      onTimeRate: 0.5,
      satisfactionRate: 0.5,
      ladderSteps: 1,
      maxLadderStep: 1,
      overdue: 1,
      veryOverdue: 0,
      index: 44,
      indexParts: { base: 50, penalty: 6, livelihood: 0 },
    },
    { liaisonLetter: LETTERS },
  ),
  inquiryC: unit(
    {
      responses: 1,
      onTimeResponses: 0,
      onTimeRate: 0,
      satisfactionRate: null,
      ladderSteps: 0,
      maxLadderStep: 0,
      overdue: 1,
      veryOverdue: 0,
      index: 0,
      indexParts: { base: 0, penalty: 14, livelihood: 0 },
    },
    { inquiry: INQUIRY },
  ),
  allC: unit(
    {
      responses: 3,
      onTimeResponses: 1,
      onTimeRate: 0.3333,
      satisfactionRate: 0.5,
      ladderSteps: 1,
      maxLadderStep: 1,
      overdue: 2,
      veryOverdue: 0,
      index: 21.7,
      indexParts: { base: 41.67, penalty: 20, livelihood: 0 },
    },
    { liaisonLetter: LETTERS, inquiry: INQUIRY },
  ),
  reviewD: unit(
    {
      responses: 4,
      onTimeResponses: 3,
      onTimeRate: 0.75,
      satisfactionRate: null,
      ladderSteps: 2,
      maxLadderStep: 2,
      overdue: 1,
      veryOverdue: 0,
      index: 43,
      indexParts: { base: 75, penalty: 32, livelihood: 0 },
    },
    { reviewOpinion: REVIEW },
  ),
  livelihoodE: unit(
    {
      responses: 5,
      onTimeResponses: 3,
      onTimeRate: 0.6,
      satisfactionRate: null,
      ladderSteps: 0,
      maxLadderStep: 0,
      overdue: 2,
      veryOverdue: 1,
      index: 52,
      indexParts: { base: 60, penalty: 7, livelihood: -1 },
    },
    { livelihoodProject: LIVELIHOOD },
  ),
  regulationE: unit(
    {
      responses: 2,
      onTimeResponses: 1,
      onTimeRate: 0.5,
      satisfactionRate: null,
      ladderSteps: 0,
      maxLadderStep: 0,
      overdue: 1,
      veryOverdue: 0,
      index: 46,
      indexParts: { base: 50, penalty: 4, livelihood: 0 },
    },
    { regulationReport: REGULATION },
  ),
  appointeeE: unit(
    {
      responses: 2,
      onTimeResponses: 1,
      onTimeRate: 0.5,
      satisfactionRate: null,
      ladderSteps: 0,
      maxLadderStep: 0,
      overdue: 1,
      veryOverdue: 0,
      index: 44,
      indexParts: { base: 50, penalty: 6, livelihood: 0 },
    },
    { appointeeReport: APPOINTEE },
  ),
  investigationE: unit(
    {
      responses: 0,
      onTimeResponses: 0,
      onTimeRate: null,
      satisfactionRate: null,
      ladderSteps: 0,
      maxLadderStep: 0,
      overdue: 0,
      veryOverdue: 0,
      index: null,
      indexParts: { base: null, penalty: 15, livelihood: 0 },
    },
    { investigation: { adopted: 1 } },
  ),
  allE: unit(
    {
      responses: 9,
      onTimeResponses: 5,
      onTimeRate: 0.5556,
      satisfactionRate: null,
      ladderSteps: 0,
      maxLadderStep: 0,
      overdue: 4,
      veryOverdue: 1,
      index: 22.6,
      indexParts: { base: 55.56, penalty: 32, livelihood: -1 },
    },
    {
      livelihoodProject: LIVELIHOOD,
      regulationReport: REGULATION,
      appointeeReport: APPOINTEE,
      investigation: { adopted: 1 },
    },
  ),
  /** A unit with no figures at all. */
  none: unit(
    {
      responses: 0,
      onTimeResponses: 0,
      onTimeRate: null,
      satisfactionRate: null,
      ladderSteps: 0,
      maxLadderStep: 0,
      overdue: 0,
      veryOverdue: 0,
      index: null,
      indexParts: { base: null, penalty: 0, livelihood: 0 },
    },
    {},
  ),
};
