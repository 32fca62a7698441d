// The livelihood service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { caseServiceConfigSchema } from '@duban/platform';

export const configSchema = caseServiceConfigSchema(
  { db: 'duban_livelihood', port: 4006 },
  {
    /** Jurisdictions whose annual cycle Schedule this service keeps (comma-separated ids; empty: none). */
    LIVELIHOOD_JURISDICTIONS: z
      .string()
      .regex(/^([a-z0-9][a-z0-9-]{1,63}(,[a-z0-9][a-z0-9-]{1,63})*)?$/, 'must be jurisdiction ids, comma-separated')
      .default('')
      .transform((s) => (s ? s.split(',') : [])),
    /** After a vote closes, ballots in flight get this long to land before the count (ms); keep it
     * above the 1 s a ballot may rely on a cached read of its vote. */
    LIVELIHOOD_TALLY_GRACE_MS: z.coerce.number().int().min(0).max(60000).default(2000),
  },
);
export type LivelihoodConfig = z.infer<typeof configSchema>;
