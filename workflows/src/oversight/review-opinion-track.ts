// One review-opinion track's running parts, shared by its handlers and its clock: the state,
// publishing in order under the workflow's id, the stage and the Overdue / DueAt attributes.
import { workflowInfo } from '@temporalio/workflow';
import { DueAt, Overdue, stageAttributes } from '../search-attributes';
import { upsertSearchAttributes } from '../ui';
import { eventChain, ms, turnTaking } from './common';
import type { ReviewOpinionInput, ReviewOpinionState, TrackStage } from './definitions';
import { initialTrackState } from './review-opinion-state';

export interface Track {
  input: ReviewOpinionInput;
  state: ReviewOpinionState;
  wfId: string;
  op: ReviewOpinionInput['policy']['policy']['oversight']['reviewOpinion'];
  /** Deadlines are computed before any action is taken. */
  run: { ready: boolean };
  publish: ReturnType<typeof eventChain>;
  exclusive: ReturnType<typeof turnTaking>;
  setStage(stage: TrackStage): void;
  /** Overdue: the report or an open item is past its date; DueAt: the next date pending. */
  refreshClock(): void;
}

export function reviewOpinionTrack(input: ReviewOpinionInput): Track {
  const wfId = workflowInfo().workflowId;
  const state = initialTrackState(input);
  const publish = eventChain({
    prefix: wfId,
    caseId: input.caseId,
    caseKind: input.kind,
    jurisdiction: input.jurisdiction,
    record: (eventId) => state.events.push(eventId),
  });
  function setStage(stage: TrackStage): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage)]);
  }
  const awaitingReport = () => !state.reports.some((r) => r.round === state.round);
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
  return {
    input,
    state,
    wfId,
    op: input.policy.policy.oversight.reviewOpinion,
    run: { ready: false },
    publish,
    exclusive: turnTaking(),
    setStage,
    refreshClock,
  };
}
