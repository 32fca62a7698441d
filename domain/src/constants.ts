// Names shared by the policy schema and the workflows. Plain values, no zod: the workflow
// bundle imports this module, and every module it imports is evaluated again for each case.
export const RATINGS = ['satisfied', 'basicallySatisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

/** Steps of the escalation ladder (docs/domain.md §6), in their usual order. */
export const LADDER_STEPS = [
  'overdueNotice',
  'publicBulletin',
  'specialSupervision',
  'reReport',
  'specialReport',
  'specialInquiry',
  'inquiry',
  'investigation',
] as const;
