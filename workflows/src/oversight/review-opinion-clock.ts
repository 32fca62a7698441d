// What a review-opinion track's clock drives: item deadlines, report deadlines, the vote's
// close and verdict, and closing. The order of its timers and activities is what the recorded
// histories hold.
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { Overdue, Satisfaction } from '../search-attributes';
import { timer, upsertSearchAttributes } from '../ui';
import { untilMs } from './common';
import type { ReviewOpinionState, TrackItem } from './definitions';
import { currentVote, voteResult } from './review-opinion-state';
import type { Track } from './review-opinion-track';

export async function watchItem(t: Track, it: TrackItem): Promise<void> {
  if (
    await condition(
      () => it.status === 'closed' || t.state.stage === 'closed',
      untilMs(it.dueAt),
      timer(`整改事项期限 ${it.itemId}`, it.dueAt),
    )
  )
    return;
  it.overdue = true;
  t.refreshClock();
  await t.publish(`item/${it.itemId}/overdue`, {
    oversightItemOverdue: { itemId: it.itemId, unit: t.input.unit, dueAt: it.dueAt },
  });
}

export async function watchReport(t: Track, round: number, dueAt: string): Promise<void> {
  const { state } = t;
  const inFor = () => state.reports.some((r) => r.round === round) || state.stage === 'closed';
  if (await condition(inFor, untilMs(dueAt), timer(round > 1 ? '再次报告期限' : '办理情况报告期限', dueAt))) return;
  state.reportOverdue = true;
  t.refreshClock();
  await t.publish(`report/${round}/overdue`, { handlingReportOverdue: { unit: t.input.unit, round, dueAt } });
}

/** The verdict of the current round: staff's, or the vote's when it closes. */
export async function verdictOf(t: Track, round: number): Promise<'accepted' | 'poor' | 'passed' | 'failed'> {
  const { state, op } = t;
  const report = () => state.reports.find((r) => r.round === round)!;
  await condition(() => !!report().verdict || state.stage === 'voting');
  if (report().verdict) return report().verdict!;
  const vote = currentVote(state)!;
  await condition(() => !!vote.closesAt);
  const cast = () => Object.keys(vote.votes).length;
  await condition(
    () => cast() === vote.electorate.length,
    untilMs(vote.closesAt),
    timer('满意度测评截止', vote.closesAt),
  );
  vote.result = voteResult(vote, op.passPercent);
  const { passed } = vote.result;
  report().verdict = passed ? 'passed' : 'failed';
  t.setStage('reported');
  upsertSearchAttributes([{ key: Satisfaction, value: passed ? 'satisfied' : 'unsatisfied' }]);
  await t.publish(`vote/${round}/closed`, {
    satisfactionVoteClosed: {
      unit: t.input.unit,
      round,
      satisfied: vote.result.satisfied,
      basicallySatisfied: vote.result.basicallySatisfied,
      unsatisfied: vote.result.unsatisfied,
      electorate: vote.electorate.length,
      ratePercent: vote.result.ratePercent,
      thresholdPercent: op.passPercent,
      passed,
    },
  });
  return report().verdict!;
}

export async function close(
  t: Track,
  outcome: NonNullable<ReviewOpinionState['closedOutcome']>,
): Promise<ReviewOpinionState> {
  t.state.closedOutcome = outcome;
  t.setStage('closed');
  upsertSearchAttributes([{ key: Overdue, value: false }]);
  await t.publish('closed', { reviewOpinionClosed: { outcome } });
  await condition(allHandlersFinished);
  return t.state;
}
