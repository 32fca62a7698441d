// The scores service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  MONGO_URL: common.MONGO_URL,
  ...common.mongoSecurity,
  MONGO_DB: z.string().min(1).default('duban_scores'),
  KAFKA_BROKERS: common.KAFKA_BROKERS,
  ...common.kafkaSecurity,
  /** The live consumer group. A rebuild replays into a new group `<this>-rebuild-<timestamp>`. */
  KAFKA_GROUP_ID: z.string().min(1).default('duban-scores'),
  REGISTRY_URL: z.url({ message: 'must be the registry base URL, e.g. http://127.0.0.1:4001' }),
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT.default(4005),
  HTTP_HOST: common.http.HTTP_HOST,
  ...common.httpSecurity,
  /** How long a jurisdiction's policy read from the registry is reused; 0 reads it every time. */
  POLICY_CACHE_SECONDS: z.coerce.number().int().min(0).max(86400).default(60),
});
export type ScoresConfig = z.infer<typeof configSchema>;
