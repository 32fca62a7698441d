// The escalation ladder (督办升级): a case that failed its loop climbs its policy's steps, e.g.
// public bulletin (通报) → special supervision (专项督办) → special inquiry (专题询问). Each step
// has a window on the legal calendar; staff resolve the ladder when the case is fixed, or it
// climbs to the next step when the window passes, until the top is reached.
// Deterministic: the clock is the workflow's, every side effect is an activity.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { EventBody, PublishInput } from '../activities';
import { caseActivities, scheduledActivities } from '../activity-proxies';
import { DueAt, Overdue, Unit, stageAttributes } from '../search-attributes';
import { describeCase, showDetails, stepLabel, timer, upsertSearchAttributes } from '../ui';
import { REJECTION, eventId as makeEventId, ladderEndedSignal, type Actor } from '../kernel';
import {
  escalateNowUpdate,
  ladderStateQuery,
  ladderStepReachedSignal,
  resolveLadderUpdate,
  type LadderInput,
  type LadderState,
  type LadderStepState,
  type ResolveInput,
} from './definitions';
import { ladderGate, ladderStepInProgress } from './gates';

const actorOf = (by: Actor) => `${by.role}:${by.sub}`;

/** The ladder's event steps: "<ladderId>/<step>". */
type LadderStep = 'started' | 'resolved' | 'exhausted' | `step/${number}/${'started' | 'timed-out'}`;

/** Ladders started from this version on publish their events from scheduled activities. */
export const LADDER_EVENTS_SCHEDULED_PATCH = 'ladder-events-scheduled';

export async function escalationLadderWorkflow(input: LadderInput): Promise<LadderState> {
  if (!Array.isArray(input?.steps) || input.steps.length === 0)
    throw ApplicationFailure.nonRetryable(
      `escalation ladder ${input?.ladderId ?? '(no id)'} has no steps: policy.escalation.steps must name at least one`,
      'InvalidLadderInput',
    );

  const { acts, local, inTurn } = caseActivities();
  // Ladders started from this version on publish from scheduled activities, in turn with the
  // local ones (see EVENTS_SCHEDULED_PATCH in suggestion/case.ts for why); older ladders as they did.
  const publishEvent =
    local && patched(LADDER_EVENTS_SCHEDULED_PATCH)
      ? (e: PublishInput) => inTurn(() => scheduledActivities.publishEvent(e))
      : acts.publishEvent;
  const { ladderId } = input;
  const state: LadderState = {
    ladderId,
    caseId: input.caseId,
    unit: input.unit,
    reason: input.reason,
    status: 'climbing',
    steps: [],
    events: [],
  };
  /** The step staff asked to leave now (escalateNow), and who asked. */
  let escalation: { stepNo: number; by: Actor } | undefined;

  const eventId = (suffix: LadderStep) => makeEventId(ladderId, suffix);
  describeCase(() => {
    const step = state.current ? state.steps[state.current - 1] : undefined;
    return {
      案件: `${input.caseId}（${input.caseKind}）`,
      督办阶梯: step
        ? `第 ${step.stepNo}/${input.steps.length} 步 ${stepLabel(step.step)}（${step.owner}）`
        : undefined,
      状态: { climbing: '升级中', resolved: '已解决', exhausted: '已到顶' }[state.status],
    };
  });

  async function publish(suffix: LadderStep, body: EventBody, actor = 'system'): Promise<void> {
    const id = eventId(suffix);
    await publishEvent({
      eventId: id,
      caseId: input.caseId,
      caseKind: input.caseKind,
      jurisdiction: input.jurisdiction,
      occurredAt: new Date().toISOString(),
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().runId,
      actor,
      body,
    });
    state.events.push(id);
  }

  const stepInProgress = () => ladderStepInProgress(state);

  function checkStaffWhileClimbing(by: Actor | undefined, what: 'resolve' | 'escalate'): void {
    const refused = ladderGate(state, by, what, !!escalation);
    if (refused) throw ApplicationFailure.create({ type: REJECTION[refused.type], message: refused.message });
  }

  setHandler(ladderStateQuery, () => state);

  setHandler(
    resolveLadderUpdate,
    async ({ by, note }: ResolveInput) => {
      const step = stepInProgress()!;
      state.resolution = { by, note: note.trim(), at: new Date().toISOString(), stepNo: step.stepNo };
      await condition(() => state.events.includes(eventId('resolved')));
      return state;
    },
    {
      validator: (arg: ResolveInput) => {
        checkStaffWhileClimbing(arg?.by, 'resolve');
        if (typeof arg.note !== 'string' || arg.note.trim() === '')
          throw ApplicationFailure.create({
            type: REJECTION.invalid,
            message: 'note must say how the case was fixed',
          });
      },
    },
  );

  setHandler(
    escalateNowUpdate,
    async ({ by }: ResolveInput) => {
      const step = stepInProgress()!;
      escalation = { stepNo: step.stepNo, by };
      const next = eventId(`step/${step.stepNo + 1}/started`);
      // Done when the next step has started, or the ladder ended (top reached or resolved).
      await condition(
        () =>
          state.events.includes(next) ||
          state.events.includes(eventId('exhausted')) ||
          state.events.includes(eventId('resolved')),
      );
      return state;
    },
    { validator: (arg: ResolveInput) => checkStaffWhileClimbing(arg?.by, 'escalate') },
  );

  upsertSearchAttributes([
    { key: Unit, value: input.unit },
    { key: Overdue, value: false },
  ]);
  await publish('started', {
    ladderStarted: { ladderId, unit: input.unit, reason: input.reason, steps: input.steps.map((s) => s.step) },
  });

  for (let i = 1; i <= input.steps.length && state.status === 'climbing'; i++) {
    const def = input.steps[i - 1];
    const startedAt = new Date().toISOString();
    const dueAt = await acts.computeDeadline({ from: startedAt, window: def.window });
    const step: LadderStepState = { stepNo: i, step: def.step, owner: def.owner, startedAt, dueAt };
    state.steps.push(step);
    state.current = i;
    upsertSearchAttributes([...stageAttributes(def.step), { key: DueAt, value: new Date(dueAt) }]);
    await publish(`step/${i}/started`, {
      ladderStepStarted: { ladderId, stepNo: i, step: def.step, owner: def.owner, dueAt },
    });
    if (input.notifySteps && input.notifyWorkflowId) {
      try {
        await getExternalWorkflowHandle(input.notifyWorkflowId).signal(ladderStepReachedSignal, {
          ladderId,
          stepNo: i,
          step: def.step,
          dueAt,
        });
      } catch (err) {
        // The case may have closed: the step's event is on the log either way.
        log.warn(`escalation ladder ${ladderId} could not tell ${input.notifyWorkflowId} of step ${i}`, {
          error: String(err),
        });
      }
    }

    const untilDue = Math.max(1, Date.parse(dueAt) - Date.now());
    await condition(
      () => state.resolution !== undefined || escalation?.stepNo === i,
      untilDue,
      timer(`督办第 ${i} 步 ${stepLabel(def.step)} 期限`, dueAt, def.window),
    );

    // A resolution accepted for this step wins, even if its timer fired in the same task.
    if (state.resolution) {
      step.outcome = 'resolved';
      state.status = 'resolved';
      showDetails();
      await publish(
        'resolved',
        { ladderResolved: { ladderId, stepNo: i, step: def.step, note: state.resolution.note } },
        actorOf(state.resolution.by),
      );
      break;
    }

    step.outcome = 'timedOut';
    const by = escalation?.stepNo === i ? escalation.by : undefined;
    escalation = undefined;
    await publish(
      `step/${i}/timed-out`,
      { ladderStepTimedOut: { ladderId, stepNo: i, step: def.step } },
      by ? actorOf(by) : 'system',
    );
  }

  if (state.status === 'climbing') {
    state.status = 'exhausted';
    upsertSearchAttributes([{ key: Overdue, value: true }]);
    await publish('exhausted', { ladderExhausted: { ladderId, lastStep: input.steps[input.steps.length - 1].step } });
  }

  if (input.notifyWorkflowId) {
    const outcome = state.status === 'resolved' ? 'resolved' : 'exhausted';
    try {
      await getExternalWorkflowHandle(input.notifyWorkflowId).signal(ladderEndedSignal, { ladderId, outcome });
    } catch (err) {
      // The case may have closed (or never existed): the ladder's outcome is in its events and
      // result either way, so its end is not held up by whom it could not tell.
      const notFound =
        err instanceof ApplicationFailure
          ? err.type === 'ExternalWorkflowExecutionNotFound'
          : /not found/i.test(String((err as Error)?.message));
      const message = `escalation ladder ${ladderId} could not signal ${input.notifyWorkflowId} that it ended (${outcome})`;
      if (notFound) log.warn(`${message}: the workflow no longer exists`, { error: String(err) });
      else log.error(message, { error: String(err) });
    }
  }

  await condition(allHandlersFinished);
  return state;
}
