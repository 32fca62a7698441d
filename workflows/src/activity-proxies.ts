// How the case workflows call their activities.
//
// Released cases scheduled every activity through the server (`scheduled`): each call cost a
// round trip (schedule → poll → complete → new workflow task). The activities are short and
// idempotent — a deadline on the calendar, one event published with a deterministic id,
// starting a ladder whose id is fixed — so from the LOCAL_ACTIVITIES_PATCH on they run as local
// activities in the worker that runs the workflow, and their results are recorded as markers.
// Cases started before the patch keep scheduling them, so their histories still replay.
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from './activities';
import { ACTIVITY_OPTIONS as options } from './kernel/activity-options';
import { summarized } from './ui';

export type CaseActivities = ReturnType<typeof createActivities>;

// Each call carries a summary for the Temporal UI ("计算期限 3 个月（自 2026-12-02）"): metadata
// on the command, so the histories recorded before it replay unchanged.
/** Scheduled through the server: what released cases used and keep using. */
export const scheduledActivities = summarized(proxyActivities<CaseActivities>(options));
/** Run by the worker running the workflow; retried with timers after a minute of failures. */
export const localActivities = summarized(proxyLocalActivities<CaseActivities>(options));

export const LOCAL_ACTIVITIES_PATCH = 'local-activities';

/**
 * Call once at the start of a workflow, before any activity: the patch decides for the whole
 * run. `local` tells the workflow it may also use what came with the patch (batched events).
 * `known` is for a workflow version released after this patch: it runs local activities
 * without asking again.
 */
export function caseActivities(known?: { local: true }): {
  acts: CaseActivities;
  local: boolean;
  /**
   * Local activities only: runs fn in line with the activity calls, after every call made before
   * it. If calls were made after it by the time its turn comes, it lets them go first (once), so
   * what it reads when it runs (a batch of events still open) can take in what they lead to.
   */
  inLateTurn: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Local activities only: runs fn in line with the activity calls, after every call made before it. */
  inTurn: <T>(fn: () => Promise<T>) => Promise<T>;
} {
  // A workflow whose own, later patch implies local activities says so, and records no marker.
  const local = known?.local ?? patched(LOCAL_ACTIVITIES_PATCH);
  if (!local) return { acts: scheduledActivities, local, inLateTurn: (fn) => fn(), inTurn: (fn) => fn() };
  const turns = oneAtATime(localActivities);
  return { acts: turns.activities, local, inLateTurn: turns.inLateTurn, inTurn: turns.inTurn };
}

/**
 * Runs the calls one after the other, in the order they were made. Two local activities in
 * flight at once (an update handler publishing while the main loop computes a deadline) may
 * be resolved in another order on replay than they were live, and the commands that follow
 * them then come out in another order: a nondeterminism error (seen in the replay test). One
 * at a time, each resolution has a single place in the history.
 */
function oneAtATime<T extends object>(activities: T) {
  let tail: Promise<unknown> = Promise.resolve();
  let calls = 0;
  function inTurn<R>(fn: () => Promise<R>): Promise<R> {
    calls++;
    const result = tail.then(fn);
    tail = result.catch(() => undefined);
    return result;
  }
  function inLateTurn<R>(fn: () => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const mine = calls + 1;
      void inTurn(async () => {
        if (calls > mine) {
          // Calls were made after it: this turn ends at once, and fn takes the last place.
          void inTurn(fn).then(resolve, reject);
          return;
        }
        try {
          resolve(await fn());
        } catch (err) {
          reject(err);
        }
      });
    });
  }
  const proxy = new Proxy(activities, {
    get(target, name) {
      const call = Reflect.get(target, name) as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => inTurn(() => call(...args));
    },
  });
  return { activities: proxy, inTurn, inLateTurn };
}
