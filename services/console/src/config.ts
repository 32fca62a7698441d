// The console service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { common } from '@duban/platform';

export const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT.default(4010),
  HTTP_HOST: common.http.HTTP_HOST,
  SUGGESTIONS_URL: z.url({ message: 'must be the suggestions base URL, e.g. http://127.0.0.1:4002' }),
  CASE_INDEX_URL: z.url({ message: 'must be the case-index base URL, e.g. http://127.0.0.1:4003' }),
  CITIZEN_URL: z.url({ message: 'must be the citizen service base URL, e.g. http://127.0.0.1:4008' }),
  REGISTRY_URL: z.url({ message: 'must be the registry base URL, e.g. http://127.0.0.1:4001' }),
  OVERSIGHT_URL: z.url({ message: 'must be the oversight service base URL, e.g. http://127.0.0.1:4007' }),
  DUTIES_URL: z.url({ message: 'must be the duties service base URL, e.g. http://127.0.0.1:4009' }),
  LIVELIHOOD_URL: z.url({ message: 'must be the livelihood service base URL, e.g. http://127.0.0.1:4006' }),
  SCORES_URL: z.url({ message: 'must be the scores service base URL, e.g. http://127.0.0.1:4005' }),
  NOTIFICATIONS_URL: z.url({ message: 'must be the notifications service base URL, e.g. http://127.0.0.1:4004' }),
  /** Where people sign in: "dev" lists the demo people; production plugs in its identity provider. */
  CONSOLE_TOKEN_SOURCE: z.enum(['dev']).default('dev'),
  /** The built web app (vite build output). */
  CONSOLE_WEB_DIR: z.string().min(1).optional(),
  /** Send the session cookie only over HTTPS (set behind TLS in production). */
  CONSOLE_COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  CONSOLE_SESSION_TTL: z.string().default('8h'),
});
export type ConsoleConfig = z.infer<typeof configSchema>;
