// What a suggestion means beyond the shared rules: its stages, reply grades, commitments
// (承诺台账), extensions and pauses, its ladder and score.
import type { CaseView } from '../view';
import { date, num, str, type Body } from './generic';

/** Where each commitment stands, by id, so a repeated report or a report then a miss counts once. */
export type CommitmentOutcome = 'open' | 'kept' | 'missed';

/** Applies a suggestion's event (and the ladder's, for any kind). False if it is not one of them. */
export function applySuggestion(
  view: CaseView,
  e: { type: string; occurredAt: Date },
  body: Record<string, Body | undefined>,
  commitments: Map<string, CommitmentOutcome>,
): boolean {
  switch (e.type) {
    case 'SuggestionSubmitted': {
      const b = body.suggestionSubmitted ?? {};
      view.title = str(b.title) ?? view.title;
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
      view.caseOverdue = false;
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
      view.caseOverdue = true;
      if (b.veryOverdue === true) view.veryOverdue = true;
      break;
    }
    case 'ExtensionDecided': {
      const b = body.extensionDecided ?? {};
      if (b.approved === true) {
        view.dueAt = date(b.replyDueAt) ?? view.dueAt;
        if (view.dueAt && view.dueAt.getTime() > e.occurredAt.getTime()) view.caseOverdue = false;
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
      if (view.dueAt && view.dueAt.getTime() > e.occurredAt.getTime()) view.caseOverdue = false;
      break;
    }
    case 'SuggestionReplied': {
      const b = body.suggestionReplied ?? {};
      // A reply without a round comes from the first released version: replied and done.
      view.stage = num(b.round) ? 'awaitingRating' : 'replied';
      view.caseOverdue = false;
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
      view.caseOverdue = false;
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
      if (view.kind === 'suggestion' && view.stage === 'escalated') view.stage = 'lookBack';
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
      view.caseOverdue = false;
      view.satisfaction = str(b.finalRating) ?? view.satisfaction;
      view.grade = str(b.finalGrade) ?? view.grade;
      break;
    }
    default:
      return false;
  }
  return true;
}
