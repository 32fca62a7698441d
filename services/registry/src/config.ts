// The registry service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  MONGO_URL: common.MONGO_URL,
  ...common.mongoSecurity,
  MONGO_DB: z.string().min(1).default('duban_registry'),
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT.default(4001),
  HTTP_HOST: common.http.HTTP_HOST,
  ...common.httpSecurity,
});
