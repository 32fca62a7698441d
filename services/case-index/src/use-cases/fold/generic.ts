// The fold rules every case kind shares. Events carry ids, dates and outcomes (never personal
// details), named the same way in every kind: `unit`, `leadUnit`, `units`, `coUnits`,
// `deputyId`, `stationId`, `...DueAt`, `onTime` on the event that answers, `outcome` on the
// closing event, `...CaseId` for a related case. So one set of rules reads them all; what a kind
// means beyond that (a suggestion's commitments, its grade) is in its own module.
import type { CaseView, Part } from '../view';

export type Body = Record<string, unknown>;

export const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
export const date = (v: unknown) => (typeof v === 'string' && v !== '' ? new Date(v) : undefined);
export const num = (v: unknown) =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];

/** The event that ends the case itself (an item's or a vote's "closed" does not). */
export const CLOSING = new Set([
  'SuggestionClosed',
  'CitizenOpinionClosed',
  'LiaisonLetterClosed',
  'ReviewOpinionClosed',
  'InquiryClosed',
  'InvestigationClosed',
  'SupervisionPlanClosed',
  'RegulationReportClosed',
  'AppointeeReportClosed',
  'GroupDutyYearClosed',
  'LivelihoodCycleClosed',
  'LivelihoodProjectClosed',
]);

/** Events that happen inside a stage and do not move it: reminders, single votes, notes (and one member's inquiry rating). */
const IN_STAGE =
  /(Reminder|ReminderSent|VoteCast|Overdue|Missing|Due|Recorded|CandidateProposed|Linked|TimedOut)$|^InquiryRated$/;

/** Prefixes taken off an event type to name the stage it starts ("LiaisonLetterReplied" → "replied"). */
const PREFIXES = [
  'CitizenOpinion',
  'LiaisonLetter',
  'ReviewOpinion',
  'SupervisionPlan',
  'Supervision',
  'Oversight',
  'Inquiry',
  'Investigation',
  'RegulationReport',
  'Regulation',
  'AppointeeReport',
  'Appointee',
  'GroupDuty',
  'LivelihoodProject',
  'Livelihood',
  'Ladder',
];

export function stageOf(type: string): string {
  // Whole words only: "LivelihoodProjectsElected" is the cycle's "projectsElected".
  const prefix = PREFIXES.find((p) => type.startsWith(p) && /[A-Z]/.test(type.charAt(p.length)));
  const rest = prefix ? type.slice(prefix.length) : type;
  return rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** Fields that carry the date the next answer is due. */
const DUE_FIELDS = [
  'dueAt',
  'replyDueAt',
  'answerDueAt',
  'reportDueAt',
  'ratingDueAt',
  'reviewDueAt',
  'voteDueAt',
  'replyAgainDueAt',
  'secondReplyDueAt',
  'collectionClosesAt',
  // An appointee's report is due by the end of the term; a group's duties by the year's end.
  'termEnd',
  'termEndsAt',
  'yearEndsAt',
];

/** Fields that name another case; the view links to it. */
const LINK_FIELDS: Record<string, string> = {
  suggestionId: 'suggestion',
  letterId: 'letter',
  opinionId: 'opinion',
  cycleId: 'cycle',
  projectIds: 'project',
  linkedCaseId: 'linked',
  relatedCaseId: 'related',
  sourceCaseId: 'source',
  resolutionCaseId: 'resolution',
  reviewOpinionCaseId: 'reviewOpinion',
  nextPlanCaseId: 'nextPlan',
};

/**
 * The case a related id names. A review opinion's unit part runs as "<case>.<unit>" and an
 * inquiry or investigation filed for it names that part: the link is to the case (case ids
 * have no dots).
 */
const caseOf = (id: string) => id.split('.')[0];

/**
 * A review opinion's or resolution's items (问题清单、督查清单), each of its unit's part, by
 * "<unit>/<itemId>": as in the workflow, an open item that is late makes its part late, and a
 * part is next due at its earliest open item or its pending report.
 */
export type ItemLedger = Map<string, { unit: string; dueAt?: Date; overdue: boolean; closed: boolean }>;

function item(items: ItemLedger, unit: string, itemId: string) {
  const key = `${unit}/${itemId}`;
  let it = items.get(key);
  if (!it) {
    it = { unit, overdue: false, closed: false };
    items.set(key, it);
  }
  return it;
}

/** Settles each open part's lateness and next due date from its items (when the fold is done). */
export function settleParts(view: CaseView, items: ItemLedger): void {
  for (const p of view.parts) {
    if (view.closed || p.closed) continue;
    const open = [...items.values()].filter((i) => i.unit === p.unit && !i.closed);
    if (open.some((i) => i.overdue)) p.overdue = true;
    const dues = [...open.map((i) => i.dueAt), p.answered ? undefined : p.dueAt].filter((d): d is Date => !!d);
    if (dues.length) p.dueAt = new Date(Math.min(...dues.map((d) => d.getTime())));
  }
}

/** Whether the part still owes an answer: its report, or an open item. */
export function partPending(p: Part, items: ItemLedger): boolean {
  return !p.closed && (!p.answered || [...items.values()].some((i) => i.unit === p.unit && !i.closed));
}

function part(view: CaseView, unit: string): Part {
  let p = view.parts.find((x) => x.unit === unit);
  if (!p) {
    p = { unit, overdue: false, answered: false, closed: false };
    view.parts.push(p);
  }
  return p;
}

function addUnit(view: CaseView, unit: string | undefined) {
  if (!unit) return;
  view.leadUnit ??= unit;
  if (!view.units.includes(unit)) view.units.push(unit);
}

function addDeputy(view: CaseView, deputy: string | undefined) {
  if (deputy && !view.deputies.includes(deputy)) view.deputies.push(deputy);
}

export interface SharedRules {
  /** Units, deputies, station from the event. */
  who: boolean;
  /** Due dates, answers and lateness. */
  clock: boolean;
  /** The event names the stage it starts. */
  stage: boolean;
}

/** Applies the shared rules of one event; a kind with its own module turns off what it decides. */
export function applyShared(
  view: CaseView,
  e: { type: string; occurredAt: Date; workflowId: string },
  b: Body,
  rules: SharedRules,
  items: ItemLedger = new Map(),
): void {
  const { type, occurredAt } = e;
  // A ladder's events are the case's (its own module reads them), but its workflow is the
  // ladder ("<case>.<unit>-ladder-1", "<letter>-ladder-1") and its step dates are the ladder's,
  // not the case's: they make no part, move no due date and clear no lateness.
  const ladder = type.startsWith('Ladder');
  // A case in unit parts (a review opinion's) runs one workflow per unit, "<case>.<unit>".
  const partUnit =
    !ladder && e.workflowId.startsWith(`${view.caseId}.`) ? e.workflowId.slice(view.caseId.length + 1) : undefined;
  // Who and where. A citizen opinion's letter names a unit, but the opinion stays the station's.
  if (rules.who && view.kind === 'livelihood_cycle') addUnit(view, str(b.reviewer));
  else if (rules.who && view.kind !== 'citizen_opinion') {
    addUnit(view, str(b.leadUnit));
    for (const u of [str(b.unit), ...strings(b.units), ...strings(b.coUnits)]) addUnit(view, u);
    if (Array.isArray(b.items))
      for (const x of b.items as Body[]) {
        const u = str(x.unit);
        addUnit(view, u);
        const due = date(x.dueAt);
        const itemId = str(x.itemId);
        if (u && due) {
          part(view, u).dueAt ??= due;
          if (itemId) item(items, u, itemId).dueAt = due;
        }
      }
  }
  if (rules.who) {
    addDeputy(view, str(b.deputyId));
    for (const d of strings(b.dutyDeputyIds)) addDeputy(view, d);
    view.stationId ??= str(b.stationId);
    view.citizenId ??= str(b.citizenId);
    view.subjectId ??= str(b.regulationId) ?? str(b.officialId) ?? str(b.groupId);
    if (view.kind !== 'livelihood_cycle') view.category ??= str(b.category);
  }

  // Links to related cases.
  for (const [field, rel] of Object.entries(LINK_FIELDS))
    for (const related of [str(b[field]), ...strings(b[field])]) {
      const id = related && caseOf(related);
      if (id && id !== view.caseId && !view.links.some((l) => l.caseId === id)) view.links.push({ caseId: id, rel });
    }

  if (rules.clock && !ladder) clock(view, type, b, partUnit, items);
  judged(view, type, b);

  const partStage = CLOSING.has(type)
    ? 'closed'
    : !rules.stage
      ? undefined
      : type === 'OversightProcedureDue' && str(b.step)
        ? // The ladder reached a step the law leaves to people: the part waits for them.
          `${str(b.step)}Due`
        : !IN_STAGE.test(type)
          ? stageOf(type)
          : undefined;
  const unit = partUnit ?? str(b.unit);
  if (partStage && unit && view.parts.some((x) => x.unit === unit)) part(view, unit).stage = partStage;
  if (CLOSING.has(type) && partUnit) {
    // One part closed: the case closes with its last part.
    Object.assign(part(view, partUnit), { closed: true, overdue: false });
    addUnit(view, partUnit);
    if (view.parts.every((x) => x.closed)) close(view, occurredAt, b);
  } else if (CLOSING.has(type)) close(view, occurredAt, b);
  else if (partStage && !view.closed) view.stage = partStage;
}

function close(view: CaseView, occurredAt: Date, b: Body): void {
  view.stage = 'closed';
  view.closed = true;
  view.closedAt = occurredAt;
  view.closedOutcome = str(b.outcome) ?? view.closedOutcome;
  view.caseOverdue = false;
  for (const x of view.parts) x.overdue = false;
}

/** A new due date, an answer (the event says whether it was on time), a miss. */
function clock(view: CaseView, type: string, b: Body, partUnit: string | undefined, items: ItemLedger): void {
  const unit = partUnit ?? str(b.unit);
  // An item's lateness and closure are the item's; its part's report clock is untouched.
  const itemId = str(b.itemId);
  if (type.startsWith('OversightItem') && unit && itemId) {
    part(view, unit);
    if (type === 'OversightItemOverdue') item(items, unit, itemId).overdue = true;
    if (type === 'OversightItemClosed') item(items, unit, itemId).closed = true;
    if (type === 'OversightItemReopened') item(items, unit, itemId).closed = false;
    return;
  }
  const p = unit && view.kind !== 'citizen_opinion' ? part(view, unit) : undefined;
  const overdueEvent = /(Overdue|Missing)$/.test(type);
  const due = DUE_FIELDS.map((f) => date(b[f])).find((d) => d !== undefined);
  if (overdueEvent) {
    if (p) p.overdue = true;
    else view.caseOverdue = true;
    if (b.veryOverdue === true) view.veryOverdue = true;
  } else if (due) {
    view.dueAt = due;
    if (p) {
      p.dueAt = due;
      p.overdue = false;
      p.answered = false;
    } else view.caseOverdue = false;
  }
  if (typeof b.onTime === 'boolean' && !overdueEvent) {
    if (p) {
      p.overdue = false;
      p.answered = true;
    } else view.caseOverdue = false;
  }
}

/** How it was judged: a rating, a vote, an assessment. */
function judged(view: CaseView, type: string, b: Body): void {
  const rating = str(b.rating) ?? str(b.citizenRating) ?? str(b.finalRating);
  if (rating) {
    view.satisfaction = rating;
    view.ratingAssumed = b.assumed === true;
  }
  if (type === 'LivelihoodProjectRated' && b.notHeld !== true)
    view.satisfaction = b.satisfactory === true ? 'satisfied' : 'unsatisfied';
  if (type === 'SatisfactionVoteClosed' || type === 'AppointeeVoteTallied')
    view.satisfaction = b.passed === true ? 'satisfied' : 'unsatisfied';
  if (type === 'InquiryRatingClosed') view.satisfaction = b.replyAgain === true ? 'unsatisfied' : 'satisfied';
  if (type === 'HandlingReportAssessed') view.grade = str(b.verdict) ?? view.grade;
}
