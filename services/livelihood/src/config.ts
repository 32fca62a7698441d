// The livelihood service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  MONGO_URL: common.MONGO_URL,
  ...common.mongoSecurity,
  MONGO_DB: z.string().min(1).default('duban_livelihood'),
  TEMPORAL_ADDRESS: common.TEMPORAL_ADDRESS,
  ...common.temporalSecurity,
  TEMPORAL_NAMESPACE: common.TEMPORAL_NAMESPACE,
  TEMPORAL_TASK_QUEUE: common.TEMPORAL_TASK_QUEUE,
  REGISTRY_URL: z.url({ message: 'must be the registry base URL, e.g. http://127.0.0.1:4001' }),
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT.default(4006),
  HTTP_HOST: common.http.HTTP_HOST,
  ...common.httpSecurity,
  /** Jurisdictions whose annual cycle Schedule this service keeps (comma-separated ids; empty: none). */
  LIVELIHOOD_JURISDICTIONS: z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]{1,63}(,[a-z0-9][a-z0-9-]{1,63})*)?$/, 'must be jurisdiction ids, comma-separated')
    .default('')
    .transform((s) => (s ? s.split(',') : [])),
  /** After a vote closes, ballots in flight get this long to land before the count (ms); keep it
   * above the 1 s a ballot may rely on a cached read of its vote. */
  LIVELIHOOD_TALLY_GRACE_MS: z.coerce.number().int().min(0).max(60000).default(2000),
});
export type LivelihoodConfig = z.infer<typeof configSchema>;
