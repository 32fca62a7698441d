// Who may act on a liaison letter (代表联系函), and when: the gates the letter workflow's Update
// validators apply, and what the citizen service answers to "what may this caller do now".
// Pure (no workflow APIs). Also the state a new letter starts from.
import { firstRefusal, refusal, type GateActor } from '../gates';
import type { LiaisonLetterInput, LiaisonLetterState } from './definitions';

/** Which rater the actor is: the letter's citizen or its deputy; anyone else is refused. */
export function letterRaterOf(s: LiaisonLetterState, by: GateActor | undefined): 'citizen' | 'deputy' | undefined {
  if (by?.role === 'citizen' && by.sub === s.citizenId) return 'citizen';
  if (by?.role === 'deputy' && by.sub === s.deputyId) return 'deputy';
  return undefined;
}

export const letterGates = {
  reply: (s: LiaisonLetterState, by: GateActor | undefined) =>
    firstRefusal(
      () =>
        by?.role !== 'unit' || by.unit !== s.unit
          ? refusal.forbidden(`${s.letterId} was sent to ${s.unit}; only that department replies`)
          : undefined,
      () => (s.reply ? refusal.conflict(`${s.letterId} is already answered`) : undefined),
      () => (s.stage === 'closed' ? refusal.conflict(`${s.letterId} is closed`) : undefined),
    ),
  rate: (s: LiaisonLetterState, by: GateActor | undefined) => {
    const who = letterRaterOf(s, by);
    return firstRefusal(
      () => (!who ? refusal.forbidden(`only the citizen and the deputy of ${s.letterId} rate its reply`) : undefined),
      () =>
        s.stage !== 'awaitingRating'
          ? refusal.conflict(`${s.letterId} is ${s.stage}; a rating comes after the department's reply`)
          : undefined,
      () => (s.ratings[who!] ? refusal.alreadyRated(`the ${who} has already rated this reply`) : undefined),
    );
  },
};

export type LetterAction = keyof typeof letterGates;
export const openLetterActions = (s: LiaisonLetterState, by: GateActor): LetterAction[] =>
  (Object.keys(letterGates) as LetterAction[]).filter((a) => !letterGates[a](s, by));

/** A letter just sent: its reply deadline is computed when the workflow starts. */
export function initialLetterState(input: LiaisonLetterInput): LiaisonLetterState {
  return {
    letterId: input.letterId,
    opinionId: input.opinionId,
    jurisdiction: input.jurisdiction,
    citizenId: input.citizenId,
    deputyId: input.deputyId,
    unit: input.unit,
    stage: 'sent',
    sentAt: input.sentAt,
    replyDueAt: '',
    overdue: false,
    ratings: {},
    ladders: [],
    events: [],
  };
}
