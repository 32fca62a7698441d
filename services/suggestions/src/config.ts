// The suggestions service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  MONGO_URL: common.MONGO_URL,
  ...common.mongoSecurity,
  MONGO_DB: z.string().min(1).default('duban_suggestions'),
  TEMPORAL_ADDRESS: common.TEMPORAL_ADDRESS,
  ...common.temporalSecurity,
  TEMPORAL_NAMESPACE: common.TEMPORAL_NAMESPACE,
  TEMPORAL_TASK_QUEUE: common.TEMPORAL_TASK_QUEUE,
  REGISTRY_URL: z.url({ message: 'must be the registry base URL, e.g. http://127.0.0.1:4001' }),
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT.default(4002),
  HTTP_HOST: common.http.HTTP_HOST,
  ...common.httpSecurity,
});
