// The worker's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  KAFKA_BROKERS: common.KAFKA_BROKERS,
  TEMPORAL_ADDRESS: common.TEMPORAL_ADDRESS,
  TEMPORAL_NAMESPACE: common.TEMPORAL_NAMESPACE,
  TEMPORAL_TASK_QUEUE: common.TEMPORAL_TASK_QUEUE,
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  HTTP_HOST: common.http.HTTP_HOST,
});
