// One suggestion case's running parts, shared by its handlers (handlers.ts) and its clock
// (clock.ts): the state, the counters beside it, publishing (in order, batched from local
// activities on), the search attributes (one upsert per step from v4 on) and the deadline's
// milestones. Workflow code: the order of its commands is what the recorded histories hold.
import { patched, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Window } from '@duban/domain';
import type { EventBody, PublishInput, ReplyMilestones } from '../activities';
import { caseActivities, localActivities, scheduledActivities, type CaseActivities } from '../activity-proxies';
import { ms, turnTaking } from '../case-kit';
import { eventId } from '../kernel';
import { DueAt, Overdue, stageAttributes } from '../search-attributes';
import { upsertSearchAttributes } from '../ui';
import type { SuggestionInput, SuggestionStage, SuggestionState } from './definitions';
import { initialSuggestionState, type SuggestionRun } from './state';

export interface SuggestionCase {
  input: SuggestionInput;
  state: SuggestionState;
  run: SuggestionRun & {
    /** Bumped whenever the reply deadline moves, so timers and reminders follow it. */
    dueVersion: number;
    /** The current assignment's reply deadline as planned: what a published calendar recounts. */
    planned?: { assignedAt: string; replyDueAt: string; window: Window };
    /** The deadline milestones already handled, by key. */
    sent: Set<string>;
  };
  acts: CaseActivities;
  /** From the local-activities patch on. */
  local: boolean;
  v4: boolean;
  publish(step: string, body: EventBody, actor?: string): Promise<void>;
  upsert(pairs: SearchAttributeUpdatePair[]): void;
  /** Runs a step's synchronous changes; their search attributes go out together (v4). */
  oneUpsert(step: () => void): void;
  setStage(stage: SuggestionStage): void;
  setDue(dueAt: string): void;
  /** Remembers the milestones an assignment plan came with. */
  milestonesOf: Map<string, ReplyMilestones>;
  milestonesFor(due: string): Promise<{ reminders: string[]; veryAt: string }>;
  /** Handlers that call activities take turns, so two concurrent actions never interleave. */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Cases started from this version on (v4 only) publish their events from activities the server
 * schedules; the deadline arithmetic stays local. A local activity that publishes while Kafka
 * is away keeps failing and is retried inside one long workflow task; when an Update's publish
 * did so while a timer fired, the history it left could not be replayed by the SDK (a
 * nondeterminism error on a fresh worker: the case could no longer be queried or moved on;
 * workflows/test/suggestion-kafka-away.workflow.test.ts). A scheduled activity's retries are
 * events of their own. Older cases keep their local publishing, so their histories replay.
 */
export const EVENTS_SCHEDULED_PATCH = 'suggestion-events-scheduled';

export function suggestionCase(input: SuggestionInput, v4: boolean): SuggestionCase {
  const { acts, local, inTurn, inLateTurn } = v4 ? caseActivities({ local: true }) : caseActivities();
  const publisher = v4 && patched(EVENTS_SCHEDULED_PATCH) ? scheduledActivities : localActivities;
  const sp = input.policy.policy.suggestion;
  const state = initialSuggestionState(input);
  const run: SuggestionCase['run'] = { round: 1, returns: 0, pauses: 0, dueVersion: 0, sent: new Set() };

  // ---- publishing: one event per transition, in order, with a deterministic id.
  let chain: Promise<void> = Promise.resolve();
  /** Local activities: events waiting for the one in flight go out together, still in order. */
  let batch: { events: PublishInput[]; sent: Promise<void> } | undefined;
  function publish(step: string, body: EventBody, actor = 'system'): Promise<void> {
    const id = eventId(input.caseId, step);
    state.events.push(id);
    const e: PublishInput = {
      eventId: id,
      caseId: input.caseId,
      caseKind: 'suggestion',
      jurisdiction: input.jurisdiction,
      occurredAt: new Date().toISOString(),
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().runId,
      actor,
      body,
    };
    if (local && batch) {
      batch.events.push(e);
      return batch.sent;
    }
    let p: Promise<void>;
    if (v4) {
      // The batch stays open until its activity's turn comes. "submitted" also lets calls made
      // after it go first: at intake, where the review arrives with the case's first task, it
      // waits behind the assignment plan and goes out with "assigned" in one activity (two local
      // activities, not three). Later events keep their place, so no action waits longer.
      const mine = { events: [e], sent: Promise.resolve() };
      batch = mine;
      const send = () => {
        if (batch === mine) batch = undefined;
        return publisher.publishEvents(mine.events);
      };
      p = mine.sent = step === 'submitted' ? inLateTurn(send) : inTurn(send);
    } else if (local) {
      const mine = { events: [e], sent: Promise.resolve() };
      batch = mine;
      p = mine.sent = chain.then(() => {
        if (batch === mine) batch = undefined;
        return acts.publishEvents(mine.events);
      });
    } else {
      p = chain.then(() => acts.publishEvent(e));
    }
    chain = p.catch(() => undefined);
    return p;
  }

  // ---- search attributes. From v4 on, the changes of one step go out in one upsert.
  let stepAttributes: SearchAttributeUpdatePair[] | undefined;
  function upsert(pairs: SearchAttributeUpdatePair[]): void {
    if (stepAttributes) stepAttributes.push(...pairs);
    else upsertSearchAttributes(pairs);
  }
  function oneUpsert(step: () => void): void {
    if (!v4) return step();
    stepAttributes = [];
    try {
      step();
    } finally {
      const pairs = new Map(stepAttributes.map((p) => [p.key.name, p]));
      stepAttributes = undefined;
      if (pairs.size) upsertSearchAttributes([...pairs.values()]);
    }
  }
  function setStage(stage: SuggestionStage): void {
    state.stage = stage;
    upsert([...stageAttributes(stage)]);
  }
  function setDue(dueAt: string): void {
    state.replyDueAt = dueAt;
    run.dueVersion++;
    state.overdue = ms(dueAt) < Date.now() ? state.overdue : false;
    upsert([
      { key: DueAt, value: new Date(dueAt) },
      { key: Overdue, value: state.overdue },
    ]);
  }

  /** A reply deadline's reminders and very-overdue instant, by deadline, once computed. */
  const milestonesOf = new Map<string, ReplyMilestones>();
  async function milestonesFor(due: string): Promise<{ reminders: string[]; veryAt: string }> {
    if (!local) {
      const reminders = run.round === 1 ? await acts.computeReminders({ dueAt: due, before: sp.reminderBefore }) : [];
      const veryAt = await acts.computeDeadline({ from: due, window: sp.veryOverdueAfter });
      return { reminders, veryAt };
    }
    let m = milestonesOf.get(due);
    if (!m) {
      m = await acts.replyMilestones({ dueAt: due, before: sp.reminderBefore, veryOverdueAfter: sp.veryOverdueAfter });
      milestonesOf.set(due, m);
    }
    return { reminders: run.round === 1 ? m.reminders : [], veryAt: m.veryOverdueAt };
  }

  return {
    input,
    state,
    run,
    acts,
    local,
    v4,
    publish,
    upsert,
    oneUpsert,
    setStage,
    setDue,
    milestonesOf,
    milestonesFor,
    exclusive: turnTaking(),
  };
}
