// Benchmark 3: the scores service's throughput and lag, beside kafkajs's raw consume rate.
//
// Starts a bench stack with the project's deploy/local/infra.sh on ports and a data folder of
// its own (.data/bench-scores-stack; 23333/23334, 23192/23193, 23117: below the ephemeral ports), wiped at start and
// stopped at the end, so it never touches `make dev`, the tests' stacks or the intake bench's.
// Starts the registry (demo seed) and the scores service in-process (consumer group and
// database of its own), then, for a jurisdiction id unique to the run:
//   (a) throughput: BENCH_SCORES_EVENTS (1,200) envelopes — realistic case sequences
//       (SuggestionSubmitted, Assigned, Replied, Rated, Scored, Closed) for N/6 cases over a few
//       units, deputies and months of 2026 — published as fast as one producer can (batched
//       sends), timed from the first send until the service's duban_events_ingested_total
//       counter (GET /metrics; incremented once an event is stored AND its case re-folded) has
//       grown by N → events/s (and per half: the rate falls as the collections grow); then the stored events, the folded cases and the unit figures
//       over HTTP are checked against what was sent;
//   (b) raw consume: a plain kafkajs consumer (fresh group, fromBeginning, eachBatch, no work)
//       reads the same N messages, BENCH_SCORES_RAW_PASSES (3) times → messages/s (median pass,
//       timed from its group join to its N-th message; the join itself is printed apart);
//   (c) lag: BENCH_SCORES_LAG (100) more events, one send at a time at a steady pace of
//       BENCH_SCORES_LAG_RATE (10) per second or half the rate measured in (a) if lower (so it
//       measures one event's latency, not a queue), each timed from just before its send until its effect is visible in
//       the read model (its case's score_cases document counts it: the refold that wrote it
//       has read the event; the case's rows are written by the same refold right after),
//       polled every 50 ms → p50 / p99 / max.
// Sizes: 3,000 events took over 25 minutes on a shared 2-core machine (FerretDB bound, about
// 2 events/s and falling), hence the default of 1,200.
// Prints the rates, their ratio, the lag and the load average (2-core machine, shared).
// A benchmark, not a test: it reports, it never fails on slowness.
//
//   node --import tsx bench/scores-throughput.ts   (BENCH_KEEP_STACK=1 leaves the stack up)
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Producer } from 'kafkajs';
import {
  SuggestionAssignedSchema,
  SuggestionClosedSchema,
  SuggestionRatedSchema,
  SuggestionRepliedSchema,
  SuggestionScoredSchema,
  SuggestionSubmittedSchema,
  create,
  timestampDate,
  type Envelope,
} from '@duban/proto';
import { TOPICS, buildEnvelope, createKafka, encodeEnvelope, type NewEvent } from '@duban/platform';
import { createRegistryApp } from '@duban/registry/src/main';
import { seedDemo } from '@duban/registry/src/use-cases/seed';
import { createScoresApp } from '@duban/scores/src/main';
import { periodsOf } from '@duban/scores/src/use-cases/periods';
import { ROOT } from '../tests/support/paths';
import { startFreshStack, stopStack, type StackEnv } from '../tests/support/stack-control';
import { ISSUER, SECRET, call, logger, token } from '../tests/support/system';
import { rate, report, seconds } from './support';

const N = Math.max(12, Math.round(Number(process.env.BENCH_SCORES_EVENTS ?? 1200) / 6) * 6);
const LAG_EVENTS = Number(process.env.BENCH_SCORES_LAG ?? 100);
const LAG_RATE = Number(process.env.BENCH_SCORES_LAG_RATE ?? 10);
const RAW_PASSES = Number(process.env.BENCH_SCORES_RAW_PASSES ?? 3);
const SEND_BATCH = 500;
const UNITS = 6;
const DEPUTIES = 12;
/** Polling: /metrics (in-process, cheap) for the throughput; score_cases (FerretDB) for the lag. */
const METRICS_POLL_MS = 50;
const LAG_POLL_MS = 50;

const STACK_ENV: StackEnv = {
  DUBAN_DATA_DIR: process.env.BENCH_SCORES_STACK_DIR ?? path.join(ROOT, '.data/bench-scores-stack'),
  TEMPORAL_PORT: '23333',
  TEMPORAL_UI_PORT: '23334',
  KAFKA_PORT: '23192',
  KAFKA_CONTROLLER_PORT: '23193',
  MONGO_PORT: '23117',
};

const run = randomUUID().slice(0, 8);
const J = `cn-bench-${run}`;
const unitOf = (i: number) => `bench-unit-${i % UNITS}-${run}`;
const deputyOf = (i: number) => `bench-deputy-${i % DEPUTIES}-${run}`;
const RATINGS = ['satisfied', 'satisfied', 'basicallySatisfied', 'unsatisfied'];
const DAY = 86_400_000;

/** The six events of one suggestion case, a few weeks apart, starting in month (c mod 10) of 2026. */
function caseEvents(prefix: string, c: number): NewEvent[] {
  const caseId = `${prefix}-${run}-c${c}`;
  const unit = unitOf(c * 7 + 3);
  const start = Date.UTC(2026, c % 10, 1 + (c % 27), 2);
  const total = 50 + ((c * 37) % 51);
  const rating = RATINGS[c % RATINGS.length];
  const bodies: [number, NewEvent['body']][] = [
    [
      0,
      {
        case: 'suggestionSubmitted',
        value: create(SuggestionSubmittedSchema, {
          deputyId: deputyOf(c),
          title: `关于改善第${c}社区养老服务的建议`,
          category: 'health',
        }),
      },
    ],
    [
      2,
      {
        case: 'suggestionAssigned',
        value: create(SuggestionAssignedSchema, {
          leadUnit: unit,
          assignmentNo: 1,
          windowUnit: 'months',
          windowAmount: 3,
        }),
      },
    ],
    [
      30 + (c % 40),
      {
        case: 'suggestionReplied',
        value: create(SuggestionRepliedSchema, { unit, round: 1, onTime: c % 5 !== 0, grade: 'A' }),
      },
    ],
    [75, { case: 'suggestionRated', value: create(SuggestionRatedSchema, { rating, round: 1 }) }],
    [
      90,
      {
        case: 'suggestionScored',
        value: create(SuggestionScoredSchema, {
          unit,
          total,
          replyStage: Math.min(40, total),
          implementationStage: Math.max(0, total - 40),
        }),
      },
    ],
    [
      91,
      {
        case: 'suggestionClosed',
        value: create(SuggestionClosedSchema, { outcome: 'completed', finalRating: rating }),
      },
    ],
  ];
  return bodies.map(([days, body]) => ({
    eventId: `${caseId}/${body.case}/1`,
    caseId,
    caseKind: 'suggestion',
    jurisdiction: J,
    occurredAt: new Date(start + days * DAY),
    producer: 'bench-scores',
    workflowId: caseId,
    runId: 'run-1',
    body,
  }));
}

const message = (env: Envelope) => ({
  key: env.caseId,
  value: encodeEnvelope(env),
  headers: { 'event-id': env.eventId, 'event-type': env.type, 'schema-version': String(env.schemaVersion) },
});

async function sendAll(producer: Producer, envs: Envelope[]): Promise<void> {
  for (let i = 0; i < envs.length; i += SEND_BATCH)
    await producer.send({
      topic: TOPICS.suggestionEvents.name,
      acks: -1,
      messages: envs.slice(i, i + SEND_BATCH).map(message),
    });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The scores service's duban_events_ingested_total, all outcomes, read from its /metrics. */
async function ingestedTotal(scoresUrl: string): Promise<number> {
  const text = await (await fetch(`${scoresUrl}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^duban_events_ingested_total(?:\{[^}]*\})? (\d+(?:\.\d+)?)$/gm)) sum += Number(m[1]);
  return sum;
}

/** Raw kafkajs: a fresh group reads the topic from its beginning until it has `n` messages; no work. */
async function rawConsume(n: number, pass: number): Promise<{ joinMs: number; readMs: number }> {
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `bench-raw-${pass}`, logger });
  const consumer = kafka.consumer({ groupId: `bench-raw-${run}-${pass}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [TOPICS.suggestionEvents.name], fromBeginning: true });
    const t0 = Date.now();
    let joined = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => void (joined ||= Date.now()));
    let count = 0;
    const done = new Promise<number>((resolve, reject) => {
      setTimeout(() => reject(new Error(`raw consumer read ${count} of ${n} messages in 120 s`)), 120_000).unref();
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            count += batch.messages.length;
            if (count >= n) resolve(Date.now());
          },
        })
        .catch(reject);
    });
    const end = await done;
    // Read time: from joining the group (partitions assigned) to the n-th message handed over.
    return { joinMs: joined - t0, readMs: Math.max(1, end - joined) };
  } finally {
    await consumer.disconnect();
  }
}

async function main(): Promise<void> {
  report(`scores: load average at start ${load()} (${os.cpus().length} cores)`);
  let t = Date.now();
  startFreshStack(STACK_ENV);
  report(`scores: bench stack up in ${seconds(Date.now() - t)} s (${STACK_ENV.DUBAN_DATA_DIR})`);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const common = {
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
      MONGO_URL: process.env.MONGO_URL!,
    };
    const brokers = process.env.KAFKA_BROKERS!.split(',');
    const registry = createRegistryApp({ ...common, MONGO_DB: 'duban_registry' }, logger);
    await registry.start();
    stops.push(() => registry.stop());
    await seedDemo(registry.models!);
    const scores = createScoresApp(
      {
        ...common,
        MONGO_DB: `duban_scores_bench_${run}`,
        KAFKA_BROKERS: brokers,
        KAFKA_GROUP_ID: `bench-scores-${run}`,
        REGISTRY_URL: `http://127.0.0.1:${registry.port}`,
        POLICY_CACHE_SECONDS: 60,
      },
      logger,
    );
    await scores.start();
    stops.push(() => scores.stop());
    const scoresUrl = `http://127.0.0.1:${scores.port}`;
    const models = scores.models!;

    const kafka = createKafka({ brokers, clientId: `bench-scores-producer-${run}`, logger });
    const producer = kafka.producer();
    await producer.connect();
    stops.push(() => producer.disconnect());

    // (a) throughput
    const cases = N / 6;
    const envs = Array.from({ length: cases }, (_, c) => caseEvents('bulk', c))
      .flat()
      .map(buildEnvelope);
    const before = await ingestedTotal(scoresUrl);
    const loadBefore = load();
    t = Date.now();
    await sendAll(producer, envs);
    const publishMs = Date.now() - t;
    report(
      `scores: ${N} envelopes (${cases} cases) published in ${seconds(publishMs)} s (${rate(N, publishMs)} msg/s)`,
    );
    let handled = 0;
    let halfMs = 0;
    let lastReport = Date.now();
    for (;;) {
      handled = (await ingestedTotal(scoresUrl)) - before;
      if (handled >= N) break;
      if (Date.now() - t > 30 * 60_000) throw new Error(`only ${handled} of ${N} events handled in 30 min`);
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        console.log(
          `scores: … ${handled}/${N} handled after ${seconds(Date.now() - t)} s (${rate(handled, Date.now() - t)}/s)`,
        );
      }
      if (!halfMs && handled >= N / 2) halfMs = Date.now() - t;
      await sleep(METRICS_POLL_MS);
    }
    const throughputMs = Date.now() - t;
    const loadAfter = load();

    // What was stored and folded, and the figures over HTTP, against what was sent.
    const facts = await models.CaseFacts.find({ jurisdiction: J }).lean();
    const storedEvents = facts.reduce((n, f) => n + (f.eventCount ?? 0), 0);
    const foldedCases = await models.CaseFacts.countDocuments({ jurisdiction: J, eventCount: 6 });
    const staff = await token({ role: 'staff', sub: 'bench-clerk' }, '2h');
    t = Date.now();
    const units = await call('GET', `${scoresUrl}/v1/scores/units?period=2026&jurisdiction=${J}`, { token: staff });
    const unitsMs = Date.now() - t;
    const items: { casesAssigned?: number; scoredCases?: number }[] = units.body?.items ?? [];
    const assigned = items.reduce((s, u) => s + (u.casesAssigned ?? 0), 0);
    const scored = items.reduce((s, u) => s + (u.scoredCases ?? 0), 0);
    // Expected in 2026 (Beijing time): cases started in October are scored in January 2027.
    const in2026 = (type: string) =>
      envs.filter((e) => e.type === type && e.occurredAt && periodsOf(timestampDate(e.occurredAt))[0] === '2026')
        .length;
    const expectAssigned = in2026('SuggestionAssigned');
    const expectScored = in2026('SuggestionScored');
    const consistent =
      storedEvents === N && foldedCases === cases && assigned === expectAssigned && scored === expectScored;
    report(
      `scores: check: ${storedEvents}/${N} events stored, ${foldedCases}/${cases} cases folded with 6 events, ` +
        `units figures (HTTP ${units.status}, ${unitsMs} ms, ${items.length} units) casesAssigned ${assigned}/${expectAssigned}, scored ${scored}/${expectScored} in 2026` +
        ` → ${consistent ? 'consistent' : 'NOT consistent'}`,
    );

    // (b) raw kafkajs consume of the same N messages (the topic holds only them so far)
    const passes: { joinMs: number; readMs: number }[] = [];
    for (let p = 0; p < RAW_PASSES; p++) passes.push(await rawConsume(N, p));
    const rawRates = passes.map((p) => N / (p.readMs / 1000));
    const rawRate = median(rawRates);
    report(
      `scores: raw kafkajs consume (fresh group, eachBatch, no work), ${RAW_PASSES} passes of ${N} messages: ` +
        passes.map((p, i) => `${p.readMs} ms (${rawRates[i].toFixed(0)} msg/s, group join ${p.joinMs} ms)`).join('; '),
    );

    // (c) lag: one send at a time at a steady rate; each event's effect polled in score_cases.
    const lagEvents: NewEvent[] = [];
    const lagCases = Array.from({ length: Math.ceil(LAG_EVENTS / 6) }, (_, c) => caseEvents('lag', c));
    // Interleave the cases (one event of each in turn), as live traffic would.
    for (let k = 0; k < 6; k++) for (const evs of lagCases) if (lagEvents.length < LAG_EVENTS) lagEvents.push(evs[k]);
    const expectedCount = new Map<string, number>();
    const pending = new Map<string, { caseId: string; count: number; sentAt: number }>();
    const lags: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling || pending.size) {
        if (pending.size) {
          const ids = [...new Set([...pending.values()].map((p) => p.caseId))];
          const facts = await models.CaseFacts.find({ _id: { $in: ids } }, { eventCount: 1 }).lean();
          const now = Date.now();
          const counts = new Map(facts.map((f) => [f._id, f.eventCount]));
          for (const [eventId, p] of pending)
            if ((counts.get(p.caseId) ?? 0) >= p.count) {
              lags.push(now - p.sentAt);
              pending.delete(eventId);
            }
        }
        await sleep(LAG_POLL_MS);
      }
    })();
    const loadLagBefore = load();
    // A steady pace well under the measured capacity (at most half of it), so the figure is the
    // latency of one event, not the queue of a saturated consumer.
    const lagRate = Math.min(LAG_RATE, N / (throughputMs / 1000) / 2);
    const gap = 1000 / lagRate;
    const lagStart = Date.now();
    for (const [i, e] of lagEvents.entries()) {
      const due = lagStart + i * gap;
      if (due > Date.now()) await sleep(due - Date.now());
      const env = buildEnvelope(e);
      const count = (expectedCount.get(e.caseId) ?? 0) + 1;
      expectedCount.set(e.caseId, count);
      const sentAt = Date.now();
      pending.set(e.eventId, { caseId: e.caseId, count, sentAt });
      await producer.send({ topic: TOPICS.suggestionEvents.name, acks: -1, messages: [message(env)] });
    }
    const lagDeadline = Date.now() + 120_000;
    while (pending.size && Date.now() < lagDeadline) await sleep(LAG_POLL_MS);
    const missing = pending.size;
    polling = false;
    pending.clear();
    await poller;
    lags.sort((a, b) => a - b);

    const scoresRate = N / (throughputMs / 1000);
    const ratio = scoresRate / rawRate;
    report(
      `scores: throughput ${N} events handled (stored + case re-folded) in ${seconds(throughputMs)} s from the first send; ` +
        `first half ${rate(N / 2, halfMs)}/s, second half ${rate(N / 2, throughputMs - halfMs)}/s; load ${loadBefore} → ${loadAfter}`,
    );
    report(
      `scores: lag publish → visible in score_cases, ${lags.length} events at ${lagRate.toFixed(2)}/s: p50 ${percentile(lags, 0.5)} ms, ` +
        `p99 ${percentile(lags, 0.99)} ms, max ${lags[lags.length - 1]} ms` +
        (missing ? `; ${missing} NOT visible within 120 s` : '') +
        `; load ${loadLagBefore} → ${load()}`,
    );
    report(
      `scores: ${N} events in ${seconds(throughputMs)} s → ${scoresRate.toFixed(1)} events/s; ` +
        `raw kafkajs consume ${rawRate.toFixed(0)} msg/s; ratio ${ratio.toFixed(3)}; ` +
        `lag p50 ${percentile(lags, 0.5)} ms, p99 ${percentile(lags, 0.99)} ms (load ${load()}, ${os.cpus().length} cores)`,
      { summary: true },
    );
    if (!consistent || missing)
      report(
        `scores: WARNING: read model ${consistent ? 'consistent' : 'NOT consistent'}, ${missing} lag events unseen`,
        {
          summary: true,
        },
      );
  } catch (err) {
    console.error(err);
    throw err;
  } finally {
    // Each part gets 15 s to stop, so a stuck one never keeps the stack up.
    const bounded = (p: Promise<unknown>) =>
      Promise.race([p.catch((err) => console.error(err)), new Promise((r) => setTimeout(r, 15_000).unref())]);
    for (const stop of stops.reverse()) await bounded(stop());
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
