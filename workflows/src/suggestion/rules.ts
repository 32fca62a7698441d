// Who may do what on a suggestion, and in which stages: the gate the workflow's update
// validators apply (they import the stage lists from here) and the answer to "what may this
// caller do now" that the suggestions service gives the console. Pure: no workflow APIs, so
// services import it as well as the workflow bundle.
import type { Actor, SuggestionStage, SuggestionState } from './definitions';

/** The stages each action is accepted in (the validators' requireStage lists). */
export const SUGGESTION_ACTION_STAGES = {
  review: ['submitted'],
  revise: ['returned'],
  objection: ['assigned'],
  reassign: ['objected'],
  coHandlerOpinion: ['assigned', 'overdue'],
  extensionRequest: ['assigned', 'overdue'],
  extensionDecision: ['assigned', 'overdue'],
  pauseClock: ['assigned', 'overdue', 'secondReply'],
  reply: ['assigned', 'overdue', 'secondReply'],
  rating: ['awaitingRating'],
} as const satisfies Record<string, readonly SuggestionStage[]>;

export type SuggestionAction = keyof typeof SUGGESTION_ACTION_STAGES | 'resumeClock' | 'commitmentReport';

const isStaffActor = (by: Actor) => by.role === 'staff' || by.role === 'operator';
const inStage = (state: SuggestionState, a: keyof typeof SUGGESTION_ACTION_STAGES) =>
  (SUGGESTION_ACTION_STAGES[a] as readonly string[]).includes(state.stage);

/**
 * The actions this caller may take on this case now, by the same role, ownership and stage
 * checks the validators make before they look at the input. The validators still decide: an
 * action listed here can be refused for its input (a short reason, a past date).
 */
export function openSuggestionActions(state: SuggestionState, by: Actor, now = Date.now()): SuggestionAction[] {
  const open: SuggestionAction[] = [];
  const lead = by.role === 'unit' && !!by.unit && by.unit === state.leadUnit;
  const co = by.role === 'unit' && !!by.unit && state.coHandlers.includes(by.unit);
  const ownDeputy = by.role === 'deputy' && by.sub === state.deputyId;
  const pendingExtension = state.extensions.some((x) => !x.decided);
  if (isStaffActor(by)) {
    if (inStage(state, 'review')) open.push('review');
    if (inStage(state, 'reassign')) open.push('reassign');
    if (inStage(state, 'extensionDecision') && pendingExtension) open.push('extensionDecision');
  }
  if (ownDeputy) {
    if (inStage(state, 'revise')) open.push('revise');
    if (inStage(state, 'rating')) open.push('rating');
  }
  if (
    (lead || co) &&
    inStage(state, 'objection') &&
    state.replies.length === 0 &&
    (!state.objectionDueAt || now <= Date.parse(state.objectionDueAt))
  )
    open.push('objection');
  if (co && inStage(state, 'coHandlerOpinion') && !state.coHandlerOpinions[by.unit!]) open.push('coHandlerOpinion');
  if (lead) {
    if (inStage(state, 'reply')) open.push('reply');
    if (inStage(state, 'extensionRequest') && !pendingExtension) open.push('extensionRequest');
    if (inStage(state, 'pauseClock') && !state.clockPausedSince) open.push('pauseClock');
    if (state.clockPausedSince) open.push('resumeClock');
    if (state.commitments.some((c) => c.status === 'pending' || c.status === 'due')) open.push('commitmentReport');
  }
  return open;
}
