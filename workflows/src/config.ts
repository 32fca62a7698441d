// The worker's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  KAFKA_BROKERS: common.KAFKA_BROKERS,
  ...common.kafkaSecurity,
  TEMPORAL_ADDRESS: common.TEMPORAL_ADDRESS,
  ...common.temporalSecurity,
  TEMPORAL_NAMESPACE: common.TEMPORAL_NAMESPACE,
  TEMPORAL_TASK_QUEUE: common.TEMPORAL_TASK_QUEUE,
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  HTTP_HOST: common.http.HTTP_HOST,
  /** Where the official working-day calendars are published (GET /v1/calendars). */
  REGISTRY_URL: z.url({ message: 'must be the registry base URL, e.g. http://127.0.0.1:4001' }),
  ...common.auth,
  /** How long fetched calendars are used before the registry is asked again. */
  CALENDAR_REFRESH_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
});
