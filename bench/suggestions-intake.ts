// Benchmark 2: intake on the Temporal dev server, against a no-op baseline on the same server.
//
// Starts a bench stack with the project's deploy/local/infra.sh on ports and a data folder of
// its own (.data/bench-stack; 22233/22234, 22092/22093, 22017: below the ephemeral ports), wiped at start and stopped at
// the end, so it never touches `make dev` or the tests' stacks. Starts the system in-process
// (tests/support/system.ts: registry, suggestions, case-index, worker) and measures:
//   (a) intake: BENCH_INTAKE suggestions (300), BENCH_INTAKE_CONCURRENCY (20) at a time, each
//       POST /v1/suggestions (deputy) then POST /v1/suggestions/:id/review {decision:'accept'}
//       (staff), done when its SuggestionAssigned event is read from Kafka by a fresh consumer
//       group → suggestions per second, and the latency of each (submit → event seen);
//   (b) no-op baseline: as many starts + results of a no-op workflow, as many at a time, on a
//       bench worker running bench/workflows.ts (the product's workflows plus the no-op) on a
//       task queue of its own → workflows per second.
// Before measuring, BENCH_INTAKE_WARMUP (100) of each, unmeasured: with 10, the JIT compilers
// of this process and of Kafka's JVM were still busy in the measured part (a fresh broker spent
// half its CPU in C2 compilation). The two then alternate in BENCH_INTAKE_ROUNDS (6) rounds, so
// that both meet the same machine (the host's steal time and the server's background work move
// between seconds). The bench's HTTP client is node:http on keep-alive sockets: fetch cost 1.9 ms
// of CPU per request, in the process that runs the system. Also prints the CPU time each process
// of the stack and this process spent per item (/proc).
// Prints both rates, their ratio and the target (intake ≥ 0.5 × no-op).
// A benchmark, not a test: it reports, it never fails on slowness.
//
//   node --import tsx bench/suggestions-intake.ts       (BENCH_KEEP_STACK=1 leaves the stack up)
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, bundleWorkflowCode } from '@temporalio/worker';
import { TOPICS, createKafka, decodeEnvelope, temporalConnectionOptions } from '@duban/platform';
import { createCaseWorker } from '../workflows/src/worker-factory';
import { reviewUpdate } from '../workflows/src';
import { ROOT } from '../tests/support/paths';
import { startFreshStack, stopStack, type StackEnv } from '../tests/support/stack-control';
import { logger, startSystem, token, type System } from '../tests/support/system';
import { cpuPerItem, cpuSeconds, jsonClient, pool, rate, report, seconds, verdict } from './support';

const N = Number(process.env.BENCH_INTAKE ?? 300);
const CONCURRENCY = Number(process.env.BENCH_INTAKE_CONCURRENCY ?? 20);
/** Not measured: brings the JIT of every process (Kafka's JVM too) and the caches to steady state. */
const WARMUP = Number(process.env.BENCH_INTAKE_WARMUP ?? 100);
/** Rounds of intake and no-op, alternating; N is split between them. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_INTAKE_ROUNDS ?? 6));
const TARGET_RATIO = 0.5;

const STACK_ENV: StackEnv = {
  DUBAN_DATA_DIR: process.env.BENCH_STACK_DIR ?? path.join(ROOT, '.data/bench-stack'),
  TEMPORAL_PORT: '22233',
  TEMPORAL_UI_PORT: '22234',
  KAFKA_PORT: '22092',
  KAFKA_CONTROLLER_PORT: '22093',
  MONGO_PORT: '22017',
};

/** Sees every SuggestionAssigned on the events topic; `assigned(caseId)` resolves when it is seen. */
async function watchAssigned() {
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'bench-intake', logger });
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  const seen = new Set<string>();
  const waiting = new Map<string, (() => void)[]>();
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topics: [TOPICS.suggestionEvents.name], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const env = decodeEnvelope(message.value);
      if (env.type !== 'SuggestionAssigned') return;
      seen.add(env.caseId);
      for (const resolve of waiting.get(env.caseId) ?? []) resolve();
    },
  });
  await joined;
  return {
    assigned: (caseId: string) =>
      seen.has(caseId)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiting.set(caseId, [...(waiting.get(caseId) ?? []), resolve]);
            // Never hang the bench: a case whose event does not come in 2 minutes is an error.
            setTimeout(() => reject(new Error(`no SuggestionAssigned for ${caseId} within 120 s`)), 120_000).unref();
          }),
    stop: () => consumer.disconnect(),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main(): Promise<void> {
  const t = Date.now();
  startFreshStack(STACK_ENV);
  report(`intake: bench stack up in ${seconds(Date.now() - t)} s (${STACK_ENV.DUBAN_DATA_DIR})`);
  let sys: System | undefined;
  const stops: (() => Promise<unknown>)[] = [];
  try {
    sys = await startSystem();
    const temporal = sys.temporal;
    const watcher = await watchAssigned();
    stops.push(watcher.stop);

    // The bench worker: the product's worker, built from the bench bundle (product + no-op).
    const noopQueue = `bench-noop-${randomUUID()}`;
    const connection = await NativeConnection.connect(
      temporalConnectionOptions({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS! }),
    );
    const clientConnection = await Connection.connect(
      temporalConnectionOptions({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS! }),
    );
    const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quiet });
    const benchWorker = await createCaseWorker({
      connection,
      namespace: 'default',
      taskQueue: noopQueue,
      publisher: { publish: async () => {} },
      client: new Client({ connection: clientConnection }),
      workflowBundle,
    });
    const benchRunning = benchWorker.run();
    stops.push(async () => {
      benchWorker.shutdown();
      await benchRunning;
      await connection.close();
      await clientConnection.close();
    });

    const http = jsonClient();
    stops.push(async () => http.close());
    const call = http.call;
    const deputy = await token({ role: 'deputy', sub: 'deputy-001' }, '2h');
    const staff = await token({ role: 'staff', sub: 'bench-clerk' }, '2h');
    const base = sys.suggestionsUrl;
    let reviewVia: 'http' | 'update' = 'http';
    let submitRetries = 0;
    const duplicates = new Set<string>();

    /** Where each measured suggestion's time went: submit answered, review answered, event seen. */
    const phases = { submit: [] as number[], review: [] as number[], event: [] as number[] };
    let measuring = false;

    /** One suggestion: submitted, accepted, its SuggestionAssigned seen on Kafka. */
    async function intakeOne(i: number): Promise<number> {
      const start = Date.now();
      const submit = () =>
        call('POST', `${base}/v1/suggestions`, {
          token: deputy,
          body: {
            title: `关于改善第${i}小学周边交通的建议`,
            content: '上下学高峰时段校门口拥堵，建议增设信号灯、减速带和护学岗。',
            category: 'education',
            jurisdiction: 'cn-zj-demo-city',
          },
        });
      let created = await submit();
      // Concurrent submissions can collide on the case number (E11000 on FerretDB) and get a
      // 500; a client would retry, so the bench does, and counts it.
      for (let attempt = 1; created.status === 500 && attempt <= 5; attempt++) {
        submitRetries++;
        created = await submit();
      }
      if (created.status !== 201) throw new Error(`submit answered ${created.status}: ${JSON.stringify(created.body)}`);
      const caseId: string = created.body.caseId;
      const submitted = Date.now();
      const seen = watcher.assigned(caseId);
      if (reviewVia === 'http') {
        const reviewed = await call('POST', `${base}/v1/suggestions/${caseId}/review`, {
          token: staff,
          body: { decision: 'accept' },
        });
        // The review route is new; where it is not there yet, review through Temporal instead.
        if (reviewed.status === 404 && !/suggestion/i.test(JSON.stringify(reviewed.body))) reviewVia = 'update';
        // Two submissions that were given the same case number: the other one reviewed it.
        else if (reviewed.status === 409 && /is assigned/.test(JSON.stringify(reviewed.body))) duplicates.add(caseId);
        else if (reviewed.status !== 200)
          throw new Error(`review answered ${reviewed.status}: ${JSON.stringify(reviewed.body)}`);
      }
      if (reviewVia === 'update')
        await temporal.workflow
          .getHandle(caseId)
          .executeUpdate(reviewUpdate, { args: [{ by: { role: 'staff', sub: 'bench' }, decision: 'accept' }] });
      const reviewed = Date.now();
      await seen;
      const end = Date.now();
      if (measuring) {
        phases.submit.push(submitted - start);
        phases.review.push(reviewed - submitted);
        phases.event.push(end - reviewed);
      }
      return end - start;
    }

    let noopNo = 0;
    async function noopOne(): Promise<void> {
      const n = noopNo++;
      await temporal.workflow.execute('noopWorkflow', {
        taskQueue: noopQueue,
        workflowId: `bench-noop-${n}-${randomUUID().slice(0, 8)}`,
        args: [n],
      });
    }

    // Warm-up (not measured): connections, caches, the first workflow tasks of each worker.
    const range = (k: number) => Array.from({ length: k }, (_, i) => i);
    await pool(range(WARMUP), CONCURRENCY, async (i) => void (await intakeOne(i)));
    await pool(range(WARMUP), CONCURRENCY, noopOne);

    report(`intake: warm-up done (${WARMUP} suggestions, ${WARMUP} no-ops)`);

    // The two are measured in alternating rounds (intake first in one round, the no-op first in
    // the next), so both see the same machine: load from elsewhere (the host's steal time moves
    // between seconds) and the server's background work from the rounds before.
    const latencies: number[] = [];
    const zero = () => ({ node: 0, temporal: 0, kafka: 0, ferretdb: 0 });
    const cpu = { intake: zero(), noop: zero() };
    let intakeMs = 0;
    let noopMs = 0;
    let noopDone = 0;
    async function timed(kind: 'intake' | 'noop', run: () => Promise<void>): Promise<number> {
      const c0 = cpuSeconds(STACK_ENV.DUBAN_DATA_DIR);
      const t0 = Date.now();
      await run();
      const ms = Date.now() - t0;
      const c1 = cpuSeconds(STACK_ENV.DUBAN_DATA_DIR);
      for (const k of Object.keys(c1) as (keyof typeof c1)[]) cpu[kind][k] += c1[k] - c0[k];
      return ms;
    }
    const sizes = Array.from(
      { length: ROUNDS },
      (_, r) => Math.floor((N * (r + 1)) / ROUNDS) - Math.floor((N * r) / ROUNDS),
    );
    let next = WARMUP;
    for (const [r, size] of sizes.entries()) {
      const first = next;
      const intake = () =>
        timed('intake', async () => {
          measuring = true;
          await pool(range(size), CONCURRENCY, async (i) => void latencies.push(await intakeOne(first + i)));
          measuring = false;
        });
      const noop = () => timed('noop', () => pool(range(size), CONCURRENCY, noopOne));
      if (r % 2 === 0) {
        intakeMs += await intake();
        noopMs += await noop();
      } else {
        noopMs += await noop();
        intakeMs += await intake();
      }
      next += size;
      noopDone += size;
    }
    latencies.sort((a, b) => a - b);
    const intakeRate = N / (intakeMs / 1000);
    const noopRate = noopDone / (noopMs / 1000);
    const ratio = intakeRate / noopRate;
    const via =
      reviewVia === 'http'
        ? 'review via POST /v1/suggestions/:id/review'
        : 'review via Temporal executeUpdate(reviewUpdate): the review route was not there';
    report(
      `intake: ${N} suggestions at ${CONCURRENCY} in flight in ${seconds(intakeMs)} s; latency submit → SuggestionAssigned` +
        ` on Kafka p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms, max ${latencies[latencies.length - 1]} ms`,
    );
    const p50 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        0.5,
      );
    report(
      `intake: p50 by phase: POST /v1/suggestions ${p50(phases.submit)} ms, POST …/review ${p50(phases.review)} ms,` +
        ` review answered → SuggestionAssigned read from Kafka ${p50(phases.event)} ms`,
    );
    report(
      `intake: CPU per suggestion: ${cpuPerItem(zero(), cpu.intake, N)} (node: this process, all services and the worker)`,
    );
    report(
      `intake: ${noopDone} no-op workflows (start + result) at ${CONCURRENCY} in flight in ${seconds(noopMs)} s` +
        ` (${ROUNDS} rounds, alternating with the intake)`,
    );
    report(`intake: CPU per no-op workflow: ${cpuPerItem(zero(), cpu.noop, noopDone)}`);
    report(`intake: ${rate(N, intakeMs)} suggestions/s (${via})`, { summary: true });
    if (duplicates.size)
      report(
        `intake: PRODUCT BUG: ${duplicates.size} case numbers were given to two concurrent submissions (201 both); ` +
          `${N - duplicates.size} distinct cases for ${N} submissions`,
        { summary: true },
      );
    if (submitRetries)
      report(
        `intake: ${submitRetries} submissions answered 500 (duplicate case number under concurrency) and were retried`,
        { summary: true },
      );
    report(`intake: no-op baseline ${rate(noopDone, noopMs)} workflows/s on the same server`, { summary: true });
    report(
      `intake: ratio ${ratio.toFixed(2)} × no-op (target ≥ ${TARGET_RATIO} × no-op): ${verdict(ratio >= TARGET_RATIO)}`,
      { summary: true },
    );
  } catch (err) {
    console.error(err);
    throw err;
  } finally {
    // Each part gets 15 s to stop, so a stuck one never keeps the stack up.
    const bounded = (p: Promise<unknown>) =>
      Promise.race([p.catch((err) => console.error(err)), new Promise((r) => setTimeout(r, 15_000).unref())]);
    for (const stop of stops.reverse()) await bounded(stop());
    if (sys) await bounded(sys.stop());
    if (process.env.BENCH_KEEP_STACK !== '1') stopStack(STACK_ENV);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
