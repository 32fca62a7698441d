// The annual supervision plan (年度监督计划) of a jurisdiction, one workflow per year: topics are
// collected all year (from government reports, suggestions, letters and visits, hotline data,
// citizens' opinions); staff adopt the plan by the policy's date, each chosen topic a plan item
// with its session; at the session the item is due and the review opinions recorded for it start
// their own review-opinion workflows (through the oversight service), linked here. On 1 January
// the next year's plan starts on its own, carrying the topics proposed after this one's adoption.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { CaseKind, CycleYear, DueAt, Jurisdiction, Overdue, stageAttributes } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import { acts, actorName, enforce, eventChain, invalid, ms, nowIso, requireNonEmpty, untilMs } from './common';
import {
  TOPIC_SOURCES,
  adoptPlanUpdate,
  closePlanYearSignal,
  planCaseId,
  planItemStartedUpdate,
  proposeTopicUpdate,
  supervisionPlanStateQuery,
  type PlanItem,
  type SupervisionPlanInput,
  type SupervisionPlanState,
} from './definitions';
import { planGates } from './gates';

/** 00:00 on 1 January of the year, Beijing time. */
const startOfYear = (year: number) => new Date(Date.UTC(year - 1, 11, 31, 16, 0, 0)).toISOString();

export async function supervisionPlanWorkflow(input: SupervisionPlanInput): Promise<SupervisionPlanState> {
  const pp = input.policy.policy.oversight.supervisionPlan;
  const state: SupervisionPlanState = {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    year: input.year,
    stage: 'collecting',
    adoptionDueAt: '',
    overdue: false,
    topics: [...(input.carriedTopics ?? [])],
    nextYearTopics: [],
    items: [],
    events: [],
  };
  const publish = eventChain({
    prefix: input.caseId,
    caseId: input.caseId,
    caseKind: 'supervision_plan',
    jurisdiction: input.jurisdiction,
    record: (eventId) => state.events.push(eventId),
  });
  let topicNo = state.topics.length;
  let yearClosed = false;
  const unitId = /^[a-z0-9][a-z0-9-]{1,63}$/;

  setHandler(supervisionPlanStateQuery, () => state);
  setHandler(closePlanYearSignal, () => {
    yearClosed = true;
  });

  setHandler(
    proposeTopicUpdate,
    async (t) => {
      topicNo++;
      const topic = {
        topicId: `${input.year}-T${topicNo}`,
        source: t.source,
        ...(t.sourceRef ? { sourceRef: t.sourceRef } : {}),
        title: t.title.trim(),
        unit: t.unit,
        proposedAt: nowIso(),
      };
      // Before adoption a topic is for this year's plan; after it, for next year's.
      (state.stage === 'collecting' ? state.topics : state.nextYearTopics).push(topic);
      await publish(
        `topic/${topic.topicId}`,
        {
          supervisionTopicProposed: {
            topicId: topic.topicId,
            source: t.source,
            sourceRef: t.sourceRef ?? '',
            unit: t.unit,
          },
        },
        actorName(t.by),
      );
      return state;
    },
    {
      validator: (t) => {
        enforce(planGates.proposeTopic(state, t?.by, yearClosed));
        if (!(TOPIC_SOURCES as readonly string[]).includes(t.source))
          throw invalid(`source must be one of ${TOPIC_SOURCES.join(', ')}`);
        requireNonEmpty(t.title, 'title');
        if (typeof t.unit !== 'string' || !unitId.test(t.unit)) throw invalid('unit must be a unit id');
      },
    },
  );

  setHandler(
    adoptPlanUpdate,
    async (a) => {
      const at = nowIso();
      state.items = a.items.map((i, n) => ({
        itemId: `P${n + 1}`,
        topicId: i.topicId,
        unit: state.topics.find((t) => t.topicId === i.topicId)!.unit,
        sessionAt: new Date(i.sessionAt).toISOString(),
        weight: i.weight,
        status: 'scheduled',
      }));
      state.stage = 'adopted';
      const onTime = ms(at) <= ms(state.adoptionDueAt);
      state.overdue = false;
      upsertSearchAttributes([...stageAttributes('adopted'), { key: Overdue, value: false }]);
      for (const item of state.items) void watchItem(item);
      await publish(
        'adopted',
        {
          supervisionPlanAdopted: {
            year: input.year,
            onTime,
            items: state.items.map((i) => ({
              itemId: i.itemId,
              topicId: i.topicId,
              unit: i.unit,
              sessionAt: i.sessionAt,
              weight: i.weight,
            })),
          },
        },
        actorName(a.by),
      );
      return state;
    },
    {
      validator: (a) => {
        enforce(planGates.adopt(state, a?.by));
        if (!Array.isArray(a.items) || a.items.length === 0) throw invalid('a plan adopts at least one item');
        if (a.items.length > pp.maxItems) throw invalid(`a plan holds at most ${pp.maxItems} items (policy)`);
        const seen = new Set<string>();
        for (const [n, i] of a.items.entries()) {
          if (!state.topics.some((t) => t.topicId === i.topicId))
            throw invalid(`items.${n}.topicId: no topic ${i.topicId} in the ${input.year} plan`);
          if (seen.has(i.topicId)) throw invalid(`items.${n}.topicId: ${i.topicId} is adopted twice`);
          seen.add(i.topicId);
          const at = Date.parse(i.sessionAt);
          if (Number.isNaN(at) || at <= Date.now())
            throw invalid(`items.${n}.sessionAt must be a future ISO date-time`);
          if (i.weight !== 'key' && i.weight !== 'routine') throw invalid(`items.${n}.weight must be key or routine`);
        }
      },
    },
  );

  setHandler(
    planItemStartedUpdate,
    async (s) => {
      const item = state.items.find((i) => i.itemId === s.itemId)!;
      item.status = 'started';
      item.reviewOpinionCaseId = s.reviewOpinionCaseId;
      await publish(
        `item/${item.itemId}/started`,
        { supervisionPlanItemStarted: { itemId: item.itemId, reviewOpinionCaseId: s.reviewOpinionCaseId } },
        actorName(s.by),
      );
      return state;
    },
    {
      validator: (s) => {
        enforce(planGates.itemStarted(state, s?.by, s?.itemId));
        requireNonEmpty(s.reviewOpinionCaseId, 'reviewOpinionCaseId');
      },
    },
  );

  /** At its session the item is due: the committee hears the report and records its opinions. */
  async function watchItem(item: PlanItem): Promise<void> {
    await condition(
      () => state.stage === 'closed',
      untilMs(item.sessionAt),
      timer(`审议会议 ${item.itemId} ${item.unit}`, item.sessionAt),
    );
    if (state.stage === 'closed' || item.status !== 'scheduled') return;
    item.status = 'due';
    await publish(`item/${item.itemId}/due`, { supervisionPlanItemDue: { itemId: item.itemId, unit: item.unit } });
  }

  upsertSearchAttributes([
    { key: CaseKind, value: 'supervision_plan' },
    { key: Jurisdiction, value: input.jurisdiction },
    ...stageAttributes(state.stage),
    { key: CycleYear, value: input.year },
  ]);
  state.adoptionDueAt = await acts.computeDeadline({ from: startOfYear(input.year), window: pp.adoptionWindow });
  upsertSearchAttributes([{ key: DueAt, value: new Date(state.adoptionDueAt) }]);

  // Adoption by its date, or an overdue notice.
  if (
    !(await condition(
      () => state.stage !== 'collecting' || yearClosed,
      untilMs(state.adoptionDueAt),
      timer('监督计划通过期限', state.adoptionDueAt, pp.adoptionWindow),
    ))
  ) {
    state.overdue = true;
    upsertSearchAttributes([{ key: Overdue, value: true }]);
    await publish('overdue', { supervisionPlanOverdue: { year: input.year, dueAt: state.adoptionDueAt } });
  }

  // The year runs to 1 January; then next year's plan starts with the topics carried over.
  await condition(
    () => yearClosed,
    untilMs(startOfYear(input.year + 1)),
    timer(`年度结束，启动 ${input.year + 1} 年计划`, startOfYear(input.year + 1)),
  );
  const next = planCaseId(input.jurisdiction, input.year + 1);
  await acts.startSupervisionPlan({
    caseId: next,
    jurisdiction: input.jurisdiction,
    year: input.year + 1,
    carriedTopics: state.nextYearTopics,
    policy: input.policy,
  });
  state.nextPlanCaseId = next;
  state.stage = 'closed';
  upsertSearchAttributes([...stageAttributes('closed'), { key: Overdue, value: false }]);
  await publish('closed', {
    supervisionPlanClosed: {
      year: input.year,
      itemsStarted: state.items.filter((i) => i.status === 'started').length,
      nextPlanCaseId: next,
    },
  });
  await condition(allHandlersFinished);
  return state;
}
