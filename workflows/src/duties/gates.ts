// Who may act on the calendar-driven duties, and when: the gates the regulation-report,
// appointee-report and group-year workflows' Update validators apply, and what the duties
// service answers to "what may this caller do now". Pure (no workflow APIs).
import { firstRefusal, isStaffActor, refusal, type GateActor } from '../gates';
import type { AppointeeReportState, GroupDutyState, RegulationReportState } from './definitions';

export const regulationGates = {
  fileReport: (s: RegulationReportState, by: GateActor | undefined) =>
    firstRefusal(
      () =>
        by?.role !== 'unit' || by.unit !== s.unit
          ? refusal.forbidden(`the report on ${s.regulationId} is ${s.unit}'s to file`)
          : undefined,
      () =>
        s.stage !== 'requested'
          ? refusal.conflict(
              s.stage === 'inForce'
                ? `no report is requested yet: it will be on ${s.requestAt}`
                : `${s.caseId} is ${s.stage}; no report is awaited`,
            )
          : undefined,
    ),
  review: (s: RegulationReportState, by: GateActor | undefined) =>
    firstRefusal(
      () => (!isStaffActor(by) ? refusal.forbidden('committee staff review the report') : undefined),
      () =>
        s.stage !== 'underReview' || s.reviews.some((x) => x.round === s.round)
          ? refusal.conflict(`${s.caseId} is ${s.stage}; no filed report awaits review`)
          : undefined,
    ),
};
export type RegulationAction = keyof typeof regulationGates;
export const openRegulationActions = (s: RegulationReportState, by: GateActor): RegulationAction[] =>
  (Object.keys(regulationGates) as RegulationAction[]).filter((a) => !regulationGates[a](s, by));

export const appointeeGates = {
  fileReport: (s: AppointeeReportState, by: GateActor | undefined) =>
    firstRefusal(
      () =>
        by?.role !== 'unit' || by.unit !== s.unit
          ? refusal.forbidden(`the report of ${s.officialId} is ${s.unit}'s to file`)
          : undefined,
      () =>
        s.stage !== 'due'
          ? refusal.conflict(`${s.caseId} is ${s.stage}; the term's report is already filed`)
          : undefined,
    ),
  vote: (s: AppointeeReportState, by: GateActor | undefined, now = Date.now()) =>
    firstRefusal(
      () =>
        s.stage !== 'voting' || !s.voteDueAt || now > Date.parse(s.voteDueAt)
          ? refusal.conflict(`no vote is open on ${s.caseId}`)
          : undefined,
      () =>
        by?.role !== 'deputy' || !s.electorate.includes(by.sub)
          ? refusal.forbidden(`${by?.sub} is not a committee member entitled to vote on this report`)
          : undefined,
      () =>
        s.votes[by!.sub]
          ? refusal.alreadyVoted(`${by!.sub} has already voted on this report; one vote per member`)
          : undefined,
    ),
};
export type AppointeeAction = keyof typeof appointeeGates;
export const openAppointeeActions = (s: AppointeeReportState, by: GateActor): AppointeeAction[] =>
  (Object.keys(appointeeGates) as AppointeeAction[]).filter((a) => !appointeeGates[a](s, by));

export const groupGates = {
  /** members: the group's deputies when its year started (the workflow's input). */
  record: (s: GroupDutyState, by: GateActor | undefined, members: readonly string[]) =>
    firstRefusal(
      () =>
        !isStaffActor(by) && !(by?.role === 'deputy' && members.includes(by.sub))
          ? refusal.forbidden(`only committee staff and members of ${s.groupId} record its duties`)
          : undefined,
      () => (s.stage === 'closed' ? refusal.conflict(`${s.year} is closed for ${s.groupId}`) : undefined),
    ),
};
export type GroupAction = keyof typeof groupGates;
export const openGroupActions = (s: GroupDutyState, by: GateActor, members: readonly string[]): GroupAction[] =>
  groupGates.record(s, by, members) ? [] : ['record'];
