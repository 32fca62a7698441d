// A local regulation's implementation report (法规实施情况报告): the workflow starts when the
// regulation is registered and sleeps until it has been in force for the policy's period
// (24 months by default); then the government is asked for a written report, due within the
// policy's window (30 days); committee staff review it within their window; a returned report
// is asked for again (up to maxReturns times). Each missed deadline sets Overdue.
import { allHandlersFinished, condition, setHandler, sleep } from '@temporalio/workflow';
import { DueAt, Overdue, Unit, stageAttributes } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import {
  fileRegulationReportUpdate,
  regulationStateQuery,
  reviewRegulationReportUpdate,
  type RegulationReportInput,
  type RegulationReportStage,
  type RegulationReportState,
} from './definitions';
import { regulationGates } from './gates';
import {
  actorName,
  acts,
  enforce,
  eventPublisher,
  invalid,
  ms,
  nowIso,
  requireAtLeast2Chars,
  turnTaker,
  untilMs,
} from '../citizen/kit';

export async function regulationReportWorkflow(input: RegulationReportInput): Promise<RegulationReportState> {
  const rp = input.policy.policy.duties.regulation;
  const state: RegulationReportState = {
    caseId: input.caseId,
    regulationId: input.regulationId,
    unit: input.unit,
    inForceOn: input.inForceOn,
    stage: 'inForce',
    requestAt: '',
    round: 0,
    overdue: false,
    reports: [],
    reviewOverdue: false,
    reviews: [],
    events: [],
  };
  const publish = eventPublisher({
    ...input,
    caseKind: 'regulation_report',
    record: (eventId) => state.events.push(eventId),
  });
  const exclusive = turnTaker();
  function setStage(stage: RegulationReportStage, dueAt?: string): void {
    state.stage = stage;
    upsertSearchAttributes([
      ...stageAttributes(stage),
      ...(dueAt ? [{ key: DueAt, value: new Date(dueAt) }] : []),
      { key: Overdue, value: false },
    ]);
  }

  setHandler(regulationStateQuery, () => state);
  setHandler(
    fileRegulationReportUpdate,
    async (f) => {
      const at = nowIso();
      const onTime = ms(at) <= ms(state.reportDueAt!);
      state.reports.push({ round: state.round, summary: f.summary, at, onTime });
      setStage('underReview');
      return exclusive(async () => {
        state.reviewDueAt = await acts.computeDeadline({ from: at, window: rp.reviewWindow });
        upsertSearchAttributes([{ key: DueAt, value: new Date(state.reviewDueAt) }]);
        await publish(
          `report-filed/${state.round}`,
          {
            regulationReportFiled: {
              regulationId: input.regulationId,
              unit: input.unit,
              onTime,
              round: state.round,
              reviewDueAt: state.reviewDueAt,
            },
          },
          actorName(f.by),
        );
        return state;
      });
    },
    {
      validator: (f) => {
        enforce(regulationGates.fileReport(state, f?.by));
        requireAtLeast2Chars(f.summary, 'summary');
      },
    },
  );
  setHandler(
    reviewRegulationReportUpdate,
    async (r) => {
      state.reviews.push({ round: state.round, decision: r.decision, note: r.note, at: nowIso(), by: actorName(r.by) });
      return exclusive(async () => {
        await publish(
          `reviewed/${state.round}`,
          { regulationReportReviewed: { regulationId: input.regulationId, decision: r.decision, round: state.round } },
          actorName(r.by),
        );
        return state;
      });
    },
    {
      validator: (r) => {
        enforce(regulationGates.review(state, r?.by));
        if (r.decision !== 'accepted' && r.decision !== 'returned')
          throw invalid('decision must be "accepted" or "returned"');
        requireAtLeast2Chars(r.note, 'note');
      },
    },
  );

  // 1. Sleep until the period in force is reached (at once if it already is).
  state.requestAt = await acts.computeDeadline({
    from: new Date(`${input.inForceOn}T00:00:00+08:00`).toISOString(),
    window: rp.reportAfterInForce,
  });
  setStage('inForce', state.requestAt);
  upsertSearchAttributes([{ key: Unit, value: input.unit }]);
  await publish('registered', {
    regulationRegistered: {
      regulationId: input.regulationId,
      unit: input.unit,
      inForceOn: input.inForceOn,
      reportRequestedAt: state.requestAt,
    },
  });
  await sleep(untilMs(state.requestAt), timer('要求报送实施情况报告', state.requestAt));

  // 2. Request, file, review; a returned report is asked for again.
  for (;;) {
    state.round++;
    const round = state.round;
    state.reportDueAt = await acts.computeDeadline({ from: nowIso(), window: rp.reportWindow });
    state.overdue = false;
    state.reviewOverdue = false;
    setStage('requested', state.reportDueAt);
    await exclusive(() =>
      publish(`requested/${round}`, {
        regulationReportRequested: {
          regulationId: input.regulationId,
          unit: input.unit,
          dueAt: state.reportDueAt,
          round,
        },
      }),
    );
    const filed = () => state.reports.some((r) => r.round === round);
    if (
      !(await condition(filed, untilMs(state.reportDueAt), timer('报告报送期限', state.reportDueAt, rp.reportWindow)))
    ) {
      state.overdue = true;
      upsertSearchAttributes([{ key: Overdue, value: true }]);
      await exclusive(() =>
        publish(`overdue/${round}`, {
          regulationReportOverdue: {
            regulationId: input.regulationId,
            unit: input.unit,
            dueAt: state.reportDueAt,
            round,
          },
        }),
      );
      await condition(filed);
    }
    await condition(() => !!state.reviewDueAt && state.stage === 'underReview');
    const reviewed = () => state.reviews.some((r) => r.round === round);
    if (!(await condition(reviewed, untilMs(state.reviewDueAt!), timer('审查期限', state.reviewDueAt)))) {
      // The committee's own lateness: flagged for operators, no event to the department.
      state.reviewOverdue = true;
      upsertSearchAttributes([{ key: Overdue, value: true }]);
      await condition(reviewed);
    }
    const decision = state.reviews.find((r) => r.round === round)!.decision;
    if (decision === 'accepted' || round > rp.maxReturns) {
      state.closedOutcome = decision;
      break;
    }
    state.reviewDueAt = undefined;
  }

  await exclusive(async () => {
    setStage('closed');
    await publish('closed', {
      regulationReportClosed: {
        regulationId: input.regulationId,
        outcome: state.closedOutcome!,
        rounds: state.round,
      },
    });
  });
  await condition(allHandlersFinished);
  return state;
}
