// Citizens' opinions (民情快递) and liaison letters (代表联系函), docs/domain.md §4 and §7.
//
// An opinion counts for its station, all in the period the opinion was RECEIVED, so that a
// period's shares are shares of the same opinions: opinionsReceived; answered and
// answeredInWindow (the first act of a deputy on duty: a direct answer, taking it up as a
// suggestion, or a liaison letter, with its on-time flag); overdue (no act within the window);
// ratings and satisfiedRatings (the citizen's rating of a direct answer, satisfied or basically
// satisfied; an assumed rating counts as the rating it was taken as).
// The deputy who acted earns opinionsHandled (with the act in their record) and, when on time,
// opinionsOnTime, in the period of the act; opinionsSatisfied for a satisfied rating of their
// answer, in the period of the rating.
//
// A letter counts for its department (the unit it was sent to), in the period of each event:
// letterReplies and letterRepliesOnTime, letterOverdue (no reply by the deadline), one rating
// counter per rating of the reply (the citizen's and the deputy's, assumed ones as taken:
// letterSatisfied, letterBasicallySatisfied, letterUnsatisfied), and its ladder's steps. A
// deputy's own rating of the reply is a ratingsGiven in their record. The letter's writing is
// the deputy's act on the opinion, counted there only.
import { SATISFIED, actOf, fieldsOf, foldLadder, str, yes, type KindFold } from './sink';

const HANDLED = new Set(['CitizenOpinionAnswered', 'CitizenOpinionForwarded', 'CitizenOpinionLetterSent']);

export const foldCitizenOpinion: KindFold = (sorted, sink) => {
  let stationId: string | undefined;
  let receivedAt: Date | undefined;
  let handled: { deputyId?: string; onTime: boolean } | undefined;
  let overdue = false;
  let rating: { rating: string; at: Date } | undefined;

  for (const e of sorted) {
    const b = fieldsOf(e);
    if (e.type === 'CitizenOpinionSubmitted') {
      stationId = str(b.stationId) ?? stationId;
      receivedAt ??= e.occurredAt;
    } else if (e.type === 'CitizenOpinionOverdue') {
      stationId ??= str(b.stationId);
      overdue = true;
    } else if (HANDLED.has(e.type) && !handled) {
      // An opinion is taken up once; a second act (a replayed, older version) changes nothing.
      handled = { deputyId: str(b.deputyId), onTime: yes(b.onTime) };
      sink.add('deputy', handled.deputyId, e.occurredAt, 'opinionsHandled', 1, { record: actOf(e) });
      if (handled.onTime) sink.add('deputy', handled.deputyId, e.occurredAt, 'opinionsOnTime');
    } else if (e.type === 'CitizenOpinionRated' && str(b.rating)) {
      rating = { rating: str(b.rating)!, at: e.occurredAt };
    }
  }

  const at = receivedAt ?? sorted[0].occurredAt;
  sink.add('station', stationId, at, 'opinionsReceived');
  if (overdue) sink.add('station', stationId, at, 'overdue');
  if (handled) {
    sink.add('station', stationId, at, 'answered');
    if (handled.onTime) sink.add('station', stationId, at, 'answeredInWindow');
  }
  if (rating) {
    // The final rating only (a workflow rates once; a duplicate event is stored once).
    const satisfied = SATISFIED.has(rating.rating);
    sink.add('station', stationId, at, 'ratings');
    if (satisfied) {
      sink.add('station', stationId, at, 'satisfiedRatings');
      sink.add('deputy', handled?.deputyId, rating.at, 'opinionsSatisfied');
    }
  }
  return { stationId, deputyId: handled?.deputyId };
};

const LETTER_RATING: Record<string, string> = {
  satisfied: 'letterSatisfied',
  basicallySatisfied: 'letterBasicallySatisfied',
  unsatisfied: 'letterUnsatisfied',
};

export const foldLiaisonLetter: KindFold = (sorted, sink) => {
  let unit: string | undefined;
  let deputyId: string | undefined;
  const ladders = new Map<string, string>();
  /** One rating per rater role: the last one stands. */
  const ratings = new Map<string, { rating: string; at: Date }>();

  for (const e of sorted) {
    const b = fieldsOf(e);
    switch (e.type) {
      case 'LiaisonLetterSent':
        unit = str(b.unit) ?? unit;
        deputyId = str(b.deputyId) ?? deputyId;
        break;
      case 'LiaisonLetterReplied': {
        const u = str(b.unit) ?? unit;
        sink.add('unit', u, e.occurredAt, 'letterReplies');
        if (yes(b.onTime)) sink.add('unit', u, e.occurredAt, 'letterRepliesOnTime');
        break;
      }
      case 'LiaisonLetterOverdue':
        sink.add('unit', str(b.unit) ?? unit, e.occurredAt, 'letterOverdue');
        break;
      case 'LiaisonLetterRated': {
        const role = str(b.raterRole) ?? 'citizen';
        const r = str(b.rating);
        if (r && LETTER_RATING[r]) ratings.set(role, { rating: r, at: e.occurredAt });
        if (role === 'deputy' && !yes(b.assumed))
          sink.add('deputy', str(b.raterId), e.occurredAt, 'ratingsGiven', 1, { record: actOf(e) });
        break;
      }
      default:
        foldLadder(e, sink, ladders, unit);
        break;
    }
  }
  for (const { rating, at } of ratings.values()) sink.add('unit', unit, at, LETTER_RATING[rating]);
  return { unit, deputyId };
};
