// One workflow per citizen opinion (民情快递): it reaches the deputies on duty at its station,
// who answer it, take it up as a suggestion (the two cases linked both ways) or send a liaison
// letter to a department (a liaison_letter case of its own). No deputy acting within the
// policy's answer window marks it overdue. Ids only: no contact details in input, state,
// events or search attributes.
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { deputiesOnDuty } from '@duban/domain/pure';
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
import {
  acts,
  actorName,
  alreadyRated,
  conflict,
  eventPublisher,
  forbidden,
  invalid,
  ms,
  nowIso,
  requireRating,
  requireAtLeast2Chars,
  turnTaker,
  untilMs,
} from './kit';

const UNIT_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;
const SUGGESTION_ID = /^suggestion-\d{4}-\d{4,}$/;

export async function citizenOpinionWorkflow(input: CitizenOpinionInput): Promise<CitizenOpinionState> {
  const cp = input.policy.policy.citizen;
  const state: CitizenOpinionState = {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    stationId: input.stationId,
    citizenId: input.citizenId,
    channel: input.channel,
    category: input.category,
    stage: 'submitted',
    submittedAt: input.submittedAt,
    dutyDeputyIds: deputiesOnDuty(input.station, new Date()),
    answerDueAt: '',
    overdue: false,
    events: [],
  };
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

  /** Only a deputy on duty at this station today may act on the opinion. */
  function requireOnDuty(by: Actor): void {
    if (by.role !== 'deputy') throw forbidden('only a deputy on duty at the station acts on a citizen opinion');
    const onDuty = deputiesOnDuty(input.station, new Date());
    if (!onDuty.includes(by.sub))
      throw forbidden(
        `deputy ${by.sub} is not on duty at station ${input.stationId} today (on duty: ${onDuty.join(', ') || 'nobody'})`,
      );
  }
  function requireOpen(what: string): void {
    if (!open())
      throw conflict(`${input.caseId} is ${state.stage}; ${what} is only possible before a deputy took it up`);
  }
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
      validator: (a) => {
        requireOnDuty(a.by);
        requireOpen('an answer');
        requireAtLeast2Chars(a.text, 'text');
      },
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
      validator: (f) => {
        if (state.stage === 'forwarding' && f.by.role === 'deputy' && f.by.sub === state.handledBy) return;
        requireOnDuty(f.by);
        requireOpen('taking it up as a suggestion');
      },
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
      validator: (l) => {
        if (!SUGGESTION_ID.test(l.suggestionId ?? ''))
          throw invalid('suggestionId must look like suggestion-2026-0001');
        if (state.suggestionId === l.suggestionId) return;
        if (state.stage !== 'forwarding')
          throw conflict(`${input.caseId} is ${state.stage}; link a suggestion after taking it up as one`);
        if (l.by.role !== 'deputy' || l.by.sub !== state.handledBy)
          throw forbidden(`only deputy ${state.handledBy}, who took it up, links its suggestion`);
      },
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
      validator: (s) => {
        requireOnDuty(s.by);
        requireOpen('a liaison letter');
        if (!UNIT_ID.test(s.unit ?? '')) throw invalid('unit must be a lowercase unit id like "edu-bureau"');
      },
    },
  );

  setHandler(
    rateOpinionUpdate,
    async (r) => {
      state.rating = { rating: r.rating, assumed: false, at: nowIso() };
      return state;
    },
    {
      validator: (r) => {
        if (r.by.role !== 'citizen' || r.by.sub !== input.citizenId)
          throw forbidden('only the citizen who sent the opinion rates the answer');
        if (state.rating) throw alreadyRated('the answer is already rated');
        if (state.stage !== 'awaitingRating') throw conflict(`${input.caseId} is ${state.stage}; nothing to rate`);
        requireRating(r.rating);
      },
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
