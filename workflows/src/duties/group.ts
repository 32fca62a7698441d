// A deputy professional group's year (代表专业小组): at least the policy's number of research
// reports (调研报告) and supervised suggestions (督办建议) a year. The workflow for a year starts
// when the group is registered (and each next year from the one before, at its end); what is
// still missing is flagged the policy's time before the year ends (1 December by default).
import { allHandlersFinished, condition, setHandler, sleep } from '@temporalio/workflow';
import { CycleYear, DueAt, Overdue, Unit, stageAttributes } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import {
  GROUP_DUTIES,
  groupDutyCaseId,
  groupDutyStateQuery,
  recordGroupDutyUpdate,
  type GroupDuty,
  type GroupDutyInput,
  type GroupDutyStage,
  type GroupDutyState,
} from './definitions';
import { groupGates } from './gates';
import {
  actorName,
  acts,
  conflict,
  enforce,
  eventPublisher,
  invalid,
  nowIso,
  turnTaker,
  untilMs,
} from '../citizen/kit';

const REF_ID = /^[A-Za-z0-9_.:-]{2,100}$/;

export async function groupDutyWorkflow(input: GroupDutyInput): Promise<GroupDutyState> {
  const gp = input.policy.policy.duties.group;
  const required: Record<GroupDuty, number> = {
    researchReport: gp.researchReports,
    supervisedSuggestion: gp.supervisedSuggestions,
  };
  const state: GroupDutyState = {
    caseId: input.caseId,
    groupId: input.groupId,
    year: input.year,
    members: [...input.members],
    stage: 'open',
    flagAt: '',
    yearEndsAt: new Date(`${input.year}-12-31T23:59:59.999+08:00`).toISOString(),
    records: [],
    missing: [],
    flagged: false,
    events: [],
  };
  const publish = eventPublisher({ ...input, caseKind: 'group_duty', record: (eventId) => state.events.push(eventId) });
  const exclusive = turnTaker();
  const missing = () => GROUP_DUTIES.filter((d) => state.records.filter((r) => r.duty === d).length < required[d]);
  function setStage(stage: GroupDutyStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }

  // Actions wait until the case's first event is on its way, so that no event precedes it and
  // the deadlines they compare with are known; a handler re-checks what its validator checked,
  // for actions that arrived together before that.
  let ready = false;
  const gate = () => condition(() => ready);

  setHandler(groupDutyStateQuery, () => state);
  setHandler(
    recordGroupDutyUpdate,
    async (r) => {
      await gate();
      if (state.records.some((x) => x.duty === r.duty && x.refId === r.refId))
        throw conflict(`${r.refId} is already recorded as a ${r.duty} of ${input.groupId} in ${input.year}`);
      state.records.push({ duty: r.duty, refId: r.refId, at: nowIso(), by: actorName(r.by) });
      state.missing = missing();
      if (state.missing.length === 0 && state.stage !== 'closed') {
        setStage('complete');
        upsertSearchAttributes([{ key: Overdue, value: false }]);
      }
      return exclusive(async () => {
        await publish(
          `recorded/${r.duty}/${r.refId}`,
          { groupDutyRecorded: { groupId: input.groupId, year: input.year, duty: r.duty, refId: r.refId } },
          actorName(r.by),
        );
        return state;
      });
    },
    {
      validator: (r) => {
        enforce(groupGates.record(state, r?.by, input.members));
        if (!(GROUP_DUTIES as readonly string[]).includes(r.duty))
          throw invalid(`duty must be one of ${GROUP_DUTIES.join(', ')}`);
        if (!REF_ID.test(r.refId ?? '')) throw invalid('refId must be the id of the report or suggestion');
        if (state.records.some((x) => x.duty === r.duty && x.refId === r.refId))
          throw conflict(`${r.refId} is already recorded as a ${r.duty} of ${input.groupId} in ${input.year}`);
      },
    },
  );

  [state.flagAt] = await acts.computeReminders({ dueAt: state.yearEndsAt, before: [gp.flagBeforeYearEnd] });
  state.missing = missing();
  upsertSearchAttributes([
    { key: Unit, value: input.groupId },
    { key: CycleYear, value: input.year },
    { key: DueAt, value: new Date(state.flagAt) },
    { key: Overdue, value: false },
  ]);
  const started = publish('year-started', {
    groupDutyYearStarted: {
      groupId: input.groupId,
      year: input.year,
      flagAt: state.flagAt,
      yearEndsAt: state.yearEndsAt,
    },
  });
  ready = true;
  await started;

  // Before the year ends: flag what is still missing.
  if (!(await condition(() => missing().length === 0, untilMs(state.flagAt), timer('履职缺项提示', state.flagAt)))) {
    state.flagged = true;
    state.missing = missing();
    setStage('missing');
    upsertSearchAttributes([
      { key: Overdue, value: true },
      { key: DueAt, value: new Date(state.yearEndsAt) },
    ]);
    await exclusive(() =>
      publish('missing', { groupDutyMissing: { groupId: input.groupId, year: input.year, missing: state.missing } }),
    );
  }
  await sleep(untilMs(state.yearEndsAt), timer(`${input.year} 年度结束`, state.yearEndsAt));

  // The year closes; the next one starts (idempotent: its id names the group and the year).
  state.nextCaseId = groupDutyCaseId(input.groupId, input.year + 1);
  await exclusive(async () => {
    state.missing = missing();
    setStage('closed');
    await publish('closed', {
      groupDutyYearClosed: {
        groupId: input.groupId,
        year: input.year,
        complete: state.missing.length === 0,
        missing: state.missing,
      },
    });
    await acts.startGroupDutyYear({ ...input, caseId: state.nextCaseId!, year: input.year + 1 });
  });
  await condition(allHandlersFinished);
  return state;
}
