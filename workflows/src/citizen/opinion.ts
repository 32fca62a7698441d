// One workflow per citizen opinion (民情快递): it reaches the deputies on duty at its station,
// who answer it, take it up as a suggestion (the two cases linked both ways) or send a liaison
// letter to a department (a liaison_letter case of its own). No deputy acting within the
// policy's answer window marks it overdue. Ids only: no contact details in input, state,
// events or search attributes.
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { DueAt, Overdue, Satisfaction, stageAttributes } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import type { Actor } from '../kernel/contracts';
import {
  answerOpinionUpdate,
  beginForwardUpdate,
  letterEndedSignal,
  linkSuggestionUpdate,
  opinionStateQuery,
  rateOpinionUpdate,
  sendLetterUpdate,
  type CitizenOpinionInput,
  type CitizenOpinionStage,
  type CitizenOpinionState,
} from './definitions';
import { acts, actorName, enforce, eventPublisher, ms, nowIso, turnTaker, untilMs } from './kit';
import { initialOpinionState, stillOpen, validateOpinion as validate } from './opinion-validate';

export async function citizenOpinionWorkflow(input: CitizenOpinionInput): Promise<CitizenOpinionState> {
  const cp = input.policy.policy.citizen;
  const state = initialOpinionState(input, new Date());
  const publish = eventPublisher({
    ...input,
    caseKind: 'citizen_opinion',
    record: (eventId) => state.events.push(eventId),
  });
  const exclusive = turnTaker();

  function setStage(stage: CitizenOpinionStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  const open = () => state.stage === 'submitted' || state.stage === 'overdue';

  const requireOpen = (what: string) => enforce(stillOpen(state, what));
  function takeUp(by: Actor): void {
    state.handledBy = by.sub;
    state.handledAt = nowIso();
    state.onTime = ms(state.handledAt) <= ms(state.answerDueAt);
    upsertSearchAttributes([{ key: Overdue, value: false }]);
  }

  // Actions wait until the case's first event is on its way, so that no event precedes it and
  // the deadlines they compare with are known; a handler re-checks what its validator checked,
  // for actions that arrived together before that.
  let ready = false;
  const gate = () => condition(() => ready);

  setHandler(opinionStateQuery, () => state);

  setHandler(
    answerOpinionUpdate,
    async (a) => {
      await gate();
      requireOpen('an answer');
      takeUp(a.by);
      state.answer = { text: a.text, at: state.handledAt! };
      setStage('awaitingRating');
      return exclusive(async () => {
        state.ratingDueAt = await acts.computeDeadline({ from: state.handledAt!, window: cp.ratingWindow });
        upsertSearchAttributes([{ key: DueAt, value: new Date(state.ratingDueAt) }]);
        await publish(
          'answered',
          { citizenOpinionAnswered: { deputyId: a.by.sub, onTime: state.onTime!, ratingDueAt: state.ratingDueAt } },
          actorName(a.by),
        );
        return state;
      });
    },
    {
      validator: (a) => enforce(validate.answer(input, state, a, new Date())),
    },
  );

  setHandler(
    beginForwardUpdate,
    async (f) => {
      await gate();
      if (state.stage === 'forwarding' && state.handledBy === f.by.sub) return state; // the same deputy retrying
      requireOpen('taking it up as a suggestion');
      takeUp(f.by);
      setStage('forwarding');
      return state;
    },
    {
      validator: (f) => enforce(validate.beginForward(input, state, f, new Date())),
    },
  );

  setHandler(
    linkSuggestionUpdate,
    async (l) => {
      if (state.suggestionId) return state; // a retry of the same link
      state.suggestionId = l.suggestionId;
      return exclusive(async () => {
        await publish(
          'forwarded',
          {
            citizenOpinionForwarded: { deputyId: l.by.sub, suggestionId: l.suggestionId, onTime: state.onTime! },
          },
          actorName(l.by),
        );
        return state;
      });
    },
    {
      validator: (l) => enforce(validate.link(state, l)),
    },
  );

  setHandler(
    sendLetterUpdate,
    async (s) => {
      await gate();
      requireOpen('a liaison letter');
      takeUp(s.by);
      const letterId = `${input.caseId}-letter-1`;
      state.letter = { letterId, unit: s.unit };
      setStage('letterSent');
      return exclusive(async () => {
        await acts.startLiaisonLetter({
          letterId,
          opinionId: input.caseId,
          jurisdiction: input.jurisdiction,
          citizenId: input.citizenId,
          deputyId: s.by.sub,
          unit: s.unit,
          sentAt: state.handledAt!,
          policy: input.policy,
          notifyWorkflowId: workflowInfo().workflowId,
        });
        await publish(
          'letter-sent',
          { citizenOpinionLetterSent: { deputyId: s.by.sub, letterId, unit: s.unit, onTime: state.onTime! } },
          actorName(s.by),
        );
        return state;
      });
    },
    {
      validator: (s) => enforce(validate.sendLetter(input, state, s, new Date())),
    },
  );

  setHandler(
    rateOpinionUpdate,
    async (r) => {
      state.rating = { rating: r.rating, assumed: false, at: nowIso() };
      return state;
    },
    {
      validator: (r) => enforce(validate.rate(input, state, r)),
    },
  );

  setHandler(letterEndedSignal, ({ letterId, outcome }) => {
    if (state.letter?.letterId === letterId && !state.letter.outcome) state.letter.outcome = outcome;
  });

  // ---- the loop
  state.answerDueAt = await acts.computeDeadline({ from: input.submittedAt, window: cp.answerWindow });
  upsertSearchAttributes([
    { key: DueAt, value: new Date(state.answerDueAt) },
    { key: Overdue, value: false },
  ]);
  const submitted = publish(
    'submitted',
    {
      citizenOpinionSubmitted: {
        stationId: input.stationId,
        citizenId: input.citizenId,
        channel: input.channel,
        category: input.category,
        dutyDeputyIds: state.dutyDeputyIds,
        answerDueAt: state.answerDueAt,
      },
    },
    `citizen:${input.citizenId}`,
  );
  ready = true;
  await submitted;

  if (
    !(await condition(
      () => !open(),
      untilMs(state.answerDueAt),
      timer('答复群众期限', state.answerDueAt, cp.answerWindow),
    ))
  ) {
    state.overdue = true;
    setStage('overdue');
    upsertSearchAttributes([{ key: Overdue, value: true }]);
    await publish('overdue', { citizenOpinionOverdue: { stationId: input.stationId, dueAt: state.answerDueAt } });
    await condition(() => !open());
  }

  // Wait for a handler that took it up to finish publishing before the next event.
  if (state.stage === 'awaitingRating') {
    await condition(() => !!state.ratingDueAt);
    if (!(await condition(() => !!state.rating, untilMs(state.ratingDueAt!), timer('群众评价期限', state.ratingDueAt))))
      state.rating = { rating: cp.noRatingCountsAs, assumed: true, at: nowIso() };
    upsertSearchAttributes([{ key: Satisfaction, value: state.rating!.rating }]);
    await exclusive(() =>
      publish(
        'rated',
        { citizenOpinionRated: { rating: state.rating!.rating, assumed: state.rating!.assumed } },
        state.rating!.assumed ? 'system' : `citizen:${input.citizenId}`,
      ),
    );
    state.closedOutcome = 'answered';
  } else if (state.stage === 'forwarding') {
    await condition(() => state.events.some((e) => e.endsWith('/forwarded')));
    state.closedOutcome = 'forwarded';
  } else {
    await condition(() => !!state.letter?.outcome);
    state.closedOutcome = 'letterClosed';
  }

  await exclusive(async () => {
    setStage('closed');
    await publish('closed', {
      citizenOpinionClosed: {
        outcome: state.closedOutcome!,
        rating: state.rating?.rating ?? '',
        suggestionId: state.suggestionId ?? '',
        letterId: state.letter?.letterId ?? '',
      },
    });
  });
  await condition(allHandlersFinished);
  return state;
}
