// A livelihood cycle's handlers: each validator throws what the pure check refuses
// (cycle-validate.ts), each handler applies the change (cycle-state.ts), sets the stage and
// publishes the event, in the order the released workflow did.
import { condition, setHandler } from '@temporalio/workflow';
import { acts, actorName, type EventChain } from '../case-kit';
import { enforce, type Actor } from '../kernel';
import {
  closeCollectionUpdate,
  cycleStateQuery,
  mergeCandidatesUpdate,
  openLivelihoodVoteUpdate,
  projectSettledSignal,
  proposeUpdate,
  publishBallotListUpdate,
  recordTallyUpdate,
  reviewFeasibilityUpdate,
  screenUpdate,
  type CycleInput,
  type CycleStage,
  type CycleState,
} from './definitions';
import { applyCycle as apply, type CycleEvent } from './cycle-state';
import { currentCycleVote, validateCycle as validate } from './cycle-validate';

export interface CycleCase {
  input: CycleInput;
  state: CycleState;
  lp: CycleInput['policy']['policy']['livelihood'];
  run: { closeRequested: boolean };
  publish: EventChain;
  setStage(stage: CycleStage, dueAt?: string): void;
}

export function registerCycleHandlers(c: CycleCase): void {
  const { state, lp, publish } = c;
  const nowIso = () => new Date().toISOString();
  const take = async <T>(e: CycleEvent, by: Actor, result: T) => {
    if (e.stage) c.setStage(e.stage);
    await publish(e.step, e.body, actorName(by));
    return result;
  };

  setHandler(cycleStateQuery, () => state);

  setHandler(
    proposeUpdate,
    (p) => {
      const e = apply.propose(state, p, nowIso());
      return take(e, p.by, e.candidate);
    },
    { validator: (p) => enforce(validate.propose(state, p)) },
  );

  setHandler(
    mergeCandidatesUpdate,
    (m) => {
      const e = apply.merge(state, m);
      return take(e, m.by, e.into);
    },
    { validator: (m) => enforce(validate.merge(state, m)) },
  );

  setHandler(
    screenUpdate,
    (s) => {
      const e = apply.screen(state, s);
      return take(e, s.by, e.candidate);
    },
    { validator: (s) => enforce(validate.screen(state, s)) },
  );

  setHandler(
    closeCollectionUpdate,
    async () => {
      c.run.closeRequested = true;
      await condition(() => state.stage !== 'collecting');
      return state.stage;
    },
    { validator: (x) => enforce(validate.closeCollection(state, x.by)) },
  );

  setHandler(
    reviewFeasibilityUpdate,
    (f) => {
      const e = apply.feasibility(state, f, Date.now(), nowIso());
      return take(e, f.by, e.candidate);
    },
    { validator: (f) => enforce(validate.feasibility(state, f, lp)) },
  );

  setHandler(
    publishBallotListUpdate,
    (b) => {
      const e = apply.ballotList(state, b, lp);
      return take(e, b.by, state.ballotList!);
    },
    { validator: (b) => enforce(validate.ballotList(state, b, lp)) },
  );

  setHandler(
    openLivelihoodVoteUpdate,
    async (o) => {
      const v = currentCycleVote(state);
      v.electorate = o.electorate;
      v.present = o.present;
      v.openedAt = nowIso();
      v.closesAt = await acts.computeDeadline({ from: v.openedAt, window: lp.vote.window });
      c.setStage('voting', v.closesAt);
      await publish(
        `vote/${v.round}/opened`,
        {
          livelihoodVoteOpened: {
            round: v.round,
            voteId: v.voteId,
            candidateIds: v.candidates,
            seats: v.seats,
            electorate: o.electorate,
            present: o.present,
            closesAt: v.closesAt,
          },
        },
        actorName(o.by),
      );
      return v;
    },
    { validator: (o) => enforce(validate.openVote(state, o)) },
  );

  setHandler(
    recordTallyUpdate,
    (t) => {
      const e = apply.tally(state, t, lp, nowIso());
      return take(e, t.by, e.vote);
    },
    { validator: (t) => enforce(validate.tally(state, t)) },
  );

  setHandler(projectSettledSignal, ({ projectId, outcome }) => {
    const p = state.projects.find((x) => x.projectId === projectId);
    if (p) p.settled = outcome;
  });
}
