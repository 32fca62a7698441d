// Kill the worker process while a case waits on its reply timer, start a new one: the case
// completes, and no event is published twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { TOPICS, createKafka, decodeEnvelope } from '@duban/platform';
import { ROOT } from '../support/paths';
import { ISSUER, SECRET, call, eventually, logger, stackEnv, startSystem, token, type System } from '../support/system';

let sys: System;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await sys?.stop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startWorkerProcess(): Promise<ChildProcess> {
  const env = stackEnv();
  const port = await freePort();
  // One process (node with tsx's loader), so that SIGKILL hits the worker itself.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workflows/src/worker.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      WORKER_METRICS_PORT: String(port),
      // The worker reads the working-day calendars from the registry, signed in as a service.
      REGISTRY_URL: sys.registryUrl,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  await eventually(
    async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200,
    'the worker process to run',
    90000,
  );
  return child;
}

it('survives a killed worker: the timer still fires, every event is published once', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const jurisdiction = `cn-drill-${randomUUID().slice(0, 6)}`;
  const put = await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${jurisdiction}/policy`, {
    token: staff,
    body: {
      name: 'Drill county (1-minute reply window)',
      level: 'county',
      parent: 'cn-zj-demo-city',
      settings: {
        suggestion: {
          replyWindow: { amount: 1, unit: 'minutes' },
          reminderBefore: [],
          veryOverdueAfter: { amount: 60, unit: 'minutes' },
        },
      },
    },
  });
  expect(put.status).toBe(200);

  let worker = await startWorkerProcess();
  const deputy = await token({ role: 'deputy', sub: 'deputy-003' });
  const created = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
    token: deputy,
    body: {
      title: '关于整治河道污染的建议',
      content: '建议对城区河道排污口开展专项整治。',
      category: 'environment',
      jurisdiction,
    },
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const handle = sys.temporal.workflow.getHandle(caseId);
  const accepted = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/review`, {
    token: staff,
    body: { decision: 'accept' },
  });
  expect(accepted.status).toBe(200);
  await eventually(async () => (await handle.query<{ stage: string }>('state')).stage === 'assigned', 'assignment');

  // The case now waits on its one-minute reply timer. Kill the worker hard.
  worker.kill('SIGKILL');
  await new Promise((r) => worker.once('exit', r));
  worker = await startWorkerProcess();

  await eventually(
    async () => (await handle.query<{ stage: string }>('state')).stage === 'overdue',
    'the overdue step after the restart',
    120000,
  );
  const unit = await token({ role: 'unit', sub: 'handler-2', unit: 'eco-env-bureau' });
  const reply = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/reply`, {
    token: unit,
    body: { grade: 'A', summary: '已完成全部排污口的整治工作。' },
  });
  expect(reply.body.error ?? null).toBeNull();
  expect(reply.status).toBe(200);
  const rated = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/rating`, {
    token: deputy,
    body: { rating: 'satisfied' },
  });
  expect(rated.status).toBe(200);
  await handle.result();
  worker.kill('SIGTERM');

  // Read the case's partition from the beginning: each event id exactly once.
  const kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: 'test-restart-reader', logger });
  const seen: string[] = [];
  const consumer = kafka.consumer({ groupId: `restart-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.suggestionEvents.name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key?.toString() !== caseId) return;
      seen.push(decodeEnvelope(message.value).eventId);
    },
  });
  try {
    await eventually(async () => seen.length >= 7, 'the case events on the topic');
    await new Promise((r) => setTimeout(r, 2000)); // a duplicate would arrive right behind
  } finally {
    await consumer.disconnect();
  }
  expect(seen).toEqual([
    `${caseId}/submitted`,
    `${caseId}/assigned/1`,
    `${caseId}/overdue/1/1`,
    `${caseId}/replied/1`,
    `${caseId}/rated/1`,
    `${caseId}/scored`,
    `${caseId}/closed`,
  ]);
});
