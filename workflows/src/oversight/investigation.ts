// Investigation of a specific question (特定问题调查): proposed by the chair council or by at
// least the policy's share (one fifth) of the members, checked against the roster before the
// start and again here; decided by the committee within the policy's window; run by an
// investigation committee (调查委员会) that reports by its deadline; a resolution (决议) may
// follow, which the oversight service starts as its own case (the review-opinion loop with
// kind "resolution") and links here. Deterministic: the clock is the workflow's.
import { ApplicationFailure, allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { CaseKind, CycleYear, DueAt, Jurisdiction, Overdue, Unit, stageAttributes } from '../search-attributes';
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
  decideInvestigationUpdate,
  investigationReportUpdate,
  investigationStateQuery,
  type InvestigationInput,
  type InvestigationStage,
  type InvestigationState,
} from './definitions';
import { minProposers } from './rules';
import { investigationGates } from './gates';

export async function investigationWorkflow(input: InvestigationInput): Promise<InvestigationState> {
  const vp = input.policy.policy.oversight.investigation;
  if (input.proposedBy === 'members') {
    const need = minProposers(input.memberCount, vp.minProposerPercent);
    if (new Set(input.proposers).size < need)
      throw ApplicationFailure.nonRetryable(
        `an investigation proposed by members needs at least ${need} of ${input.memberCount}; it has ${input.proposers.length}`,
        'InvalidInvestigation',
      );
  }
  const state: InvestigationState = {
    caseId: input.caseId,
    jurisdiction: input.jurisdiction,
    question: input.question,
    ...(input.unit ? { unit: input.unit } : {}),
    stage: 'proposed',
    decisionDueAt: '',
    overdue: false,
    committeeMembers: [],
    ...(input.relatedCaseId ? { relatedCaseId: input.relatedCaseId } : {}),
    events: [],
  };
  const publish = eventChain({
    prefix: input.caseId,
    caseId: input.caseId,
    caseKind: 'investigation',
    jurisdiction: input.jurisdiction,
    record: (eventId) => state.events.push(eventId),
  });
  const exclusive = turnTaking();
  describeCase(() => ({
    提议: input.proposedBy === 'chairCouncil' ? '主任会议' : `${input.proposers.length} 名组成人员`,
  }));
  let decided: boolean | undefined;
  function setStage(stage: InvestigationStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  function setDue(dueAt: string): void {
    state.overdue = false;
    upsertSearchAttributes([
      { key: DueAt, value: new Date(dueAt) },
      { key: Overdue, value: false },
    ]);
  }
  async function markOverdue(dueAt: string): Promise<void> {
    state.overdue = true;
    upsertSearchAttributes([{ key: Overdue, value: true }]);
    await publish(`overdue/${state.stage}`, { investigationOverdue: { dueAt } });
  }

  setHandler(investigationStateQuery, () => state);

  setHandler(
    decideInvestigationUpdate,
    (d) =>
      exclusive(async () => {
        decided = d.adopt;
        if (d.adopt) {
          state.committeeMembers = [...(d.committeeMembers ?? [])];
          setStage('investigating');
          state.reportDueAt = d.reportDueAt
            ? new Date(d.reportDueAt).toISOString()
            : await acts.computeDeadline({ from: nowIso(), window: vp.reportWindow });
          setDue(state.reportDueAt);
        }
        await publish(
          'decided',
          {
            investigationDecided: {
              adopted: d.adopt,
              ...(state.reportDueAt ? { reportDueAt: state.reportDueAt } : {}),
              committeeMembers: state.committeeMembers,
            },
          },
          actorName(d.by),
        );
        return state;
      }),
    {
      validator: (d) => {
        enforce(investigationGates.decide(state, d?.by, decided));
        if (typeof d.adopt !== 'boolean') throw invalid('adopt must be true or false');
        if (d.adopt && (!Array.isArray(d.committeeMembers) || d.committeeMembers.length === 0))
          throw invalid('an adopted investigation names its committee (committeeMembers)');
        if (d.reportDueAt !== undefined) {
          const at = Date.parse(d.reportDueAt);
          if (Number.isNaN(at) || at <= Date.now()) throw invalid('reportDueAt must be a future ISO date-time');
        }
      },
    },
  );

  setHandler(
    investigationReportUpdate,
    async (r) => {
      const at = nowIso();
      state.report = { summary: r.summary.trim(), at, onTime: ms(at) <= ms(state.reportDueAt!) };
      if (r.resolutionCaseId) state.resolutionCaseId = r.resolutionCaseId;
      await publish(
        'reported',
        { investigationReported: { onTime: state.report.onTime, resolutionFollows: !!r.resolutionCaseId } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        enforce(investigationGates.report(state, r?.by));
        requireNonEmpty(r.summary, 'summary');
        if (r.resolutionCaseId !== undefined && !/^resolution-\d{4}-\d{4,}$/.test(r.resolutionCaseId))
          throw invalid('resolutionCaseId must name a resolution case, e.g. resolution-2026-0001');
      },
    },
  );

  upsertSearchAttributes([
    { key: CaseKind, value: 'investigation' },
    ...(input.unit ? [{ key: Unit, value: input.unit }] : []),
    { key: Jurisdiction, value: input.jurisdiction },
    ...stageAttributes(state.stage),
    { key: CycleYear, value: Number(input.proposedAt.slice(0, 4)) },
  ]);
  state.decisionDueAt = await acts.computeDeadline({ from: input.proposedAt, window: vp.decisionWindow });
  setDue(state.decisionDueAt);
  await publish(
    'proposed',
    {
      investigationProposed: {
        byChairCouncil: input.proposedBy === 'chairCouncil',
        proposers: input.proposers,
        memberCount: input.memberCount,
        relatedCaseId: input.relatedCaseId ?? '',
        unit: input.unit ?? '',
      },
    },
    input.proposedBy === 'chairCouncil' ? 'staff:chair-council' : `deputy:${input.proposers[0]}`,
  );

  // The committee decides; past its window the proposal is overdue until it does.
  if (
    !(await condition(
      () => decided !== undefined,
      untilMs(state.decisionDueAt),
      timer('常委会决定期限', state.decisionDueAt),
    ))
  ) {
    await markOverdue(state.decisionDueAt);
    await condition(() => decided !== undefined);
  }
  let outcome: NonNullable<InvestigationState['closedOutcome']> = 'rejected';
  if (decided) {
    await condition(() => !!state.reportDueAt);
    if (
      !(await condition(() => !!state.report, untilMs(state.reportDueAt!), timer('调查报告期限', state.reportDueAt)))
    ) {
      await markOverdue(state.reportDueAt!);
      await condition(() => !!state.report);
    }
    outcome = state.resolutionCaseId ? 'resolutionStarted' : 'reported';
  }
  state.closedOutcome = outcome;
  setStage('closed');
  upsertSearchAttributes([{ key: Overdue, value: false }]);
  await publish('closed', {
    investigationClosed: { outcome, resolutionCaseId: state.resolutionCaseId ?? '' },
  });
  await condition(allHandlersFinished);
  return state;
}
