// The first released version of the suggestion workflow (submitted → assigned → replied, with
// the reply deadline and an overdue step). Cases started before the second version keep running
// on this code: suggestionWorkflow calls it when patched('suggestion-v2') is false, and the
// replay tests hold its recorded histories. Do not change its commands.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities, EventBody } from '../activities';
import { ACTIVITY_OPTIONS, eventId as makeEventId } from '../kernel';
import { DueAt, Overdue, Stage, Unit } from '../search-attributes';
import {
  GRADES,
  REJECTION,
  replyUpdate,
  stateQuery,
  type ReplyInput,
  type SuggestionInput,
  type SuggestionState,
} from './definitions';

const acts = proxyActivities<ReturnType<typeof createActivities>>(ACTIVITY_OPTIONS);

type Body = EventBody;

export async function suggestionV1(input: SuggestionInput): Promise<SuggestionState> {
  const state: SuggestionState = {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    deputyId: input.deputyId,
    title: input.title,
    category: input.category,
    stage: 'submitted',
    submittedAt: input.submittedAt,
    coHandlers: [],
    overdue: false,
    events: [],
    assignmentNo: 0,
    coHandlerOpinions: {},
    extensions: [],
    veryOverdue: false,
    replies: [],
    ratings: [],
    commitments: [],
    ladders: [],
  };

  async function publish(step: string, body: Body): Promise<void> {
    const eventId = makeEventId(input.caseId, step);
    await acts.publishEvent({
      eventId,
      caseId: input.caseId,
      caseKind: 'suggestion',
      jurisdiction: input.jurisdiction,
      occurredAt: new Date().toISOString(),
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().runId,
      body,
    });
    state.events.push(eventId);
  }

  setHandler(stateQuery, () => state);

  setHandler(
    replyUpdate,
    async (reply: ReplyInput) => {
      const now = new Date();
      const onTime = !!state.replyDueAt && now.getTime() <= Date.parse(state.replyDueAt);
      const unit = reply.unit ?? reply.by?.unit;
      state.reply = { unit, grade: reply.grade, summary: reply.summary, repliedAt: now.toISOString(), onTime };
      state.stage = 'replied';
      upsertSearchAttributes([
        { key: Stage, value: 'replied' },
        { key: Overdue, value: false },
      ]);
      await publish('replied', {
        suggestionReplied: { unit, grade: reply.grade, repliedAt: state.reply.repliedAt, onTime },
      });
      return state;
    },
    {
      validator: (reply: ReplyInput) => {
        if (state.stage === 'replied')
          throw ApplicationFailure.create({
            type: REJECTION.conflict,
            message: `${input.caseId} has already been replied to`,
          });
        if (state.stage !== 'assigned' && state.stage !== 'overdue')
          throw ApplicationFailure.create({ type: REJECTION.conflict, message: `${input.caseId} is not assigned yet` });
        if ((reply.unit ?? reply.by?.unit) !== state.leadUnit)
          throw ApplicationFailure.create({
            type: REJECTION.forbidden,
            message: `${input.caseId} is assigned to another unit; only its lead unit may reply`,
          });
        if (!(GRADES as readonly string[]).includes(reply.grade))
          throw ApplicationFailure.create({
            type: REJECTION.invalid,
            message: `grade must be one of ${GRADES.join(', ')}`,
          });
      },
    },
  );

  await publish('submitted', {
    suggestionSubmitted: {
      deputyId: input.deputyId,
      title: input.title,
      category: input.category,
      submittedAt: input.submittedAt,
    },
  });

  const plan = await acts.planAssignment({
    policy: input.policy.policy,
    category: input.category,
    assignedAt: new Date().toISOString(),
  });
  state.leadUnit = plan.leadUnit;
  state.coHandlers = plan.coHandlers;
  state.assignedAt = plan.assignedAt;
  state.replyDueAt = plan.replyDueAt;
  state.stage = 'assigned';
  upsertSearchAttributes([
    { key: Stage, value: 'assigned' },
    { key: Unit, value: plan.leadUnit },
    { key: DueAt, value: new Date(plan.replyDueAt) },
    { key: Overdue, value: false },
  ]);
  await publish('assigned/1', {
    suggestionAssigned: {
      leadUnit: plan.leadUnit,
      coHandlers: plan.coHandlers,
      assignedAt: plan.assignedAt,
      replyDueAt: plan.replyDueAt,
      windowUnit: plan.window.unit,
      windowAmount: plan.window.amount,
    },
  });

  const untilDue = Math.max(1, Date.parse(plan.replyDueAt) - Date.now());
  const repliedInTime = await condition(() => state.reply !== undefined, untilDue);
  if (!repliedInTime) {
    state.overdue = true;
    state.stage = 'overdue';
    upsertSearchAttributes([
      { key: Stage, value: 'overdue' },
      { key: Overdue, value: true },
    ]);
    await publish('overdue/1', { suggestionOverdue: { unit: plan.leadUnit, dueAt: plan.replyDueAt } });
    await condition(() => state.reply !== undefined);
  }
  await condition(() => state.events.includes(`${input.caseId}/replied`));
  await condition(allHandlersFinished);
  return state;
}
