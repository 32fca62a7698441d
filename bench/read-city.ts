// A city over three years for the case index's read benchmark (bench/case-index-read.ts): every
// case kind, each case a plausible sequence of the events its workflow publishes (the bodies of
// proto/defs/duban/events/v1, ids only), cut at "now" so that recent cases are still open, some
// overdue or due within the week, and a few stalled on their ladder for good.
//
// Deterministic: case i is made from a generator seeded by i, so the first 5,000 cases of a
// 50,000-case city are the 5,000-case city (the same three years, less dense). Slot i gives one
// case, or two (an opinion and the liaison letter it led to); the first slots are the cases of
// each year (a supervision plan, a livelihood cycle and its ten projects, the groups' years).
import { EnvelopeSchema, create, timestampFromDate } from '@duban/proto';
import type { NewEvent } from '@duban/platform';

export interface City {
  jurisdiction: string;
  /** Events after this instant have not happened yet. */
  now: number;
  units: string[];
  deputies: string[];
  stations: { id: string; deputies: string[] }[];
  groups: string[];
}

export interface CityCase {
  caseId: string;
  kind: string;
  /** In the order they happened (each case's events go out together, in this order). */
  events: NewEvent[];
}

export const DAY = 86_400_000;
const HOUR = 3_600_000;
const YEAR = 365 * DAY;

export function makeCity(opts: {
  jurisdiction: string;
  now: number;
  units?: number;
  deputies?: number;
  stations?: number;
}): City {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const units = Array.from({ length: opts.units ?? 30 }, (_, i) => `unit-${pad(i + 1, 2)}`);
  const deputies = Array.from({ length: opts.deputies ?? 400 }, (_, i) => `deputy-${pad(i + 1, 3)}`);
  const perStation = Math.max(2, Math.floor(deputies.length / (opts.stations ?? 50)));
  const stations = Array.from({ length: opts.stations ?? 50 }, (_, i) => ({
    id: `station-${pad(i + 1, 2)}`,
    deputies: Array.from({ length: perStation }, (_, k) => deputies[(i * perStation + k) % deputies.length]),
  }));
  const groups = Array.from({ length: 20 }, (_, i) => `group-${pad(i + 1, 2)}`);
  return { jurisdiction: opts.jurisdiction, now: opts.now, units, deputies, stations, groups };
}

/** The years the city covers: the two before now's and now's. */
export const yearsOf = (city: City) => {
  const y = new Date(city.now).getUTCFullYear();
  return [y - 2, y - 1, y];
};

/** Slots taken by the cases of each year (plan, cycle, 10 projects, 20 group years). */
const PER_YEAR = 32;
export const fixedSlots = () => 3 * PER_YEAR;

/** Words of suggestion titles; a title search looks for one of them. */
export const TOPICS = [
  '养老服务',
  '学前教育',
  '老旧小区改造',
  '公共交通',
  '垃圾分类',
  '河道治理',
  '停车难',
  '社区医疗',
  '食品安全',
  '农村道路',
  '菜市场改造',
  '加装电梯',
  '校园安全',
  '就业培训',
  '文化设施',
];
const PLACES = ['城东', '城西', '江北', '开发区', '老城区', '新区', '湖滨', '南山'];
const CATEGORIES = ['education', 'health', 'transport', 'environment', 'housing', 'economy', 'culture', 'safety'];
const LADDER = ['publicBulletin', 'specialSupervision', 'specialReport', 'specialInquiry'];

function rng(seed: number) {
  let a = (Math.imul(seed + 1, 2654435761) ^ 0x5bd1e995) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    between: (lo: number, hi: number) => lo + next() * (hi - lo),
    pick: <T>(xs: readonly T[]) => xs[int(xs.length)],
    /** k distinct items. */
    some: <T>(xs: readonly T[], k: number) => {
      const out: T[] = [];
      while (out.length < Math.min(k, xs.length)) {
        const x = xs[int(xs.length)];
        if (!out.includes(x)) out.push(x);
      }
      return out;
    },
  };
}
type Rng = ReturnType<typeof rng>;

const ts = (ms: number) => timestampFromDate(new Date(ms));
const localDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const RATING = (r: Rng) => {
  const x = r.next();
  return x < 0.65 ? 'satisfied' : x < 0.9 ? 'basicallySatisfied' : 'unsatisfied';
};

/** One case's events as its workflow would publish them, dropped from the first one after now. */
class Events {
  private readonly list: { at: number; n: number; e: NewEvent }[] = [];
  private readonly seen = new Map<string, number>();
  constructor(
    readonly city: City,
    readonly caseId: string,
    readonly kind: string,
  ) {}

  /** Adds the event if it has happened by now; false if not (the case goes no further there). */
  add(at: number, name: string, fields: Record<string, unknown> = {}, workflowId = this.caseId): boolean {
    if (at > this.city.now) return false;
    const key = `${workflowId}/${name}`;
    const no = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, no);
    const body = create(EnvelopeSchema, { body: { case: name, value: fields } as never }).body as NewEvent['body'];
    this.list.push({
      at,
      n: this.list.length,
      e: {
        eventId: `${key}/${no}`,
        caseId: this.caseId,
        caseKind: this.kind,
        jurisdiction: this.city.jurisdiction,
        occurredAt: new Date(at),
        producer: 'bench-read',
        workflowId,
        runId: 'run-1',
        body,
      },
    });
    return true;
  }

  /** A ladder of the case: started, its steps one after the other, resolved at a step or exhausted. */
  ladder(at: number, ladderId: string, unit: string, reason: string, steps: number, resolved: boolean): number {
    this.add(at, 'ladderStarted', { ladderId, unit, reason, steps: LADDER }, ladderId);
    let t = at + HOUR;
    for (let s = 1; s <= steps; s++, t += 20 * DAY)
      this.add(
        t,
        'ladderStepStarted',
        { ladderId, stepNo: s, step: LADDER[s - 1], owner: 'staff', dueAt: ts(t + 20 * DAY) },
        ladderId,
      );
    const last = LADDER[steps - 1];
    if (resolved)
      this.add(t - 10 * DAY, 'ladderResolved', { ladderId, stepNo: steps, step: last, note: 'fixed' }, ladderId);
    else this.add(t, 'ladderExhausted', { ladderId, lastStep: last }, ladderId);
    return t;
  }

  done(): CityCase {
    const events = [...this.list].sort((a, b) => a.at - b.at || a.n - b.n).map((x) => x.e);
    return { caseId: this.caseId, kind: this.kind, events };
  }
}

/** The case(s) of slot i. */
export function citySlot(city: City, i: number): CityCase[] {
  const r = rng(i);
  if (i < fixedSlots()) return [yearly(city, r, yearsOf(city)[Math.floor(i / PER_YEAR)], i % PER_YEAR)];
  const start = city.now - 3 * YEAR;
  const t0 = Math.floor(r.between(start, city.now - HOUR));
  const year = new Date(t0).getUTCFullYear();
  const seq = String(i).padStart(6, '0');
  const x = r.next();
  if (x < 0.36) return [suggestion(city, r, `suggestion-${year}-${seq}`, t0)];
  if (x < 0.8) return opinion(city, r, `opinion-${year}-${seq}`, t0);
  if (x < 0.87) return [reviewOpinion(city, r, `review-opinion-${year}-${seq}`, t0, year)];
  if (x < 0.885) return [inquiry(city, r, `inquiry-${year}-${seq}`, t0, year)];
  if (x < 0.895) return [investigation(city, r, `investigation-${year}-${seq}`, t0, year)];
  if (x < 0.95) return [regulation(city, r, `regulation-report-reg-${seq}`, t0)];
  return [appointee(city, r, `appointee-report-appt-${seq}`, t0)];
}

function suggestion(city: City, r: Rng, caseId: string, t0: number): CityCase {
  const ev = new Events(city, caseId, 'suggestion');
  const deputyId = r.pick(city.deputies);
  const unit = r.pick(city.units);
  const coHandlers = r.chance(0.3) ? [r.pick(city.units.filter((u) => u !== unit))] : [];
  const category = r.pick(CATEGORIES);
  let title = `关于${r.pick(PLACES)}${r.pick(TOPICS)}的建议`;
  ev.add(t0, 'suggestionSubmitted', { deputyId, title, category, submittedAt: ts(t0) });
  let t = t0;
  if (r.chance(0.03)) {
    ev.add(t + 2 * DAY, 'suggestionReturned', { reason: '内容不完整' });
    title = `${title}（修改稿）`;
    ev.add(t + 5 * DAY, 'suggestionRevised', { title, category });
    t += 5 * DAY;
  }
  const assignedAt = t + r.between(2, 5) * DAY;
  const due = assignedAt + 90 * DAY;
  ev.add(assignedAt, 'suggestionAssigned', {
    leadUnit: unit,
    coHandlers,
    assignedAt: ts(assignedAt),
    replyDueAt: ts(due),
    windowUnit: 'months',
    windowAmount: 3,
    assignmentNo: 1,
    key: r.chance(0.05),
    objectionDueAt: ts(assignedAt + 7 * DAY),
    coHandlerDueAt: ts(assignedAt + 30 * DAY),
    maxReplyDueAt: ts(assignedAt + 180 * DAY),
  });
  if (coHandlers.length)
    ev.add(assignedAt + r.between(10, 28) * DAY, 'coHandlerOpinionSent', { unit: coHandlers[0], onTime: true });
  const profile = r.next();
  const stalled = profile < 0.03;
  const late = !stalled && profile < 0.15;
  const replyAt = late ? due + r.between(3, 20) * DAY : assignedAt + r.between(20, 85) * DAY;
  if (stalled || replyAt > due - 7 * DAY)
    ev.add(due - 7 * DAY, 'replyReminderSent', { unit, dueAt: ts(due), reminderNo: 1 });
  if (stalled || late) ev.add(due + DAY, 'suggestionOverdue', { unit, dueAt: ts(due), round: 1 });
  if (stalled) {
    // Never answered: very overdue, the ladder climbs to its top, the case stays open.
    ev.add(due + 30 * DAY, 'suggestionOverdue', { unit, dueAt: ts(due), veryOverdue: true, round: 1 });
    const ladderId = `${caseId}-ladder-1`;
    ev.add(due + 31 * DAY, 'suggestionEscalated', { ladderId, reason: 'noReply' });
    ev.ladder(due + 31 * DAY + HOUR, ladderId, unit, 'noReply', 4, false);
    return ev.done();
  }
  const g = r.next();
  const grade = g < 0.5 ? 'A' : g < 0.85 ? 'B' : 'C';
  const commitments =
    grade === 'A'
      ? []
      : Array.from({ length: 1 + r.int(2) }, (_, k) => ({
          commitmentId: `${caseId}-c${k + 1}`,
          description: '年内完成整改',
          dueDate: localDate(replyAt + r.between(90, 180) * DAY),
        }));
  ev.add(replyAt, 'suggestionReplied', { unit, grade, repliedAt: ts(replyAt), onTime: !late, round: 1, commitments });
  const ratedAt = replyAt + r.between(5, 25) * DAY;
  let rating = RATING(r);
  ev.add(ratedAt, 'suggestionRated', { rating, round: 1, assumed: r.chance(0.1) });
  let end = ratedAt;
  if (rating === 'unsatisfied') {
    if (r.chance(0.5)) {
      ev.add(ratedAt + HOUR, 'specialSupervisionStarted', { unit, secondReplyDueAt: ts(ratedAt + 30 * DAY) });
      ev.add(ratedAt + 25 * DAY, 'suggestionReplied', {
        unit,
        grade: 'B',
        onTime: true,
        round: 2,
        repliedAt: ts(ratedAt + 25 * DAY),
      });
      rating = 'basicallySatisfied';
      ev.add(ratedAt + 35 * DAY, 'suggestionRated', { rating, round: 2 });
      end = ratedAt + 35 * DAY;
    } else {
      const ladderId = `${caseId}-ladder-1`;
      ev.add(ratedAt + HOUR, 'suggestionEscalated', { ladderId, reason: 'unsatisfied' });
      end = ev.ladder(ratedAt + 2 * HOUR, ladderId, unit, 'unsatisfied', 1 + r.int(2), true);
    }
  }
  for (const c of commitments) {
    const cd = Date.parse(`${c.dueDate}T01:00:00Z`);
    ev.add(cd, 'commitmentDue', { commitmentId: c.commitmentId, unit, reportDueAt: ts(cd + 14 * DAY) });
    if (r.chance(0.85))
      ev.add(cd + 7 * DAY, 'commitmentReported', { commitmentId: c.commitmentId, kept: true, note: '已完成' });
    else ev.add(cd + 15 * DAY, 'commitmentMissed', { commitmentId: c.commitmentId, unit, reported: false });
    end = Math.max(end, cd + 15 * DAY);
  }
  const total = Math.round(r.between(late ? 55 : 70, 100));
  ev.add(end + 5 * DAY, 'suggestionScored', {
    unit,
    replyStage: Math.min(40, total),
    implementationStage: Math.max(0, total - 40),
    total,
    deductions: late ? ['late reply -10'] : [],
  });
  ev.add(end + 5 * DAY + HOUR, 'suggestionClosed', { outcome: 'completed', finalRating: rating, finalGrade: grade });
  return ev.done();
}

/** A citizen opinion at a station; a quarter lead to a liaison letter (a case of its own). */
function opinion(city: City, r: Rng, caseId: string, t0: number): CityCase[] {
  const ev = new Events(city, caseId, 'citizen_opinion');
  const station = r.pick(city.stations);
  const duty = r.some(station.deputies, 2);
  const citizenId = `citizen-${(t0 % 100_000).toString(36)}${r.int(1000)}`;
  const answerDue = t0 + 7 * DAY;
  ev.add(t0, 'citizenOpinionSubmitted', {
    stationId: station.id,
    citizenId,
    channel: r.chance(0.6) ? 'online' : 'station',
    category: r.pick(CATEGORIES),
    dutyDeputyIds: duty,
    answerDueAt: ts(answerDue),
  });
  const p = r.next();
  const stalled = p < 0.02;
  const late = !stalled && p < 0.17;
  if (stalled || late)
    ev.add(answerDue + DAY, 'citizenOpinionOverdue', { stationId: station.id, dueAt: ts(answerDue) });
  if (stalled) return [ev.done()];
  const actAt = late ? answerDue + r.between(2, 6) * DAY : t0 + r.between(0.2, 6) * DAY;
  const deputyId = duty[0];
  const how = r.next();
  if (how < 0.65) {
    ev.add(actAt, 'citizenOpinionAnswered', { deputyId, onTime: !late, ratingDueAt: ts(actAt + 15 * DAY) });
    const rating = RATING(r);
    const assumed = r.chance(0.2);
    const ratedAt = actAt + (assumed ? 15 : r.between(1, 14)) * DAY;
    ev.add(ratedAt, 'citizenOpinionRated', { rating, assumed });
    ev.add(ratedAt + HOUR, 'citizenOpinionClosed', { outcome: 'answered', rating });
    return [ev.done()];
  }
  if (how < 0.75) {
    const suggestionId = `suggestion-${new Date(actAt).getUTCFullYear()}-f${caseId.slice(-6)}`;
    ev.add(actAt, 'citizenOpinionForwarded', { deputyId, suggestionId, onTime: !late });
    ev.add(actAt + HOUR, 'citizenOpinionClosed', { outcome: 'forwarded', suggestionId });
    return [ev.done()];
  }
  const letterId = `${caseId}-letter-1`;
  const unit = r.pick(city.units);
  ev.add(actAt, 'citizenOpinionLetterSent', { deputyId, letterId, unit, onTime: !late });
  const { letter, closedAt, rating } = liaisonLetter(city, r, letterId, caseId, deputyId, citizenId, unit, actAt);
  if (closedAt !== undefined)
    ev.add(closedAt + HOUR, 'citizenOpinionClosed', { outcome: 'letterClosed', rating, letterId });
  return [ev.done(), letter];
}

function liaisonLetter(
  city: City,
  r: Rng,
  caseId: string,
  opinionId: string,
  deputyId: string,
  citizenId: string,
  unit: string,
  sentAt: number,
): { letter: CityCase; closedAt?: number; rating?: string } {
  const ev = new Events(city, caseId, 'liaison_letter');
  const replyDue = sentAt + 15 * DAY;
  ev.add(sentAt, 'liaisonLetterSent', { opinionId, deputyId, unit, replyDueAt: ts(replyDue) });
  const p = r.next();
  const stalled = p < 0.03;
  const late = !stalled && p < 0.2;
  const replyAt = late ? replyDue + r.between(3, 10) * DAY : sentAt + r.between(3, 14) * DAY;
  if (stalled || replyAt > sentAt + 10 * DAY)
    ev.add(sentAt + 10 * DAY, 'liaisonLetterReminder', { unit, replyDueAt: ts(replyDue), reminderNo: 1 });
  const ladderId = `${caseId}-ladder-1`;
  if (stalled || late) {
    ev.add(replyDue + DAY, 'liaisonLetterOverdue', { unit, replyDueAt: ts(replyDue), ladderId });
    if (stalled) {
      ev.ladder(replyDue + DAY + HOUR, ladderId, unit, 'noReply', 4, false);
      return { letter: ev.done() };
    }
    ev.add(replyDue + DAY + HOUR, 'ladderStarted', { ladderId, unit, reason: 'noReply', steps: LADDER }, ladderId);
    ev.add(
      replyDue + DAY + 2 * HOUR,
      'ladderStepStarted',
      { ladderId, stepNo: 1, step: LADDER[0], owner: 'staff' },
      ladderId,
    );
  }
  ev.add(replyAt, 'liaisonLetterReplied', { unit, onTime: !late, ratingDueAt: ts(replyAt + 10 * DAY) });
  if (late)
    ev.add(replyAt + HOUR, 'ladderResolved', { ladderId, stepNo: 1, step: LADDER[0], note: 'replied' }, ladderId);
  const citizenRating = RATING(r);
  const deputyRating = RATING(r);
  const ratedAt = replyAt + r.between(2, 8) * DAY;
  ev.add(ratedAt, 'liaisonLetterRated', { raterRole: 'citizen', raterId: citizenId, rating: citizenRating });
  ev.add(ratedAt + DAY, 'liaisonLetterRated', {
    raterRole: 'deputy',
    raterId: deputyId,
    rating: deputyRating,
    assumed: r.chance(0.2),
  });
  const closedAt = ratedAt + DAY + HOUR;
  const closed = ev.add(closedAt, 'liaisonLetterClosed', {
    unit,
    citizenRating,
    deputyRating,
    onTime: !late,
    escalated: late,
  });
  return { letter: ev.done(), closedAt: closed ? closedAt : undefined, rating: citizenRating };
}

/** A review opinion in two or three unit parts, each its own workflow "<case>.<unit>". */
function reviewOpinion(city: City, r: Rng, caseId: string, t0: number, year: number): CityCase {
  const ev = new Events(city, caseId, 'review_opinion');
  const plan = `supervision-plan-${city.jurisdiction}-${year}`;
  for (const unit of r.some(city.units, 2 + r.int(2))) {
    const wf = `${caseId}.${unit}`;
    const itemId = `${caseId}-i-${unit}`;
    const itemDue = t0 + 60 * DAY;
    const reportDue = t0 + 90 * DAY;
    ev.add(
      t0,
      'reviewOpinionOpened',
      {
        items: [{ itemId, list: 'issue', unit, dueAt: ts(itemDue) }],
        units: [unit],
        reportDueAt: ts(reportDue),
        sourceCaseId: plan,
      },
      wf,
    );
    const p = r.next();
    const stalled = p < 0.03;
    const late = !stalled && p < 0.2;
    ev.add(t0 + r.between(20, 40) * DAY, 'oversightItemFeedback', { itemId, unit, feedbackNo: 1, done: false }, wf);
    if (stalled || late) ev.add(itemDue + DAY, 'oversightItemOverdue', { itemId, unit, dueAt: ts(itemDue) }, wf);
    if (stalled) {
      ev.add(reportDue + DAY, 'handlingReportOverdue', { unit, round: 1, dueAt: ts(reportDue) }, wf);
      const ladderId = `${wf.replace('.', '-')}-ladder-1`;
      ev.add(reportDue + 2 * DAY, 'oversightEscalated', { unit, ladderId, reason: 'noReport' }, wf);
      ev.ladder(reportDue + 2 * DAY + HOUR, ladderId, unit, 'noReport', 4, false);
      continue;
    }
    const closedItemAt = late ? itemDue + r.between(3, 10) * DAY : t0 + r.between(45, 58) * DAY;
    ev.add(closedItemAt, 'oversightItemClosed', { itemId, unit, evidenceCount: 1 + r.int(3) }, wf);
    if (late) ev.add(reportDue + DAY, 'handlingReportOverdue', { unit, round: 1, dueAt: ts(reportDue) }, wf);
    const reportAt = late ? reportDue + r.between(3, 12) * DAY : t0 + r.between(60, 88) * DAY;
    ev.add(reportAt, 'handlingReportSubmitted', { unit, round: 1, onTime: !late }, wf);
    const voteAt = reportAt + 10 * DAY;
    ev.add(voteAt, 'satisfactionVoteOpened', { unit, round: 1, closesAt: ts(voteAt + 3 * DAY), electorate: 15 }, wf);
    const passed = r.chance(0.85);
    const satisfied = passed ? 9 + r.int(5) : 3 + r.int(4);
    const unsatisfied = 15 - satisfied - 1;
    ev.add(
      voteAt + 3 * DAY,
      'satisfactionVoteClosed',
      {
        unit,
        round: 1,
        satisfied,
        basicallySatisfied: 1,
        unsatisfied,
        electorate: 15,
        ratePercent: Math.round(((satisfied + 1) / 15) * 100),
        thresholdPercent: 60,
        passed,
      },
      wf,
    );
    let end = voteAt + 3 * DAY;
    if (!passed) {
      ev.add(end + HOUR, 'reReportRequired', { unit, dueAt: ts(end + 30 * DAY), reason: 'lowSatisfaction' }, wf);
      ev.add(end + 25 * DAY, 'handlingReportSubmitted', { unit, round: 2, onTime: true }, wf);
      ev.add(end + 30 * DAY, 'handlingReportAssessed', { unit, round: 2, verdict: 'accepted' }, wf);
      end += 30 * DAY;
    }
    ev.add(end + DAY, 'reviewOpinionClosed', { outcome: 'completed' }, wf);
  }
  return ev.done();
}

function inquiry(city: City, r: Rng, caseId: string, t0: number, year: number): CityCase {
  const ev = new Events(city, caseId, 'inquiry');
  const unit = r.pick(city.units);
  const signers = Array.from({ length: 5 }, (_, k) => `member-${String(1 + ((r.int(40) + k) % 40)).padStart(2, '0')}`);
  ev.add(t0, 'inquiryFiled', {
    unit,
    signers,
    minSigners: 5,
    relatedCaseId: `review-opinion-${year}-${String(r.int(1000)).padStart(6, '0')}`,
  });
  const due = t0 + 35 * DAY;
  ev.add(t0 + 5 * DAY, 'inquiryReplyDecided', { mode: r.chance(0.5) ? 'written' : 'oral', dueAt: ts(due) });
  const late = r.chance(0.2);
  if (late) ev.add(due + DAY, 'inquiryOverdue', { unit, round: 1, dueAt: ts(due) });
  const repliedAt = late ? due + r.between(3, 10) * DAY : t0 + r.between(15, 34) * DAY;
  ev.add(repliedAt, 'inquiryReplied', { unit, round: 1, onTime: !late });
  const again = r.chance(0.2);
  for (const [k, m] of signers.entries())
    ev.add(repliedAt + (3 + k) * HOUR, 'inquiryRated', { memberId: m, round: 1, satisfied: again ? k < 2 : k !== 0 });
  const closedRound = repliedAt + 7 * DAY;
  ev.add(closedRound, 'inquiryRatingClosed', {
    round: 1,
    dissatisfied: again ? 3 : 1,
    filers: 5,
    replyAgain: again,
    ...(again ? { replyAgainDueAt: ts(closedRound + 30 * DAY) } : {}),
  });
  let end = closedRound;
  if (again) {
    ev.add(closedRound + 20 * DAY, 'inquiryReplied', { unit, round: 2, onTime: true });
    ev.add(closedRound + 27 * DAY, 'inquiryRatingClosed', { round: 2, dissatisfied: 1, filers: 5, replyAgain: false });
    end = closedRound + 27 * DAY;
  }
  ev.add(end + DAY, 'inquiryClosed', { outcome: 'answered' });
  return ev.done();
}

function investigation(city: City, r: Rng, caseId: string, t0: number, year: number): CityCase {
  const ev = new Events(city, caseId, 'investigation');
  const unit = r.pick(city.units);
  ev.add(t0, 'investigationProposed', {
    byChairCouncil: true,
    unit,
    relatedCaseId: `inquiry-${year}-${String(r.int(1000)).padStart(6, '0')}`,
  });
  const adopted = r.chance(0.7);
  const due = t0 + 130 * DAY;
  ev.add(t0 + 10 * DAY, 'investigationDecided', {
    adopted,
    ...(adopted ? { reportDueAt: ts(due), committeeMembers: ['member-01', 'member-02', 'member-03'] } : {}),
  });
  if (!adopted) {
    ev.add(t0 + 10 * DAY + HOUR, 'investigationClosed', { outcome: 'rejected' });
    return ev.done();
  }
  const late = r.chance(0.2);
  if (late) ev.add(due + DAY, 'investigationOverdue', { dueAt: ts(due) });
  const reportedAt = late ? due + r.between(5, 20) * DAY : t0 + r.between(60, 125) * DAY;
  ev.add(reportedAt, 'investigationReported', { onTime: !late, resolutionFollows: false });
  ev.add(reportedAt + 5 * DAY, 'investigationClosed', { outcome: 'reported' });
  return ev.done();
}

function regulation(city: City, r: Rng, caseId: string, t0: number): CityCase {
  const ev = new Events(city, caseId, 'regulation_report');
  const regulationId = caseId.replace('regulation-report-', '');
  const unit = r.pick(city.units);
  const base = { regulationId, unit };
  ev.add(t0, 'regulationRegistered', {
    ...base,
    inForceOn: localDate(t0 - 2 * YEAR),
    reportRequestedAt: ts(t0 + HOUR),
  });
  const due = t0 + 60 * DAY;
  ev.add(t0 + HOUR, 'regulationReportRequested', { ...base, dueAt: ts(due), round: 1 });
  const late = r.chance(0.2);
  if (late) ev.add(due + DAY, 'regulationReportOverdue', { ...base, dueAt: ts(due), round: 1 });
  const filedAt = late ? due + r.between(3, 15) * DAY : t0 + r.between(20, 58) * DAY;
  ev.add(filedAt, 'regulationReportFiled', { ...base, onTime: !late, round: 1, reviewDueAt: ts(filedAt + 20 * DAY) });
  let end = filedAt + 10 * DAY;
  let rounds = 1;
  if (r.chance(0.15)) {
    ev.add(end, 'regulationReportReviewed', { regulationId, decision: 'returned', round: 1 });
    ev.add(end + HOUR, 'regulationReportRequested', { ...base, dueAt: ts(end + 30 * DAY), round: 2 });
    ev.add(end + 20 * DAY, 'regulationReportFiled', {
      ...base,
      onTime: true,
      round: 2,
      reviewDueAt: ts(end + 40 * DAY),
    });
    end += 30 * DAY;
    rounds = 2;
  }
  ev.add(end, 'regulationReportReviewed', { regulationId, decision: 'accepted', round: rounds });
  ev.add(end + HOUR, 'regulationReportClosed', { regulationId, outcome: 'accepted', rounds });
  return ev.done();
}

function appointee(city: City, r: Rng, caseId: string, t0: number): CityCase {
  const ev = new Events(city, caseId, 'appointee_report');
  const appointmentId = caseId.replace('appointee-report-', '');
  const unit = r.pick(city.units);
  const flagAt = t0 + 300 * DAY;
  ev.add(t0, 'appointeeRegistered', {
    appointmentId,
    officialId: `official-${appointmentId.slice(-6)}`,
    unit,
    termStart: localDate(t0),
    termEnd: localDate(t0 + 2 * YEAR),
    flagAt: ts(flagAt),
  });
  const missing = r.chance(0.15);
  if (missing) ev.add(flagAt, 'appointeeReportMissing', { appointmentId, unit, termEndsAt: ts(t0 + 2 * YEAR) });
  const filedAt = missing ? flagAt + r.between(10, 40) * DAY : t0 + r.between(100, 290) * DAY;
  ev.add(filedAt, 'appointeeReportFiled', { appointmentId, unit, voteDueAt: ts(filedAt + 14 * DAY), voters: 15 });
  const passed = r.chance(0.9);
  const satisfied = passed ? 10 + r.int(4) : 4;
  ev.add(filedAt + 14 * DAY, 'appointeeVoteTallied', {
    appointmentId,
    satisfied,
    basicallySatisfied: 1,
    unsatisfied: 15 - satisfied - 1,
    roster: 15,
    quorum: true,
    passed,
  });
  ev.add(filedAt + 14 * DAY + HOUR, 'appointeeReportClosed', { appointmentId, outcome: passed ? 'passed' : 'failed' });
  return ev.done();
}

/** The cases of a year: its supervision plan, its livelihood cycle and projects, the groups' years. */
function yearly(city: City, r: Rng, year: number, k: number): CityCase {
  const J = city.jurisdiction;
  const at = (month: number, day: number) => Date.UTC(year, month, day, 2);
  if (k === 0) {
    const caseId = `supervision-plan-${J}-${year}`;
    const ev = new Events(city, caseId, 'supervision_plan');
    const topics = Array.from({ length: 6 }, (_, n) => ({ topicId: `t${n + 1}`, unit: r.pick(city.units) }));
    topics.forEach((t, n) =>
      ev.add(Date.UTC(year - 1, 11, 1 + n, 2), 'supervisionTopicProposed', {
        ...t,
        source: r.pick(['governmentReport', 'suggestion', 'citizenOpinion']),
      }),
    );
    const items = topics.map((t, n) => ({
      itemId: `p${n + 1}`,
      topicId: t.topicId,
      unit: t.unit,
      sessionAt: ts(at(2 + n, 15)),
      weight: n < 2 ? 'key' : 'routine',
    }));
    ev.add(at(0, 20), 'supervisionPlanAdopted', { year, items, onTime: true });
    items.forEach((it, n) => {
      ev.add(at(2 + n, 5), 'supervisionPlanItemDue', { itemId: it.itemId, unit: it.unit });
      ev.add(at(2 + n, 15), 'supervisionPlanItemStarted', {
        itemId: it.itemId,
        reviewOpinionCaseId: `review-opinion-${year}-plan${n + 1}`,
      });
    });
    ev.add(at(11, 30), 'supervisionPlanClosed', {
      year,
      itemsStarted: items.length,
      nextPlanCaseId: `supervision-plan-${J}-${year + 1}`,
    });
    return ev.done();
  }
  const cycleId = `livelihood-${J}-${year}`;
  const projectIds = Array.from({ length: 10 }, (_, n) => `${cycleId}-p${String(n + 1).padStart(2, '0')}`);
  if (k === 1) {
    const ev = new Events(city, cycleId, 'livelihood_cycle');
    const open = Date.UTC(year - 1, 9, 1, 2);
    const candidateIds = Array.from({ length: 15 }, (_, n) => `c${n + 1}`);
    const reviewer = city.units[0];
    ev.add(open, 'livelihoodCycleOpened', {
      year,
      collectionClosesAt: ts(open + 30 * DAY),
      seats: 10,
      ballotCandidates: 15,
    });
    candidateIds.forEach((c, n) =>
      ev.add(open + (1 + n) * DAY, 'livelihoodCandidateProposed', {
        candidateId: c,
        proposerKind: 'deputy',
        proposerId: r.pick(city.deputies),
        category: r.pick(CATEGORIES),
      }),
    );
    ev.add(open + 31 * DAY, 'livelihoodCollectionClosed', { candidates: 15, accepted: 15 });
    ev.add(open + 32 * DAY, 'livelihoodFeasibilityRequested', { candidateIds, reviewer, dueAt: ts(open + 52 * DAY) });
    candidateIds.forEach((c, n) =>
      ev.add(open + (40 + n / 4) * DAY, 'livelihoodFeasibilityReviewed', {
        candidateId: c,
        feasible: true,
        leadUnit: r.pick(city.units),
        onTime: true,
      }),
    );
    ev.add(open + 55 * DAY, 'livelihoodBallotListPublished', { candidateIds, seats: 10 });
    const closesAt = open + 70 * DAY;
    ev.add(open + 69 * DAY, 'livelihoodVoteOpened', {
      round: 1,
      voteId: `${cycleId}-v1`,
      candidateIds,
      seats: 10,
      electorate: 400,
      present: 380,
      closesAt: ts(closesAt),
    });
    ev.add(closesAt, 'livelihoodVoteTallied', {
      round: 1,
      voteId: `${cycleId}-v1`,
      electorate: 400,
      present: 380,
      ballotsCast: 378,
      quorumMet: true,
      results: candidateIds.map((c, n) => ({ candidateId: c, votes: 300 - n * 10, passed: n < 10 })),
      elected: candidateIds.slice(0, 10),
      next: 'elected',
    });
    ev.add(closesAt + HOUR, 'livelihoodProjectsElected', { projectIds, candidateIds: candidateIds.slice(0, 10) });
    ev.add(Date.UTC(year + 1, 0, 20, 2), 'livelihoodCycleClosed', {
      year,
      projects: 10,
      satisfactory: 9,
      unsatisfactory: 1,
      outcome: 'completed',
    });
    return ev.done();
  }
  if (k < 12) {
    const projectId = projectIds[k - 2];
    const ev = new Events(city, projectId, 'livelihood_project');
    const unit = r.pick(city.units);
    const coUnits = r.chance(0.5) ? [r.pick(city.units.filter((u) => u !== unit))] : [];
    ev.add(at(0, 15), 'livelihoodProjectStarted', {
      projectId,
      cycleId,
      candidateId: `c${k - 1}`,
      leadUnit: unit,
      coUnits,
      evaluationAt: ts(at(11, 1)),
    });
    for (let period = 1; period <= 3; period++) {
      const due = at(period * 3, 5);
      const late = r.chance(0.2);
      if (late) ev.add(due + DAY, 'livelihoodProgressOverdue', { unit, period, dueAt: ts(due) });
      ev.add(late ? due + 5 * DAY : due - 3 * DAY, 'livelihoodProgressReported', {
        unit,
        period,
        percent: period * 30,
        onTime: !late,
      });
    }
    ev.add(at(11, 1), 'livelihoodEvaluationOpened', { round: 1, dueAt: ts(at(11, 15)) });
    const satisfactory = r.chance(0.9);
    ev.add(at(11, 15), 'livelihoodProjectRated', {
      round: 1,
      satisfied: satisfactory ? 300 : 150,
      basicallySatisfied: 40,
      unsatisfied: satisfactory ? 40 : 190,
      share: satisfactory ? 0.89 : 0.5,
      threshold: 0.6,
      satisfactory,
    });
    ev.add(at(11, 16), 'livelihoodProjectScored', {
      unit,
      points: satisfactory ? 2 : -3,
      reason: satisfactory ? 'satisfactory' : 'unsatisfactory',
    });
    ev.add(at(11, 20), 'livelihoodProjectClosed', {
      outcome: satisfactory ? 'satisfactory' : 'unsatisfactory',
      percent: 100,
    });
    return ev.done();
  }
  const groupId = city.groups[k - 12];
  const ev = new Events(city, `group-duty-${groupId}-${year}`, 'group_duty');
  ev.add(at(0, 2), 'groupDutyYearStarted', { groupId, year, flagAt: ts(at(9, 1)), yearEndsAt: ts(at(11, 31)) });
  ev.add(at(4, 10), 'groupDutyRecorded', {
    groupId,
    year,
    duty: 'supervisedSuggestion',
    refId: `suggestion-${year}-000${k}`,
  });
  const complete = r.chance(0.8);
  if (complete)
    ev.add(at(8, 10), 'groupDutyRecorded', {
      groupId,
      year,
      duty: 'researchReport',
      refId: `report-${groupId}-${year}`,
    });
  else ev.add(at(9, 1), 'groupDutyMissing', { groupId, year, missing: ['researchReport'] });
  ev.add(at(11, 31), 'groupDutyYearClosed', { groupId, year, complete, missing: complete ? [] : ['researchReport'] });
  return ev.done();
}

/**
 * Cases from slot `from` on until `count` more cases are made: the cases and the slot after
 * them. The last slot's second case is left out when one case is missing (its opinion keeps
 * its letter id).
 */
export function cityCases(city: City, from: number, count: number): { cases: CityCase[]; next: number } {
  const cases: CityCase[] = [];
  let slot = from;
  while (cases.length < count)
    cases.push(
      ...citySlot(city, slot++)
        // A case of this year whose first event is still to come is not a case yet.
        .filter((c) => c.events.length > 0)
        .slice(0, count - cases.length),
    );
  return { cases, next: slot };
}
