// Who may do what on the oversight procedures (inquiry, investigation, the supervision plan), and
// when. Pure (no workflow APIs); re-exported by gates.ts.
import { firstRefusal, isStaffActor, refusal, type GateActor } from '../gates';
import type { InquiryState, InvestigationState, SupervisionPlanState } from './definitions';

export const staffOnly = (by: GateActor | undefined) =>
  isStaffActor(by) ? undefined : refusal.forbidden('only committee staff may do this');

// ---- inquiry (质询案)

const inquiryOpen = (s: InquiryState) => (s.stage === 'closed' ? refusal.conflict(`${s.caseId} is closed`) : undefined);

export const inquiryGates = {
  decide: (s: InquiryState, by: GateActor | undefined) =>
    firstRefusal(
      () => staffOnly(by),
      () => inquiryOpen(s),
      () =>
        s.stage !== 'filed' ? refusal.conflict(`the chair council has already decided on ${s.caseId}`) : undefined,
    ),
  reply: (s: InquiryState, by: GateActor | undefined) =>
    firstRefusal(
      () => {
        // The unit replies in writing; an oral reply at the session is recorded by staff.
        const unitOk = by?.role === 'unit' && by.unit === s.unit;
        return !unitOk && !(s.mode === 'oral' && isStaffActor(by))
          ? refusal.forbidden(`only ${s.unit} replies to ${s.caseId} (staff record an oral reply)`)
          : undefined;
      },
      () => inquiryOpen(s),
      () => (s.stage !== 'awaitingReply' ? refusal.conflict(`${s.caseId} is ${s.stage}; no reply is due`) : undefined),
    ),
  rate: (s: InquiryState, by: GateActor | undefined) =>
    firstRefusal(
      () =>
        by?.role !== 'deputy' || !s.signers.includes(by.sub)
          ? refusal.forbidden(`only the members who filed ${s.caseId} rate its reply`)
          : undefined,
      () => inquiryOpen(s),
      () =>
        s.stage !== 'rating' || !s.ratingDueAt
          ? refusal.conflict(`${s.caseId} is ${s.stage}; no rating is open`)
          : undefined,
      () =>
        s.ratings.some((x) => x.round === s.round && x.memberId === by!.sub)
          ? refusal.alreadyRated(`${by!.sub} has already rated this reply`)
          : undefined,
    ),
};

export type InquiryAction = keyof typeof inquiryGates;
export const openInquiryActions = (s: InquiryState, by: GateActor): InquiryAction[] =>
  (Object.keys(inquiryGates) as InquiryAction[]).filter((a) => !inquiryGates[a](s, by));

// ---- investigation (特定问题调查)

export const investigationGates = {
  /** decided: whether the workflow has taken a decision already (the service knows it by the stage). */
  decide: (s: InvestigationState, by: GateActor | undefined, decided?: boolean) =>
    firstRefusal(
      () => staffOnly(by),
      () =>
        s.stage !== 'proposed' || decided !== undefined
          ? refusal.conflict(`the committee has already decided on ${s.caseId}`)
          : undefined,
    ),
  report: (s: InvestigationState, by: GateActor | undefined) =>
    firstRefusal(
      () => staffOnly(by),
      () =>
        s.stage !== 'investigating' || s.report
          ? refusal.conflict(`${s.caseId} is ${s.stage}; a report is taken while investigating, once`)
          : undefined,
    ),
};

export type InvestigationAction = keyof typeof investigationGates;
export const openInvestigationActions = (s: InvestigationState, by: GateActor): InvestigationAction[] =>
  (Object.keys(investigationGates) as InvestigationAction[]).filter((a) => !investigationGates[a](s, by));

// ---- the annual supervision plan (年度监督计划)

export const planGates = {
  /** yearClosed: staff ended the year early (the workflow knows; the plan then closes). */
  proposeTopic: (s: SupervisionPlanState, by: GateActor | undefined, yearClosed = false) =>
    firstRefusal(
      () => staffOnly(by),
      () => (s.stage === 'closed' || yearClosed ? refusal.conflict(`the ${s.year} plan is closed`) : undefined),
    ),
  adopt: (s: SupervisionPlanState, by: GateActor | undefined) =>
    firstRefusal(
      () => staffOnly(by),
      () => (s.stage !== 'collecting' ? refusal.conflict(`the ${s.year} plan is ${s.stage}`) : undefined),
    ),
  /** An item's review opinions, recorded after its session (the item then has started). */
  itemStarted: (s: SupervisionPlanState, by: GateActor | undefined, itemId: string) =>
    firstRefusal(
      () => staffOnly(by),
      () => {
        const item = s.items.find((i) => i.itemId === itemId);
        if (!item) return refusal.invalid(`no plan item ${itemId} in the ${s.year} plan`);
        if (item.status === 'started')
          return refusal.conflict(`plan item ${itemId} has started ${item.reviewOpinionCaseId}`);
        if (item.status !== 'due')
          return refusal.conflict(`plan item ${itemId} is due at its session ${item.sessionAt}, not before`);
        return undefined;
      },
    ),
};

export type PlanAction = 'proposeTopic' | 'adopt' | 'itemReviewOpinion';
export function openPlanActions(s: SupervisionPlanState, by: GateActor): { action: PlanAction; itemId?: string }[] {
  const open: { action: PlanAction; itemId?: string }[] = [];
  if (!planGates.proposeTopic(s, by)) open.push({ action: 'proposeTopic' });
  if (!planGates.adopt(s, by)) open.push({ action: 'adopt' });
  for (const i of s.items)
    if (!planGates.itemStarted(s, by, i.itemId)) open.push({ action: 'itemReviewOpinion', itemId: i.itemId });
  return open;
}
