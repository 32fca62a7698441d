// What the citizen and duty workflows share with the other case workflows: the case kit
// (refusals typed for the HTTP layer, one event per transition in order with a deterministic
// id, time from the workflow's clock, turn-taking) and their own input checks. Workflow code
// only (deterministic).
import { RATINGS, type Rating } from '@duban/domain/pure';
import { eventChain, invalid, turnTaking } from '../case-kit';
export { requireAtLeast2Chars } from '../kernel/text-guards';

export {
  acts,
  actorName,
  alreadyRated,
  alreadyVoted,
  conflict,
  enforce,
  forbidden,
  invalid,
  isStaff,
  ms,
  nowIso,
  untilMs,
} from '../case-kit';

export function requireRating(r: unknown): asserts r is Rating {
  if (!(RATINGS as readonly unknown[]).includes(r)) throw invalid(`rating must be one of ${RATINGS.join(', ')}`);
}

/** Publishes one event per call, in call order, with id "<caseId>/<step>". */
export const eventPublisher = eventChain;

/** Handlers that call activities take turns, so two concurrent actions never interleave. */
export const turnTaker = turnTaking;
