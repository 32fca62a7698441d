// The configuration every case service reads (its store, Temporal, the registry, auth, HTTP);
// each service names its database and port and adds its own variables.
import { z } from 'zod';
import { common } from './config';

const caseServiceShape = (defaults: { db: string; port: number }) => ({
  LOG_LEVEL: common.LOG_LEVEL,
  ...common.deployment,
  MONGO_URL: common.MONGO_URL,
  ...common.mongoSecurity,
  MONGO_DB: z.string().min(1).default(defaults.db),
  TEMPORAL_ADDRESS: common.TEMPORAL_ADDRESS,
  ...common.temporalSecurity,
  TEMPORAL_NAMESPACE: common.TEMPORAL_NAMESPACE,
  TEMPORAL_TASK_QUEUE: common.TEMPORAL_TASK_QUEUE,
  REGISTRY_URL: z.url({ message: 'must be the registry base URL, e.g. http://127.0.0.1:4001' }),
  ...common.auth,
  HTTP_PORT: common.http.HTTP_PORT.default(defaults.port),
  HTTP_HOST: common.http.HTTP_HOST,
  ...common.httpSecurity,
});

/** A case service's config schema: the shared variables, then the service's own. */
export function caseServiceConfigSchema<E extends z.ZodRawShape = Record<never, never>>(
  defaults: { db: string; port: number },
  own: E = {} as E,
) {
  return z.object(caseServiceShape(defaults)).extend(own);
}

/** What the shared case-service machinery reads from any case service's config. */
export type CaseServiceConfig = Omit<z.infer<z.ZodObject<ReturnType<typeof caseServiceShape>>>, 'LOG_LEVEL'>;
