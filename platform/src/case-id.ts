// A case id, as every service names its cases and as the case index and the console accept
// them: lowercase letters, digits and hyphens, from a letter to a letter or digit —
// "suggestion-2026-0001", "opinion-2026-000003-letter-1", "review-opinion-2026-0001",
// "supervision-plan-cn-zj-demo-city-2027", "appointee-report-appt-a", "livelihood-cn-zj-2027-p01".
// A unit's part of a review opinion runs as "<case>.<unit>": that is a workflow, not a case.
import { z } from 'zod';

export const CASE_ID_MAX_LENGTH = 120;
export const CASE_ID_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;

export const caseIdSchema = z
  .string()
  .max(CASE_ID_MAX_LENGTH, `must be at most ${CASE_ID_MAX_LENGTH} characters`)
  .regex(
    CASE_ID_PATTERN,
    'must be a case id: lowercase letters, digits and hyphens, e.g. suggestion-2026-0001 or opinion-2026-000003',
  );
