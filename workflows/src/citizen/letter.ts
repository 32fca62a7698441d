// One workflow per deputy's liaison letter (代表联系函): the department must reply within the
// policy's window (1 month by default), with reminders before it; an unanswered letter climbs
// the shared escalation ladder; the citizen and the deputy each rate the reply (反馈评价), a
// missing rating counting as the policy says; then the letter closes and tells its opinion.
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { AtRisk, DueAt, Overdue, Satisfaction, Unit, stageAttributes } from '../search-attributes';
import { dayOf, timer, upsertSearchAttributes } from '../ui';
import { ladderEndedSignal } from '../kernel/contracts';
import {
  letterEndedSignal,
  letterStateQuery,
  rateLetterUpdate,
  replyLetterUpdate,
  type LetterRating,
  type LiaisonLetterInput,
  type LiaisonLetterStage,
  type LiaisonLetterState,
} from './definitions';
import { initialLetterState, letterGates, letterRaterOf } from './gates';
import {
  acts,
  actorName,
  conflict,
  enforce,
  eventPublisher,
  forbidden,
  ms,
  nowIso,
  requireRating,
  requireAtLeast2Chars,
  turnTaker,
  untilMs,
} from './kit';

export async function liaisonLetterWorkflow(input: LiaisonLetterInput): Promise<LiaisonLetterState> {
  const cp = input.policy.policy.citizen;
  const state = initialLetterState(input);
  const publish = eventPublisher({
    caseId: input.letterId,
    caseKind: 'liaison_letter',
    ...input,
    record: (eventId) => state.events.push(eventId),
  });
  const exclusive = turnTaker();

  function setStage(stage: LiaisonLetterStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  /** Which rater the actor is: the letter's citizen or its deputy; anyone else is refused. */
  function raterOf(by: { role: string; sub: string }): 'citizen' | 'deputy' {
    const who = letterRaterOf(state, by);
    if (!who) throw forbidden(`only the citizen and the deputy of ${input.letterId} rate its reply`);
    return who;
  }

  // Actions wait until the case's first event is on its way, so that no event precedes it and
  // the deadlines they compare with are known; a handler re-checks what its validator checked,
  // for actions that arrived together before that.
  let ready = false;
  const gate = () => condition(() => ready);

  setHandler(letterStateQuery, () => state);

  setHandler(
    replyLetterUpdate,
    async (r) => {
      await gate();
      if (state.reply) throw conflict(`${input.letterId} is already answered`);
      const at = nowIso();
      state.reply = { by: actorName(r.by), text: r.text, at, onTime: ms(at) <= ms(state.replyDueAt) };
      setStage('awaitingRating');
      return exclusive(async () => {
        state.ratingDueAt = await acts.computeDeadline({ from: at, window: cp.ratingWindow });
        upsertSearchAttributes([
          { key: DueAt, value: new Date(state.ratingDueAt) },
          { key: Overdue, value: false },
        ]);
        await publish(
          'replied',
          { liaisonLetterReplied: { unit: input.unit, onTime: state.reply!.onTime, ratingDueAt: state.ratingDueAt } },
          actorName(r.by),
        );
        return state;
      });
    },
    {
      validator: (r) => {
        enforce(letterGates.reply(state, r?.by));
        requireAtLeast2Chars(r.text, 'text');
      },
    },
  );

  setHandler(
    rateLetterUpdate,
    async (r) => {
      const who = raterOf(r.by);
      state.ratings[who] = { rating: r.rating, assumed: false, at: nowIso() };
      await exclusive(() => publishRating(who, r.by.sub));
      return state;
    },
    {
      validator: (r) => {
        enforce(letterGates.rate(state, r?.by));
        requireRating(r.rating);
      },
    },
  );

  setHandler(ladderEndedSignal, ({ ladderId, outcome }) => {
    const ladder = state.ladders.find((l) => l.ladderId === ladderId);
    if (ladder && !ladder.outcome) ladder.outcome = outcome;
  });

  function publishRating(who: 'citizen' | 'deputy', raterId: string): Promise<void> {
    const r = state.ratings[who]!;
    if (who === 'citizen') upsertSearchAttributes([{ key: Satisfaction, value: r.rating }]);
    return publish(
      `rated/${who}`,
      { liaisonLetterRated: { raterRole: who, raterId, rating: r.rating, assumed: r.assumed } },
      r.assumed ? 'system' : `${who}:${raterId}`,
    );
  }

  // ---- the loop
  state.replyDueAt = await acts.computeDeadline({ from: input.sentAt, window: cp.letterReplyWindow });
  upsertSearchAttributes([
    { key: Unit, value: input.unit },
    { key: DueAt, value: new Date(state.replyDueAt) },
    { key: Overdue, value: false },
  ]);
  const sent = publish(
    'sent',
    {
      liaisonLetterSent: {
        opinionId: input.opinionId,
        deputyId: input.deputyId,
        unit: input.unit,
        replyDueAt: state.replyDueAt,
      },
    },
    `deputy:${input.deputyId}`,
  );
  ready = true;
  await sent;

  const replied = () => !!state.reply;
  const reminders = await acts.computeReminders({ dueAt: state.replyDueAt, before: cp.letterReminderBefore });
  for (const [i, at] of reminders.entries()) {
    if (ms(at) <= Date.now()) continue;
    if (await condition(replied, untilMs(at), timer(`催办提醒 ${i + 1}`, at, `答复期限 ${dayOf(state.replyDueAt)}`)))
      break;
    await exclusive(() =>
      publish(`reminder/${i + 1}`, {
        liaisonLetterReminder: { unit: input.unit, replyDueAt: state.replyDueAt, reminderNo: i + 1 },
      }),
    );
  }

  if (
    !(await condition(
      replied,
      untilMs(state.replyDueAt),
      timer('联系函答复期限', state.replyDueAt, cp.letterReplyWindow),
    ))
  ) {
    // Unanswered: the letter climbs the shared ladder, and still takes a late reply.
    const ladderId = `${input.letterId}-ladder-1`;
    state.overdue = true;
    state.ladders.push({ ladderId });
    setStage('escalated');
    upsertSearchAttributes([
      { key: Overdue, value: true },
      { key: AtRisk, value: true },
    ]);
    // The overdue event first, so that it precedes the ladder's own events in the letter's order.
    await exclusive(async () => {
      await publish('overdue', {
        liaisonLetterOverdue: { unit: input.unit, replyDueAt: state.replyDueAt, ladderId },
      });
      await acts.startLadder({
        ladderId,
        caseId: input.letterId,
        caseKind: 'liaison_letter',
        jurisdiction: input.jurisdiction,
        unit: input.unit,
        reason: 'letterUnanswered',
        steps: input.policy.policy.escalation.steps,
        notifyWorkflowId: workflowInfo().workflowId,
      });
    });
    await condition(() => replied() || !!state.ladders[0].outcome);
  }

  if (replied()) {
    await condition(() => !!state.ratingDueAt);
    const bothRated = () => !!state.ratings.citizen && !!state.ratings.deputy;
    await condition(bothRated, untilMs(state.ratingDueAt!), timer('反馈评价期限', state.ratingDueAt));
    await exclusive(async () => {
      for (const [who, id] of [
        ['citizen', input.citizenId],
        ['deputy', input.deputyId],
      ] as const) {
        if (state.ratings[who]) continue;
        state.ratings[who] = { rating: cp.noRatingCountsAs, assumed: true, at: nowIso() } satisfies LetterRating;
        await publishRating(who, id);
      }
    });
    state.closedOutcome = 'rated';
  } else {
    state.closedOutcome = 'unansweredAfterLadder';
  }

  await exclusive(async () => {
    setStage('closed');
    await publish('closed', {
      liaisonLetterClosed: {
        unit: input.unit,
        citizenRating: state.ratings.citizen?.rating ?? '',
        deputyRating: state.ratings.deputy?.rating ?? '',
        onTime: state.reply?.onTime ?? false,
        escalated: state.ladders.length > 0,
      },
    });
  });
  if (input.notifyWorkflowId) {
    try {
      await getExternalWorkflowHandle(input.notifyWorkflowId).signal(letterEndedSignal, {
        letterId: input.letterId,
        outcome: state.closedOutcome,
      });
    } catch (err) {
      log.warn(`liaison letter ${input.letterId} could not tell ${input.notifyWorkflowId} it closed`, {
        error: String(err),
      });
    }
  }
  await condition(allHandlersFinished);
  return state;
}
