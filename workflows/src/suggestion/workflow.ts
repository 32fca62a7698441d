// One workflow per deputy's suggestion (代表建议), the whole closed loop: quality review (审核),
// assignment (交办) with objection and reassignment, co-handlers' opinions (协办), the reply
// deadline with reminders, overdue and very-overdue steps, extension (延期) and a paused clock,
// the reply (答复) with its grade and commitments, the deputy's rating (满意度), a second reply
// under special supervision (二次答复, 不满意专项督办), the escalation ladder, the look-back on
// commitments (回头看), and the 100-point segmented score. Every transition is one event.
// Deterministic: the clock is the workflow's, every side effect is an activity.
// The parts: state.ts (pure checks and changes), case.ts (publishing, search attributes),
// handlers.ts (the Updates), assignment.ts and clock.ts (what the deadlines drive).
import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import { dayOf, describeCase } from '../ui';
import { suggestionCase } from './case';
import { awaitRating, awaitReply, close, escalate, lookBack } from './clock';
import type { SuggestionInput, SuggestionState } from './definitions';
import { registerSuggestionHandlers } from './handlers';
import { suggestionV1 } from './legacy-v1';

export { CALENDAR_RECOMPUTE_PATCH } from './handlers';
export { EVENTS_SCHEDULED_PATCH } from './case';

/** Cases started from this version on run the full loop; older ones keep suggestionV1. */
export const SUGGESTION_V2_PATCH = 'suggestion-v2';
/**
 * Cases started from this version on record one patch marker where they recorded two (this
 * one implies suggestion-v2 and local activities), and send each step's search attributes in
 * one upsert where assignment sent three. Each marker and each upsert is a search-attribute
 * write on the server; at intake they were 5 per case, now 2. Older cases run as they did.
 */
export const SUGGESTION_V4_PATCH = 'suggestion-v4-one-upsert';

export async function suggestionWorkflow(input: SuggestionInput): Promise<SuggestionState> {
  if (patched(SUGGESTION_V4_PATCH)) return suggestionV2(input, true);
  if (!patched(SUGGESTION_V2_PATCH)) return suggestionV1(input);
  return suggestionV2(input, false);
}

async function suggestionV2(input: SuggestionInput, v4: boolean): Promise<SuggestionState> {
  const c = suggestionCase(input, v4);
  const { state, run } = c;
  const sp = input.policy.policy.suggestion;
  describeCase(() => {
    const ladder = state.ladders[state.ladders.length - 1];
    return {
      轮次: run.round > 1 ? '二次办理（专项督办）' : undefined,
      督办升级: ladder ? `${ladder.ladderId}（${ladder.outcome ?? '进行中'}）` : undefined,
      暂停计时: state.clockPausedSince ? `自 ${dayOf(state.clockPausedSince)}` : undefined,
    };
  });
  registerSuggestionHandlers(c);

  // 1. Submission and quality review.
  await c.publish(
    'submitted',
    {
      suggestionSubmitted: {
        deputyId: input.deputyId,
        title: input.title,
        category: input.category,
        submittedAt: input.submittedAt,
      },
    },
    `deputy:${input.deputyId}`,
  );
  await condition(() => state.stage === 'assigned' || state.stage === 'merged');
  if (state.stage === 'merged') {
    await close(c, 'merged');
    await condition(allHandlersFinished);
    return state;
  }

  // 2. Handling, reply, rating; an unsatisfied rating gets one second reply, then the ladder.
  let outcome: NonNullable<SuggestionState['closedOutcome']> = 'completed';
  for (;;) {
    await awaitReply(c);
    const rating = await awaitRating(c);
    if (rating !== 'unsatisfied') break;
    if (run.round === 1) {
      run.round = 2;
      c.setStage('secondReply');
      state.overdue = false;
      const due = await c.acts.computeDeadline({ from: new Date().toISOString(), window: sp.secondReplyWindow });
      c.setDue(due);
      await c.publish('special-supervision', {
        specialSupervisionStarted: { unit: state.leadUnit!, secondReplyDueAt: due },
      });
      continue;
    }
    await escalate(c, 'unsatisfiedAfterSecondReply');
    if (state.ladders[state.ladders.length - 1].outcome === 'exhausted') outcome = 'escalationExhausted';
    break;
  }

  // 3. Look-back on commitments, then the score and closure.
  await lookBack(c);
  if (state.ladders.some((l) => l.outcome === 'exhausted')) outcome = 'escalationExhausted';
  await close(c, outcome);
  await condition(allHandlersFinished);
  return state;
}
