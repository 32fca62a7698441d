// The workflow bundle's entry point: every workflow type the worker runs.
//
// Each case a worker starts gets module state of its own: the modules it loads are evaluated
// again for it, and stay in memory while the case is cached. So each type loads its module
// when a case of that type starts (a require inside the function: webpack bundles the module
// but evaluates it on the call). A suggestion then does not pay, in time or memory, for the
// code of the livelihood vote or of an inquiry. workflows/test/unit/bundle.test.ts keeps
// this file free of static imports of workflow modules.
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Suggestion from './suggestion/workflow';
import type * as Ladder from './ladder/workflow';
import type * as ReviewOpinion from './oversight/review-opinion';
import type * as CitizenOpinion from './citizen/opinion';
import type * as LiaisonLetter from './citizen/letter';
import type * as LivelihoodCycle from './livelihood/cycle';
import type * as LivelihoodProject from './livelihood/project';
import type * as RegulationReport from './duties/regulation';
import type * as AppointeeReport from './duties/appointee';
import type * as GroupDuty from './duties/group';
import type * as Inquiry from './oversight/inquiry';
import type * as Investigation from './oversight/investigation';
import type * as SupervisionPlan from './oversight/plan';

export const suggestionWorkflow: typeof Suggestion.suggestionWorkflow = (...a) =>
  (require('./suggestion/workflow') as typeof Suggestion).suggestionWorkflow(...a);

export const escalationLadderWorkflow: typeof Ladder.escalationLadderWorkflow = (...a) =>
  (require('./ladder/workflow') as typeof Ladder).escalationLadderWorkflow(...a);

export const reviewOpinionWorkflow: typeof ReviewOpinion.reviewOpinionWorkflow = (...a) =>
  (require('./oversight/review-opinion') as typeof ReviewOpinion).reviewOpinionWorkflow(...a);

export const citizenOpinionWorkflow: typeof CitizenOpinion.citizenOpinionWorkflow = (...a) =>
  (require('./citizen/opinion') as typeof CitizenOpinion).citizenOpinionWorkflow(...a);

export const liaisonLetterWorkflow: typeof LiaisonLetter.liaisonLetterWorkflow = (...a) =>
  (require('./citizen/letter') as typeof LiaisonLetter).liaisonLetterWorkflow(...a);

export const livelihoodCycleWorkflow: typeof LivelihoodCycle.livelihoodCycleWorkflow = (...a) =>
  (require('./livelihood/cycle') as typeof LivelihoodCycle).livelihoodCycleWorkflow(...a);

export const livelihoodProjectWorkflow: typeof LivelihoodProject.livelihoodProjectWorkflow = (...a) =>
  (require('./livelihood/project') as typeof LivelihoodProject).livelihoodProjectWorkflow(...a);

export const regulationReportWorkflow: typeof RegulationReport.regulationReportWorkflow = (...a) =>
  (require('./duties/regulation') as typeof RegulationReport).regulationReportWorkflow(...a);

export const appointeeReportWorkflow: typeof AppointeeReport.appointeeReportWorkflow = (...a) =>
  (require('./duties/appointee') as typeof AppointeeReport).appointeeReportWorkflow(...a);

export const groupDutyWorkflow: typeof GroupDuty.groupDutyWorkflow = (...a) =>
  (require('./duties/group') as typeof GroupDuty).groupDutyWorkflow(...a);

export const inquiryWorkflow: typeof Inquiry.inquiryWorkflow = (...a) =>
  (require('./oversight/inquiry') as typeof Inquiry).inquiryWorkflow(...a);

export const investigationWorkflow: typeof Investigation.investigationWorkflow = (...a) =>
  (require('./oversight/investigation') as typeof Investigation).investigationWorkflow(...a);

export const supervisionPlanWorkflow: typeof SupervisionPlan.supervisionPlanWorkflow = (...a) =>
  (require('./oversight/plan') as typeof SupervisionPlan).supervisionPlanWorkflow(...a);
