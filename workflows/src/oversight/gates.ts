// Who may do what on the oversight cases, and when: the gates the review-opinion, inquiry,
// investigation and supervision-plan workflows' Update validators apply before they check the
// input, and the answer to "what may this caller do now" that the oversight service gives the
// console. Pure (no workflow APIs): services import it as well as the workflow bundle.
import { firstRefusal, isStaffActor, refusal, type GateActor, type Refusal } from '../gates';
import type { ReviewOpinionState } from './definitions';
import { staffOnly } from './procedure-gates';

// ---- a unit's part of a review opinion or resolution

/** A part takes actions once its deadlines are computed (the service sees that in its state). */
export const partReady = (s: ReviewOpinionState) => s.reportDueAt !== '' && s.items.length > 0;

function partUnitOnly(s: ReviewOpinionState, by: GateActor | undefined) {
  if (by?.role !== 'unit' || by.unit !== s.unit)
    return refusal.forbidden(`this part of ${s.caseId} is assigned to ${s.unit}; only that unit may do this`);
  return undefined;
}
function partOpen(s: ReviewOpinionState, ready: boolean) {
  if (!ready) return refusal.conflict(`${s.caseId} is still opening; try again shortly`);
  if (s.stage === 'closed') return refusal.conflict(`${s.caseId} (${s.unit}) is closed`);
  return undefined;
}
const awaitingReport = (s: ReviewOpinionState) => !s.reports.some((r) => r.round === s.round);
const reportJudged = (s: ReviewOpinionState) => !!s.reports.find((r) => r.round === s.round)?.verdict;
const currentVote = (s: ReviewOpinionState) => s.votes.find((v) => v.round === s.round);
function itemOf(s: ReviewOpinionState, itemId: string) {
  const it = s.items.find((i) => i.itemId === itemId);
  return it ? { it } : { refused: refusal.invalid(`no item ${itemId} in ${s.caseId} for ${s.unit}`) };
}

export const reviewOpinionGates = {
  itemFeedback: (s: ReviewOpinionState, by: GateActor | undefined, itemId: string, ready = partReady(s)) =>
    firstRefusal(
      () => partUnitOnly(s, by),
      () => partOpen(s, ready),
      () => {
        const { it, refused } = itemOf(s, itemId);
        if (!it) return refused;
        if (it.status === 'closed') return refusal.conflict(`item ${itemId} is already closed (销号)`);
        if (it.status === 'awaitingConfirmation')
          return refusal.conflict(`item ${itemId} is waiting for staff to confirm its closure`);
        return undefined;
      },
    ),
  confirmItem: (s: ReviewOpinionState, by: GateActor | undefined, itemId: string, ready = partReady(s)) =>
    firstRefusal(
      () =>
        isStaffActor(by)
          ? undefined
          : refusal.forbidden(
              'only committee staff may confirm that an item is closed (销号); the unit reports it done',
            ),
      () => partOpen(s, ready),
      () => {
        const { it, refused } = itemOf(s, itemId);
        if (!it) return refused;
        if (it.status === 'closed') return refusal.conflict(`item ${itemId} is already closed (销号)`);
        if (it.status === 'open')
          return refusal.conflict(`item ${itemId} is open: the unit has not reported its rectification done`);
        return undefined;
      },
    ),
  submitReport: (s: ReviewOpinionState, by: GateActor | undefined, ready = partReady(s)) =>
    firstRefusal(
      () => partUnitOnly(s, by),
      () => partOpen(s, ready),
      () =>
        !awaitingReport(s) || !['rectifying', 'reReport'].includes(s.stage)
          ? refusal.conflict(`${s.unit}'s report for round ${s.round} is already in (stage ${s.stage})`)
          : undefined,
    ),
  assessReport: (s: ReviewOpinionState, by: GateActor | undefined, ready = partReady(s)) =>
    firstRefusal(
      () => staffOnly(by),
      () => partOpen(s, ready),
      () =>
        s.stage !== 'reported' || reportJudged(s)
          ? refusal.conflict(
              `${s.unit}'s report can be assessed only once it is in and before a vote (stage ${s.stage})`,
            )
          : undefined,
    ),
  openVote: (s: ReviewOpinionState, by: GateActor | undefined, ready = partReady(s)) =>
    firstRefusal(
      () => staffOnly(by),
      () => partOpen(s, ready),
      () =>
        s.stage !== 'reported' || reportJudged(s)
          ? refusal.conflict(`a satisfaction vote needs ${s.unit}'s report in and not yet assessed (stage ${s.stage})`)
          : undefined,
    ),
  castVote: (s: ReviewOpinionState, by: GateActor | undefined, ready = partReady(s)) =>
    firstRefusal(
      () => (by?.role !== 'deputy' ? refusal.forbidden('only committee members vote') : undefined),
      () => partOpen(s, ready),
      () => {
        const round = currentVote(s);
        if (s.stage !== 'voting' || !round || !round.closesAt || round.result)
          return refusal.conflict(`no satisfaction vote on ${s.unit}'s report is open`);
        if (!round.electorate.includes(by!.sub))
          return refusal.forbidden(`${by!.sub} is not a member of the committee entitled to vote`);
        if (round.votes[by!.sub]) return refusal.conflict(`${by!.sub} has already voted; one vote per member`);
        return undefined;
      },
    ),
  linkCase: (s: ReviewOpinionState, by: GateActor | undefined, ready = partReady(s)) =>
    firstRefusal(
      // Staff link by hand; the oversight service links the case it started for the step.
      () =>
        !isStaffActor(by) && by?.role !== 'system'
          ? refusal.forbidden('only committee staff may link a case')
          : undefined,
      () => partOpen(s, ready),
      () => (!s.ladder ? refusal.conflict(`${s.unit}'s part of ${s.caseId} has not escalated`) : undefined),
    ),
};

/** An inquiry or investigation filed "for" a part (related) needs the part to have escalated. */
export function relatedPartGate(s: ReviewOpinionState | undefined): Refusal | undefined {
  if (!s?.ladder)
    return refusal.conflict(
      `${s?.unit ?? 'the unit'}'s part of ${s?.caseId ?? 'the case'} has not escalated; file without "related" to start one on its own`,
    );
  return undefined;
}

/** The ladder reached a step the law leaves to people, and nothing is filed for it yet. */
export const procedureAwaited = (s: ReviewOpinionState, step: 'inquiry' | 'investigation') =>
  s.procedures.some((p) => p.step === step && !p.linkedCaseId);

export type ReviewOpinionAction =
  'itemFeedback' | 'confirmItem' | 'submitReport' | 'assessReport' | 'openVote' | 'castVote';

/** The actions this caller may take on a part now, item by item where the action is an item's. */
export function openReviewOpinionActions(
  s: ReviewOpinionState,
  by: GateActor,
): { action: ReviewOpinionAction; itemId?: string }[] {
  const open: { action: ReviewOpinionAction; itemId?: string }[] = [];
  for (const it of s.items) {
    if (!reviewOpinionGates.itemFeedback(s, by, it.itemId)) open.push({ action: 'itemFeedback', itemId: it.itemId });
    if (!reviewOpinionGates.confirmItem(s, by, it.itemId)) open.push({ action: 'confirmItem', itemId: it.itemId });
  }
  for (const action of ['submitReport', 'assessReport', 'openVote', 'castVote'] as const)
    if (!reviewOpinionGates[action](s, by)) open.push({ action });
  return open;
}

export * from './procedure-gates';
