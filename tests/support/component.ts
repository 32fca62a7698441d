// Component tests: ONE service in-process on port 0 over the real stack the global setup
// started, with its real store (a database of its own, `component_<service>_<run>`), and
// driven over HTTP only. What it needs around it is real too: a registry (the demo jurisdiction
// seeded, in a database of its own) and, for a service whose routes run workflows, a worker on a
// task queue of its own. The services are reached only through their app factories.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Envelope } from '@duban/proto';
import { createEventPublisher, createKafka, ensureTopicsWith, topicForCaseKind, type Principal } from '@duban/platform';
import { createCaseIndexApp } from '@duban/case-index/src/main';
import { createScoresApp } from '@duban/scores/src/main';
import { createNotificationsApp } from '@duban/notifications/src/main';
import { configSchema as notificationsConfig } from '@duban/notifications/src/config';
import { createConsoleApp, demoPeople, devTokenSource, listen } from '@duban/console/src/main';
import demo from '@duban/registry/data/demo.json';
import { startTestSmtp, type TestSmtp } from './smtp';
import { createRegistryApp } from '@duban/registry/src/main';
import { seedDemo } from '@duban/registry/src/use-cases/seed';
import { createCitizenApp } from '@duban/citizen/src/app';
import { createDutiesApp } from '@duban/duties/src/app';
import { createLivelihoodApp } from '@duban/livelihood/src/app';
import { createOversightApp } from '@duban/oversight/src/app';
import { createSuggestionsApp } from '@duban/suggestions/src/app';
import { ISSUER, SECRET, call, consumeFromNow, logger, stackEnv, startWorker, token } from './system';

export { call, eventually } from './system';

export type ComponentService =
  | 'registry'
  | 'citizen'
  | 'duties'
  | 'livelihood'
  | 'oversight'
  | 'suggestions'
  | 'case-index'
  | 'scores'
  | 'notifications';

/** A role's token, or a whole principal. */
export type Caller = Principal['role'] | Principal | null;

export interface Component {
  /** The service under test. */
  url: string;
  /** The registry it reads (the service itself when it is the registry). */
  registryUrl: string;
  /** A read-only look at the service's own database, to prove what was (not) stored. */
  db: mongoose.Connection;
  /** The mail server the notifications service sends to (a real SMTP server of the test). */
  smtp?: TestSmtp;
  /** Publishes case events to their kinds' topics on the stack's Kafka, as the workflows do. */
  publish(...events: Envelope[]): Promise<void>;
  /** One HTTP call to the service: `as` a role (a default principal of it), a principal, or null for no token. */
  http(
    method: string,
    path: string,
    opts?: { as?: Caller; body?: unknown; raw?: string; headers?: Record<string, string>; base?: string },
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** The principal each role stands for when a test names only the role. */
export const DEFAULT_PRINCIPALS: Record<Principal['role'], Principal> = {
  staff: { role: 'staff', sub: 'clerk-1' },
  operator: { role: 'operator', sub: 'ops-1' },
  deputy: { role: 'deputy', sub: 'deputy-001' },
  unit: { role: 'unit', sub: 'handler-edu', unit: 'edu-bureau' },
  citizen: { role: 'citizen', sub: 'citizen-1' },
};

type Stop = () => Promise<void>;
/** Nothing listens on the discard port: a service the test does not run. */
const DOWN = 'http://127.0.0.1:9';

type CaseServiceConfig = Parameters<typeof createDutiesApp>[0];

/** The app of a service that runs workflows, on this test's task queue and registry. */
function serviceApp(
  service: Exclude<ComponentService, 'registry' | 'case-index' | 'scores' | 'notifications'>,
  cfg: CaseServiceConfig,
) {
  switch (service) {
    case 'citizen':
      // Taking an opinion up as a suggestion is the e2e tests' part.
      return createCitizenApp({ ...cfg, SUGGESTIONS_URL: DOWN }, logger);
    case 'duties':
      return createDutiesApp(cfg, logger);
    case 'livelihood':
      return createLivelihoodApp(
        { ...cfg, LOG_LEVEL: 'warn', LIVELIHOOD_JURISDICTIONS: [], LIVELIHOOD_TALLY_GRACE_MS: 200 },
        logger,
      );
    case 'oversight':
      return createOversightApp({ ...cfg, LOG_LEVEL: 'warn' }, logger);
    case 'suggestions':
      return createSuggestionsApp(cfg, logger);
  }
}

/** The case-number series the case services allocate from (their counters' ids, less the year). */
const SERIES = [
  'suggestion',
  'opinion',
  'review-opinion',
  'resolution',
  'inquiry',
  'investigation',
  'supervision-plan',
];

/**
 * A fresh database would number its cases from 0001, and a workflow id is the case number: on the
 * shared Temporal server it would then name a case an earlier test started (on a task queue whose
 * worker is gone), which the intake joins. The counters start at a random point instead.
 */
async function startNumbersApart(mongoUrl: string, dbName: string): Promise<void> {
  const db = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
  try {
    const base = 100_000 + Math.floor(Math.random() * 800_000);
    const year = new Date().getUTCFullYear();
    const docs = SERIES.flatMap((s) => [year - 1, year, year + 1].map((y) => ({ _id: `${s}-${y}`, seq: base })));
    await db.collection<{ _id: string; seq: number }>('counters').insertMany(docs);
  } finally {
    await db.close();
  }
}

/** Runs each stop in reverse order of start, even when one fails; rethrows the first failure. */
async function stopAll(stops: Stop[]): Promise<void> {
  let first: unknown;
  for (const stop of [...stops].reverse()) await stop().catch((err) => (first ??= err));
  if (first) throw first;
}

export async function startComponent(service: ComponentService): Promise<Component> {
  const env = stackEnv();
  const run = randomUUID().slice(0, 8);
  const dbName = `component_${service}_${run}`;
  const common = {
    MONGO_URL: env.MONGO_URL,
    AUTH_JWT_SECRET: SECRET,
    AUTH_ISSUER: ISSUER,
    HTTP_PORT: 0,
    HTTP_HOST: '127.0.0.1',
  };
  const stops: Stop[] = [];
  const started = async (app: { start(): Promise<number>; stop(): Promise<void>; port: number }) => {
    await app.start();
    stops.push(() => app.stop());
    return `http://127.0.0.1:${app.port}`;
  };
  try {
    const registry = createRegistryApp(
      { ...common, MONGO_DB: service === 'registry' ? dbName : `${dbName}_registry` },
      logger,
    );
    const registryUrl = await started(registry);
    await seedDemo(registry.models!);

    const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: `component-${service}-${run}`, logger });
    let url = registryUrl;
    let smtp: TestSmtp | undefined;
    if (service === 'case-index' || service === 'scores') {
      // The read models: fed by the events on Kafka, in a consumer group of their own.
      await ensureTopicsWith(kafka);
      await consumeFromNow(kafka, [`component-${run}`, `component-${run}-boards`]);
      const cfg = { ...common, MONGO_DB: dbName, KAFKA_BROKERS: env.KAFKA_BROKERS, KAFKA_GROUP_ID: `component-${run}` };
      url = await started(
        service === 'case-index'
          ? createCaseIndexApp(cfg, logger)
          : createScoresApp({ ...cfg, REGISTRY_URL: registryUrl, POLICY_CACHE_SECONDS: 0 }, logger),
      );
    } else if (service === 'notifications') {
      await ensureTopicsWith(kafka);
      await consumeFromNow(kafka, [`component-${run}`]);
      smtp = await startTestSmtp();
      stops.push(smtp.close);
      url = await started(
        createNotificationsApp(
          notificationsConfig.parse({
            MONGO_URL: env.MONGO_URL,
            MONGO_DB: dbName,
            KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
            KAFKA_GROUP_ID: `component-${run}`,
            REGISTRY_URL: registryUrl,
            AUTH_JWT_SECRET: SECRET,
            AUTH_ISSUER: ISSUER,
            HTTP_PORT: '0',
            SMTP_HOST: '127.0.0.1',
            SMTP_PORT: String(smtp.port),
            NOTIFY_MAX_ATTEMPTS: '2',
            NOTIFY_RETRY_BASE_MS: '100',
            NOTIFY_WEBHOOK_TIMEOUT_MS: '2000',
          }),
          logger,
        ),
      );
    } else if (service !== 'registry') {
      await startNumbersApart(env.MONGO_URL, dbName);
      const taskQueue = `component-${service}-${run}`;
      await ensureTopicsWith(kafka);
      stops.push(await startWorker(taskQueue, registryUrl));
      const temporal = {
        TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        REGISTRY_URL: registryUrl,
        MONGO_DB: dbName,
      };
      url = await started(serviceApp(service, { ...common, ...temporal }));
    }

    const db = await mongoose.createConnection(env.MONGO_URL, { dbName }).asPromise();
    stops.push(() => db.close());

    const tokens = new Map<string, Promise<string>>();
    const tokenOf = (who: Exclude<Caller, null>) => {
      const p = typeof who === 'string' ? DEFAULT_PRINCIPALS[who] : who;
      const k = JSON.stringify(p);
      if (!tokens.has(k)) tokens.set(k, token(p));
      return tokens.get(k)!;
    };
    return {
      url,
      registryUrl,
      db,
      ...(smtp ? { smtp } : {}),
      async publish(...events) {
        const publisher = await createEventPublisher(kafka);
        try {
          for (const e of events) await publisher.publish(topicForCaseKind(e.caseKind), e);
        } finally {
          await publisher.disconnect();
        }
      },
      async http(method, path, opts = {}) {
        const who = opts.as === undefined ? 'staff' : opts.as;
        return call(method, `${opts.base ?? url}${path}`, {
          ...(who ? { token: await tokenOf(who) } : {}),
          ...(opts.body !== undefined ? { body: opts.body } : {}),
          ...(opts.raw !== undefined ? { raw: opts.raw } : {}),
          ...(opts.headers ? { headers: opts.headers } : {}),
        });
      },
      stop: () => stopAll(stops),
    };
  } catch (err) {
    await stopAll(stops).catch(() => undefined);
    throw err;
  }
}

/** How many documents a collection of the service's database holds (matching `filter`). */
export function countIn(c: Component, collection: string, filter: Record<string, unknown> = {}): Promise<number> {
  return c.db.collection(collection).countDocuments(filter);
}

/** Expects a refusal: the status, the error code and a message that names `field`. */
export function expectRefused(
  r: { status: number; body: any },
  status: number,
  field: string | RegExp,
  code?: string,
): void {
  const summary = JSON.stringify(r.body);
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${summary}`);
  expect(r.body.error.message).toMatch(field);
  if (code) expect(r.body.error.code).toBe(code);
}

/**
 * The console (a web app with a session, no store of its own) over a started case index and its
 * registry; the services it is not given are down. Driven over HTTP with its session cookie.
 */
export async function startConsoleOver(caseIndex: Component): Promise<{ url: string; close(): Promise<void> }> {
  const auth = { secret: SECRET, issuer: ISSUER };
  const app = createConsoleApp({
    logger,
    tokens: devTokenSource(demoPeople(demo), { ...auth, ttl: '1h' }),
    auth,
    suggestionsUrl: DOWN,
    caseIndexUrl: caseIndex.url,
    citizenUrl: DOWN,
    registryUrl: caseIndex.registryUrl,
    cookieSecure: false,
  });
  const listening = await listen(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${listening.port}`, close: listening.close };
}

/**
 * The service of a test file: started before its tests (beforeAll), stopped after them
 * (afterAll); read its fields and call it inside a test.
 */
export function useComponent(service: ComponentService): Component {
  let started: Component | undefined;
  beforeAll(async () => {
    started = await startComponent(service);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const running = (): Component => {
    if (!started) throw new Error(`the ${service} component is not started: use it inside a test`);
    return started;
  };
  return {
    get url() {
      return running().url;
    },
    get registryUrl() {
      return running().registryUrl;
    },
    get db() {
      return running().db;
    },
    get smtp() {
      return running().smtp;
    },
    publish: (...events) => running().publish(...events),
    http: (...args) => running().http(...args),
    stop: () => running().stop(),
  };
}
