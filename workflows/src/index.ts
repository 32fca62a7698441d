// What clients (services, tests) import: contracts, search attributes, workflow types.
export * from './suggestion/definitions';
export * from './ladder/definitions';
export * from './search-attributes';
export type { suggestionWorkflow } from './suggestion/workflow';
export type { escalationLadderWorkflow } from './ladder/workflow';
export * from './oversight/definitions';
export * from './oversight/rules';
export type { reviewOpinionWorkflow } from './oversight/review-opinion';
export * from './citizen/definitions';
export type { citizenOpinionWorkflow } from './citizen/opinion';
export type { liaisonLetterWorkflow } from './citizen/letter';
export * from './livelihood/definitions';
export type { livelihoodCycleWorkflow } from './livelihood/cycle';
export type { livelihoodProjectWorkflow } from './livelihood/project';
