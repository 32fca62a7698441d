// A citizen opinion's checks, pure: whether an action may be taken, in the order the released
// validators made them (the first refusal wins). The Update validators (opinion.ts) throw what
// they return; a handler re-checks `stillOpen` for actions that arrived before the case was ready.
import { RATINGS, deputiesOnDuty } from '@duban/domain/pure';
import { firstRefusal, refusal } from '../gates';
import type { Actor } from '../kernel/contracts';
import { atLeast2Chars } from '../kernel/text-guards';
import type {
  OpinionAnswerInput,
  BeginForwardInput,
  CitizenOpinionInput,
  CitizenOpinionState,
  LinkSuggestionInput,
  OpinionRateInput,
  SendLetterInput,
} from './definitions';

const UNIT_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;
const SUGGESTION_ID = /^suggestion-\d{4}-\d{4,}$/;

/** A new opinion: it reaches the deputies on duty at its station on the day it arrives. */
export function initialOpinionState(input: CitizenOpinionInput, now: Date): CitizenOpinionState {
  return {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    stationId: input.stationId,
    citizenId: input.citizenId,
    channel: input.channel,
    category: input.category,
    stage: 'submitted',
    submittedAt: input.submittedAt,
    dutyDeputyIds: deputiesOnDuty(input.station, now),
    answerDueAt: '',
    overdue: false,
    events: [],
  };
}

/** Only a deputy on duty at this station on the day (`now`) may act on the opinion. */
function onDuty(input: CitizenOpinionInput, by: Actor, now: Date) {
  if (by.role !== 'deputy') return refusal.forbidden('only a deputy on duty at the station acts on a citizen opinion');
  const deputies = deputiesOnDuty(input.station, now);
  if (!deputies.includes(by.sub))
    return refusal.forbidden(
      `deputy ${by.sub} is not on duty at station ${input.stationId} today (on duty: ${deputies.join(', ') || 'nobody'})`,
    );
  return undefined;
}

/** Open: no deputy has taken it up yet. */
export const stillOpen = (s: CitizenOpinionState, what: string) =>
  s.stage === 'submitted' || s.stage === 'overdue'
    ? undefined
    : refusal.conflict(`${s.caseId} is ${s.stage}; ${what} is only possible before a deputy took it up`);

export const validateOpinion = {
  answer: (input: CitizenOpinionInput, s: CitizenOpinionState, a: OpinionAnswerInput, now: Date) =>
    firstRefusal(
      () => onDuty(input, a.by, now),
      () => stillOpen(s, 'an answer'),
      () => atLeast2Chars(a.text, 'text'),
    ),

  /** The same deputy asking again is a retry, and passes. */
  beginForward: (input: CitizenOpinionInput, s: CitizenOpinionState, f: BeginForwardInput, now: Date) =>
    s.stage === 'forwarding' && f.by.role === 'deputy' && f.by.sub === s.handledBy
      ? undefined
      : firstRefusal(
          () => onDuty(input, f.by, now),
          () => stillOpen(s, 'taking it up as a suggestion'),
        ),

  /** Linking the same suggestion again is a retry, and passes. */
  link: (s: CitizenOpinionState, l: LinkSuggestionInput) =>
    firstRefusal(
      () =>
        SUGGESTION_ID.test(l.suggestionId ?? '')
          ? undefined
          : refusal.invalid('suggestionId must look like suggestion-2026-0001'),
      () => {
        if (s.suggestionId === l.suggestionId) return undefined;
        if (s.stage !== 'forwarding')
          return refusal.conflict(`${s.caseId} is ${s.stage}; link a suggestion after taking it up as one`);
        if (l.by.role !== 'deputy' || l.by.sub !== s.handledBy)
          return refusal.forbidden(`only deputy ${s.handledBy}, who took it up, links its suggestion`);
        return undefined;
      },
    ),

  sendLetter: (input: CitizenOpinionInput, s: CitizenOpinionState, x: SendLetterInput, now: Date) =>
    firstRefusal(
      () => onDuty(input, x.by, now),
      () => stillOpen(s, 'a liaison letter'),
      () =>
        UNIT_ID.test(x.unit ?? '') ? undefined : refusal.invalid('unit must be a lowercase unit id like "edu-bureau"'),
    ),

  rate: (input: CitizenOpinionInput, s: CitizenOpinionState, r: OpinionRateInput) =>
    firstRefusal(
      () =>
        r.by.role !== 'citizen' || r.by.sub !== input.citizenId
          ? refusal.forbidden('only the citizen who sent the opinion rates the answer')
          : undefined,
      () => (s.rating ? refusal.alreadyRated('the answer is already rated') : undefined),
      () => (s.stage !== 'awaitingRating' ? refusal.conflict(`${s.caseId} is ${s.stage}; nothing to rate`) : undefined),
      () =>
        (RATINGS as readonly unknown[]).includes(r.rating)
          ? undefined
          : refusal.invalid(`rating must be one of ${RATINGS.join(', ')}`),
    ),
};
