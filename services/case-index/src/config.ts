// The case-index service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  MONGO_URL: common.MONGO_URL,
  ...common.mongoSecurity,
  MONGO_DB: z.string().min(1).default('duban_case_index'),
  KAFKA_BROKERS: common.KAFKA_BROKERS,
  ...common.kafkaSecurity,
  KAFKA_GROUP_ID: z.string().min(1).default('duban-case-index'),
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT.default(4003),
  HTTP_HOST: common.http.HTTP_HOST,
  ...common.httpSecurity,
  /** boards: the lists from the boards (any MongoDB API); views: queries of the views (MongoDB with its indexes). */
  CASE_INDEX_LISTS: z.enum(['boards', 'views']).default('boards'),
  /** Views the lists keep in memory, the least recently used dropped first. */
  CASE_INDEX_VIEW_CACHE: z.coerce.number().int().min(0).default(50_000),
});
