// One workflow per deputy's suggestion (代表建议), the whole closed loop: quality review (审核),
// assignment (交办) with objection and reassignment, co-handlers' opinions (协办), the reply
// deadline with reminders, overdue and very-overdue steps, extension (延期) and a paused clock,
// the reply (答复) with its grade and commitments, the deputy's rating (满意度), a second reply
// under special supervision (二次答复, 不满意专项督办), the escalation ladder, the look-back on
// commitments (回头看), and the 100-point segmented score. Every transition is one event.
// Deterministic: the clock is the workflow's, every side effect is an activity.
import { allHandlersFinished, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
// Only pure modules here: the workflow bundle re-evaluates its imports for every case it starts.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Rating, Window } from '@duban/domain';
import { scoreSuggestion } from '@duban/domain/pure';
import type { EventBody, PublishInput, ReplyMilestones } from '../activities';
import { caseActivities, localActivities } from '../activity-proxies';
import { actorName, isStaff, ms, untilMs } from '../case-kit';
import { alreadyRated, conflict, eventId as makeEventId, forbidden, invalid, requireNonEmpty } from '../kernel';
import { AtRisk, DueAt, Overdue, Satisfaction, Unit, stageAttributes } from '../search-attributes';
import { dayOf, describeCase, showDetails, timer, upsertSearchAttributes, windowLabel } from '../ui';
import { suggestionV1 } from './legacy-v1';
import { SUGGESTION_ACTION_STAGES as STAGES } from './rules';
import {
  GRADES,
  coHandlerOpinionUpdate,
  decideExtensionUpdate,
  calendarPublishedSignal,
  ladderEndedSignal,
  objectUpdate,
  pauseClockUpdate,
  rateUpdate,
  reassignUpdate,
  replyUpdate,
  reportCommitmentUpdate,
  requestExtensionUpdate,
  resumeClockUpdate,
  reviewUpdate,
  reviseUpdate,
  stateQuery,
  type Actor,
  type Commitment,
  type SuggestionInput,
  type SuggestionStage,
  type SuggestionState,
} from './definitions';

/** Cases started from this version on run the full loop; older ones keep suggestionV1. */
export const SUGGESTION_V2_PATCH = 'suggestion-v2';
/**
 * Cases started from this version on record one patch marker where they recorded two (this
 * one implies suggestion-v2 and local activities), and send each step's search attributes in
 * one upsert where assignment sent three. Each marker and each upsert is a search-attribute
 * write on the server; at intake they were 5 per case, now 2. Older cases run as they did.
 */
export const SUGGESTION_V4_PATCH = 'suggestion-v4-one-upsert';
/**
 * From this patch on, a case told that a year's calendar was published (calendarPublishedSignal)
 * counts a provisional reply deadline again and moves its timers. The marker is recorded when the
 * signal is handled, so cases that never get the signal replay exactly as before.
 */
export const CALENDAR_RECOMPUTE_PATCH = 'calendar-recompute';

export async function suggestionWorkflow(input: SuggestionInput): Promise<SuggestionState> {
  if (patched(SUGGESTION_V4_PATCH)) return suggestionV2(input, true);
  if (!patched(SUGGESTION_V2_PATCH)) return suggestionV1(input);
  return suggestionV2(input, false);
}

/** A commitment's date: a local date (due at 09:00 Beijing time that day) or an ISO instant. */
function commitmentDueAt(dueDate: string): string | undefined {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(dueDate) ? Date.parse(`${dueDate}T01:00:00.000Z`) : Date.parse(dueDate);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

async function suggestionV2(input: SuggestionInput, v4: boolean): Promise<SuggestionState> {
  const { acts, local, inTurn, inLateTurn } = v4 ? caseActivities({ local: true }) : caseActivities();
  const sp = input.policy.policy.suggestion;
  const state: SuggestionState = {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    deputyId: input.deputyId,
    title: input.title,
    category: input.category,
    stage: 'submitted',
    submittedAt: input.submittedAt,
    ...(input.sourceCaseId ? { sourceCaseId: input.sourceCaseId } : {}),
    coHandlers: [],
    assignmentNo: 0,
    coHandlerOpinions: {},
    extensions: [],
    overdue: false,
    veryOverdue: false,
    replies: [],
    ratings: [],
    commitments: [],
    ladders: [],
    events: [],
  };
  /** Round 1: the reply; round 2: the second reply after an unsatisfied rating. */
  let round = 1;
  /** Bumped whenever the reply deadline moves, so timers and reminders follow it. */
  let dueVersion = 0;
  let returns = 0;
  let pauses = 0;
  /** The current assignment's reply deadline as planned: what a published calendar recounts. */
  let planned: { assignedAt: string; replyDueAt: string; window: Window } | undefined;
  const sent = new Set<string>();
  describeCase(() => {
    const ladder = state.ladders[state.ladders.length - 1];
    return {
      轮次: round > 1 ? '二次办理（专项督办）' : undefined,
      督办升级: ladder ? `${ladder.ladderId}（${ladder.outcome ?? '进行中'}）` : undefined,
      暂停计时: state.clockPausedSince ? `自 ${dayOf(state.clockPausedSince)}` : undefined,
    };
  });

  // ---- publishing: one event per transition, in order, with a deterministic id.
  let chain: Promise<void> = Promise.resolve();
  /** Local activities: events waiting for the one in flight go out together, still in order. */
  let batch: { events: PublishInput[]; sent: Promise<void> } | undefined;
  function publish(step: string, body: EventBody, actor = 'system'): Promise<void> {
    const eventId = makeEventId(input.caseId, step);
    state.events.push(eventId);
    const e: PublishInput = {
      eventId,
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
        return localActivities.publishEvents(mine.events);
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
  /** Runs a step's synchronous changes; their search attributes go out together (v4). */
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
    dueVersion++;
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
      const reminders = round === 1 ? await acts.computeReminders({ dueAt: due, before: sp.reminderBefore }) : [];
      const veryAt = await acts.computeDeadline({ from: due, window: sp.veryOverdueAfter });
      return { reminders, veryAt };
    }
    let m = milestonesOf.get(due);
    if (!m) {
      m = await acts.replyMilestones({ dueAt: due, before: sp.reminderBefore, veryOverdueAfter: sp.veryOverdueAfter });
      milestonesOf.set(due, m);
    }
    return { reminders: round === 1 ? m.reminders : [], veryAt: m.veryOverdueAt };
  }

  // Handlers that call activities take turns, so two concurrent actions never interleave.
  let busy = false;
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    // Check and take the turn without yielding in between: several handlers may start in the
    // same activation.
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  async function assign(by: Actor, leadUnit?: string, coHandlers?: string[]): Promise<void> {
    const plan = await acts.planAssignment({
      policy: input.policy.policy,
      category: state.category,
      assignedAt: new Date().toISOString(),
      leadUnit,
      coHandlers,
      ...(local ? { withMilestones: true } : {}),
    });
    if (plan.milestones) milestonesOf.set(plan.replyDueAt, plan.milestones);
    planned = { assignedAt: plan.assignedAt, replyDueAt: plan.replyDueAt, window: plan.window };
    state.assignmentNo++;
    state.leadUnit = plan.leadUnit;
    state.coHandlers = plan.coHandlers.filter((u) => u !== plan.leadUnit);
    state.assignedAt = plan.assignedAt;
    // State only (no command): replays of older cases are unaffected.
    if (plan.calendarProvisional) state.calendarProvisional = true;
    else delete state.calendarProvisional;
    state.objectionDueAt = plan.objectionDueAt;
    state.coHandlerDueAt = plan.coHandlerDueAt;
    state.maxReplyDueAt = plan.maxReplyDueAt;
    state.objection = undefined;
    state.coHandlerOpinions = {};
    state.overdue = false;
    state.veryOverdue = false;
    oneUpsert(() => {
      setDue(plan.replyDueAt);
      setStage('assigned');
      upsert([
        { key: Unit, value: plan.leadUnit },
        { key: AtRisk, value: false },
      ]);
    });
    const n = state.assignmentNo;
    void watchCoHandlers(n);
    await publish(
      `assigned/${n}`,
      {
        suggestionAssigned: {
          leadUnit: plan.leadUnit,
          coHandlers: state.coHandlers,
          assignedAt: plan.assignedAt,
          replyDueAt: plan.replyDueAt,
          windowUnit: plan.window.unit,
          windowAmount: plan.window.amount,
          assignmentNo: n,
          key: !!state.key,
          leadingOfficial: state.key?.leadingOfficial ?? '',
          supervisingCommittee: state.key?.supervisingCommittee ?? '',
          objectionDueAt: plan.objectionDueAt,
          coHandlerDueAt: plan.coHandlerDueAt,
          maxReplyDueAt: plan.maxReplyDueAt,
        },
      },
      actorName(by),
    );
  }

  /** Each co-handler owes the lead unit an opinion by coHandlerDueAt (per assignment). */
  async function watchCoHandlers(assignmentNo: number): Promise<void> {
    const due = state.coHandlerDueAt;
    if (!due) return;
    const stale = () => state.assignmentNo !== assignmentNo || state.stage === 'closed';
    await Promise.all(
      state.coHandlers.map(async (unit) => {
        const answered = await condition(
          () => stale() || !!state.coHandlerOpinions[unit],
          untilMs(due),
          timer(`协办意见期限 ${unit}`, due),
        );
        if (!answered && !stale())
          await publish(`co-handler-overdue/${assignmentNo}/${unit}`, { coHandlerOverdue: { unit, dueAt: due } });
      }),
    );
  }

  // ---- the handlers (human actions). Validators refuse what does not fit; nothing changes then.
  const requireLeadUnit = (by: Actor) => {
    if (by.role !== 'unit' || by.unit !== state.leadUnit)
      throw forbidden(`${input.caseId} is assigned to another unit; only its lead unit may do this`);
  };
  const requireDeputy = (by: Actor) => {
    if (by.role !== 'deputy' || by.sub !== state.deputyId)
      throw forbidden(`${input.caseId} is another deputy's suggestion`);
  };
  const requireStaff = (by: Actor) => {
    if (!isStaff(by)) throw forbidden('only committee staff may do this');
  };
  const requireStage = (allowed: readonly SuggestionStage[], what: string) => {
    if (!allowed.includes(state.stage))
      throw conflict(`${input.caseId} is ${state.stage}; ${what} is possible only when ${allowed.join(' or ')}`);
  };

  setHandler(stateQuery, () => state);

  setHandler(
    reviewUpdate,
    (r) =>
      exclusive(async () => {
        // A concurrent review may have been accepted while this one waited its turn.
        requireStage(STAGES.review, 'review');
        if (r.decision === 'accept') {
          if (r.key) state.key = r.key;
          await assign(r.by, r.leadUnit, r.coHandlers);
        } else if (r.decision === 'return') {
          returns++;
          state.returnedReason = r.reason;
          setStage('returned');
          await publish(`returned/${returns}`, { suggestionReturned: { reason: r.reason! } }, actorName(r.by));
        } else {
          state.mergedInto = r.mergeInto;
          setStage('merged');
          await publish(
            'merged',
            { suggestionMerged: { intoCaseId: r.mergeInto!, reason: r.reason! } },
            actorName(r.by),
          );
        }
        return state;
      }),
    {
      validator: (r) => {
        requireStaff(r.by);
        requireStage(STAGES.review, 'review');
        if (!['accept', 'return', 'merge'].includes(r.decision))
          throw invalid('decision must be accept, return or merge');
        if (r.decision !== 'accept') requireNonEmpty(r.reason, 'reason');
        if (r.decision === 'merge') {
          if (!r.mergeInto || !/^suggestion-\d{4}-\d{4,}$/.test(r.mergeInto))
            throw invalid('mergeInto must name the surviving case, e.g. suggestion-2026-0001');
          if (r.mergeInto === input.caseId) throw invalid('a suggestion cannot be merged into itself');
        }
        if (r.key) {
          requireNonEmpty(r.key.leadingOfficial, 'key.leadingOfficial');
          requireNonEmpty(r.key.supervisingCommittee, 'key.supervisingCommittee');
        }
      },
    },
  );

  setHandler(
    reviseUpdate,
    async (r) => {
      state.title = r.title;
      state.category = r.category;
      state.returnedReason = undefined;
      setStage('submitted');
      await publish(
        `revised/${returns}`,
        { suggestionRevised: { title: r.title, category: r.category } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        requireDeputy(r.by);
        requireStage(STAGES.revise, 'revision');
        requireNonEmpty(r.title, 'title');
        requireNonEmpty(r.category, 'category');
      },
    },
  );

  setHandler(
    objectUpdate,
    async (o) => {
      state.objection = { unit: o.by.unit!, reason: o.reason, at: new Date().toISOString() };
      setStage('objected');
      await publish(
        `objected/${state.assignmentNo}`,
        { suggestionObjected: { unit: o.by.unit!, reason: o.reason } },
        actorName(o.by),
      );
      return state;
    },
    {
      validator: (o) => {
        if (o.by.role !== 'unit' || (o.by.unit !== state.leadUnit && !state.coHandlers.includes(o.by.unit!)))
          throw forbidden(`${input.caseId} is not assigned to ${o.by.unit ?? 'you'}`);
        requireStage(STAGES.objection, 'an objection');
        if (state.replies.length > 0) throw conflict('the case has been replied to; an objection is too late');
        if (state.objectionDueAt && Date.now() > ms(state.objectionDueAt))
          throw conflict(`the objection window ended at ${state.objectionDueAt}`);
        requireNonEmpty(o.reason, 'reason');
      },
    },
  );

  setHandler(
    reassignUpdate,
    (r) =>
      exclusive(async () => {
        requireStage(STAGES.reassign, 'reassignment');
        await assign(r.by, r.leadUnit, r.coHandlers);
        return state;
      }),
    {
      validator: (r) => {
        requireStaff(r.by);
        requireStage(STAGES.reassign, 'reassignment');
        if (!r.leadUnit || !/^[a-z0-9][a-z0-9-]{1,63}$/.test(r.leadUnit)) throw invalid('leadUnit must be a unit id');
      },
    },
  );

  setHandler(
    coHandlerOpinionUpdate,
    async (o) => {
      const onTime = !state.coHandlerDueAt || Date.now() <= ms(state.coHandlerDueAt);
      state.coHandlerOpinions[o.by.unit!] = { opinion: o.opinion, at: new Date().toISOString(), onTime };
      await publish(
        `co-handler-opinion/${state.assignmentNo}/${o.by.unit}`,
        { coHandlerOpinionSent: { unit: o.by.unit!, onTime } },
        actorName(o.by),
      );
      return state;
    },
    {
      validator: (o) => {
        if (o.by.role !== 'unit' || !state.coHandlers.includes(o.by.unit!))
          throw forbidden(`${o.by.unit ?? 'you'} is not a co-handler of ${input.caseId}`);
        requireStage(STAGES.coHandlerOpinion, "a co-handler's opinion");
        if (state.coHandlerOpinions[o.by.unit!]) throw conflict(`${o.by.unit} has already sent its opinion`);
        requireNonEmpty(o.opinion, 'opinion');
      },
    },
  );

  setHandler(
    requestExtensionUpdate,
    async (e) => {
      state.extensions.push({ reason: e.reason, requestedUntil: e.until, requestedAt: new Date().toISOString() });
      await publish(
        `extension-requested/${state.extensions.length}`,
        { extensionRequested: { unit: e.by.unit!, reason: e.reason, requestedDueAt: e.until } },
        actorName(e.by),
      );
      return state;
    },
    {
      validator: (e) => {
        requireLeadUnit(e.by);
        requireStage(STAGES.extensionRequest, 'an extension');
        if (state.extensions.some((x) => !x.decided)) throw conflict('an extension request is already pending');
        requireNonEmpty(e.reason, 'reason');
        const until = Date.parse(e.until);
        if (Number.isNaN(until)) throw invalid('until must be an ISO date-time');
        if (until <= ms(state.replyDueAt!))
          throw invalid(`until must be after the current deadline ${state.replyDueAt}`);
        if (state.maxReplyDueAt && until > ms(state.maxReplyDueAt))
          throw conflict(`an extension may not go past ${state.maxReplyDueAt} (the policy's maximum reply time)`);
      },
    },
  );

  setHandler(
    decideExtensionUpdate,
    async (d) => {
      const pending = state.extensions[state.extensions.length - 1];
      pending.decided = { approved: d.approve, note: d.note, at: new Date().toISOString() };
      if (d.approve) setDue(pending.requestedUntil);
      await publish(
        `extension-decided/${state.extensions.length}`,
        { extensionDecided: { approved: d.approve, replyDueAt: state.replyDueAt, note: d.note } },
        actorName(d.by),
      );
      return state;
    },
    {
      validator: (d) => {
        requireStaff(d.by);
        const pending = state.extensions[state.extensions.length - 1];
        if (!pending || pending.decided) throw conflict('no extension request is pending');
        requireStage(STAGES.extensionDecision, 'an extension decision');
        if (d.approve && state.maxReplyDueAt && ms(pending.requestedUntil) > ms(state.maxReplyDueAt))
          throw conflict(`approving would move the deadline past ${state.maxReplyDueAt}, the policy's maximum`);
        requireNonEmpty(d.note, 'note');
      },
    },
  );

  setHandler(
    pauseClockUpdate,
    async (p) => {
      pauses++;
      state.clockPausedSince = new Date().toISOString();
      showDetails();
      await publish(`clock-paused/${pauses}`, { clockPaused: { unit: p.by.unit!, reason: p.reason } }, actorName(p.by));
      return state;
    },
    {
      validator: (p) => {
        requireLeadUnit(p.by);
        requireStage(STAGES.pauseClock, 'pausing the clock');
        if (state.clockPausedSince) throw conflict('the clock is already paused');
        requireNonEmpty(p.reason, 'reason');
      },
    },
  );

  setHandler(
    resumeClockUpdate,
    async (r) => {
      const pausedMs = Date.now() - ms(state.clockPausedSince!);
      state.clockPausedSince = undefined;
      setDue(new Date(ms(state.replyDueAt!) + pausedMs).toISOString());
      await publish(
        `clock-resumed/${pauses}`,
        {
          clockResumed: {
            unit: r.by.unit!,
            pausedSeconds: String(Math.round(pausedMs / 1000)),
            replyDueAt: state.replyDueAt,
          },
        },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        requireLeadUnit(r.by);
        if (!state.clockPausedSince) throw conflict('the clock is not paused');
      },
    },
  );

  setHandler(
    replyUpdate,
    async (r) => {
      const by = r.by!;
      const now = new Date().toISOString();
      const onTime = !state.replyDueAt || ms(now) <= ms(state.replyDueAt);
      state.replies.push({ round, unit: by.unit!, grade: r.grade, summary: r.summary, repliedAt: now, onTime });
      const added: Commitment[] = (r.commitments ?? []).map((c, i) => ({
        ...c,
        commitmentId: `${round}-${i + 1}`,
        round,
        status: 'pending',
      }));
      state.commitments.push(...added);
      state.clockPausedSince = undefined;
      setStage('awaitingRating');
      await publish(
        `replied/${round}`,
        {
          suggestionReplied: {
            unit: by.unit!,
            grade: r.grade,
            repliedAt: now,
            onTime,
            round,
            commitments: added.map((c) => ({
              commitmentId: c.commitmentId,
              description: c.description,
              dueDate: c.dueDate,
            })),
          },
        },
        actorName(by),
      );
      return state;
    },
    {
      validator: (r) => {
        if (!r.by) throw invalid('the reply must name who replies');
        requireLeadUnit(r.by);
        requireStage(STAGES.reply, 'a reply');
        if (!(GRADES as readonly string[]).includes(r.grade))
          throw invalid(`grade must be one of ${GRADES.join(', ')}`);
        requireNonEmpty(r.summary, 'summary');
        if ((r.grade === 'B' || r.grade === 'C') && !r.commitments?.length)
          throw invalid(`a ${r.grade} reply must list its commitments (what will be done by when)`);
        for (const [i, c] of (r.commitments ?? []).entries()) {
          requireNonEmpty(c.description, `commitments.${i}.description`);
          const at = commitmentDueAt(c.dueDate);
          if (!at) throw invalid(`commitments.${i}.dueDate must be a date (YYYY-MM-DD) or an ISO date-time`);
          if (ms(at) <= Date.now()) throw invalid(`commitments.${i}.dueDate must be in the future`);
        }
      },
    },
  );

  setHandler(
    rateUpdate,
    async (r) => {
      await recordRating(r.rating, false, actorName(r.by), r.comment);
      return state;
    },
    {
      validator: (r) => {
        requireDeputy(r.by);
        if (state.stage !== 'awaitingRating' && state.ratings.length)
          throw alreadyRated(`${input.caseId} is ${state.stage}; its reply is already rated`);
        requireStage(STAGES.rating, 'a rating');
        if (!['satisfied', 'basicallySatisfied', 'unsatisfied'].includes(r.rating))
          throw invalid('rating must be satisfied, basicallySatisfied or unsatisfied');
      },
    },
  );

  setHandler(
    reportCommitmentUpdate,
    async (c) => {
      const commitment = state.commitments.find((x) => x.commitmentId === c.commitmentId)!;
      commitment.status = c.kept ? 'kept' : 'missed';
      commitment.note = c.note;
      await publish(
        `commitment/${c.commitmentId}/reported`,
        { commitmentReported: { commitmentId: c.commitmentId, kept: c.kept, note: c.note } },
        actorName(c.by),
      );
      return state;
    },
    {
      validator: (c) => {
        requireLeadUnit(c.by);
        const commitment = state.commitments.find((x) => x.commitmentId === c.commitmentId);
        if (!commitment) throw invalid(`no commitment ${c.commitmentId} in ${input.caseId}`);
        if (commitment.status !== 'pending' && commitment.status !== 'due')
          throw conflict(`commitment ${c.commitmentId} is already ${commitment.status}`);
        requireNonEmpty(c.note, 'note');
      },
    },
  );

  /**
   * A year's calendar was published: the first-round reply deadline, if it was counted Monday–
   * Friday only and has not moved since (no extension, no pause), is counted again; when the date
   * changes the timers follow it and DeadlineRecomputed tells the unit. Otherwise nothing happens,
   * so a repeated signal is harmless.
   */
  async function recountReplyDue(year: number): Promise<void> {
    const p = planned;
    const unchanged = () =>
      planned === p && state.replyDueAt === p?.replyDueAt && state.stage === 'assigned' && !state.clockPausedSince;
    if (!p || !state.calendarProvisional || round !== 1 || !unchanged()) return;
    const r = await acts.recountDeadline({ from: p.assignedAt, window: p.window, year });
    if (!unchanged()) return;
    if (r.calendarProvisional) state.calendarProvisional = true;
    else delete state.calendarProvisional;
    if (r.dueAt === p.replyDueAt) return;
    const old = p.replyDueAt;
    p.replyDueAt = r.dueAt;
    oneUpsert(() => setDue(r.dueAt));
    await publish(`deadline-recomputed/${state.assignmentNo}/${year}`, {
      deadlineRecomputed: {
        deadline: 'reply',
        oldDueAt: old,
        newDueAt: r.dueAt,
        calendarYear: year,
        unit: state.leadUnit!,
      },
    });
  }
  setHandler(calendarPublishedSignal, ({ year }) => {
    if (!patched(CALENDAR_RECOMPUTE_PATCH)) return;
    void exclusive(() => recountReplyDue(year));
  });

  setHandler(ladderEndedSignal, ({ ladderId, outcome }) => {
    const ladder = state.ladders.find((l) => l.ladderId === ladderId);
    if (ladder && !ladder.outcome) ladder.outcome = outcome;
    showDetails();
  });

  async function recordRating(rating: Rating, assumed: boolean, actor: string, comment?: string): Promise<void> {
    state.ratings.push({ round, rating, assumed, ratedAt: new Date().toISOString(), ...(comment ? { comment } : {}) });
    upsertSearchAttributes([{ key: Satisfaction, value: rating }]);
    await publish(`rated/${round}`, { suggestionRated: { rating, round, assumed } }, actor);
  }

  // ---- the loop, driven by the clock and by the state the handlers change.

  /** Waits for the current round's reply, sending reminders and overdue steps on the way. */
  async function awaitReply(): Promise<void> {
    const replied = () => state.replies.some((r) => r.round === round);
    while (!replied()) {
      if (state.stage === 'objected') {
        await condition(() => state.stage !== 'objected');
        continue;
      }
      if (state.clockPausedSince) {
        await condition(() => !state.clockPausedSince || replied());
        continue;
      }
      const v = dueVersion;
      const due = state.replyDueAt!;
      const { reminders, veryAt } = await milestonesFor(due);
      const milestones = [
        // A reminder whose time has already passed (a short window) is not sent at all.
        ...reminders
          .map((at, i) => ({
            key: `reminder/${v}/${i + 1}`,
            at,
            timer: timer(`催办提醒 ${i + 1}`, at, `答复期限 ${dayOf(due)}`),
            fire: () => remind(i + 1, due, v),
          }))
          .filter((m) => ms(m.at) > Date.now()),
        {
          key: `overdue/${round}/${v}`,
          at: due,
          timer: timer(
            round > 1 ? '二次答复期限' : '答复期限',
            due,
            planned?.replyDueAt === due ? planned.window : undefined,
          ),
          fire: () => markOverdue(due, v, false),
        },
        {
          key: `very-overdue/${round}/${v}`,
          at: veryAt,
          timer: timer('严重超期', veryAt, `答复期限 ${dayOf(due)} 后 ${windowLabel(sp.veryOverdueAfter)}`),
          fire: () => markOverdue(due, v, true),
        },
      ]
        .filter((m) => !sent.has(m.key))
        .sort((a, b) => ms(a.at) - ms(b.at));
      const next = milestones[0];
      const moved = () => replied() || dueVersion !== v || !!state.clockPausedSince || state.stage === 'objected';
      if (!next) {
        await condition(moved);
        continue;
      }
      if (await condition(moved, untilMs(next.at), next.timer)) continue;
      sent.add(next.key);
      // A reminder whose time passed while the deadline moved is not sent late.
      if (next.key.startsWith('reminder/') && Date.now() >= ms(due)) continue;
      await next.fire();
    }
  }

  async function remind(n: number, due: string, v: number): Promise<void> {
    await publish(`reminder/${v}/${n}`, {
      replyReminderSent: { unit: state.leadUnit!, dueAt: due, reminderNo: n },
    });
  }

  async function markOverdue(due: string, v: number, very: boolean): Promise<void> {
    state.overdue = true;
    if (very) state.veryOverdue = true;
    oneUpsert(() => {
      if (state.stage === 'assigned') setStage('overdue');
      upsert([{ key: Overdue, value: true }, ...(very ? [{ key: AtRisk, value: true }] : [])]);
    });
    await publish(`${very ? 'very-overdue' : 'overdue'}/${round}/${v}`, {
      suggestionOverdue: { unit: state.leadUnit!, dueAt: due, veryOverdue: very, round },
    });
  }

  /** Waits for the deputy's rating of the current round; none in time counts as the policy says. */
  async function awaitRating(): Promise<Rating> {
    state.ratingDueAt = await acts.computeDeadline({ from: new Date().toISOString(), window: sp.ratingWindow });
    const rated = () => state.ratings.some((r) => r.round === round);
    if (!(await condition(rated, untilMs(state.ratingDueAt), timer('测评期限', state.ratingDueAt, sp.ratingWindow))))
      await recordRating(sp.noRatingCountsAs, true, 'system');
    return state.ratings.find((r) => r.round === round)!.rating;
  }

  /** Starts an escalation ladder for the case and waits until it ends. */
  async function escalate(reason: string): Promise<void> {
    const ladderId = `${input.caseId}-ladder-${state.ladders.length + 1}`;
    state.ladders.push({ ladderId, reason });
    setStage('escalated');
    await acts.startLadder({
      ladderId,
      caseId: input.caseId,
      caseKind: 'suggestion',
      jurisdiction: input.jurisdiction,
      unit: state.leadUnit!,
      reason,
      steps: input.policy.policy.escalation.steps,
      notifyWorkflowId: workflowInfo().workflowId,
    });
    await publish(`escalated/${state.ladders.length}`, { suggestionEscalated: { ladderId, reason } });
    await condition(() => !!state.ladders.find((l) => l.ladderId === ladderId)!.outcome);
  }

  /** Look-back (回头看): at each commitment's date the unit reports whether it was kept. */
  async function lookBack(): Promise<void> {
    const open = () => state.commitments.filter((c) => c.status === 'pending' || c.status === 'due');
    while (open().length > 0) {
      setStage('lookBack');
      const c = open().sort((a, b) => ms(commitmentDueAt(a.dueDate)!) - ms(commitmentDueAt(b.dueDate)!))[0];
      const dueAt = commitmentDueAt(c.dueDate)!;
      const settled = () => c.status === 'kept' || c.status === 'missed';
      if (!(await condition(settled, untilMs(dueAt), timer(`承诺事项到期 ${c.commitmentId}`, dueAt)))) {
        c.status = 'due';
        c.reportDueAt = await acts.computeDeadline({ from: dueAt, window: sp.commitmentReportWindow });
        await publish(`commitment/${c.commitmentId}/due`, {
          commitmentDue: { commitmentId: c.commitmentId, unit: state.leadUnit!, reportDueAt: c.reportDueAt },
        });
        await condition(
          settled,
          untilMs(c.reportDueAt),
          timer(`承诺落实报告期限 ${c.commitmentId}`, c.reportDueAt, sp.commitmentReportWindow),
        );
      }
      if (c.status === 'kept') continue;
      const reported = c.status === 'missed';
      c.status = 'missed';
      await publish(`commitment/${c.commitmentId}/missed`, {
        commitmentMissed: { commitmentId: c.commitmentId, unit: state.leadUnit!, reported },
      });
      await escalate('missedCommitment');
    }
  }

  async function close(outcome: NonNullable<SuggestionState['closedOutcome']>): Promise<void> {
    const finalRating = state.ratings[state.ratings.length - 1]?.rating;
    const finalGrade = state.replies[state.replies.length - 1]?.grade;
    if (finalRating && finalGrade) {
      const score = scoreSuggestion(sp.scoring, {
        lateReply: state.replies[0] ? !state.replies[0].onTime : false,
        veryLateReply: state.veryOverdue,
        extensions: state.extensions.filter((e) => e.decided?.approved).length,
        secondReply: state.replies.length > 1,
        missedCommitments: state.commitments.filter((c) => c.status === 'missed').length,
        escalated: state.ladders.length > 0,
        finalGrade,
        finalRating,
      });
      state.score = score;
      const scored = publish('scored', {
        suggestionScored: {
          unit: state.leadUnit!,
          replyStage: score.replyStage,
          implementationStage: score.implementationStage,
          total: score.total,
          deductions: score.deductions,
        },
      });
      // Released cases published the score before closing; later ones send both together.
      if (!local) await scored;
      else void scored.catch(() => undefined);
    }
    state.closedOutcome = outcome;
    setStage('closed');
    await publish('closed', {
      suggestionClosed: { outcome, finalRating: finalRating ?? '', finalGrade: finalGrade ?? '' },
    });
  }

  // 1. Submission and quality review.
  await publish(
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
    await close('merged');
    await condition(allHandlersFinished);
    return state;
  }

  // 2. Handling, reply, rating; an unsatisfied rating gets one second reply, then the ladder.
  let outcome: NonNullable<SuggestionState['closedOutcome']> = 'completed';
  for (;;) {
    await awaitReply();
    const rating = await awaitRating();
    if (rating !== 'unsatisfied') break;
    if (round === 1) {
      round = 2;
      setStage('secondReply');
      state.overdue = false;
      const due = await acts.computeDeadline({ from: new Date().toISOString(), window: sp.secondReplyWindow });
      setDue(due);
      await publish('special-supervision', {
        specialSupervisionStarted: { unit: state.leadUnit!, secondReplyDueAt: due },
      });
      continue;
    }
    await escalate('unsatisfiedAfterSecondReply');
    if (state.ladders[state.ladders.length - 1].outcome === 'exhausted') outcome = 'escalationExhausted';
    break;
  }

  // 3. Look-back on commitments, then the score and closure.
  await lookBack();
  if (state.ladders.some((l) => l.outcome === 'exhausted')) outcome = 'escalationExhausted';
  await close(outcome);
  await condition(allHandlersFinished);
  return state;
}
