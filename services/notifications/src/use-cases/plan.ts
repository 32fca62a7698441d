// Who is told what, for each event: pure functions of the event and what the service recorded
// of the case from earlier events (events carry ids only, and later ones only some of them).
import { timestampDate, type Envelope } from '@duban/proto';
import type { CaseRecordDoc } from '../data/models';
import type { TemplateKey } from './templates';
import type { TemplateData } from './render';

export type Recipient = `deputy:${string}` | `unit:${string}` | 'staff';

export interface PlannedMessage {
  recipient: Recipient;
  template: TemplateKey;
  data: TemplateData;
}

export type CaseFacts = Pick<CaseRecordDoc, 'deputyId' | 'title' | 'leadUnit' | 'coHandlers' | 'ladderUnit'>;

const iso = (t: Parameters<typeof timestampDate>[0] | undefined): string | undefined =>
  t ? timestampDate(t).toISOString() : undefined;
const orUndefined = (s: string | undefined) => (s ? s : undefined);

/** What an event tells about the case, to remember for later events. */
export function caseFactsFrom(env: Envelope): Partial<CaseFacts> | undefined {
  const b = env.body;
  switch (b.case) {
    case 'suggestionSubmitted':
      return { deputyId: orUndefined(b.value.deputyId), title: orUndefined(b.value.title) };
    case 'suggestionRevised':
      return b.value.title ? { title: b.value.title } : undefined;
    case 'suggestionAssigned':
      return { leadUnit: orUndefined(b.value.leadUnit), coHandlers: [...b.value.coHandlers] };
    case 'ladderStarted':
      return b.value.unit ? { ladderUnit: b.value.unit } : undefined;
    case 'liaisonLetterSent':
      return { deputyId: orUndefined(b.value.deputyId), leadUnit: orUndefined(b.value.unit) };
    default:
      return undefined;
  }
}

/** The messages an event calls for. */
export function planMessages(env: Envelope, facts: Partial<CaseFacts>): PlannedMessage[] {
  const common: TemplateData = { caseId: env.caseId, title: facts.title || env.caseId };
  const out: PlannedMessage[] = [];
  const deputy = (template: TemplateKey, data: TemplateData = {}) => {
    if (facts.deputyId) out.push({ recipient: `deputy:${facts.deputyId}`, template, data: { ...common, ...data } });
  };
  const unit = (id: string | undefined, template: TemplateKey, data: TemplateData = {}) => {
    if (id) out.push({ recipient: `unit:${id}`, template, data: { ...common, ...data } });
  };
  const staff = (template: TemplateKey, data: TemplateData = {}) =>
    out.push({ recipient: 'staff', template, data: { ...common, ...data } });

  const b = env.body;
  switch (b.case) {
    case 'suggestionReturned':
      deputy('returnedDeputy', { reason: b.value.reason });
      break;
    case 'suggestionMerged':
      deputy('mergedDeputy', { intoCaseId: b.value.intoCaseId, reason: b.value.reason });
      break;
    case 'suggestionAssigned': {
      const v = b.value;
      const due = iso(v.replyDueAt);
      deputy('assignedDeputy', { leadUnit: v.leadUnit, replyDueAt: due });
      unit(v.leadUnit, 'assignedLead', {
        replyDueAt: due,
        objectionDueAt: iso(v.objectionDueAt) ?? due,
        coHandlers: v.coHandlers.length ? v.coHandlers.join(', ') : '—',
      });
      for (const co of v.coHandlers)
        unit(co, 'assignedCoHandler', { leadUnit: v.leadUnit, coHandlerDueAt: iso(v.coHandlerDueAt) ?? due });
      break;
    }
    case 'suggestionReplied':
      deputy('repliedDeputy', {
        unit: b.value.unit || facts.leadUnit,
        grade: b.value.grade,
        round: `round${b.value.round || 1}`,
      });
      break;
    case 'deadlineRecomputed':
      unit(b.value.unit || facts.leadUnit, 'deadlineRecomputedLead', {
        oldDueAt: iso(b.value.oldDueAt),
        newDueAt: iso(b.value.newDueAt),
        calendarYear: b.value.calendarYear,
      });
      break;
    case 'replyReminderSent':
      unit(b.value.unit || facts.leadUnit, 'reminderLead', {
        dueAt: iso(b.value.dueAt),
        reminderNo: b.value.reminderNo || 1,
      });
      break;
    case 'suggestionOverdue': {
      const u = b.value.unit || facts.leadUnit;
      const data = { dueAt: iso(b.value.dueAt), unit: u };
      if (b.value.veryOverdue) {
        unit(u, 'veryOverdueLead', data);
        staff('veryOverdueStaff', data);
      } else unit(u, 'overdueLead', data);
      break;
    }
    case 'coHandlerOverdue':
      unit(b.value.unit, 'coHandlerOverdue', { dueAt: iso(b.value.dueAt) });
      break;
    case 'suggestionObjected':
      staff('objectedStaff', { unit: b.value.unit, reason: b.value.reason });
      break;
    case 'extensionRequested':
      staff('extensionRequestedStaff', {
        unit: b.value.unit,
        reason: b.value.reason,
        requestedDueAt: iso(b.value.requestedDueAt),
      });
      break;
    case 'extensionDecided': {
      const data = { approved: b.value.approved, replyDueAt: iso(b.value.replyDueAt), note: b.value.note || '—' };
      deputy('extensionDecidedDeputy', data);
      unit(facts.leadUnit, 'extensionDecidedLead', data);
      break;
    }
    case 'specialSupervisionStarted':
      unit(b.value.unit || facts.leadUnit, 'specialSupervisionLead', {
        secondReplyDueAt: iso(b.value.secondReplyDueAt),
      });
      break;
    case 'commitmentDue':
      unit(b.value.unit || facts.leadUnit, 'commitmentDueLead', {
        commitmentId: b.value.commitmentId,
        reportDueAt: iso(b.value.reportDueAt),
      });
      break;
    case 'commitmentMissed':
      staff('commitmentMissedStaff', { unit: b.value.unit || facts.leadUnit, commitmentId: b.value.commitmentId });
      break;
    case 'suggestionEscalated':
      staff('escalatedStaff', { ladderId: b.value.ladderId, reason: b.value.reason || '—' });
      break;
    // ---- citizens' opinions and liaison letters (the citizen is told by the citizen service, not here)
    case 'citizenOpinionSubmitted':
      for (const d of new Set(b.value.dutyDeputyIds))
        out.push({
          recipient: `deputy:${d}`,
          template: 'opinionArrivedDeputy',
          data: { ...common, stationId: b.value.stationId, dueAt: iso(b.value.answerDueAt) },
        });
      break;
    case 'citizenOpinionOverdue':
      staff('opinionOverdueStaff', { stationId: b.value.stationId, dueAt: iso(b.value.dueAt) });
      break;
    case 'liaisonLetterSent':
      unit(b.value.unit, 'letterSentUnit', { dueAt: iso(b.value.replyDueAt) });
      break;
    case 'liaisonLetterReminder':
      unit(b.value.unit, 'letterReminderUnit', { dueAt: iso(b.value.replyDueAt), reminderNo: b.value.reminderNo });
      break;
    case 'liaisonLetterOverdue':
      unit(b.value.unit, 'letterOverdueUnit', { dueAt: iso(b.value.replyDueAt) });
      staff('letterOverdueStaff', { unit: b.value.unit, dueAt: iso(b.value.replyDueAt) });
      break;
    case 'liaisonLetterReplied':
      deputy('letterRepliedDeputy', { unit: b.value.unit, dueAt: iso(b.value.ratingDueAt) });
      break;
    // ---- calendar-driven duties
    case 'regulationReportRequested':
      unit(b.value.unit, 'regulationReportRequestedUnit', { dueAt: iso(b.value.dueAt) });
      break;
    case 'regulationReportOverdue':
      staff('regulationReportOverdueStaff', { unit: b.value.unit, dueAt: iso(b.value.dueAt) });
      break;
    case 'appointeeReportMissing':
      staff('appointeeReportMissingStaff', { unit: b.value.unit, dueAt: iso(b.value.termEndsAt) });
      break;
    case 'groupDutyMissing':
      staff('groupDutyMissingStaff', { missing: b.value.missing.join(', ') });
      break;
    case 'ladderStepStarted': {
      const data = { stepNo: b.value.stepNo, step: b.value.step, owner: b.value.owner, dueAt: iso(b.value.dueAt) };
      unit(facts.ladderUnit || facts.leadUnit, 'ladderStepLead', data);
      staff('ladderStepStaff', data);
      break;
    }
    case 'ladderStepTimedOut':
      staff('ladderStepTimedOutStaff', { stepNo: b.value.stepNo, step: b.value.step });
      break;
    case 'ladderResolved':
      staff('ladderResolvedStaff', { step: b.value.step, note: b.value.note || '—' });
      break;
    case 'ladderExhausted':
      staff('ladderExhaustedStaff', { lastStep: b.value.lastStep });
      break;
    case 'suggestionScored':
      deputy('scoredDeputy', {
        unit: b.value.unit || facts.leadUnit,
        total: b.value.total,
        replyStage: b.value.replyStage,
        implementationStage: b.value.implementationStage,
      });
      break;
    case 'suggestionClosed':
      // A merged case already told the deputy where it went.
      if (b.value.outcome !== 'merged') deputy('closedDeputy', { outcome: b.value.outcome });
      break;
    // ---- livelihood projects (a citizen or station proposer is not mailed here: ids only)
    case 'livelihoodCandidateScreened':
      for (const id of new Set(b.value.proposerIds)) {
        const [kind, ref] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
        if (kind !== 'deputy' && kind !== 'unit') continue;
        out.push({
          recipient: `${kind}:${ref}`,
          template: b.value.accepted ? 'candidateAcceptedProposer' : 'candidateRejectedProposer',
          data: {
            ...common,
            candidateId: b.value.candidateId,
            ...(b.value.accepted ? {} : { reason: b.value.reason }),
          },
        });
      }
      break;
    case 'livelihoodFeasibilityRequested':
      unit(b.value.reviewer, 'feasibilityRequestedUnit', { dueAt: iso(b.value.dueAt) });
      break;
    case 'livelihoodProjectStarted':
      unit(b.value.leadUnit, 'projectStartedUnit', { dueAt: iso(b.value.evaluationAt) });
      break;
    case 'livelihoodProgressReminderSent':
      unit(b.value.unit, 'progressReminderUnit', { period: b.value.period, dueAt: iso(b.value.dueAt) });
      break;
    case 'livelihoodProgressOverdue':
      if (b.value.veryOverdue)
        staff('progressVeryOverdueStaff', { unit: b.value.unit, period: b.value.period, dueAt: iso(b.value.dueAt) });
      else unit(b.value.unit, 'progressOverdueUnit', { period: b.value.period, dueAt: iso(b.value.dueAt) });
      break;
    case 'livelihoodFixRequired':
      unit(b.value.unit, 'fixRequiredUnit', { findingId: b.value.findingId, dueAt: iso(b.value.dueAt) });
      break;
    case 'livelihoodFixOverdue':
      staff('fixOverdueStaff', { unit: b.value.unit, findingId: b.value.findingId, dueAt: iso(b.value.dueAt) });
      break;
    case 'livelihoodMidYearOverdue':
      staff('midYearOverdueStaff', { unit: b.value.unit, dueAt: iso(b.value.dueAt) });
      break;
    case 'livelihoodReReportRequested':
      unit(b.value.unit, 'reReportRequestedUnit', { dueAt: iso(b.value.dueAt) });
      break;
    default:
      // Submitted, revised, rated, opinions, clock pauses, reports, ladder start: nobody to tell
      // by email (webhook subscribers still get them).
      break;
  }
  return out;
}
