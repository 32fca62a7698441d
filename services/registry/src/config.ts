// The registry service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common, type AuthConfig, type SecurityConfig } from '@duban/platform';

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

/** What the registry app needs (the logger is made from LOG_LEVEL before it). */
export interface RegistryConfig extends AuthConfig, SecurityConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  HTTP_PORT: number;
  HTTP_HOST: string;
}
