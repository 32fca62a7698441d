// The workflow bundle's entry point: every workflow type the worker runs.
export { suggestionWorkflow } from './suggestion/workflow';
export { escalationLadderWorkflow } from './ladder/workflow';
export { reviewOpinionWorkflow } from './oversight/review-opinion';
export { citizenOpinionWorkflow } from './citizen/opinion';
export { liaisonLetterWorkflow } from './citizen/letter';
export { livelihoodCycleWorkflow } from './livelihood/cycle';
export { livelihoodProjectWorkflow } from './livelihood/project';
