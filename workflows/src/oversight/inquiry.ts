// An inquiry (质询案): filed in writing by members of the standing committee (at least the
// policy's number for the jurisdiction's level, checked before the start and again here); the
// chair council (主任会议) decides an oral reply at a session or a written reply, with a
// deadline; the unit replies; the filers rate it; if more than the policy's share (half) are
// dissatisfied, the unit replies again, once. Deterministic: the clock is the workflow's.
import { ApplicationFailure, allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import {
  CaseKind,
  CycleYear,
  DueAt,
  Jurisdiction,
  Overdue,
  Satisfaction,
  Unit,
  stageAttributes,
} from '../search-attributes';
import { describeCase, timer, upsertSearchAttributes } from '../ui';
import {
  acts,
  actorName,
  enforce,
  eventChain,
  invalid,
  ms,
  nowIso,
  requireNonEmpty,
  turnTaking,
  untilMs,
} from './common';
import {
  decideInquiryUpdate,
  inquiryReplyUpdate,
  inquiryStateQuery,
  rateInquiryUpdate,
  type InquiryInput,
  type InquiryStage,
  type InquiryState,
} from './definitions';
import { inquiryGates } from './gates';

export async function inquiryWorkflow(input: InquiryInput): Promise<InquiryState> {
  const ip = input.policy.policy.oversight.inquiry;
  // As the domain's minInquirySigners, which the bundle must not import (it brings zod).
  const minSigners = ip.minSignersByLevel[input.policy.level ?? 'national'];
  // The service checked the roster; the count is checked again so no case runs below the law.
  if (new Set(input.signers).size < minSigners)
    throw ApplicationFailure.nonRetryable(
      `an inquiry needs at least ${minSigners} signing members; it has ${new Set(input.signers).size}`,
      'InvalidInquiry',
    );
  const state: InquiryState = {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    unit: input.unit,
    subject: input.subject,
    signers: [...input.signers],
    minSigners,
    stage: 'filed',
    round: 1,
    overdue: false,
    replies: [],
    ratings: [],
    roundResults: [],
    ...(input.relatedCaseId ? { relatedCaseId: input.relatedCaseId } : {}),
    events: [],
  };
  const publish = eventChain({
    prefix: input.caseId,
    caseId: input.caseId,
    caseKind: 'inquiry',
    jurisdiction: input.jurisdiction,
    record: (eventId) => state.events.push(eventId),
  });
  const exclusive = turnTaking();
  describeCase(() => ({ 轮次: state.round > 1 ? '再次答复' : undefined, 联名人数: input.signers.length }));
  function setStage(stage: InquiryStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  function setDue(dueAt: string): void {
    state.replyDueAt = dueAt;
    state.overdue = false;
    upsertSearchAttributes([
      { key: DueAt, value: new Date(dueAt) },
      { key: Overdue, value: false },
    ]);
  }

  setHandler(inquiryStateQuery, () => state);

  setHandler(
    decideInquiryUpdate,
    (d) =>
      exclusive(async () => {
        state.mode = d.mode;
        setStage('awaitingReply');
        const dueAt = d.dueAt
          ? new Date(d.dueAt).toISOString()
          : await acts.computeDeadline({ from: nowIso(), window: ip.writtenReplyWindow });
        setDue(dueAt);
        await publish('decided', { inquiryReplyDecided: { mode: d.mode, dueAt } }, actorName(d.by));
        return state;
      }),
    {
      validator: (d) => {
        enforce(inquiryGates.decide(state, d?.by));
        if (d.mode !== 'oral' && d.mode !== 'written') throw invalid('mode must be oral or written');
        if (d.mode === 'oral' && !d.dueAt) throw invalid('an oral reply needs the session’s time (dueAt)');
        if (d.dueAt !== undefined) {
          const at = Date.parse(d.dueAt);
          if (Number.isNaN(at)) throw invalid('dueAt must be an ISO date-time');
          if (at <= Date.now()) throw invalid('dueAt must be in the future');
        }
      },
    },
  );

  setHandler(
    inquiryReplyUpdate,
    async (r) => {
      const at = nowIso();
      const onTime = ms(at) <= ms(state.replyDueAt!);
      state.replies.push({ round: state.round, summary: r.summary.trim(), at, onTime, by: actorName(r.by) });
      setStage('rating');
      upsertSearchAttributes([{ key: Overdue, value: false }]);
      state.overdue = false;
      await publish(
        `replied/${state.round}`,
        { inquiryReplied: { unit: input.unit, round: state.round, onTime } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        enforce(inquiryGates.reply(state, r?.by));
        requireNonEmpty(r.summary, 'summary');
      },
    },
  );

  setHandler(
    rateInquiryUpdate,
    async (r) => {
      state.ratings.push({ round: state.round, memberId: r.by.sub, satisfied: r.satisfied, at: nowIso() });
      await publish(
        `rated/${state.round}/${r.by.sub}`,
        { inquiryRated: { memberId: r.by.sub, round: state.round, satisfied: r.satisfied } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        enforce(inquiryGates.rate(state, r?.by));
        if (typeof r.satisfied !== 'boolean') throw invalid('satisfied must be true or false');
      },
    },
  );

  upsertSearchAttributes([
    { key: CaseKind, value: 'inquiry' },
    { key: Unit, value: input.unit },
    { key: Jurisdiction, value: input.jurisdiction },
    ...stageAttributes(state.stage),
    { key: CycleYear, value: Number(input.filedAt.slice(0, 4)) },
  ]);
  await publish(
    'filed',
    {
      inquiryFiled: {
        unit: input.unit,
        signers: input.signers,
        minSigners,
        relatedCaseId: input.relatedCaseId ?? '',
      },
    },
    `deputy:${input.signers[0]}`,
  );

  let outcome: NonNullable<InquiryState['closedOutcome']> = 'answered';
  await condition(() => state.stage === 'awaitingReply' && !!state.replyDueAt);
  for (;;) {
    const round = state.round;
    // The reply, or an overdue notice when its deadline passes (once per round).
    const replied = () => state.replies.some((r) => r.round === round);
    if (
      !(await condition(
        replied,
        untilMs(state.replyDueAt!),
        timer(round > 1 ? '再次答复期限' : '答复期限', state.replyDueAt),
      ))
    ) {
      state.overdue = true;
      upsertSearchAttributes([{ key: Overdue, value: true }]);
      await publish(`overdue/${round}`, {
        inquiryOverdue: { unit: input.unit, round, dueAt: state.replyDueAt! },
      });
      await condition(replied);
    }
    // The filers rate; who has not rated in the window is not counted as dissatisfied.
    state.ratingDueAt = await acts.computeDeadline({ from: nowIso(), window: ip.ratingWindow });
    const rated = () => state.ratings.filter((r) => r.round === round).length;
    await condition(
      () => rated() === state.signers.length,
      untilMs(state.ratingDueAt),
      timer('质询人评价期限', state.ratingDueAt, ip.ratingWindow),
    );
    const dissatisfied = state.ratings.filter((r) => r.round === round && !r.satisfied).length;
    const tooMany = dissatisfied * 100 > ip.dissatisfiedOverPercent * state.signers.length;
    const again = tooMany && round === 1;
    state.roundResults.push({ round, dissatisfied, replyAgain: again });
    upsertSearchAttributes([{ key: Satisfaction, value: tooMany ? 'unsatisfied' : 'satisfied' }]);
    let againDue = '';
    if (again) {
      state.round = 2;
      setStage('awaitingReply');
      againDue = await acts.computeDeadline({ from: nowIso(), window: ip.replyAgainWindow });
      setDue(againDue);
    }
    state.ratingDueAt = undefined;
    await publish(`rating-closed/${round}`, {
      inquiryRatingClosed: {
        round,
        dissatisfied,
        filers: state.signers.length,
        replyAgain: again,
        ...(again ? { replyAgainDueAt: againDue } : {}),
      },
    });
    if (again) continue;
    if (tooMany) outcome = 'dissatisfied';
    break;
  }
  state.closedOutcome = outcome;
  setStage('closed');
  upsertSearchAttributes([{ key: Overdue, value: false }]);
  await publish('closed', { inquiryClosed: { outcome } });
  await condition(allHandlersFinished);
  return state;
}
