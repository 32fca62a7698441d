// The figures, computed at read time from summed counters and the jurisdiction's policy
// (`scores` section), so a policy change applies to the next read. Pure.
export * from './figures/totals';
export * from './figures/units';
export * from './figures/people';
