// An appointed department head (任命人员) reports once in a five-year term (一届内全覆盖): the
// workflow starts at registration and waits for the report; if none is filed by the policy's
// flag time before the term ends, it is flagged (Overdue, AtRisk) for staff, who see who is
// still due by listing Stage = 'due'. A filed report opens a satisfaction vote of the
// committee members (the registry's roster): one vote per member while it is open; the tally
// checks the quorum and pass mark from the policy.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { RATINGS } from '@duban/domain/pure';
import { AtRisk, DueAt, Overdue, Satisfaction, Unit, stageAttributes } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import {
  appointeeStateQuery,
  appointeeVoteUpdate,
  fileAppointeeReportUpdate,
  type AppointeeReportInput,
  type AppointeeReportStage,
  type AppointeeReportState,
} from './definitions';
import { appointeeGates } from './gates';
import {
  actorName,
  acts,
  conflict,
  enforce,
  eventPublisher,
  invalid,
  nowIso,
  requireRating,
  requireAtLeast2Chars,
  turnTaker,
  untilMs,
} from '../citizen/kit';

const endOfLocalDay = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

export async function appointeeReportWorkflow(input: AppointeeReportInput): Promise<AppointeeReportState> {
  const ap = input.policy.policy.duties.appointee;
  const state: AppointeeReportState = {
    caseId: input.caseId,
    appointmentId: input.appointmentId,
    officialId: input.officialId,
    unit: input.unit,
    stage: 'due',
    termEndsAt: '',
    flagAt: '',
    flagged: false,
    electorate: [],
    votes: {},
    events: [],
  };
  const publish = eventPublisher({
    ...input,
    caseKind: 'appointee_report',
    record: (eventId) => state.events.push(eventId),
  });
  const exclusive = turnTaker();
  function setStage(stage: AppointeeReportStage, dueAt?: string): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage), ...(dueAt ? [{ key: DueAt, value: new Date(dueAt) }] : [])]);
  }

  // Actions wait until the case's first event is on its way, so that no event precedes it and
  // the deadlines they compare with are known; a handler re-checks what its validator checked,
  // for actions that arrived together before that.
  let ready = false;
  const gate = () => condition(() => ready);

  setHandler(appointeeStateQuery, () => state);
  setHandler(
    fileAppointeeReportUpdate,
    async (f) => {
      await gate();
      if (state.stage !== 'due')
        throw conflict(`${input.caseId} is ${state.stage}; the term's report is already filed`);
      const at = nowIso();
      state.report = { summary: f.summary, at };
      state.electorate = [...new Set(f.electorate)];
      setStage('voting');
      upsertSearchAttributes([
        { key: Overdue, value: false },
        { key: AtRisk, value: false },
      ]);
      return exclusive(async () => {
        state.voteDueAt = await acts.computeDeadline({ from: at, window: ap.voteWindow });
        upsertSearchAttributes([{ key: DueAt, value: new Date(state.voteDueAt) }]);
        await publish(
          'report-filed',
          {
            appointeeReportFiled: {
              appointmentId: input.appointmentId,
              unit: input.unit,
              voteDueAt: state.voteDueAt,
              voters: state.electorate.length,
            },
          },
          actorName(f.by),
        );
        return state;
      });
    },
    {
      validator: (f) => {
        enforce(appointeeGates.fileReport(state, f?.by));
        requireAtLeast2Chars(f.summary, 'summary');
        if (!Array.isArray(f.electorate) || f.electorate.length === 0)
          throw invalid('no committee members to vote: register the roster first');
      },
    },
  );
  setHandler(
    appointeeVoteUpdate,
    async (v) => {
      state.votes[v.by.sub] = v.choice;
      return exclusive(async () => {
        await publish(
          `vote/${v.by.sub}`,
          { appointeeVoteCast: { appointmentId: input.appointmentId, memberId: v.by.sub, choice: v.choice } },
          actorName(v.by),
        );
        return state;
      });
    },
    {
      validator: (v) => {
        enforce(appointeeGates.vote(state, v?.by));
        requireRating(v.choice);
      },
    },
  );

  // 1. The term and the flag time before its end.
  state.termEndsAt = input.termEnd
    ? endOfLocalDay(input.termEnd)
    : await acts.computeDeadline({
        from: new Date(`${input.termStart}T00:00:00+08:00`).toISOString(),
        window: ap.termLength,
      });
  [state.flagAt] = await acts.computeReminders({ dueAt: state.termEndsAt, before: [ap.flagBeforeTermEnd] });
  if (state.stage === 'due') setStage('due', state.flagAt);
  upsertSearchAttributes([
    { key: Unit, value: input.unit },
    { key: Overdue, value: false },
  ]);
  const registered = publish('registered', {
    appointeeRegistered: {
      appointmentId: input.appointmentId,
      officialId: input.officialId,
      unit: input.unit,
      termStart: input.termStart,
      termEnd: state.termEndsAt,
      flagAt: state.flagAt,
    },
  });
  ready = true;
  await registered;

  // 2. Wait for the report; flag it late in the term; the term's end closes it unreported.
  const filed = () => state.stage !== 'due';
  if (!(await condition(filed, untilMs(state.flagAt), timer('履职报告提示（任期将满）', state.flagAt)))) {
    state.flagged = true;
    upsertSearchAttributes([
      { key: Overdue, value: true },
      { key: AtRisk, value: true },
      { key: DueAt, value: new Date(state.termEndsAt) },
    ]);
    await exclusive(() =>
      publish('missing', {
        appointeeReportMissing: { appointmentId: input.appointmentId, unit: input.unit, termEndsAt: state.termEndsAt },
      }),
    );
    if (!(await condition(filed, untilMs(state.termEndsAt), timer('任期届满', state.termEndsAt))))
      state.closedOutcome = 'termEndedWithoutReport';
  }

  // 3. The vote, until its window ends or every member has voted; then the tally.
  if (!state.closedOutcome) {
    await condition(() => !!state.voteDueAt);
    const allVoted = () => state.electorate.every((m) => !!state.votes[m]);
    await condition(allVoted, untilMs(state.voteDueAt!), timer('满意度测评截止', state.voteDueAt));
    await exclusive(async () => {
      // Close the vote before counting: a vote after this is refused by the validator.
      state.voteDueAt = nowIso();
      const count = (r: (typeof RATINGS)[number]) => Object.values(state.votes).filter((c) => c === r).length;
      const satisfied = count('satisfied');
      const basicallySatisfied = count('basicallySatisfied');
      const unsatisfied = count('unsatisfied');
      const cast = satisfied + basicallySatisfied + unsatisfied;
      const roster = state.electorate.length;
      const quorum = roster > 0 && (cast * 100) / roster >= ap.quorumPercent;
      const passed = quorum && cast > 0 && ((satisfied + basicallySatisfied) * 100) / cast > ap.passPercent;
      state.tally = { satisfied, basicallySatisfied, unsatisfied, roster, quorum, passed };
      state.closedOutcome = !quorum ? 'noQuorum' : passed ? 'passed' : 'failed';
      upsertSearchAttributes([{ key: Satisfaction, value: passed ? 'satisfied' : 'unsatisfied' }]);
      await publish('tallied', {
        appointeeVoteTallied: { appointmentId: input.appointmentId, ...state.tally },
      });
    });
  }

  await exclusive(async () => {
    setStage('closed');
    await publish('closed', {
      appointeeReportClosed: { appointmentId: input.appointmentId, outcome: state.closedOutcome! },
    });
  });
  await condition(allHandlersFinished);
  return state;
}
