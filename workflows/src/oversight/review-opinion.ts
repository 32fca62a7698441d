// One unit's part ("track") of a review opinion (审议意见) or of a resolution (决议) that
// followed an investigation: its items of the issue and supervision lists with item-by-item
// feedback (条目式反馈) and closure confirmed by staff (销号, evidence kept); its written
// handling report (研究处理情况报告) by the policy's window; staff's assessment or the members'
// satisfaction vote (满意度测评, one vote per member while open); on failure a re-report
// (再次报告) within its window; failing again, the escalation ladder, whose top steps (inquiry,
// investigation) by law need members to file or propose: the track records that and links the
// case started for it. Deterministic: the clock is the workflow's, every side effect an activity.
// The parts: review-opinion-state.ts (pure checks and changes), review-opinion-track.ts
// (publishing, attributes), review-opinion-handlers.ts (the Updates, the ladder's signals),
// review-opinion-clock.ts (what the deadlines drive).
import { condition } from '@temporalio/workflow';
import { AtRisk, CaseKind, CycleYear, Jurisdiction, Unit, stageAttributes } from '../search-attributes';
import { dayOf, describeCase, stepLabel, upsertSearchAttributes } from '../ui';
import { acts, actorName, nowIso } from './common';
import type { ReviewOpinionInput, ReviewOpinionState } from './definitions';
import { close, verdictOf, watchItem, watchReport } from './review-opinion-clock';
import { registerTrackHandlers } from './review-opinion-handlers';
import { reviewOpinionTrack } from './review-opinion-track';

export async function reviewOpinionWorkflow(input: ReviewOpinionInput): Promise<ReviewOpinionState> {
  const t = reviewOpinionTrack(input);
  const { state, op, wfId, publish } = t;
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
  registerTrackHandlers(t);

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
  t.run.ready = true;
  t.refreshClock();
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
  for (const it of state.items) void watchItem(t, it);
  void watchReport(t, 1, state.reportDueAt);

  // 2. The report and its verdict; a failed one gets one re-report (再次报告), then the ladder.
  let passed = false;
  let lastVerdict: string = '';
  for (;;) {
    const round = state.round;
    await condition(() => state.reports.some((r) => r.round === round));
    lastVerdict = await verdictOf(t, round);
    if (lastVerdict === 'accepted' || lastVerdict === 'passed') {
      passed = true;
      break;
    }
    if (round >= 2) break;
    const reason = lastVerdict === 'poor' ? 'poorRectification' : 'lowSatisfaction';
    state.round = 2;
    state.reportOverdue = false;
    state.reportDueAt = await acts.computeDeadline({ from: nowIso(), window: op.reReportWindow });
    t.setStage('reReport');
    t.refreshClock();
    await publish('re-report', { reReportRequired: { unit: input.unit, dueAt: state.reportDueAt, reason } });
    void watchReport(t, 2, state.reportDueAt);
  }

  if (!passed) {
    const reason = lastVerdict === 'poor' ? 'poorRectificationAfterReReport' : 'lowSatisfactionAfterReReport';
    const ladderId = `${wfId}-ladder-1`;
    state.ladder = { ladderId, reason };
    t.setStage('escalated');
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
    if (state.ladder.outcome === 'exhausted') return close(t, 'escalationExhausted');
  }

  // 3. Closure once every item is confirmed closed (销号).
  t.setStage('accepted');
  t.refreshClock();
  await condition(() => state.items.every((i) => i.status === 'closed'));
  return close(t, 'completed');
}
