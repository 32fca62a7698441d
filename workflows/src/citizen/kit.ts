// What the citizen and duty workflows share with the suggestion workflow's way of working:
// one event per transition in order with a deterministic id, refusals typed for the HTTP
// layer, and time read from the workflow's clock. Workflow code only (deterministic).
import { ApplicationFailure, condition, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { RATINGS, type Rating } from '@duban/domain/src/constants';
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
export const isStaff = (by: Actor) => by.role === 'staff' || by.role === 'operator';
export const ms = (iso: string) => Date.parse(iso);
export const untilMs = (iso: string) => Math.max(1, ms(iso) - Date.now());
export const nowIso = () => new Date().toISOString();

export function requireText(v: unknown, field: string, min = 2): void {
  if (typeof v !== 'string' || v.trim().length < min) throw invalid(`${field} must be at least ${min} characters`);
}
export function requireRating(r: unknown): asserts r is Rating {
  if (!(RATINGS as readonly unknown[]).includes(r)) throw invalid(`rating must be one of ${RATINGS.join(', ')}`);
}

/** Publishes one event per call, in call order, with id "<caseId>/<step>". */
export function eventPublisher(c: { caseId: string; caseKind: string; jurisdiction: string; events: string[] }) {
  let chain: Promise<void> = Promise.resolve();
  return function publish(step: string, body: EventBody, actor = 'system'): Promise<void> {
    const eventId = `${c.caseId}/${step}`;
    c.events.push(eventId);
    const occurredAt = nowIso();
    const p = chain.then(() =>
      acts.publishEvent({
        eventId,
        caseId: c.caseId,
        caseKind: c.caseKind,
        jurisdiction: c.jurisdiction,
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

/** Handlers that call activities take turns, so two concurrent actions never interleave. */
export function turnTaker() {
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
