// The suggestion case's checks, pure: whether an action may be taken, in the order the released
// validators made them (the first refusal wins). The Update validators throw what they return.
import { eachRefusal, firstRefusal, isStaffActor, refusal, type Refusal } from '../gates';
import type { Actor } from '../kernel/contracts';
import { nonEmpty } from '../kernel/text-guards';
import {
  GRADES,
  type CoHandlerOpinionInput,
  type CommitmentReportInput,
  type ExtensionDecisionInput,
  type ExtensionRequestInput,
  type ObjectInput,
  type PauseInput,
  type RateInput,
  type ReassignInput,
  type ReplyInput,
  type ResumeInput,
  type ReviewInput,
  type ReviseInput,
  type SuggestionStage,
  type SuggestionState,
} from './definitions';
import { SUGGESTION_ACTION_STAGES as STAGES } from './rules';
import { commitmentDueAt } from './state';

/** What a check needs to know besides the state: the workflow's clock. */
export interface Now {
  now: number;
}

const ms = (iso: string) => Date.parse(iso);

const leadUnit = (s: SuggestionState, by: Actor) =>
  by.role !== 'unit' || by.unit !== s.leadUnit
    ? refusal.forbidden(`${s.caseId} is assigned to another unit; only its lead unit may do this`)
    : undefined;
const deputy = (s: SuggestionState, by: Actor) =>
  by.role !== 'deputy' || by.sub !== s.deputyId
    ? refusal.forbidden(`${s.caseId} is another deputy's suggestion`)
    : undefined;
const staff = (by: Actor) => (isStaffActor(by) ? undefined : refusal.forbidden('only committee staff may do this'));
export const inStage = (s: SuggestionState, allowed: readonly SuggestionStage[], what: string) =>
  allowed.includes(s.stage)
    ? undefined
    : refusal.conflict(`${s.caseId} is ${s.stage}; ${what} is possible only when ${allowed.join(' or ')}`);

export const validate = {
  review: (s: SuggestionState, r: ReviewInput): Refusal | undefined =>
    firstRefusal(
      () => staff(r.by),
      () => inStage(s, STAGES.review, 'review'),
      () =>
        ['accept', 'return', 'merge'].includes(r.decision)
          ? undefined
          : refusal.invalid('decision must be accept, return or merge'),
      () => (r.decision !== 'accept' ? nonEmpty(r.reason, 'reason') : undefined),
      () => {
        if (r.decision !== 'merge') return undefined;
        if (!r.mergeInto || !/^suggestion-\d{4}-\d{4,}$/.test(r.mergeInto))
          return refusal.invalid('mergeInto must name the surviving case, e.g. suggestion-2026-0001');
        if (r.mergeInto === s.caseId) return refusal.invalid('a suggestion cannot be merged into itself');
        return undefined;
      },
      () => (r.key ? nonEmpty(r.key.leadingOfficial, 'key.leadingOfficial') : undefined),
      () => (r.key ? nonEmpty(r.key.supervisingCommittee, 'key.supervisingCommittee') : undefined),
    ),

  revise: (s: SuggestionState, r: ReviseInput): Refusal | undefined =>
    firstRefusal(
      () => deputy(s, r.by),
      () => inStage(s, STAGES.revise, 'revision'),
      () => nonEmpty(r.title, 'title'),
      () => nonEmpty(r.category, 'category'),
    ),

  object: (s: SuggestionState, o: ObjectInput, { now }: Now): Refusal | undefined =>
    firstRefusal(
      () =>
        o.by.role !== 'unit' || (o.by.unit !== s.leadUnit && !s.coHandlers.includes(o.by.unit!))
          ? refusal.forbidden(`${s.caseId} is not assigned to ${o.by.unit ?? 'you'}`)
          : undefined,
      () => inStage(s, STAGES.objection, 'an objection'),
      () =>
        s.replies.length > 0 ? refusal.conflict('the case has been replied to; an objection is too late') : undefined,
      () =>
        s.objectionDueAt && now > ms(s.objectionDueAt)
          ? refusal.conflict(`the objection window ended at ${s.objectionDueAt}`)
          : undefined,
      () => nonEmpty(o.reason, 'reason'),
    ),

  reassign: (s: SuggestionState, r: ReassignInput): Refusal | undefined =>
    firstRefusal(
      () => staff(r.by),
      () => inStage(s, STAGES.reassign, 'reassignment'),
      () =>
        !r.leadUnit || !/^[a-z0-9][a-z0-9-]{1,63}$/.test(r.leadUnit)
          ? refusal.invalid('leadUnit must be a unit id')
          : undefined,
    ),

  coHandlerOpinion: (s: SuggestionState, o: CoHandlerOpinionInput): Refusal | undefined =>
    firstRefusal(
      () =>
        o.by.role !== 'unit' || !s.coHandlers.includes(o.by.unit!)
          ? refusal.forbidden(`${o.by.unit ?? 'you'} is not a co-handler of ${s.caseId}`)
          : undefined,
      () => inStage(s, STAGES.coHandlerOpinion, "a co-handler's opinion"),
      () =>
        s.coHandlerOpinions[o.by.unit!] ? refusal.conflict(`${o.by.unit} has already sent its opinion`) : undefined,
      () => nonEmpty(o.opinion, 'opinion'),
    ),

  requestExtension: (s: SuggestionState, e: ExtensionRequestInput): Refusal | undefined =>
    firstRefusal(
      () => leadUnit(s, e.by),
      () => inStage(s, STAGES.extensionRequest, 'an extension'),
      () =>
        s.extensions.some((x) => !x.decided) ? refusal.conflict('an extension request is already pending') : undefined,
      () => nonEmpty(e.reason, 'reason'),
      () => {
        const until = Date.parse(e.until);
        if (Number.isNaN(until)) return refusal.invalid('until must be an ISO date-time');
        if (until <= ms(s.replyDueAt!))
          return refusal.invalid(`until must be after the current deadline ${s.replyDueAt}`);
        if (s.maxReplyDueAt && until > ms(s.maxReplyDueAt))
          return refusal.conflict(`an extension may not go past ${s.maxReplyDueAt} (the policy's maximum reply time)`);
        return undefined;
      },
    ),

  decideExtension: (s: SuggestionState, d: ExtensionDecisionInput): Refusal | undefined => {
    const pending = s.extensions[s.extensions.length - 1];
    return firstRefusal(
      () => staff(d.by),
      () => (!pending || pending.decided ? refusal.conflict('no extension request is pending') : undefined),
      () => inStage(s, STAGES.extensionDecision, 'an extension decision'),
      () =>
        d.approve && s.maxReplyDueAt && ms(pending.requestedUntil) > ms(s.maxReplyDueAt)
          ? refusal.conflict(`approving would move the deadline past ${s.maxReplyDueAt}, the policy's maximum`)
          : undefined,
      () => nonEmpty(d.note, 'note'),
    );
  },

  pauseClock: (s: SuggestionState, p: PauseInput): Refusal | undefined =>
    firstRefusal(
      () => leadUnit(s, p.by),
      () => inStage(s, STAGES.pauseClock, 'pausing the clock'),
      () => (s.clockPausedSince ? refusal.conflict('the clock is already paused') : undefined),
      () => nonEmpty(p.reason, 'reason'),
    ),

  resumeClock: (s: SuggestionState, r: ResumeInput): Refusal | undefined =>
    firstRefusal(
      () => leadUnit(s, r.by),
      () => (s.clockPausedSince ? undefined : refusal.conflict('the clock is not paused')),
    ),

  reply: (s: SuggestionState, r: ReplyInput, { now }: Now): Refusal | undefined =>
    firstRefusal(
      () => (r.by ? undefined : refusal.invalid('the reply must name who replies')),
      () => leadUnit(s, r.by!),
      () => inStage(s, STAGES.reply, 'a reply'),
      () =>
        (GRADES as readonly string[]).includes(r.grade)
          ? undefined
          : refusal.invalid(`grade must be one of ${GRADES.join(', ')}`),
      () => nonEmpty(r.summary, 'summary'),
      () =>
        (r.grade === 'B' || r.grade === 'C') && !r.commitments?.length
          ? refusal.invalid(`a ${r.grade} reply must list its commitments (what will be done by when)`)
          : undefined,
      eachRefusal(r.commitments, (c, i) => {
        const empty = nonEmpty(c.description, `commitments.${i}.description`);
        if (empty) return empty;
        const at = commitmentDueAt(c.dueDate);
        if (!at) return refusal.invalid(`commitments.${i}.dueDate must be a date (YYYY-MM-DD) or an ISO date-time`);
        if (ms(at) <= now) return refusal.invalid(`commitments.${i}.dueDate must be in the future`);
        return undefined;
      }),
    ),

  rate: (s: SuggestionState, r: RateInput): Refusal | undefined =>
    firstRefusal(
      () => deputy(s, r.by),
      () =>
        s.stage !== 'awaitingRating' && s.ratings.length
          ? refusal.alreadyRated(`${s.caseId} is ${s.stage}; its reply is already rated`)
          : undefined,
      () => inStage(s, STAGES.rating, 'a rating'),
      () =>
        ['satisfied', 'basicallySatisfied', 'unsatisfied'].includes(r.rating)
          ? undefined
          : refusal.invalid('rating must be satisfied, basicallySatisfied or unsatisfied'),
    ),

  reportCommitment: (s: SuggestionState, c: CommitmentReportInput): Refusal | undefined => {
    const commitment = s.commitments.find((x) => x.commitmentId === c.commitmentId);
    return firstRefusal(
      () => leadUnit(s, c.by),
      () => (commitment ? undefined : refusal.invalid(`no commitment ${c.commitmentId} in ${s.caseId}`)),
      () =>
        commitment!.status !== 'pending' && commitment!.status !== 'due'
          ? refusal.conflict(`commitment ${c.commitmentId} is already ${commitment!.status}`)
          : undefined,
      () => nonEmpty(c.note, 'note'),
    );
  },
};
