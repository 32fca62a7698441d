// A review-opinion track's handlers: each validator throws what the pure check refuses
// (review-opinion-state.ts `validateTrack`), each handler applies the change (`applyTrack`) and
// publishes its event, in the order the released workflow did; the ladder's signals.
import { setHandler } from '@temporalio/workflow';
import { ladderEndedSignal } from '../kernel/contracts';
import { ladderStepReachedSignal } from '../ladder/definitions';
import { showDetails } from '../ui';
import { acts, actorName, enforce, nowIso } from './common';
import {
  assessReportUpdate,
  castVoteUpdate,
  confirmItemUpdate,
  itemFeedbackUpdate,
  linkCaseUpdate,
  openVoteUpdate,
  reviewOpinionStateQuery,
  submitReportUpdate,
} from './definitions';
import { applyTrack as apply, validateTrack as validate, type TrackEvent } from './review-opinion-state';
import type { Track } from './review-opinion-track';

export function registerTrackHandlers(t: Track): void {
  const { state, input, run, publish } = t;
  const take = async (e: TrackEvent, by: Parameters<typeof actorName>[0]) => {
    if (e.stage) t.setStage(e.stage);
    if (e.refreshClock) t.refreshClock();
    await publish(e.step, e.body, actorName(by));
    return state;
  };

  setHandler(reviewOpinionStateQuery, () => state);

  setHandler(itemFeedbackUpdate, (f) => take(apply.itemFeedback(state, f, nowIso()), f.by), {
    validator: (f) => enforce(validate.itemFeedback(state, f, run.ready)),
  });

  setHandler(confirmItemUpdate, (c) => take(apply.confirmItem(state, c, actorName(c.by), nowIso()), c.by), {
    validator: (c) => enforce(validate.confirmItem(state, c, run.ready)),
  });

  setHandler(submitReportUpdate, (r) => take(apply.submitReport(state, r, nowIso()), r.by), {
    validator: (r) => enforce(validate.submitReport(state, r, run.ready)),
  });

  setHandler(assessReportUpdate, (a) => take(apply.assessReport(state, a), a.by), {
    validator: (a) => enforce(validate.assessReport(state, a, run.ready)),
  });

  setHandler(
    openVoteUpdate,
    (v) =>
      t.exclusive(async () => {
        const round = { round: state.round, electorate: [...v.electorate], closesAt: '', votes: {} };
        state.votes.push(round);
        t.setStage('voting');
        round.closesAt = await acts.computeDeadline({ from: nowIso(), window: t.op.voteWindow });
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
    { validator: (v) => enforce(validate.openVote(state, v, run.ready)) },
  );

  setHandler(castVoteUpdate, (v) => take(apply.castVote(state, v), v.by), {
    validator: (v) => enforce(validate.castVote(state, v, run.ready)),
  });

  setHandler(linkCaseUpdate, (l) => take(apply.linkCase(state, l, nowIso()), l.by), {
    validator: (l) => enforce(validate.linkCase(state, l, run.ready)),
  });

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
      t.setStage('escalated');
      return;
    }
    // The law leaves these to people: the system cannot file an inquiry or propose an
    // investigation itself. The track says what is needed; the case filed for it is linked.
    const oversight = input.policy.policy.oversight;
    const needs =
      step === 'inquiry'
        ? `an inquiry (质询案) signed by at least ${oversight.inquiry.minSignersByLevel[input.policy.level ?? 'national']} members`
        : `a proposal by the chair council or at least ${oversight.investigation.minProposerPercent}% of the members`;
    state.procedures.push({ step, needs, at: nowIso() });
    t.setStage(step === 'inquiry' ? 'inquiryDue' : 'investigationDue');
    await publish(`procedure-due/${step}`, {
      oversightProcedureDue: { unit: input.unit, ladderId, step, needs },
    });
  });
}
