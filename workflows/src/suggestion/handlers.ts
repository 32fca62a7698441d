// The suggestion case's handlers: each Update's validator throws what the pure check refuses
// (state.ts `validate`), and its handler applies the change (state.ts `apply`), sets the stage's
// search attributes and publishes the event, in that order, as the released workflow did.
import { patched, setHandler } from '@temporalio/workflow';
import { actorName } from '../case-kit';
import { enforce } from '../kernel';
import { calendarPublishedSignal, ladderEndedSignal } from '../kernel/contracts';
import { showDetails } from '../ui';
import { assign, recountReplyDue } from './assignment';
import type { SuggestionCase } from './case';
import { recordRating } from './clock';
import {
  coHandlerOpinionUpdate,
  decideExtensionUpdate,
  objectUpdate,
  pauseClockUpdate,
  rateUpdate,
  reassignUpdate,
  replyUpdate,
  reportCommitmentUpdate,
  requestExtensionUpdate,
  resumeClockUpdate,
  reviewUpdate,
  reviseUpdate,
  stateQuery,
} from './definitions';
import { SUGGESTION_ACTION_STAGES as STAGES } from './rules';
import { apply, type Transition } from './state';
import { inStage, validate } from './validate';

/**
 * From this patch on, a case told that a year's calendar was published (calendarPublishedSignal)
 * counts a provisional reply deadline again and moves its timers. The marker is recorded when the
 * signal is handled, so cases that never get the signal replay exactly as before.
 */
export const CALENDAR_RECOMPUTE_PATCH = 'calendar-recompute';

export function registerSuggestionHandlers(c: SuggestionCase): void {
  const { state, run } = c;
  const now = () => ({ now: Date.now() });
  /** Sets the transition's deadline and stage, then publishes its event. */
  const take = async (t: Transition, by: Parameters<typeof actorName>[0]) => {
    if (t.due) c.setDue(t.due);
    if (t.stage) c.setStage(t.stage);
    await c.publish(t.step, t.body, actorName(by));
    return state;
  };

  setHandler(stateQuery, () => state);

  setHandler(
    reviewUpdate,
    (r) =>
      c.exclusive(async () => {
        // A concurrent review may have been accepted while this one waited its turn.
        enforce(inStage(state, STAGES.review, 'review'));
        if (r.decision === 'accept') {
          if (r.key) state.key = r.key;
          await assign(c, r.by, r.leadUnit, r.coHandlers);
          return state;
        }
        return take(r.decision === 'return' ? apply.returnForRevision(state, run, r) : apply.merge(state, r), r.by);
      }),
    { validator: (r) => enforce(validate.review(state, r)) },
  );

  setHandler(reviseUpdate, (r) => take(apply.revise(state, run, r), r.by), {
    validator: (r) => enforce(validate.revise(state, r)),
  });

  setHandler(objectUpdate, (o) => take(apply.object(state, o, Date.now()), o.by), {
    validator: (o) => enforce(validate.object(state, o, now())),
  });

  setHandler(
    reassignUpdate,
    (r) =>
      c.exclusive(async () => {
        enforce(inStage(state, STAGES.reassign, 'reassignment'));
        await assign(c, r.by, r.leadUnit, r.coHandlers);
        return state;
      }),
    { validator: (r) => enforce(validate.reassign(state, r)) },
  );

  setHandler(coHandlerOpinionUpdate, (o) => take(apply.coHandlerOpinion(state, o, Date.now()), o.by), {
    validator: (o) => enforce(validate.coHandlerOpinion(state, o)),
  });

  setHandler(requestExtensionUpdate, (e) => take(apply.requestExtension(state, e, Date.now()), e.by), {
    validator: (e) => enforce(validate.requestExtension(state, e)),
  });

  setHandler(decideExtensionUpdate, (d) => take(apply.decideExtension(state, d, Date.now()), d.by), {
    validator: (d) => enforce(validate.decideExtension(state, d)),
  });

  setHandler(
    pauseClockUpdate,
    (p) => {
      const t = apply.pauseClock(state, run, p, Date.now());
      showDetails();
      return take(t, p.by);
    },
    { validator: (p) => enforce(validate.pauseClock(state, p)) },
  );

  setHandler(resumeClockUpdate, (r) => take(apply.resumeClock(state, run, r, Date.now()), r.by), {
    validator: (r) => enforce(validate.resumeClock(state, r)),
  });

  setHandler(replyUpdate, (r) => take(apply.reply(state, run, r, Date.now()), r.by!), {
    validator: (r) => enforce(validate.reply(state, r, now())),
  });

  setHandler(
    rateUpdate,
    async (r) => {
      await recordRating(c, r.rating, false, actorName(r.by), r.comment);
      return state;
    },
    { validator: (r) => enforce(validate.rate(state, r)) },
  );

  setHandler(reportCommitmentUpdate, (k) => take(apply.reportCommitment(state, k), k.by), {
    validator: (k) => enforce(validate.reportCommitment(state, k)),
  });

  setHandler(calendarPublishedSignal, ({ year }) => {
    if (!patched(CALENDAR_RECOMPUTE_PATCH)) return;
    void c.exclusive(() => recountReplyDue(c, year));
  });

  setHandler(ladderEndedSignal, ({ ladderId, outcome }) => {
    apply.ladderEnded(state, ladderId, outcome);
    showDetails();
  });
}
