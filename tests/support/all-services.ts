// Every HTTP service of Duban in-process over the real local stack: the system of system.ts
// (registry, suggestions, case index, oversight and a worker) plus citizen, duties, livelihood,
// notifications, scores and the console, each on a port of its own. With `dbPrefix` every
// service keeps its data in databases of its own (`<dbPrefix>_<service>`), so a test that writes
// at random (the API fuzzer) cannot change the demo data other tests rely on.
import { randomUUID } from 'node:crypto';
import { createCitizenApp } from '@duban/citizen/src/app';
import { createLivelihoodApp } from '@duban/livelihood/src/app';
import { createNotificationsApp } from '@duban/notifications/src/main';
import { configSchema as notificationsConfig } from '@duban/notifications/src/config';
import { createScoresApp } from '@duban/scores/src/main';
import { startConsole } from './console';
import { ISSUER, SECRET, logger, stackEnv, startDuties, startSystem, type System } from './system';

/** The services that describe their API in /openapi.json (the console is a web app with a session). */
export const API_SERVICES = [
  'registry',
  'suggestions',
  'caseIndex',
  'oversight',
  'citizen',
  'duties',
  'livelihood',
  'notifications',
  'scores',
] as const;
export type ApiService = (typeof API_SERVICES)[number];

export interface AllServices {
  sys: System;
  /** Base URL of each service with an OpenAPI document. */
  urls: Record<ApiService, string>;
  consoleUrl: string;
  stop(): Promise<void>;
}

export async function startAllServices(opts: { dbPrefix?: string; worker?: boolean } = {}): Promise<AllServices> {
  const env = stackEnv();
  const prefix = opts.dbPrefix ?? 'duban';
  const run = randomUUID().slice(0, 8);
  const groups = { notifications: `notifications-${prefix}-${run}`, scores: `scores-${prefix}-${run}` };
  const sys = await startSystem({
    dbPrefix: prefix,
    groupsFromNow: Object.values(groups),
    ...(opts.worker === false ? { worker: false } : {}),
  });
  const stops: (() => Promise<void>)[] = [];
  try {
    const common = {
      MONGO_URL: env.MONGO_URL,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
    };
    const temporal = {
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      REGISTRY_URL: sys.registryUrl,
    };
    const citizen = createCitizenApp(
      { ...common, ...temporal, MONGO_DB: `${prefix}_citizen`, SUGGESTIONS_URL: sys.suggestionsUrl },
      logger,
    );
    await citizen.start();
    stops.push(() => citizen.stop());
    const duties = await startDuties(sys, prefix);
    stops.push(duties.stop);
    const livelihood = createLivelihoodApp(
      {
        ...common,
        ...temporal,
        LOG_LEVEL: 'warn',
        MONGO_DB: `${prefix}_livelihood`,
        LIVELIHOOD_JURISDICTIONS: [],
        LIVELIHOOD_TALLY_GRACE_MS: 200,
      },
      logger,
    );
    await livelihood.start();
    stops.push(() => livelihood.stop());
    const notifications = createNotificationsApp(
      notificationsConfig.parse({
        MONGO_URL: env.MONGO_URL,
        MONGO_DB: `${prefix}_notifications`,
        KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
        KAFKA_GROUP_ID: groups.notifications,
        REGISTRY_URL: sys.registryUrl,
        AUTH_JWT_SECRET: SECRET,
        AUTH_ISSUER: ISSUER,
        HTTP_PORT: '0',
        // Nothing listens on the discard port: mail is tried, fails and is retried, as with a mail server down.
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: '9',
      }),
      logger,
    );
    await notifications.start();
    stops.push(() => notifications.stop());
    const scores = createScoresApp(
      {
        ...common,
        MONGO_DB: `${prefix}_scores`,
        KAFKA_BROKERS: env.KAFKA_BROKERS,
        KAFKA_GROUP_ID: groups.scores,
        REGISTRY_URL: sys.registryUrl,
        POLICY_CACHE_SECONDS: 0,
      },
      logger,
    );
    await scores.start();
    stops.push(() => scores.stop());
    const citizenUrl = `http://127.0.0.1:${citizen.port}`;
    const livelihoodUrl = `http://127.0.0.1:${livelihood.port}`;
    const konsole = await startConsole(sys, { citizenUrl, dutiesUrl: duties.url, livelihoodUrl });
    stops.push(konsole.close);
    return {
      sys,
      urls: {
        registry: sys.registryUrl,
        suggestions: sys.suggestionsUrl,
        caseIndex: sys.caseIndexUrl,
        oversight: sys.oversightUrl,
        citizen: citizenUrl,
        duties: duties.url,
        livelihood: livelihoodUrl,
        notifications: `http://127.0.0.1:${notifications.port}`,
        scores: `http://127.0.0.1:${scores.port}`,
      },
      consoleUrl: konsole.url,
      async stop() {
        for (const stop of stops.reverse()) await stop();
        await sys.stop();
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await sys.stop();
    throw err;
  }
}
