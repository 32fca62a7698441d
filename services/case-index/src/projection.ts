// Folds a case's events into its view. Pure: the same events give the same view, in the order
// they happened (occurredAt, then the Kafka offset within the case's partition).
import type { CaseEventDoc, CaseViewDoc } from './models';

type Body = Record<string, Record<string, unknown> | undefined>;
export type CaseView = Omit<CaseViewDoc, '_id'>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const date = (v: unknown) => (typeof v === 'string' && v !== '' ? new Date(v) : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined);

/** Where each commitment stands, by id, so a repeated report or a report then a miss counts once. */
type CommitmentOutcome = 'open' | 'kept' | 'missed';

export function sortEvents(events: CaseEventDoc[]): CaseEventDoc[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.offset - b.offset);
}

export function foldCase(events: CaseEventDoc[]): CaseView {
  const sorted = sortEvents(events);
  const first = sorted[0];
  const view: CaseView = {
    kind: first.caseKind,
    jurisdiction: first.jurisdiction,
    stage: 'submitted',
    coHandlers: [],
    key: false,
    overdue: false,
    veryOverdue: false,
    commitments: { total: 0, kept: 0, missed: 0 },
    lastEventAt: sorted[sorted.length - 1].occurredAt,
    eventCount: sorted.length,
  };
  const commitments = new Map<string, CommitmentOutcome>();

  for (const e of sorted) {
    const body = e.body as Body;
    switch (e.type) {
      case 'SuggestionSubmitted': {
        const b = body.suggestionSubmitted ?? {};
        view.title = str(b.title);
        view.category = str(b.category);
        view.deputyId = str(b.deputyId);
        view.submittedAt = date(b.submittedAt);
        break;
      }
      case 'SuggestionReturned':
        view.stage = 'returned';
        break;
      case 'SuggestionRevised': {
        const b = body.suggestionRevised ?? {};
        view.stage = 'submitted';
        view.title = str(b.title) ?? view.title;
        view.category = str(b.category) ?? view.category;
        break;
      }
      case 'SuggestionMerged':
        view.stage = 'merged';
        break;
      case 'SuggestionAssigned': {
        const b = body.suggestionAssigned ?? {};
        view.stage = 'assigned';
        view.leadUnit = str(b.leadUnit);
        view.coHandlers = Array.isArray(b.coHandlers) ? (b.coHandlers as string[]) : [];
        view.key = b.key === true;
        view.dueAt = date(b.replyDueAt);
        view.overdue = false;
        view.veryOverdue = false;
        break;
      }
      case 'SuggestionObjected':
        view.stage = 'objected';
        break;
      case 'SuggestionOverdue': {
        const b = body.suggestionOverdue ?? {};
        // In round 2 the case stays under special supervision, overdue or not.
        if (view.stage === 'assigned') view.stage = 'overdue';
        view.overdue = true;
        if (b.veryOverdue === true) view.veryOverdue = true;
        break;
      }
      case 'ExtensionDecided': {
        const b = body.extensionDecided ?? {};
        if (b.approved === true) {
          view.dueAt = date(b.replyDueAt) ?? view.dueAt;
          if (view.dueAt && view.dueAt.getTime() > e.occurredAt.getTime()) view.overdue = false;
        }
        break;
      }
      case 'DeadlineRecomputed': {
        // A published calendar moved the reply deadline (it was counted Monday–Friday only).
        const b = body.deadlineRecomputed ?? {};
        if (b.deadline === 'reply') view.dueAt = date(b.newDueAt) ?? view.dueAt;
        break;
      }
      case 'ClockResumed': {
        const b = body.clockResumed ?? {};
        view.dueAt = date(b.replyDueAt) ?? view.dueAt;
        if (view.dueAt && view.dueAt.getTime() > e.occurredAt.getTime()) view.overdue = false;
        break;
      }
      case 'SuggestionReplied': {
        const b = body.suggestionReplied ?? {};
        // A reply without a round comes from the first released version: replied and done.
        view.stage = num(b.round) ? 'awaitingRating' : 'replied';
        view.overdue = false;
        view.grade = str(b.grade);
        for (const c of Array.isArray(b.commitments) ? (b.commitments as Record<string, unknown>[]) : []) {
          const id = str(c.commitmentId);
          if (id && !commitments.has(id)) commitments.set(id, 'open');
        }
        break;
      }
      case 'SuggestionRated': {
        const b = body.suggestionRated ?? {};
        view.satisfaction = str(b.rating);
        view.ratingAssumed = b.assumed === true;
        // Unsatisfied: special supervision or the ladder follows, each with its own event.
        if (view.satisfaction && view.satisfaction !== 'unsatisfied') view.stage = 'lookBack';
        break;
      }
      case 'SpecialSupervisionStarted': {
        const b = body.specialSupervisionStarted ?? {};
        view.stage = 'secondReply';
        view.dueAt = date(b.secondReplyDueAt) ?? view.dueAt;
        view.overdue = false;
        view.veryOverdue = false;
        break;
      }
      case 'CommitmentReported': {
        const b = body.commitmentReported ?? {};
        const id = str(b.commitmentId);
        if (id) commitments.set(id, b.kept === true ? 'kept' : 'missed');
        break;
      }
      case 'CommitmentMissed': {
        const id = str((body.commitmentMissed ?? {}).commitmentId);
        if (id) commitments.set(id, 'missed');
        break;
      }
      case 'SuggestionEscalated': {
        const b = body.suggestionEscalated ?? {};
        view.stage = 'escalated';
        const ladderId = str(b.ladderId);
        if (ladderId && view.ladder?.ladderId !== ladderId) view.ladder = { ladderId, status: 'climbing' };
        break;
      }
      case 'LadderStarted': {
        const ladderId = str((body.ladderStarted ?? {}).ladderId);
        if (ladderId && view.ladder?.ladderId !== ladderId) view.ladder = { ladderId, status: 'climbing' };
        break;
      }
      case 'LadderStepStarted': {
        const b = body.ladderStepStarted ?? {};
        const ladderId = str(b.ladderId);
        if (ladderId) view.ladder = { ladderId, step: str(b.step), status: 'climbing' };
        break;
      }
      case 'LadderResolved': {
        const b = body.ladderResolved ?? {};
        const ladderId = str(b.ladderId);
        if (ladderId) view.ladder = { ladderId, step: str(b.step) ?? view.ladder?.step, status: 'resolved' };
        // Fixed: the case goes on to its look-back (or closes right away).
        if (view.stage === 'escalated') view.stage = 'lookBack';
        break;
      }
      case 'LadderExhausted': {
        const b = body.ladderExhausted ?? {};
        const ladderId = str(b.ladderId);
        if (ladderId) view.ladder = { ladderId, step: str(b.lastStep) ?? view.ladder?.step, status: 'exhausted' };
        break;
      }
      case 'SuggestionScored':
        view.score = num((body.suggestionScored ?? {}).total) ?? 0;
        break;
      case 'SuggestionClosed': {
        const b = body.suggestionClosed ?? {};
        view.stage = 'closed';
        view.closedOutcome = str(b.outcome);
        view.overdue = false;
        view.satisfaction = str(b.finalRating) ?? view.satisfaction;
        view.grade = str(b.finalGrade) ?? view.grade;
        break;
      }
      default:
        // Events this index does not project (reminders, requests, opinions, ...) still count
        // in the timeline.
        break;
    }
  }
  const outcomes = [...commitments.values()];
  view.commitments = {
    total: outcomes.length,
    kept: outcomes.filter((o) => o === 'kept').length,
    missed: outcomes.filter((o) => o === 'missed').length,
  };
  return view;
}
