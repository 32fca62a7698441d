// Starts the whole system in-process against the real local stack (which the global setup
// started): registry with the demo jurisdiction, suggestions, case-index and a worker, each on
// port 0 with a task queue and consumer group of its own. Services are driven over real HTTP.
import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { Envelope } from '@duban/proto';
import {
  buildEnvelope,
  createEventPublisher,
  createKafka,
  createLogger,
  ensureTopicsWith,
  signToken,
  TOPICS,
  type EventPublisher,
  type NewEvent,
  type Principal,
  temporalConnectionOptions,
} from '@duban/platform';
import { createRegistryApp } from '@duban/registry/src/main';
import { seedDemo } from '@duban/registry/src/use-cases/seed';
import { createSuggestionsApp } from '@duban/suggestions/src/app';
import { createCaseIndexApp } from '@duban/case-index/src/main';
import { createOversightApp } from '@duban/oversight/src/app';
import { createDutiesApp } from '@duban/duties/src/app';
import { createCaseWorker, installTemporalLogging } from '@duban/workflows/src/worker-factory';
import { followPublishedCalendars, registryCalendarSource } from '@duban/workflows/src/calendar-source';

export const SECRET = 'test-secret-that-is-at-least-32-characters';
export const ISSUER = 'duban';

export function stackEnv() {
  const need = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} is not set: the stack project's global setup sets it`);
    return v;
  };
  return {
    MONGO_URL: need('MONGO_URL'),
    KAFKA_BROKERS: need('KAFKA_BROKERS').split(','),
    TEMPORAL_ADDRESS: need('TEMPORAL_ADDRESS'),
  };
}

export const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'warn');

export function token(p: Principal, ttl: string | number = '1h'): Promise<string> {
  return signToken(p, { secret: SECRET, issuer: ISSUER, ttl });
}

export interface System {
  registryUrl: string;
  suggestionsUrl: string;
  caseIndexUrl: string;
  oversightUrl: string;
  taskQueue: string;
  temporal: Client;
  registry: ReturnType<typeof createRegistryApp>;
  stop(): Promise<void>;
  stopWorker(): Promise<void>;
}

/**
 * Starts an in-process worker on the task queue; returns a function that stops it. With a
 * registry URL its calendars follow the registry (refreshed every half second) and running
 * cases are told of each newly published year; otherwise it counts on the shipped files.
 */
export async function startWorker(taskQueue: string, registryUrl?: string): Promise<() => Promise<void>> {
  const env = stackEnv();
  installTemporalLogging(logger);
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: `test-worker-${taskQueue}`, logger });
  const publisher: EventPublisher = await createEventPublisher(kafka);
  const connection = await NativeConnection.connect(temporalConnectionOptions(env));
  const clientConnection = await Connection.connect(temporalConnectionOptions(env));
  const client = new Client({ connection: clientConnection });
  const calendars = registryUrl
    ? await registryCalendarSource({ baseUrl: registryUrl, secret: SECRET, issuer: ISSUER, logger, ttlMs: 500 })
    : undefined;
  const stopFollowing = calendars ? followPublishedCalendars({ calendars, client, logger, everyMs: 500 }) : () => {};
  const worker: Worker = await createCaseWorker({
    connection,
    namespace: 'default',
    taskQueue,
    publisher,
    client,
    calendars,
  });
  const running = worker.run();
  return async () => {
    stopFollowing();
    worker.shutdown();
    await running;
    await publisher.disconnect();
    await connection.close();
    await clientConnection.close();
  };
}

/**
 * Sets new consumer groups at the end of every Duban topic, so that a test's consumers read
 * only what is sent from now on. Every test of a run shares one Kafka: by the last tests the
 * topics hold thousands of earlier tests' events, and a group that began at the start would
 * fold them all first, keeping the machine busy for a minute while the test waits on it
 * (its own cases then show late, and queries with a deadline go unanswered). A service in
 * production begins a new group at the start: that is what a rebuild is, tested on its own.
 */
export async function consumeFromNow(kafka: ReturnType<typeof createKafka>, groupIds: string[]): Promise<void> {
  await ensureTopicsWith(kafka);
  const topics = Object.values(TOPICS).map((t) => t.name);
  const admin = kafka.admin();
  await admin.connect();
  const offsets: { topic: string; partition: number; offset: string }[] = [];
  try {
    for (const topic of topics) {
      // Topics just created have no leader for a moment ("not the leader"): asked again until they do.
      const ends = await eventually(() => admin.fetchTopicOffsets(topic), `the offsets of ${topic}`);
      for (const e of ends) offsets.push({ topic, partition: e.partition, offset: e.high });
    }
  } finally {
    await admin.disconnect();
  }
  // One short-lived member per group joins once for every topic and commits the ends. (admin.setOffsets
  // joins once per topic and waits out a paused fetch each time: about 3 s a topic, a minute a system.)
  await Promise.all(groupIds.map((groupId) => commitAsGroup(kafka, groupId, topics, offsets)));
}

async function commitAsGroup(
  kafka: ReturnType<typeof createKafka>,
  groupId: string,
  topics: string[],
  offsets: { topic: string; partition: number; offset: string }[],
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => {} });
    consumer.pause(topics.map((topic) => ({ topic })));
    await joined;
    await consumer.commitOffsets(offsets);
    // A commit that did not take would leave the group to begin at the start: checked, not assumed.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const held = await admin.fetchOffsets({ groupId, topics });
      for (const w of offsets) {
        const got = held.find((t) => t.topic === w.topic)?.partitions.find((p) => p.partition === w.partition)?.offset;
        if (got !== w.offset) throw new Error(`group ${groupId}: ${w.topic}/${w.partition} at ${got}, not ${w.offset}`);
      }
    } finally {
      await admin.disconnect();
    }
  } finally {
    await consumer.disconnect();
  }
}

export async function startSystem(
  opts: {
    worker?: boolean;
    /** The registry's database (default duban_registry); a test that publishes calendars uses its own. */
    registryDb?: string;
    /** The worker's calendars follow this system's registry (default: the shipped files). */
    calendarsFromRegistry?: boolean;
    /** Every service's database is `<dbPrefix>_<service>` (default duban): a test that writes at random uses its own. */
    dbPrefix?: string;
    /** More consumer groups (of services the test starts itself) to begin at the topics' ends. */
    groupsFromNow?: string[];
  } = {},
): Promise<System> {
  const env = stackEnv();
  const taskQueue = `test-${randomUUID()}`;
  const db = (name: string) => `${opts.dbPrefix ?? 'duban'}_${name}`;
  const common = {
    AUTH_JWT_SECRET: SECRET,
    AUTH_ISSUER: ISSUER,
    HTTP_PORT: 0,
    HTTP_HOST: '127.0.0.1',
    MONGO_URL: env.MONGO_URL,
  };

  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: 'test-admin', logger });
  const caseIndexGroup = `case-index-${taskQueue}`;
  await consumeFromNow(kafka, [caseIndexGroup, `${caseIndexGroup}-boards`, ...(opts.groupsFromNow ?? [])]);

  const registry = createRegistryApp({ ...common, MONGO_DB: opts.registryDb ?? db('registry') }, logger);
  await registry.start();
  await seedDemo(registry.models!);
  const registryUrl = `http://127.0.0.1:${registry.port}`;

  const suggestions = createSuggestionsApp(
    {
      ...common,
      MONGO_DB: db('suggestions'),
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      REGISTRY_URL: registryUrl,
    },
    logger,
  );
  await suggestions.start();

  const oversight = createOversightApp(
    {
      ...common,
      LOG_LEVEL: 'warn',
      MONGO_DB: db('oversight'),
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      REGISTRY_URL: registryUrl,
    },
    logger,
  );
  await oversight.start();

  const caseIndex = createCaseIndexApp(
    {
      ...common,
      // A database of its own: its consumer groups begin at the topics' ends (consumeFromNow),
      // and boards another instance built from earlier events are not this group's to extend.
      MONGO_DB: `${db('case_index')}_${taskQueue.slice(5, 13)}`,
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      KAFKA_GROUP_ID: caseIndexGroup,
    },
    logger,
  );
  await caseIndex.start();

  const stopWorker =
    opts.worker === false
      ? async () => {}
      : await startWorker(taskQueue, opts.calendarsFromRegistry ? registryUrl : undefined);
  const connection = await Connection.connect(temporalConnectionOptions(env));
  const temporal = new Client({ connection });

  return {
    registryUrl,
    suggestionsUrl: `http://127.0.0.1:${suggestions.port}`,
    caseIndexUrl: `http://127.0.0.1:${caseIndex.port}`,
    oversightUrl: `http://127.0.0.1:${oversight.port}`,
    taskQueue,
    temporal,
    registry,
    stopWorker,
    async stop() {
      await stopWorker();
      await connection.close();
      await caseIndex.stop();
      await oversight.stop();
      await suggestions.stop();
      await registry.stop();
    },
  };
}

/** A small HTTP client for tests: JSON in, status and JSON out. */
export async function call(
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(url, { method, headers, body: payload });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

/** Polls until `fn` returns a truthy value, or fails with the last value seen. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
  );
}

/** A suggestion event as a test producer would publish it: id "<caseId>/<step>". */
export function testEvent(caseId: string, step: string, body: NewEvent['body']): Envelope {
  return buildEnvelope({
    eventId: `${caseId}/${step}`,
    caseId,
    caseKind: 'suggestion',
    jurisdiction: 'cn-zj-demo-city',
    occurredAt: new Date(),
    producer: 'test',
    workflowId: caseId,
    runId: 'r',
    body,
  });
}

/** The case index's view of a case once `ready` holds for it (the index follows Kafka). */
export async function indexedCase(
  sys: Pick<System, 'caseIndexUrl'>,
  token: string,
  caseId: string,
  ready: (view: any) => boolean,
  timeoutMs = 30000,
): Promise<any> {
  let last: unknown;
  return eventually(
    async () => {
      const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}`, { token });
      last = r.body;
      return r.status === 200 && ready(r.body) ? r.body : false;
    },
    `the case index to show ${caseId} as expected`,
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`${err.message.replace(/; last: .*$/, '')}; last view: ${JSON.stringify(last)}`);
  });
}

/**
 * Waits until the case index's lists (its boards) hold every change sent so far: a view read by
 * id is there at once, its lists a moment later (docs/case-index.md).
 */
export async function boardsSettled(sys: Pick<System, 'caseIndexUrl'>): Promise<void> {
  const staff = await token({ role: 'staff', sub: 'test-clerk' });
  await eventually(
    async () => {
      const r = await call('GET', `${sys.caseIndexUrl}/v1/admin/boards`, { token: staff });
      return r.status === 200 && r.body.behind === 0;
    },
    'the case index boards to catch up',
    60000,
  );
}

/** The case ids a caller sees in GET /v1/cases with these filters (one page of up to 500), once the boards caught up. */
export async function listedCases(
  sys: Pick<System, 'caseIndexUrl'>,
  token: string,
  query: Record<string, string>,
): Promise<string[]> {
  await boardsSettled(sys);
  const r = await call('GET', `${sys.caseIndexUrl}/v1/cases?${new URLSearchParams({ limit: '500', ...query })}`, {
    token,
  });
  if (r.status !== 200)
    throw new Error(`GET /v1/cases?${new URLSearchParams(query)}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.items.map((v: { caseId: string }) => v.caseId);
}

/** GET /v1/cases/counts with these filters: { items: [{ kind, stage, count, overdue }], total, overdue }. */
export async function caseCounts(
  sys: Pick<System, 'caseIndexUrl'>,
  token: string,
  query: Record<string, string>,
): Promise<{
  items: { kind: string; stage: string; count: number; overdue: number }[];
  total: number;
  overdue: number;
}> {
  await boardsSettled(sys);
  const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/counts?${new URLSearchParams(query)}`, { token });
  if (r.status !== 200) throw new Error(`GET /v1/cases/counts: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A case's timeline in the case index: its events in order. */
export async function caseTimeline(
  sys: Pick<System, 'caseIndexUrl'>,
  token: string,
  caseId: string,
): Promise<{ eventId: string; type: string; occurredAt: string; actor: string; body: Record<string, any> }[]> {
  const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}/timeline`, { token });
  if (r.status !== 200) throw new Error(`GET /v1/cases/${caseId}/timeline: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.events;
}

/**
 * A case as the case index's lists show it: in its kind's list (for staff, and for its unit with
 * the unit's filter), found by its title (q), counted once under its kind and stage, and neither
 * readable nor listed for someone it does not concern.
 */
export async function expectListed(
  sys: Pick<System, 'caseIndexUrl'>,
  view: { caseId: string; kind: string; stage: string; title: string; jurisdiction: string; overdue: boolean },
  who: { staff: string; unit?: { token: string; id: string }; outsider: string },
): Promise<void> {
  const id = view.caseId;
  const lists = { kind: view.kind, jurisdiction: view.jurisdiction };
  // The lists are read from boards, which follow the views by a moment (see docs/case-index.md).
  await eventually(
    async () => (await caseCounts(sys, who.staff, { q: id })).items[0]?.stage === view.stage,
    `the boards to list ${id} at ${view.stage}`,
    30000,
  );
  expect(await listedCases(sys, who.staff, lists)).toContain(id);
  expect(await listedCases(sys, who.staff, { ...lists, stage: view.stage })).toContain(id);
  const reader = who.unit?.token ?? who.staff;
  expect(await listedCases(sys, reader, { q: view.title })).toContain(id);
  if (who.unit) expect(await listedCases(sys, who.unit.token, { ...lists, unit: who.unit.id })).toContain(id);
  expect(await listedCases(sys, who.outsider, { kind: view.kind })).not.toContain(id);
  expect((await call('GET', `${sys.caseIndexUrl}/v1/cases/${id}`, { token: who.outsider })).status).toBe(404);
  expect((await call('GET', `${sys.caseIndexUrl}/v1/cases/${id}/timeline`, { token: who.outsider })).status).toBe(404);
  const overdue = view.overdue ? 1 : 0;
  expect(await caseCounts(sys, who.staff, { q: id })).toEqual({
    items: [{ kind: view.kind, stage: view.stage, count: 1, overdue }],
    total: 1,
    overdue,
  });
}

/** The duties service over a started system (its worker's task queue and registry); stop it before the system. */
export async function startDuties(sys: Pick<System, 'taskQueue' | 'registryUrl'>, dbPrefix = 'duban') {
  const env = stackEnv();
  const app = createDutiesApp(
    {
      MONGO_URL: env.MONGO_URL,
      MONGO_DB: `${dbPrefix}_duties`,
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      REGISTRY_URL: sys.registryUrl,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
    },
    logger,
  );
  await app.start();
  return { url: `http://127.0.0.1:${app.port}`, stop: () => app.stop() };
}
