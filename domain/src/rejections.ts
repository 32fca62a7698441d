// Why a case refuses an action: the ApplicationFailure types every case workflow's Update
// validators throw, and the services map to HTTP statuses (platform/src/http/case-actions.ts).
export const REJECTION = {
  conflict: 'StageConflict',
  forbidden: 'NotYourCase',
  invalid: 'InvalidInput',
  /** The caller already rated this reply (HTTP 409 already_rated). */
  alreadyRated: 'AlreadyRated',
  /** The caller already cast this vote (HTTP 409 already_voted). */
  alreadyVoted: 'AlreadyVoted',
} as const;
