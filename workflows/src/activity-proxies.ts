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

export type CaseActivities = ReturnType<typeof createActivities>;

const options = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
} as const;

/** Scheduled through the server: what released cases used and keep using. */
export const scheduledActivities = proxyActivities<CaseActivities>(options);
/** Run by the worker running the workflow; retried with timers after a minute of failures. */
export const localActivities = proxyLocalActivities<CaseActivities>(options);

export const LOCAL_ACTIVITIES_PATCH = 'local-activities';

/**
 * Call once at the start of a workflow, before any activity: the patch decides for the whole
 * run. `local` tells the workflow it may also use what came with the patch (batched events).
 */
export function caseActivities(): { acts: CaseActivities; local: boolean } {
  const local = patched(LOCAL_ACTIVITIES_PATCH);
  return { acts: local ? oneAtATime(localActivities) : scheduledActivities, local };
}

/**
 * Runs the calls one after the other, in the order they were made. Two local activities in
 * flight at once (an update handler publishing while the main loop computes a deadline) may
 * be resolved in another order on replay than they were live, and the commands that follow
 * them then come out in another order: a nondeterminism error (seen in the replay test). One
 * at a time, each resolution has a single place in the history.
 */
function oneAtATime<T extends object>(activities: T): T {
  let tail: Promise<unknown> = Promise.resolve();
  return new Proxy(activities, {
    get(target, name) {
      const call = Reflect.get(target, name) as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => {
        const result = tail.then(() => call(...args));
        tail = result.catch(() => undefined);
        return result;
      };
    },
  });
}
