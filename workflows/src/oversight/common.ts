// What the oversight workflows share: refusals, actor names, one ordered event chain per case,
// and a turn-taking lock for handlers that wait on activities. Deterministic (workflow code).
import { ApplicationFailure, condition, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities, EventBody } from '../activities';
import { REJECTION, type Actor } from '../suggestion/definitions';

export const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const reject = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
export const conflict = (message: string) => reject(REJECTION.conflict, message);
export const forbidden = (message: string) => reject(REJECTION.forbidden, message);
export const invalid = (message: string) => reject(REJECTION.invalid, message);

export const actorName = (by: Actor) => `${by.role}:${by.sub}${by.unit ? `/${by.unit}` : ''}`;
export const isStaff = (by: Actor | undefined) => !!by && (by.role === 'staff' || by.role === 'operator');
export const ms = (iso: string) => Date.parse(iso);
export const untilMs = (iso: string) => Math.max(1, ms(iso) - Date.now());
export const nowIso = () => new Date().toISOString();

export function requireText(text: string | undefined, field: string): void {
  if (typeof text !== 'string' || !text.trim()) throw invalid(`${field} must not be empty`);
}
export function requireStaff(by: Actor | undefined): void {
  if (!isStaff(by)) throw forbidden('only committee staff may do this');
}

/**
 * Publishes a case's events in order with deterministic ids "<prefix>/<step>"; a retried
 * activity republishes the same event.
 */
export function eventChain(opts: {
  prefix: string;
  caseId: string;
  caseKind: string;
  jurisdiction: string;
  events: string[];
}) {
  let chain: Promise<void> = Promise.resolve();
  return function publish(step: string, body: EventBody, actor = 'system'): Promise<void> {
    const eventId = `${opts.prefix}/${step}`;
    opts.events.push(eventId);
    const occurredAt = nowIso();
    const p = chain.then(() =>
      acts.publishEvent({
        eventId,
        caseId: opts.caseId,
        caseKind: opts.caseKind,
        jurisdiction: opts.jurisdiction,
        occurredAt,
        workflowId: workflowInfo().workflowId,
        runId: workflowInfo().runId,
        actor,
        body,
      }),
    );
    chain = p.catch(() => undefined);
    return p;
  };
}

/** Handlers that wait on activities take turns, so two concurrent actions never interleave. */
export function turnTaking() {
  let busy = false;
  return async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };
}
