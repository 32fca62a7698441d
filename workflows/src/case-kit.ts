// What the case workflows built on scheduled activities share: refusals typed for the HTTP
// layer, actor names, the workflow's clock, one ordered event chain per case with
// deterministic ids, and turn-taking for handlers that wait on activities. Workflow code only.
import { condition, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities, EventBody } from './activities';
import { ACTIVITY_OPTIONS, eventId as makeEventId, type Actor } from './kernel';
import { summarized } from './ui';

export { alreadyRated, alreadyVoted, conflict, enforce, forbidden, invalid } from './kernel';

/** Scheduled activities, each call with its summary for the Temporal UI. */
export const acts = summarized(proxyActivities<ReturnType<typeof createActivities>>(ACTIVITY_OPTIONS));

export const actorName = (by: Actor) => `${by.role}:${by.sub}${by.unit ? `/${by.unit}` : ''}`;
export const isStaff = (by: Actor | undefined) => !!by && (by.role === 'staff' || by.role === 'operator');
export const ms = (iso: string) => Date.parse(iso);
export const untilMs = (iso: string) => Math.max(1, ms(iso) - Date.now());
export const nowIso = () => new Date().toISOString();

/**
 * Publishes a case's events in order with deterministic ids "<prefix>/<step>" (the prefix is
 * the case id unless given); a retried activity republishes the same event.
 */
export function eventChain<Step extends string = string>(opts: {
  prefix?: string;
  caseId: string;
  caseKind: string;
  jurisdiction: string;
  /** Called with each event's id as it is published (the case keeps a list or a count). */
  record: (eventId: string) => void;
}) {
  const prefix = opts.prefix ?? opts.caseId;
  let chain: Promise<void> = Promise.resolve();
  function publish(step: Step, body: EventBody, actor = 'system'): Promise<void> {
    const eventId = makeEventId(prefix, step);
    opts.record(eventId);
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
  }
  /** Settles when every event published so far has gone out (or failed). */
  publish.settled = () => chain;
  return publish;
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

export type EventChain = ReturnType<typeof eventChain>;
