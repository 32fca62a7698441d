// The case-index service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { readServiceConfigShape } from '@duban/platform';

export const configSchema = z.object({
  ...readServiceConfigShape({ db: 'duban_case_index', group: 'duban-case-index', port: 4003 }),
  /** boards: the lists from the boards (any MongoDB API); views: queries of the views (MongoDB with its indexes). */
  CASE_INDEX_LISTS: z.enum(['boards', 'views']).default('boards'),
  /** Views the lists keep in memory, the least recently used dropped first. */
  CASE_INDEX_VIEW_CACHE: z.coerce.number().int().min(0).default(50_000),
});
type Parsed = z.infer<typeof configSchema>;
/** What the app takes: the parsed config; the lists' settings may be left to their defaults. */
export type CaseIndexConfig = Omit<Parsed, 'LOG_LEVEL' | 'CASE_INDEX_LISTS' | 'CASE_INDEX_VIEW_CACHE'> &
  Partial<Pick<Parsed, 'CASE_INDEX_LISTS' | 'CASE_INDEX_VIEW_CACHE'>>;
