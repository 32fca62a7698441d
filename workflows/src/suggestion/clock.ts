// What the suggestion case's clock drives: the reply deadline with its reminders, overdue and
// very-overdue steps, the rating window, the escalation ladder, the look-back on commitments,
// and the score at closing. The order of its timers and activities is what the histories hold.
import { condition, workflowInfo } from '@temporalio/workflow';
import type { Rating } from '@duban/domain';
import { scoreSuggestion } from '@duban/domain/pure';
import { ms, untilMs } from '../case-kit';
import { AtRisk, Overdue, Satisfaction } from '../search-attributes';
import { dayOf, timer, upsertSearchAttributes, windowLabel } from '../ui';
import type { SuggestionCase } from './case';
import type { SuggestionState } from './definitions';
import { apply, commitmentDueAt } from './state';

const policyOf = (c: SuggestionCase) => c.input.policy.policy.suggestion;

/** Waits for the current round's reply, sending reminders and overdue steps on the way. */
export async function awaitReply(c: SuggestionCase): Promise<void> {
  const { state, run } = c;
  const sp = policyOf(c);
  const replied = () => state.replies.some((r) => r.round === run.round);
  while (!replied()) {
    if (state.stage === 'objected') {
      await condition(() => state.stage !== 'objected');
      continue;
    }
    if (state.clockPausedSince) {
      await condition(() => !state.clockPausedSince || replied());
      continue;
    }
    const v = run.dueVersion;
    const due = state.replyDueAt!;
    const { reminders, veryAt } = await c.milestonesFor(due);
    const milestones = [
      // A reminder whose time has already passed (a short window) is not sent at all.
      ...reminders
        .map((at, i) => ({
          key: `reminder/${v}/${i + 1}`,
          at,
          timer: timer(`催办提醒 ${i + 1}`, at, `答复期限 ${dayOf(due)}`),
          fire: () => remind(c, i + 1, due, v),
        }))
        .filter((m) => ms(m.at) > Date.now()),
      {
        key: `overdue/${run.round}/${v}`,
        at: due,
        timer: timer(
          run.round > 1 ? '二次答复期限' : '答复期限',
          due,
          run.planned?.replyDueAt === due ? run.planned.window : undefined,
        ),
        fire: () => markOverdue(c, due, v, false),
      },
      {
        key: `very-overdue/${run.round}/${v}`,
        at: veryAt,
        timer: timer('严重超期', veryAt, `答复期限 ${dayOf(due)} 后 ${windowLabel(sp.veryOverdueAfter)}`),
        fire: () => markOverdue(c, due, v, true),
      },
    ]
      .filter((m) => !run.sent.has(m.key))
      .sort((a, b) => ms(a.at) - ms(b.at));
    const next = milestones[0];
    const moved = () => replied() || run.dueVersion !== v || !!state.clockPausedSince || state.stage === 'objected';
    if (!next) {
      await condition(moved);
      continue;
    }
    if (await condition(moved, untilMs(next.at), next.timer)) continue;
    run.sent.add(next.key);
    // A reminder whose time passed while the deadline moved is not sent late.
    if (next.key.startsWith('reminder/') && Date.now() >= ms(due)) continue;
    await next.fire();
  }
}

async function remind(c: SuggestionCase, n: number, due: string, v: number): Promise<void> {
  await c.publish(`reminder/${v}/${n}`, {
    replyReminderSent: { unit: c.state.leadUnit!, dueAt: due, reminderNo: n },
  });
}

async function markOverdue(c: SuggestionCase, due: string, v: number, very: boolean): Promise<void> {
  const { state, run } = c;
  state.overdue = true;
  if (very) state.veryOverdue = true;
  c.oneUpsert(() => {
    if (state.stage === 'assigned') c.setStage('overdue');
    c.upsert([{ key: Overdue, value: true }, ...(very ? [{ key: AtRisk, value: true }] : [])]);
  });
  await c.publish(`${very ? 'very-overdue' : 'overdue'}/${run.round}/${v}`, {
    suggestionOverdue: { unit: state.leadUnit!, dueAt: due, veryOverdue: very, round: run.round },
  });
}

export async function recordRating(
  c: SuggestionCase,
  rating: Rating,
  assumed: boolean,
  actor: string,
  comment?: string,
): Promise<void> {
  const t = apply.rate(c.state, c.run, rating, assumed, Date.now(), comment);
  upsertSearchAttributes([{ key: Satisfaction, value: rating }]);
  await c.publish(t.step, t.body, actor);
}

/** Waits for the deputy's rating of the current round; none in time counts as the policy says. */
export async function awaitRating(c: SuggestionCase): Promise<Rating> {
  const { state, run } = c;
  const sp = policyOf(c);
  state.ratingDueAt = await c.acts.computeDeadline({ from: new Date().toISOString(), window: sp.ratingWindow });
  const rated = () => state.ratings.some((r) => r.round === run.round);
  if (!(await condition(rated, untilMs(state.ratingDueAt), timer('测评期限', state.ratingDueAt, sp.ratingWindow))))
    await recordRating(c, sp.noRatingCountsAs, true, 'system');
  return state.ratings.find((r) => r.round === run.round)!.rating;
}

/** Starts an escalation ladder for the case and waits until it ends. */
export async function escalate(c: SuggestionCase, reason: string): Promise<void> {
  const { state, input } = c;
  const ladderId = `${input.caseId}-ladder-${state.ladders.length + 1}`;
  state.ladders.push({ ladderId, reason });
  c.setStage('escalated');
  await c.acts.startLadder({
    ladderId,
    caseId: input.caseId,
    caseKind: 'suggestion',
    jurisdiction: input.jurisdiction,
    unit: state.leadUnit!,
    reason,
    steps: input.policy.policy.escalation.steps,
    notifyWorkflowId: workflowInfo().workflowId,
  });
  await c.publish(`escalated/${state.ladders.length}`, { suggestionEscalated: { ladderId, reason } });
  await condition(() => !!state.ladders.find((l) => l.ladderId === ladderId)!.outcome);
}

/** Look-back (回头看): at each commitment's date the unit reports whether it was kept. */
export async function lookBack(c: SuggestionCase): Promise<void> {
  const { state } = c;
  const sp = policyOf(c);
  const open = () => state.commitments.filter((x) => x.status === 'pending' || x.status === 'due');
  while (open().length > 0) {
    c.setStage('lookBack');
    const k = open().sort((a, b) => ms(commitmentDueAt(a.dueDate)!) - ms(commitmentDueAt(b.dueDate)!))[0];
    const dueAt = commitmentDueAt(k.dueDate)!;
    const settled = () => k.status === 'kept' || k.status === 'missed';
    if (!(await condition(settled, untilMs(dueAt), timer(`承诺事项到期 ${k.commitmentId}`, dueAt)))) {
      k.status = 'due';
      k.reportDueAt = await c.acts.computeDeadline({ from: dueAt, window: sp.commitmentReportWindow });
      await c.publish(`commitment/${k.commitmentId}/due`, {
        commitmentDue: { commitmentId: k.commitmentId, unit: state.leadUnit!, reportDueAt: k.reportDueAt },
      });
      await condition(
        settled,
        untilMs(k.reportDueAt),
        timer(`承诺落实报告期限 ${k.commitmentId}`, k.reportDueAt, sp.commitmentReportWindow),
      );
    }
    if (k.status === 'kept') continue;
    const reported = k.status === 'missed';
    k.status = 'missed';
    await c.publish(`commitment/${k.commitmentId}/missed`, {
      commitmentMissed: { commitmentId: k.commitmentId, unit: state.leadUnit!, reported },
    });
    await escalate(c, 'missedCommitment');
  }
}

export async function close(c: SuggestionCase, outcome: NonNullable<SuggestionState['closedOutcome']>): Promise<void> {
  const { state } = c;
  const finalRating = state.ratings[state.ratings.length - 1]?.rating;
  const finalGrade = state.replies[state.replies.length - 1]?.grade;
  if (finalRating && finalGrade) {
    const score = scoreSuggestion(policyOf(c).scoring, {
      lateReply: state.replies[0] ? !state.replies[0].onTime : false,
      veryLateReply: state.veryOverdue,
      extensions: state.extensions.filter((e) => e.decided?.approved).length,
      secondReply: state.replies.length > 1,
      missedCommitments: state.commitments.filter((x) => x.status === 'missed').length,
      escalated: state.ladders.length > 0,
      finalGrade,
      finalRating,
    });
    state.score = score;
    const scored = c.publish('scored', {
      suggestionScored: {
        unit: state.leadUnit!,
        replyStage: score.replyStage,
        implementationStage: score.implementationStage,
        total: score.total,
        deductions: score.deductions,
      },
    });
    // Released cases published the score before closing; later ones send both together.
    if (!c.local) await scored;
    else void scored.catch(() => undefined);
  }
  state.closedOutcome = outcome;
  c.setStage('closed');
  await c.publish('closed', {
    suggestionClosed: { outcome, finalRating: finalRating ?? '', finalGrade: finalGrade ?? '' },
  });
}
