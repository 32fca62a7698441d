// What the oversight workflows share: the case kit (refusals, actor names, one ordered event
// chain per case, turn-taking) and their own input checks. Deterministic (workflow code).
import type { Actor } from '../kernel/contracts';
import { forbidden, isStaff } from '../case-kit';

export { requireNonEmpty } from '../kernel/text-guards';

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

export function requireStaff(by: Actor | undefined): void {
  if (!isStaff(by)) throw forbidden('only committee staff may do this');
}
