// One unit's part ("track") of a review opinion (审议意见) or of a resolution (决议) that
// followed an investigation: its items of the issue and supervision lists with item-by-item
// feedback (条目式反馈) and closure confirmed by staff (销号, evidence kept); its written
// handling report (研究处理情况报告) by the policy's window; staff's assessment or the members'
// satisfaction vote (满意度测评, one vote per member while open); on failure a re-report
// (再次报告) within its window; failing again, the escalation ladder, whose top steps (inquiry,
// investigation) by law need members to file or propose: the track records that and links the
// case started for it. Deterministic: the clock is the workflow's, every side effect an activity.
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { RATINGS } from '@duban/domain/pure';
import { ladderEndedSignal } from '../kernel/contracts';
import { ladderStepReachedSignal } from '../ladder/definitions';
import { reviewOpinionGates } from './gates';
import { dayOf, describeCase, showDetails, stepLabel, timer, upsertSearchAttributes } from '../ui';
import {
  AtRisk,
  CaseKind,
  CycleYear,
  DueAt,
  Jurisdiction,
  Overdue,
  Satisfaction,
  Unit,
  stageAttributes,
} from '../search-attributes';
import {
  acts,
  actorName,
  conflict,
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
  assessReportUpdate,
  castVoteUpdate,
  confirmItemUpdate,
  itemFeedbackUpdate,
  linkCaseUpdate,
  openVoteUpdate,
  reviewOpinionStateQuery,
  submitReportUpdate,
  type ReviewOpinionInput,
  type ReviewOpinionState,
  type TrackItem,
  type TrackStage,
} from './definitions';

const MAX_EVIDENCE = 20;

function checkEvidence(evidence: unknown, field: string): string[] {
  if (evidence === undefined) return [];
  if (!Array.isArray(evidence) || evidence.length > MAX_EVIDENCE)
    throw invalid(`${field} must be a list of at most ${MAX_EVIDENCE} references`);
  for (const [i, e] of evidence.entries())
    if (typeof e !== 'string' || !e.trim() || e.length > 2000)
      throw invalid(`${field}.${i} must be a reference (a document number, link or file name)`);
  return evidence as string[];
}

export async function reviewOpinionWorkflow(input: ReviewOpinionInput): Promise<ReviewOpinionState> {
  const op = input.policy.policy.oversight.reviewOpinion;
  const wfId = workflowInfo().workflowId;
  const state: ReviewOpinionState = {
    caseId: input.caseId,
    kind: input.kind,
    jurisdiction: input.jurisdiction,
    unit: input.unit,
    stage: 'rectifying',
    round: 1,
    items: [],
    reportDueAt: '',
    reportOverdue: false,
    reports: [],
    votes: [],
    procedures: [],
    events: [],
  };
  /** Deadlines are computed before any action is taken. */
  let ready = false;
  const publish = eventChain({
    prefix: wfId,
    caseId: input.caseId,
    caseKind: input.kind,
    jurisdiction: input.jurisdiction,
    record: (eventId) => state.events.push(eventId),
  });
  const exclusive = turnTaking();
  describeCase(() => ({
    案件: input.caseId,
    报告: `第 ${state.round} 次${state.reportDueAt ? `，期限 ${dayOf(state.reportDueAt)}` : ''}`,
    未销号事项: state.items.length
      ? `${state.items.filter((i) => i.status !== 'closed').length}/${state.items.length}`
      : undefined,
    督办升级: state.ladder
      ? `${state.ladder.ladderId}${state.ladder.step ? ` ${stepLabel(state.ladder.step)}` : ''}（${state.ladder.outcome ?? '进行中'}）`
      : undefined,
  }));

  function setStage(stage: TrackStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  const awaitingReport = () => !state.reports.some((r) => r.round === state.round);
  /** Overdue: the report or an open item is past its date; DueAt: the next date pending. */
  function refreshClock(): void {
    const overdue =
      (state.reportOverdue && awaitingReport()) || state.items.some((i) => i.overdue && i.status !== 'closed');
    const pending = [
      ...(awaitingReport() && state.stage !== 'closed' ? [state.reportDueAt] : []),
      ...state.items.filter((i) => i.status !== 'closed').map((i) => i.dueAt),
    ].sort((a, b) => ms(a) - ms(b));
    upsertSearchAttributes([
      { key: Overdue, value: overdue },
      ...(pending[0] ? [{ key: DueAt, value: new Date(pending[0]) }] : []),
    ]);
  }
  const item = (itemId: string) => state.items.find((i) => i.itemId === itemId);
  const currentVote = () => state.votes.find((v) => v.round === state.round);

  setHandler(reviewOpinionStateQuery, () => state);

  setHandler(
    itemFeedbackUpdate,
    async (f) => {
      const it = item(f.itemId)!;
      const no = it.feedback.length + 1;
      it.feedback.push({ no, progress: f.progress.trim(), done: f.done, evidence: f.evidence ?? [], at: nowIso() });
      if (f.done) it.status = 'awaitingConfirmation';
      await publish(
        `item/${it.itemId}/feedback/${no}`,
        { oversightItemFeedback: { itemId: it.itemId, unit: input.unit, feedbackNo: no, done: f.done } },
        actorName(f.by),
      );
      return state;
    },
    {
      validator: (f) => {
        enforce(reviewOpinionGates.itemFeedback(state, f?.by, f?.itemId, ready));
        requireNonEmpty(f.progress, 'progress');
        const evidence = checkEvidence(f.evidence, 'evidence');
        if (f.done && evidence.length === 0)
          throw invalid('evidence must name the documents or records that show it: an item reported done needs them');
      },
    },
  );

  setHandler(
    confirmItemUpdate,
    async (c) => {
      const it = item(c.itemId)!;
      if (c.confirm) {
        const unitEvidence = it.feedback[it.feedback.length - 1]?.evidence ?? [];
        it.status = 'closed';
        it.closure = {
          by: actorName(c.by),
          evidence: [...unitEvidence, ...(c.evidence ?? [])],
          note: c.note.trim(),
          at: nowIso(),
        };
        refreshClock();
        await publish(
          `item/${it.itemId}/closed`,
          { oversightItemClosed: { itemId: it.itemId, unit: input.unit, evidenceCount: it.closure.evidence.length } },
          actorName(c.by),
        );
      } else {
        it.status = 'open';
        await publish(
          `item/${it.itemId}/reopened/${it.feedback.length}`,
          { oversightItemReopened: { itemId: it.itemId, unit: input.unit } },
          actorName(c.by),
        );
      }
      return state;
    },
    {
      validator: (c) => {
        enforce(reviewOpinionGates.confirmItem(state, c?.by, c?.itemId, ready));
        requireNonEmpty(c.note, 'note');
        checkEvidence(c.evidence, 'evidence');
      },
    },
  );

  setHandler(
    submitReportUpdate,
    async (r) => {
      const at = nowIso();
      const onTime = ms(at) <= ms(state.reportDueAt);
      state.reports.push({ round: state.round, summary: r.summary.trim(), at, onTime });
      setStage('reported');
      refreshClock();
      await publish(
        `report/${state.round}`,
        { handlingReportSubmitted: { unit: input.unit, round: state.round, onTime } },
        actorName(r.by),
      );
      return state;
    },
    {
      validator: (r) => {
        enforce(reviewOpinionGates.submitReport(state, r?.by, ready));
        requireNonEmpty(r.summary, 'summary');
      },
    },
  );

  setHandler(
    assessReportUpdate,
    async (a) => {
      const report = state.reports.find((r) => r.round === state.round)!;
      report.verdict = a.verdict;
      await publish(
        `report/${state.round}/assessed`,
        { handlingReportAssessed: { unit: input.unit, round: state.round, verdict: a.verdict } },
        actorName(a.by),
      );
      return state;
    },
    {
      validator: (a) => {
        enforce(reviewOpinionGates.assessReport(state, a?.by, ready));
        if (a.verdict !== 'accepted' && a.verdict !== 'poor') throw invalid('verdict must be accepted or poor');
      },
    },
  );

  setHandler(
    openVoteUpdate,
    (v) =>
      exclusive(async () => {
        const round = { round: state.round, electorate: [...v.electorate], closesAt: '', votes: {} };
        state.votes.push(round);
        setStage('voting');
        round.closesAt = await acts.computeDeadline({ from: nowIso(), window: op.voteWindow });
        await publish(
          `vote/${state.round}/opened`,
          {
            satisfactionVoteOpened: {
              unit: input.unit,
              round: state.round,
              closesAt: round.closesAt,
              electorate: round.electorate.length,
            },
          },
          actorName(v.by),
        );
        return state;
      }),
    {
      validator: (v) => {
        enforce(reviewOpinionGates.openVote(state, v?.by, ready));
        if (!Array.isArray(v.electorate) || v.electorate.length === 0)
          throw invalid('electorate must list the committee members who may vote');
        if (new Set(v.electorate).size !== v.electorate.length) throw invalid('electorate lists a member twice');
      },
    },
  );

  setHandler(
    castVoteUpdate,
    async (v) => {
      const round = currentVote()!;
      round.votes[v.by.sub] = v.vote;
      await publish(
        `vote/${round.round}/cast/${v.by.sub}`,
        { satisfactionVoteCast: { unit: input.unit, round: round.round, memberId: v.by.sub, vote: v.vote } },
        actorName(v.by),
      );
      return state;
    },
    {
      validator: (v) => {
        enforce(reviewOpinionGates.castVote(state, v?.by, ready));
        if (!(RATINGS as readonly string[]).includes(v.vote))
          throw invalid(`vote must be one of ${RATINGS.join(', ')}`);
      },
    },
  );

  setHandler(
    linkCaseUpdate,
    async (l) => {
      let proc = state.procedures.find((p) => p.step === l.kind && !p.linkedCaseId);
      if (!proc) {
        proc = { step: l.kind, needs: 'started before the ladder reached this step', at: nowIso() };
        state.procedures.push(proc);
      }
      proc.linkedCaseId = l.linkedCaseId;
      await publish(
        `linked/${l.linkedCaseId}`,
        { oversightCaseLinked: { unit: input.unit, linkedCaseId: l.linkedCaseId, linkedKind: l.kind } },
        actorName(l.by),
      );
      return state;
    },
    {
      validator: (l) => {
        enforce(reviewOpinionGates.linkCase(state, l?.by, ready));
        if (l.kind !== 'inquiry' && l.kind !== 'investigation') throw invalid('kind must be inquiry or investigation');
        requireNonEmpty(l.linkedCaseId, 'linkedCaseId');
        if (state.procedures.some((p) => p.linkedCaseId === l.linkedCaseId))
          throw conflict(`${l.linkedCaseId} is already linked`);
      },
    },
  );

  // A part starts one ladder: its signals are taken by that, not by comparing ids (a replay may
  // run under another workflow id).
  setHandler(ladderEndedSignal, ({ outcome }) => {
    if (state.ladder && !state.ladder.outcome) state.ladder.outcome = outcome;
    showDetails();
  });

  setHandler(ladderStepReachedSignal, async ({ ladderId, step }) => {
    if (!state.ladder || state.ladder.outcome) return;
    state.ladder.step = step;
    if (step !== 'inquiry' && step !== 'investigation') {
      setStage('escalated');
      return;
    }
    // The law leaves these to people: the system cannot file an inquiry or propose an
    // investigation itself. The track says what is needed; the case filed for it is linked.
    const needs =
      step === 'inquiry'
        ? `an inquiry (质询案) signed by at least ${input.policy.policy.oversight.inquiry.minSignersByLevel[input.policy.level ?? 'national']} members`
        : `a proposal by the chair council or at least ${input.policy.policy.oversight.investigation.minProposerPercent}% of the members`;
    state.procedures.push({ step, needs, at: nowIso() });
    setStage(step === 'inquiry' ? 'inquiryDue' : 'investigationDue');
    await publish(`procedure-due/${step}`, {
      oversightProcedureDue: { unit: input.unit, ladderId, step, needs },
    });
  });

  // ---- the clock: item deadlines and report deadlines.
  async function watchItem(it: TrackItem): Promise<void> {
    if (
      await condition(
        () => it.status === 'closed' || state.stage === 'closed',
        untilMs(it.dueAt),
        timer(`整改事项期限 ${it.itemId}`, it.dueAt),
      )
    )
      return;
    it.overdue = true;
    refreshClock();
    await publish(`item/${it.itemId}/overdue`, {
      oversightItemOverdue: { itemId: it.itemId, unit: input.unit, dueAt: it.dueAt },
    });
  }
  async function watchReport(round: number, dueAt: string): Promise<void> {
    const inFor = () => state.reports.some((r) => r.round === round) || state.stage === 'closed';
    if (await condition(inFor, untilMs(dueAt), timer(round > 1 ? '再次报告期限' : '办理情况报告期限', dueAt))) return;
    state.reportOverdue = true;
    refreshClock();
    await publish(`report/${round}/overdue`, { handlingReportOverdue: { unit: input.unit, round, dueAt } });
  }

  /** The verdict of the current round: staff's, or the vote's when it closes. */
  async function verdictOf(round: number): Promise<'accepted' | 'poor' | 'passed' | 'failed'> {
    const report = () => state.reports.find((r) => r.round === round)!;
    await condition(() => !!report().verdict || state.stage === 'voting');
    if (report().verdict) return report().verdict!;
    const vote = currentVote()!;
    await condition(() => !!vote.closesAt);
    const cast = () => Object.keys(vote.votes).length;
    await condition(
      () => cast() === vote.electorate.length,
      untilMs(vote.closesAt),
      timer('满意度测评截止', vote.closesAt),
    );
    const votes = Object.values(vote.votes);
    const count = (c: string) => votes.filter((v) => v === c).length;
    const satisfied = count('satisfied');
    const basically = count('basicallySatisfied');
    const ratePercent = votes.length ? Math.round(((satisfied + basically) * 100) / votes.length) : 0;
    // No vote cast is no approval: the report has not passed.
    const passed = votes.length > 0 && ((satisfied + basically) * 100) / votes.length >= op.passPercent;
    vote.result = { satisfied, basicallySatisfied: basically, unsatisfied: count('unsatisfied'), ratePercent, passed };
    report().verdict = passed ? 'passed' : 'failed';
    setStage('reported');
    upsertSearchAttributes([{ key: Satisfaction, value: passed ? 'satisfied' : 'unsatisfied' }]);
    await publish(`vote/${round}/closed`, {
      satisfactionVoteClosed: {
        unit: input.unit,
        round,
        satisfied,
        basicallySatisfied: basically,
        unsatisfied: vote.result.unsatisfied,
        electorate: vote.electorate.length,
        ratePercent,
        thresholdPercent: op.passPercent,
        passed,
      },
    });
    return report().verdict!;
  }

  async function close(outcome: NonNullable<ReviewOpinionState['closedOutcome']>): Promise<ReviewOpinionState> {
    state.closedOutcome = outcome;
    setStage('closed');
    upsertSearchAttributes([{ key: Overdue, value: false }]);
    await publish('closed', { reviewOpinionClosed: { outcome } });
    await condition(allHandlersFinished);
    return state;
  }

  // 1. The shared search attributes (whoever started it), deadlines, then the opening event.
  upsertSearchAttributes([
    { key: CaseKind, value: input.kind },
    { key: Unit, value: input.unit },
    { key: Jurisdiction, value: input.jurisdiction },
    ...stageAttributes(state.stage),
    { key: CycleYear, value: Number(input.openedAt.slice(0, 4)) },
  ]);
  const reportWindow =
    input.kind === 'resolution'
      ? input.policy.policy.oversight.investigation.resolutionReportWindow
      : op.handlingReportWindow;
  state.reportDueAt = await acts.computeDeadline({ from: input.openedAt, window: reportWindow });
  const defaultItemDue = input.items.some((i) => !i.dueAt)
    ? await acts.computeDeadline({ from: input.openedAt, window: op.itemWindow })
    : undefined;
  state.items = input.items.map((i) => ({
    itemId: i.itemId,
    list: i.list,
    description: i.description,
    dueAt: i.dueAt ?? defaultItemDue!,
    status: 'open',
    overdue: false,
    feedback: [],
  }));
  ready = true;
  refreshClock();
  await publish(
    'opened',
    {
      reviewOpinionOpened: {
        items: state.items.map((i) => ({ itemId: i.itemId, list: i.list, unit: input.unit, dueAt: i.dueAt })),
        units: [input.unit],
        reportDueAt: state.reportDueAt,
        sourceCaseId: input.source?.caseId ?? '',
        sourceItemId: input.source?.itemId ?? '',
      },
    },
    actorName(input.openedBy),
  );
  for (const it of state.items) void watchItem(it);
  void watchReport(1, state.reportDueAt);

  // 2. The report and its verdict; a failed one gets one re-report (再次报告), then the ladder.
  let passed = false;
  let lastVerdict: string = '';
  for (;;) {
    const round = state.round;
    await condition(() => state.reports.some((r) => r.round === round));
    lastVerdict = await verdictOf(round);
    if (lastVerdict === 'accepted' || lastVerdict === 'passed') {
      passed = true;
      break;
    }
    if (round >= 2) break;
    const reason = lastVerdict === 'poor' ? 'poorRectification' : 'lowSatisfaction';
    state.round = 2;
    state.reportOverdue = false;
    state.reportDueAt = await acts.computeDeadline({ from: nowIso(), window: op.reReportWindow });
    setStage('reReport');
    refreshClock();
    await publish('re-report', { reReportRequired: { unit: input.unit, dueAt: state.reportDueAt, reason } });
    void watchReport(2, state.reportDueAt);
  }

  if (!passed) {
    const reason = lastVerdict === 'poor' ? 'poorRectificationAfterReReport' : 'lowSatisfactionAfterReReport';
    const ladderId = `${wfId}-ladder-1`;
    state.ladder = { ladderId, reason };
    setStage('escalated');
    upsertSearchAttributes([{ key: AtRisk, value: true }]);
    await acts.startLadder({
      ladderId,
      caseId: input.caseId,
      caseKind: input.kind,
      jurisdiction: input.jurisdiction,
      unit: input.unit,
      reason,
      steps: op.escalationSteps,
      notifyWorkflowId: wfId,
      notifySteps: true,
    });
    await publish('escalated', { oversightEscalated: { unit: input.unit, ladderId, reason } });
    await condition(() => !!state.ladder!.outcome);
    if (state.ladder.outcome === 'exhausted') return close('escalationExhausted');
  }

  // 3. Closure once every item is confirmed closed (销号).
  setStage('accepted');
  refreshClock();
  await condition(() => state.items.every((i) => i.status === 'closed'));
  return close('completed');
}
