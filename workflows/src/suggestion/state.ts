// The suggestion case as a pure state machine: `validate` (validate.ts) says whether an action
// may be taken, `apply` changes the state for an accepted action and says which stage and event
// follow. No workflow APIs: unit tests run it without a server
// (workflows/test/unit/suggestion-state.test.ts); the wiring in handlers.ts adds the search
// attributes and publishes the event, in the order the released workflow did.
import type { Rating } from '@duban/domain';
import type { EventBody } from '../activities';
import {
  type CoHandlerOpinionInput,
  type Commitment,
  type CommitmentReportInput,
  type ExtensionDecisionInput,
  type ExtensionRequestInput,
  type ObjectInput,
  type PauseInput,
  type ReplyInput,
  type ResumeInput,
  type ReviewInput,
  type ReviseInput,
  type SuggestionInput,
  type SuggestionStage,
  type SuggestionState,
} from './definitions';

/** What the handlers count beside the state (it is not part of the query's answer). */
export interface SuggestionRun {
  /** Round 1: the reply; round 2: the second reply after an unsatisfied rating. */
  round: number;
  returns: number;
  pauses: number;
}

/** What an accepted action leads to: a new stage (if any) and the event it publishes. */
export interface Transition {
  stage?: SuggestionStage;
  /** A new reply deadline (an approved extension, a resumed clock). */
  due?: string;
  step: string;
  body: EventBody;
}

const ms = (iso: string) => Date.parse(iso);
const iso = (at: number) => new Date(at).toISOString();

export function initialSuggestionState(input: SuggestionInput): SuggestionState {
  return {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    deputyId: input.deputyId,
    title: input.title,
    category: input.category,
    stage: 'submitted',
    submittedAt: input.submittedAt,
    ...(input.sourceCaseId ? { sourceCaseId: input.sourceCaseId } : {}),
    coHandlers: [],
    assignmentNo: 0,
    coHandlerOpinions: {},
    extensions: [],
    overdue: false,
    veryOverdue: false,
    replies: [],
    ratings: [],
    commitments: [],
    ladders: [],
    events: [],
  };
}

/** A commitment's date: a local date (due at 09:00 Beijing time that day) or an ISO instant. */
export function commitmentDueAt(dueDate: string): string | undefined {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(dueDate) ? Date.parse(`${dueDate}T01:00:00.000Z`) : Date.parse(dueDate);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

// ---- the changes an accepted action makes; `now` is the workflow's clock.
export const apply = {
  returnForRevision(s: SuggestionState, run: SuggestionRun, r: ReviewInput): Transition {
    run.returns++;
    s.returnedReason = r.reason;
    return { stage: 'returned', step: `returned/${run.returns}`, body: { suggestionReturned: { reason: r.reason! } } };
  },

  merge(s: SuggestionState, r: ReviewInput): Transition {
    s.mergedInto = r.mergeInto;
    return {
      stage: 'merged',
      step: 'merged',
      body: { suggestionMerged: { intoCaseId: r.mergeInto!, reason: r.reason! } },
    };
  },

  revise(s: SuggestionState, run: SuggestionRun, r: ReviseInput): Transition {
    s.title = r.title;
    s.category = r.category;
    s.returnedReason = undefined;
    return {
      stage: 'submitted',
      step: `revised/${run.returns}`,
      body: { suggestionRevised: { title: r.title, category: r.category } },
    };
  },

  object(s: SuggestionState, o: ObjectInput, now: number): Transition {
    s.objection = { unit: o.by.unit!, reason: o.reason, at: iso(now) };
    return {
      stage: 'objected',
      step: `objected/${s.assignmentNo}`,
      body: { suggestionObjected: { unit: o.by.unit!, reason: o.reason } },
    };
  },

  coHandlerOpinion(s: SuggestionState, o: CoHandlerOpinionInput, now: number): Transition {
    const onTime = !s.coHandlerDueAt || now <= ms(s.coHandlerDueAt);
    s.coHandlerOpinions[o.by.unit!] = { opinion: o.opinion, at: iso(now), onTime };
    return {
      step: `co-handler-opinion/${s.assignmentNo}/${o.by.unit}`,
      body: { coHandlerOpinionSent: { unit: o.by.unit!, onTime } },
    };
  },

  requestExtension(s: SuggestionState, e: ExtensionRequestInput, now: number): Transition {
    s.extensions.push({ reason: e.reason, requestedUntil: e.until, requestedAt: iso(now) });
    return {
      step: `extension-requested/${s.extensions.length}`,
      body: { extensionRequested: { unit: e.by.unit!, reason: e.reason, requestedDueAt: e.until } },
    };
  },

  /** An approval moves the deadline (`due`); the wiring sets it before the event goes out. */
  decideExtension(s: SuggestionState, d: ExtensionDecisionInput, now: number): Transition {
    const pending = s.extensions[s.extensions.length - 1];
    pending.decided = { approved: d.approve, note: d.note, at: iso(now) };
    const replyDueAt = d.approve ? pending.requestedUntil : s.replyDueAt;
    return {
      ...(d.approve ? { due: pending.requestedUntil } : {}),
      step: `extension-decided/${s.extensions.length}`,
      body: { extensionDecided: { approved: d.approve, replyDueAt, note: d.note } },
    };
  },

  pauseClock(s: SuggestionState, run: SuggestionRun, p: PauseInput, now: number): Transition {
    run.pauses++;
    s.clockPausedSince = iso(now);
    return { step: `clock-paused/${run.pauses}`, body: { clockPaused: { unit: p.by.unit!, reason: p.reason } } };
  },

  /** The deadline moves by the time the clock was paused. */
  resumeClock(s: SuggestionState, run: SuggestionRun, r: ResumeInput, now: number): Transition {
    const pausedMs = now - ms(s.clockPausedSince!);
    s.clockPausedSince = undefined;
    const due = iso(ms(s.replyDueAt!) + pausedMs);
    return {
      due,
      step: `clock-resumed/${run.pauses}`,
      body: {
        clockResumed: { unit: r.by.unit!, pausedSeconds: String(Math.round(pausedMs / 1000)), replyDueAt: due },
      },
    };
  },

  reply(s: SuggestionState, run: SuggestionRun, r: ReplyInput, now: number): Transition {
    const by = r.by!;
    const at = iso(now);
    const { round } = run;
    const onTime = !s.replyDueAt || now <= ms(s.replyDueAt);
    s.replies.push({ round, unit: by.unit!, grade: r.grade, summary: r.summary, repliedAt: at, onTime });
    const added: Commitment[] = (r.commitments ?? []).map((c, i) => ({
      ...c,
      commitmentId: `${round}-${i + 1}`,
      round,
      status: 'pending',
    }));
    s.commitments.push(...added);
    s.clockPausedSince = undefined;
    return {
      stage: 'awaitingRating',
      step: `replied/${round}`,
      body: {
        suggestionReplied: {
          unit: by.unit!,
          grade: r.grade,
          repliedAt: at,
          onTime,
          round,
          commitments: added.map((c) => ({
            commitmentId: c.commitmentId,
            description: c.description,
            dueDate: c.dueDate,
          })),
        },
      },
    };
  },

  rate(
    s: SuggestionState,
    run: SuggestionRun,
    rating: Rating,
    assumed: boolean,
    now: number,
    comment?: string,
  ): Transition {
    s.ratings.push({ round: run.round, rating, assumed, ratedAt: iso(now), ...(comment ? { comment } : {}) });
    return { step: `rated/${run.round}`, body: { suggestionRated: { rating, round: run.round, assumed } } };
  },

  reportCommitment(s: SuggestionState, c: CommitmentReportInput): Transition {
    const commitment = s.commitments.find((x) => x.commitmentId === c.commitmentId)!;
    commitment.status = c.kept ? 'kept' : 'missed';
    commitment.note = c.note;
    return {
      step: `commitment/${c.commitmentId}/reported`,
      body: { commitmentReported: { commitmentId: c.commitmentId, kept: c.kept, note: c.note } },
    };
  },

  ladderEnded(s: SuggestionState, ladderId: string, outcome: 'resolved' | 'exhausted'): void {
    const ladder = s.ladders.find((l) => l.ladderId === ladderId);
    if (ladder && !ladder.outcome) ladder.outcome = outcome;
  },
};
