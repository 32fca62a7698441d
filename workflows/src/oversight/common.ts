// What the oversight workflows share: the case kit (refusals, actor names, one ordered event
// chain per case, turn-taking) and their own input checks. Deterministic (workflow code).
import type { Actor } from '../kernel/contracts';
import { forbidden, invalid, isStaff } from '../case-kit';

export {
  acts,
  actorName,
  alreadyRated,
  conflict,
  enforce,
  eventChain,
  forbidden,
  invalid,
  isStaff,
  ms,
  nowIso,
  turnTaking,
  untilMs,
} from '../case-kit';

export function requireText(text: string | undefined, field: string): void {
  if (typeof text !== 'string' || !text.trim()) throw invalid(`${field} must not be empty`);
}
export function requireStaff(by: Actor | undefined): void {
  if (!isStaff(by)) throw forbidden('only committee staff may do this');
}
