// Benchmark: the case index's read side at city scale (issue 11, `make bench-read`).
//
// Starts a bench stack with the project's deploy/local/infra.sh on ports and a data folder of
// its own (.data/bench-read-stack; 25333/25334, 25192/25193, 25117), wiped at start and stopped
// at the end, and the case-index service as a process of its own (services/case-index/src/main.ts,
// HTTP on 25103, its own consumer group and database), so the load this process makes does not
// share the service's event loop. The service is the one in the tree, whatever its design.
// The city (bench/read-city.ts): three years up to now, 30 units, 400 deputies, 50 stations,
// every case kind, each case the events its workflow publishes, made by the project's envelope
// builder and sent through the real topics by the project's publisher (createEventPublisher,
// topicForCaseKind), each case's events one after the other; nothing is written into the store.
// For each size of BENCH_READ_CASES (5000,50000), growing the same city:
//   (a) ingest: the cases still missing are published as fast as the publisher goes, timed from
//       the first send until the service's duban_events_ingested_total (GET /metrics) has grown
//       by as many events → events/s, with the CPU each process spent per event; then a check
//       over HTTP (counts per kind, sampled cases hold all their events);
//   (b) raw: a plain kafkajs consumer (fresh group, eachBatch, no work) reads every message of
//       the four topics from their beginning, BENCH_READ_RAW_PASSES (3) times → messages/s;
//   (c) queries over HTTP, one at a time, with the role tokens the people who ask them hold:
//       a unit's open cases by due date, everything overdue or at risk in the city, a deputy's
//       own cases, a station's opinions, the closed cases of a year, a title search — each its
//       first page and a later page (page BENCH_READ_LATER_PAGE (3), through the `next` cursor of
//       a page that long; page 2 if there is no third) — the counts per kind and stage, a case by
//       id and a timeline → p50 / p95. Each query: up to BENCH_READ_SAMPLES (20) samples, fewer
//       when they take more than BENCH_READ_BUDGET_S (30 s) together, never fewer than 3; each
//       request times out after BENCH_READ_TIMEOUT_S (180 s);
//   (d) lag: BENCH_READ_LAG_RATE (100) events/s for BENCH_READ_LAG_SECONDS (30 s), new cases of
//       the city interleaved as live traffic, one publish each; every BENCH_READ_LAG_EVERY-th
//       (4th) is timed from just before its send until GET /v1/cases/:id shows it (eventCount),
//       polled every 50 ms, the 4 oldest pending cases a round (at most 80 requests/s: polling
//       every pending case, a backlog of them, loaded the service more than the traffic did; a
//       younger event seen before older ones is timed late, never early) → p50 / p99. These
//       cases stay in the city: the next size counts them.
// Then how each figure grew from the first size to the last, and the summary line:
//   read: list p95 <ms> ms at <n> cases, lag p99 <ms> ms, ingest <x>x raw
// A benchmark, not a test: it reports, it never fails on slowness.
//
//   node --import tsx bench/case-index-read.ts   (BENCH_KEEP_STACK=1 leaves the stack up)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildEnvelope,
  createEventPublisher,
  createKafka,
  TOPICS,
  topicForCaseKind,
  type NewEvent,
} from '@duban/platform';
import { ROOT } from '../tests/support/paths';
import { startFreshStack, stopStack, type StackEnv } from '../tests/support/stack-control';
import { ISSUER, SECRET, logger, token } from '../tests/support/system';
import { cityCases, citySlot, makeCity, yearsOf, type CityCase } from './read-city';
import { cpuSeconds, jsonClient, rate, report, seconds } from './support';

const SIZES = (process.env.BENCH_READ_CASES ?? '5000,50000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const RAW_PASSES = Number(process.env.BENCH_READ_RAW_PASSES ?? 3);
const LAG_RATE = Number(process.env.BENCH_READ_LAG_RATE ?? 100);
const LAG_SECONDS = Number(process.env.BENCH_READ_LAG_SECONDS ?? 30);
const PAGE = Number(process.env.BENCH_READ_PAGE ?? 20);
const LATER_PAGE = Math.max(2, Number(process.env.BENCH_READ_LATER_PAGE ?? 3));
const SAMPLES = Number(process.env.BENCH_READ_SAMPLES ?? 20);
const MIN_SAMPLES = 3;
const BUDGET_MS = Number(process.env.BENCH_READ_BUDGET_S ?? 30) * 1000;
const TIMEOUT_MS = Number(process.env.BENCH_READ_TIMEOUT_S ?? 180) * 1000;
/** Give up on an ingest after this long (the figure printed is then the rate so far). */
const INGEST_LIMIT_MS = Number(process.env.BENCH_READ_INGEST_LIMIT_S ?? 3600) * 1000;
const HTTP_PORT = Number(process.env.BENCH_READ_HTTP_PORT ?? 25103);
/** Cases sent together to the publisher (it sends up to 500 messages per request). */
const PUBLISH_CHUNK_CASES = 400;
const METRICS_POLL_MS = 200;
const LAG_POLL_MS = 50;
/** Every how many lag events one is timed (each timed one is polled over HTTP until seen). */
const LAG_EVERY = Math.max(1, Number(process.env.BENCH_READ_LAG_EVERY ?? 4));
/** At most this many cases polled per round, the oldest first. */
const LAG_POLL_CASES = 4;

// Ports below the ephemeral range (32768–60999), which outgoing connections may hold.
const STACK_ENV: StackEnv = {
  DUBAN_DATA_DIR: process.env.BENCH_READ_STACK_DIR ?? path.join(ROOT, '.data/bench-read-stack'),
  TEMPORAL_PORT: '25333',
  TEMPORAL_UI_PORT: '25334',
  KAFKA_PORT: '25192',
  KAFKA_CONTROLLER_PORT: '25193',
  MONGO_PORT: '25117',
};
const EVENT_TOPICS = [
  TOPICS.suggestionEvents,
  TOPICS.livelihoodEvents,
  TOPICS.oversightEvents,
  TOPICS.citizenEvents,
].map((t) => t.name);

const run = randomUUID().slice(0, 8);
const J = 'cn-bench-read';
const city = makeCity({ jurisdiction: J, now: Date.now() });
const [, LAST_YEAR, THIS_YEAR] = yearsOf(city);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : NaN;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** CPU seconds of a process by pid (utime + stime, Linux /proc); 0 if it cannot be read. */
function cpuOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

type Cpu = ReturnType<typeof cpuSeconds> & { caseIndex: number };
const cpuNow = (pid: number | undefined): Cpu => ({ ...cpuSeconds(STACK_ENV.DUBAN_DATA_DIR), caseIndex: cpuOf(pid) });
/** "caseIndex 0.49 ms, ferretdb 0.62 ms, …": CPU per event of each process between two readings. */
const cpuPer = (a: Cpu, b: Cpu, events: number) =>
  (['caseIndex', 'ferretdb', 'kafka', 'node', 'temporal'] as const)
    .map((k) => `${k === 'node' ? 'bench' : k} ${(((b[k] - a[k]) * 1000) / Math.max(1, events)).toFixed(2)} ms`)
    .join(', ');

// ------------------------------------------------------------------ the case index, as a process

async function startCaseIndex(): Promise<{ child: ChildProcess; url: string; logFile: string }> {
  const logs = path.join(STACK_ENV.DUBAN_DATA_DIR, 'logs');
  mkdirSync(logs, { recursive: true });
  const logFile = path.join(logs, 'case-index.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/case-index/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      MONGO_URL: process.env.MONGO_URL!,
      MONGO_DB: `duban_case_index_bench_${run}`,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      KAFKA_GROUP_ID: `bench-read-${run}`,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: String(HTTP_PORT),
      HTTP_HOST: '127.0.0.1',
    },
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited (${code ?? signal})`));
  const url = `http://127.0.0.1:${HTTP_PORT}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`case-index ${exited} while starting; see ${logFile}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, logFile };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`case-index not healthy in 120 s; see ${logFile}`);
    await sleep(250);
  }
}

async function stopCaseIndex(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const stopped = await Promise.race([gone.then(() => true), sleep(15_000).then(() => false)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await gone;
  }
}

/**
 * The service's duban_events_ingested_total from its /metrics: `stored` (new events) and the
 * rest (duplicates: a redelivery after the consumer lost its group, or a repeated event). Every
 * event the bench sends is new, so the ingest is done when `stored` has grown by all of them;
 * without an outcome label every count is taken as stored.
 */
async function ingestedTotal(url: string): Promise<{ stored: number; other: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = { stored: 0, other: 0 };
  for (const m of text.matchAll(/^duban_events_ingested_total(\{[^}]*\})? (\d+(?:\.\d+)?)$/gm)) {
    const outcome = /outcome="([^"]*)"/.exec(m[1] ?? '')?.[1];
    if (outcome === undefined || outcome === 'stored') out.stored += Number(m[2]);
    else out.other += Number(m[2]);
  }
  return out;
}

// ------------------------------------------------------------------ what was loaded

interface Loaded {
  /** Events sent per case (what its view must count). */
  events: Map<string, number>;
  kinds: Map<string, number>;
  /** Messages on the event topics. */
  messages: number;
  /** The next slot of the city. */
  slot: number;
}

function record(loaded: Loaded, c: CityCase, sent: number) {
  if (!loaded.events.has(c.caseId)) loaded.kinds.set(c.kind, (loaded.kinds.get(c.kind) ?? 0) + 1);
  loaded.events.set(c.caseId, (loaded.events.get(c.caseId) ?? 0) + sent);
  loaded.messages += sent;
}

// ------------------------------------------------------------------ HTTP

const http = jsonClient(32, TIMEOUT_MS);

interface Sample {
  ms: number;
  status: number;
  rows?: number;
  error?: string;
}

async function timedGet(url: string, tok: string): Promise<Sample & { body?: any }> {
  const t = performance.now();
  try {
    const res = await http.call('GET', url, { token: tok });
    const rows = Array.isArray(res.body?.items) ? res.body.items.length : undefined;
    return { ms: performance.now() - t, status: res.status, rows, body: res.body };
  } catch (err) {
    return { ms: performance.now() - t, status: 0, error: (err as Error).message };
  }
}

interface Figure {
  p50: number;
  p95: number;
  samples: number;
  failed: number;
  rows: string;
  note?: string;
}

/** Up to SAMPLES requests one at a time (fewer past the time budget, at least MIN_SAMPLES). */
async function measure(next: (i: number) => { url: string; token: string } | undefined): Promise<Figure> {
  const times: number[] = [];
  const rows: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const started = Date.now();
  for (let i = 0; i < SAMPLES && (i < MIN_SAMPLES || Date.now() - started < BUDGET_MS); i++) {
    const req = next(i);
    if (!req) break;
    const s = await timedGet(req.url, req.token);
    times.push(s.ms);
    if (s.status !== 200) {
      failed++;
      firstError ??= s.error ?? `HTTP ${s.status} ${JSON.stringify(s.body?.error ?? s.body).slice(0, 120)}`;
    }
    if (s.rows !== undefined) rows.push(s.rows);
  }
  times.sort((a, b) => a - b);
  rows.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    samples: times.length,
    failed,
    rows: rows.length ? (rows[0] === rows[rows.length - 1] ? `${rows[0]}` : `${rows[0]}–${rows[rows.length - 1]}`) : '',
    note: firstError,
  };
}

// ------------------------------------------------------------------ phases

/** Publishes the cases missing up to `size` (each case's events together) and times their ingest. */
async function ingest(
  url: string,
  publisher: Awaited<ReturnType<typeof createEventPublisher>>,
  loaded: Loaded,
  size: number,
  childPid: number | undefined,
) {
  const missing = size - loaded.events.size;
  const before = await ingestedTotal(url);
  const cpu0 = cpuNow(childPid);
  const load0 = load();
  const t0 = Date.now();
  let published = 0;
  let publishMs = 0;
  let cases = 0;
  /** The events to ingest: known once all are published. */
  let n = Infinity;
  // The cases are made a chunk at a time, as they go out.
  const publishing = (async () => {
    while (cases < missing) {
      const { cases: chunk, next } = cityCases(city, loaded.slot, Math.min(PUBLISH_CHUNK_CASES, missing - cases));
      loaded.slot = next;
      await Promise.all(
        chunk.flatMap((c) => c.events.map((e) => publisher.publish(topicForCaseKind(e.caseKind), buildEnvelope(e)))),
      );
      for (const c of chunk) record(loaded, c, c.events.length);
      published += chunk.reduce((sum, c) => sum + c.events.length, 0);
      cases += chunk.length;
    }
    publishMs = Date.now() - t0;
    n = published;
  })();
  let handled = 0;
  let redelivered = 0;
  let halfMs = 0;
  let lastReport = Date.now();
  let publishError: unknown;
  publishing.catch((err) => (publishError = err));
  for (;;) {
    if (publishError) throw publishError;
    const now = await ingestedTotal(url);
    handled = now.stored - before.stored;
    redelivered = now.other - before.other;
    if (!halfMs && handled >= n / 2) halfMs = Date.now() - t0;
    if (handled >= n) break;
    if (Date.now() - t0 > INGEST_LIMIT_MS) break;
    if (Date.now() - lastReport >= 30_000) {
      lastReport = Date.now();
      console.log(
        `read: … ${int(handled)}/${Number.isFinite(n) ? int(n) : '…'} events ingested after ${seconds(Date.now() - t0)} s ` +
          `(${rate(handled, Date.now() - t0)}/s; ${int(published)} published; load ${load()})`,
      );
    }
    await sleep(METRICS_POLL_MS);
  }
  const ingestMs = Date.now() - t0;
  await publishing;
  const cpuPerEvent = cpuPer(cpu0, cpuNow(childPid), handled);
  const complete = handled >= n;
  return {
    cases,
    events: n,
    handled,
    redelivered,
    complete,
    ingestMs,
    publishMs,
    rate: handled / (ingestMs / 1000),
    firstHalf: halfMs ? n / 2 / (halfMs / 1000) : NaN,
    secondHalf: halfMs && complete ? n / 2 / ((ingestMs - halfMs) / 1000) : NaN,
    cpuPerEvent,
    load: `${load0} → ${load()}`,
  };
}

/** Waits until the board consumer group has committed every board change sent so far. */
async function boardsCaughtUp(kafka: ReturnType<typeof createKafka>, groupId: string) {
  const admin = kafka.admin();
  await admin.connect();
  const t0 = Date.now();
  try {
    for (;;) {
      const ends = await admin.fetchTopicOffsets(TOPICS.caseIndexBoards.name);
      const [group] = await admin.fetchOffsets({ groupId, topics: [TOPICS.caseIndexBoards.name] });
      const done = new Map(group.partitions.map((p) => [p.partition, Number(p.offset)]));
      const lag = ends.reduce((n, e) => n + Math.max(0, Number(e.high) - Math.max(0, done.get(e.partition) ?? 0)), 0);
      if (lag === 0) return { ms: Date.now() - t0, deltas: ends.reduce((n, e) => n + Number(e.high), 0) };
      if (Date.now() - t0 > INGEST_LIMIT_MS) throw new Error(`the boards are still ${lag} changes behind`);
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Counts over HTTP against what was sent, and sampled cases against their events. */
async function check(url: string, staff: string, loaded: Loaded): Promise<string> {
  const counts = await timedGet(`${url}/v1/cases/counts?jurisdiction=${J}`, staff);
  const byKind = new Map<string, number>();
  for (const r of (counts.body?.items ?? []) as { kind: string; count: number }[])
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.count);
  const kindsOk = [...loaded.kinds].every(([k, n]) => byKind.get(k) === n) && byKind.size === loaded.kinds.size;
  const ids = [...loaded.events.keys()];
  let held = 0;
  const SAMPLE = 20;
  for (let i = 0; i < SAMPLE; i++) {
    const id = ids[Math.floor(((i + 0.5) / SAMPLE) * ids.length)];
    const v = await timedGet(`${url}/v1/cases/${id}`, staff);
    if (v.status === 200 && v.body?.eventCount === loaded.events.get(id)) held++;
  }
  const ok = counts.status === 200 && counts.body?.total === loaded.events.size && kindsOk && held === SAMPLE;
  return (
    `check: counts over HTTP (${ms(counts.ms)} ms) total ${counts.body?.total ?? `HTTP ${counts.status}`} of ${int(loaded.events.size)} cases, ` +
    `per kind ${kindsOk ? 'as sent' : `NOT as sent (${JSON.stringify(Object.fromEntries(byKind))})`}; ` +
    `${held}/${SAMPLE} sampled cases hold all their events → ${ok ? 'consistent' : 'NOT consistent'}`
  );
}

/** A fresh group reads every message of the event topics from their beginning; no work. */
async function rawConsume(total: number, pass: number): Promise<{ joinMs: number; readMs: number }> {
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: `bench-read-raw-${pass}`,
    logger,
  });
  const consumer = kafka.consumer({ groupId: `bench-read-raw-${run}-${pass}-${randomUUID().slice(0, 4)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: EVENT_TOPICS, fromBeginning: true });
    const t0 = Date.now();
    let joined = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => void (joined ||= Date.now()));
    let count = 0;
    const end = await new Promise<number>((resolve, reject) => {
      setTimeout(() => reject(new Error(`raw consumer read ${count} of ${total} messages in 600 s`)), 600_000).unref();
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            count += batch.messages.length;
            if (count >= total) resolve(Date.now());
          },
        })
        .catch(reject);
    });
    return { joinMs: joined - t0, readMs: Math.max(1, end - joined) };
  } finally {
    await consumer.disconnect();
  }
}

interface QueryDef {
  name: string;
  /** Who asks, and what: one of a few parameter sets per sample. */
  asks: { token: string; params: Record<string, string> }[];
}

async function queries(url: string, tokens: Tokens, loaded: Loaded): Promise<Map<string, Figure>> {
  const U = city.units;
  const D = city.deputies;
  const S = city.stations;
  const lists: QueryDef[] = [
    {
      name: "a unit's open cases by due date (unit)",
      asks: [0, 1, 2].map((k) => ({
        token: tokens.unit.get(U[k])!,
        params: { unit: U[k], closed: 'false', sort: 'due' },
      })),
    },
    {
      name: 'overdue or at risk in the city (staff)',
      asks: [{ token: tokens.staff, params: { jurisdiction: J, flagged: 'true', sort: 'due' } }],
    },
    {
      name: "a deputy's own cases (deputy)",
      asks: [0, 1, 2].map((k) => ({ token: tokens.deputy.get(D[k])!, params: { deputy: D[k] } })),
    },
    {
      name: "a station's opinions (staff)",
      asks: [0, 1, 2].map((k) => ({
        token: tokens.staff,
        params: { station: S[k].id, kind: 'citizen_opinion' },
      })),
    },
    {
      name: `the closed cases of a year (staff)`,
      asks: [LAST_YEAR, THIS_YEAR].map((y) => ({
        token: tokens.staff,
        params: { jurisdiction: J, year: String(y), closed: 'true' },
      })),
    },
    {
      name: 'title search (staff)',
      asks: ['养老', '教育', '交通'].map((q) => ({ token: tokens.staff, params: { jurisdiction: J, q } })),
    },
  ];
  const out = new Map<string, Figure>();
  const qs = (p: Record<string, string>) => new URLSearchParams(p).toString();
  for (const q of lists) {
    out.set(
      `${q.name}, page 1`,
      await measure((i) => {
        const a = q.asks[i % q.asks.length];
        return { url: `${url}/v1/cases?${qs({ ...a.params, limit: String(PAGE) })}`, token: a.token };
      }),
    );
    // A later page: the cursor that ends a page as long as the pages before it (page 2 if shorter).
    const later: { token: string; params: Record<string, string>; page: number }[] = [];
    const prepStart = Date.now();
    for (const a of q.asks) {
      // One cursor at least; more only while that stays cheap (a list that scans takes seconds).
      if (later.length && Date.now() - prepStart > BUDGET_MS / 3) break;
      for (const page of [LATER_PAGE, 2]) {
        const r = await timedGet(`${url}/v1/cases?${qs({ ...a.params, limit: String((page - 1) * PAGE) })}`, a.token);
        if (r.status === 200 && typeof r.body?.next === 'string') {
          later.push({ token: a.token, params: { ...a.params, limit: String(PAGE), cursor: r.body.next }, page });
          break;
        }
      }
    }
    const pages = [...new Set(later.map((l) => l.page))].sort().join('/');
    const fig = later.length
      ? await measure((i) => {
          const a = later[i % later.length];
          return { url: `${url}/v1/cases?${qs(a.params)}`, token: a.token };
        })
      : { p50: NaN, p95: NaN, samples: 0, failed: 0, rows: '', note: 'no later page at this size' };
    out.set(`${q.name}, later page`, { ...fig, note: fig.note ?? (pages ? `page ${pages}` : undefined) });
    print(`${q.name}, page 1`, out.get(`${q.name}, page 1`)!);
    print(`${q.name}, later page`, out.get(`${q.name}, later page`)!);
  }
  out.set(
    'counts per kind and stage in the city (staff)',
    await measure(() => ({ url: `${url}/v1/cases/counts?jurisdiction=${J}`, token: tokens.staff })),
  );
  print('counts per kind and stage in the city (staff)', out.get('counts per kind and stage in the city (staff)')!);
  const ids = [...loaded.events.keys()];
  const idAt = (i: number) => ids[Math.floor((((i * 7919) % 1000) / 1000) * ids.length)];
  out.set('a case by id (staff)', await measure((i) => ({ url: `${url}/v1/cases/${idAt(i)}`, token: tokens.staff })));
  print('a case by id (staff)', out.get('a case by id (staff)')!);
  out.set(
    'a timeline (staff)',
    await measure((i) => ({ url: `${url}/v1/cases/${idAt(i + 500)}/timeline`, token: tokens.staff })),
  );
  print('a timeline (staff)', out.get('a timeline (staff)')!);
  return out;
}

function print(name: string, f: Figure) {
  report(
    `read:   ${name.padEnd(58)} p50 ${ms(f.p50).padStart(7)} ms  p95 ${ms(f.p95).padStart(7)} ms  ` +
      `(${f.samples} samples${f.rows ? `, ${f.rows} rows` : ''}${f.failed ? `, ${f.failed} FAILED` : ''}${f.note ? `; ${f.note}` : ''})`,
  );
}

/** LAG_RATE events/s of new cases, interleaved; each until GET /v1/cases/:id counts it. */
async function lag(
  url: string,
  staff: string,
  publisher: Awaited<ReturnType<typeof createEventPublisher>>,
  loaded: Loaded,
  childPid: number | undefined,
) {
  const want = Math.round(LAG_RATE * LAG_SECONDS);
  const cases: CityCase[] = [];
  let total = 0;
  while (total < want) {
    for (const c of citySlot(city, loaded.slot++).filter((x) => x.events.length)) {
      cases.push(c);
      total += c.events.length;
    }
  }
  // Live traffic: the first event of every case, then the second of each, …
  const events: { c: CityCase; e: NewEvent }[] = [];
  for (let k = 0; events.length < want; k++)
    for (const c of cases) if (k < c.events.length && events.length < want) events.push({ c, e: c.events[k] });
  const sentCount = new Map<string, number>();
  const pending = new Map<string, { caseId: string; count: number; sentAt: number }>();
  const lags: number[] = [];
  let polling = true;
  let polls = 0;
  const poller = (async () => {
    while (polling || pending.size) {
      // The oldest pending cases first, a few a round: the polling must not load the service.
      const ids = [...new Set([...pending.values()].map((p) => p.caseId))].slice(0, LAG_POLL_CASES);
      await Promise.all(
        ids.map(async (id) => {
          polls++;
          const r = await http.call('GET', `${url}/v1/cases/${id}`, { token: staff }).catch(() => undefined);
          const seen = r?.status === 200 ? Number(r.body?.eventCount ?? 0) : 0;
          const now = performance.now();
          for (const [eventId, p] of pending)
            if (p.caseId === id && seen >= p.count) {
              lags.push(now - p.sentAt);
              pending.delete(eventId);
            }
        }),
      );
      await sleep(LAG_POLL_MS);
    }
  })();
  const load0 = load();
  const cpu0 = cpuNow(childPid);
  const gap = 1000 / LAG_RATE;
  const start = performance.now();
  let behind = 0;
  for (const [i, { c, e }] of events.entries()) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -gap) behind++;
    const count = (sentCount.get(c.caseId) ?? 0) + 1;
    sentCount.set(c.caseId, count);
    const sentAt = performance.now();
    if (i % LAG_EVERY === 0) pending.set(e.eventId, { caseId: c.caseId, count, sentAt });
    // Not awaited: a slow acknowledgement must not hold back the next send.
    void publisher.publish(topicForCaseKind(e.caseKind), buildEnvelope(e)).catch((err) => console.error(err));
  }
  const sendSeconds = (performance.now() - start) / 1000;
  const deadline = Date.now() + 300_000;
  while (pending.size && Date.now() < deadline) await sleep(LAG_POLL_MS);
  const missing = pending.size;
  const cpu = cpuPer(cpu0, cpuNow(childPid), events.length);
  const pollRate = polls / ((performance.now() - start) / 1000);
  polling = false;
  pending.clear();
  await poller;
  for (const c of cases) if (sentCount.has(c.caseId)) record(loaded, c, sentCount.get(c.caseId)!);
  lags.sort((a, b) => a - b);
  return {
    events: events.length,
    timed: lags.length,
    cases: sentCount.size,
    rate: events.length / sendSeconds,
    behind,
    p50: percentile(lags, 0.5),
    p99: percentile(lags, 0.99),
    max: lags[lags.length - 1],
    missing,
    cpu,
    pollRate,
    load: `${load0} → ${load()}`,
  };
}

// ------------------------------------------------------------------ main

interface Tokens {
  staff: string;
  unit: Map<string, string>;
  deputy: Map<string, string>;
}

interface SizeFigures {
  size: number;
  ingestRate: number;
  rawRate: number;
  ratio: number;
  lagP50: number;
  lagP99: number;
  queries: Map<string, Figure>;
}

/** Runs every size; resolves with the summary line, printed last (after the stack is down). */
async function main(): Promise<string> {
  const wall = Date.now();
  report(
    `read: sizes ${SIZES.map(int).join(' → ')} cases; ${city.units.length} units, ${city.deputies.length} deputies, ` +
      `${city.stations.length} stations, ${yearsOf(city).join('–')}; page ${PAGE} rows, later page ${LATER_PAGE}; ` +
      `≤ ${SAMPLES} samples or ${BUDGET_MS / 1000} s per query (≥ ${MIN_SAMPLES}), request timeout ${TIMEOUT_MS / 1000} s; ` +
      `lag ${LAG_RATE}/s for ${LAG_SECONDS} s; load average ${load()} (${os.cpus().length} cores)`,
  );
  let t = Date.now();
  startFreshStack(STACK_ENV);
  report(`read: bench stack up in ${seconds(Date.now() - t)} s (${STACK_ENV.DUBAN_DATA_DIR})`);
  let child: ChildProcess | undefined;
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const ci = await startCaseIndex();
    child = ci.child;
    const url = ci.url;
    report(`read: case-index process pid ${child.pid} on ${url} (log ${path.relative(ROOT, ci.logFile)})`);
    const kafka = createKafka({
      brokers: process.env.KAFKA_BROKERS!.split(','),
      clientId: `bench-read-${run}`,
      logger,
    });
    const publisher = await createEventPublisher(kafka);
    stops.push(() => publisher.disconnect());
    const tokens: Tokens = {
      staff: await token({ role: 'staff', sub: 'bench-clerk' }, '24h'),
      unit: new Map(
        await Promise.all(
          city.units.map(async (u) => [u, await token({ role: 'unit', sub: `handler-${u}`, unit: u }, '24h')] as const),
        ),
      ),
      deputy: new Map(
        await Promise.all(
          city.deputies.slice(0, 3).map(async (d) => [d, await token({ role: 'deputy', sub: d }, '24h')] as const),
        ),
      ),
    };
    const loaded: Loaded = { events: new Map(), kinds: new Map(), messages: 0, slot: 0 };
    const figures: SizeFigures[] = [];

    for (const size of SIZES) {
      if (size <= loaded.events.size) {
        report(`read: ${int(size)} cases: already ${int(loaded.events.size)} loaded, skipped`);
        continue;
      }
      report(`\nread: ── ${int(size)} cases ──`);
      const ing = await ingest(url, publisher, loaded, size, child.pid);
      report(
        `read: load: ${int(ing.cases)} cases, ${int(ing.events)} events published in ${seconds(ing.publishMs)} s ` +
          `(${rate(ing.events, ing.publishMs)}/s), ${ing.complete ? 'all' : `ONLY ${int(ing.handled)}`} ingested in ` +
          `${seconds(ing.ingestMs)} s from the first send → ${ing.rate.toFixed(1)} events/s ` +
          `(first half ${ing.firstHalf.toFixed(1)}/s, second half ${ing.secondHalf.toFixed(1)}/s); ` +
          `CPU per event: ${ing.cpuPerEvent}; load ${ing.load}` +
          (ing.redelivered
            ? `; ${int(ing.redelivered)} events handled again as duplicates (redelivered: see the group re-joins in the case-index log)`
            : ''),
      );
      const caught = await boardsCaughtUp(kafka, `bench-read-${run}-boards`);
      report(
        `read: the boards (the lists) caught up with the views ${seconds(caught.ms)} s after the ingest ` +
          `(${int(caught.deltas)} board changes on ${TOPICS.caseIndexBoards.name} in all)`,
      );
      report(`read: ${await check(url, tokens.staff, loaded)}`);

      const passes: { joinMs: number; readMs: number }[] = [];
      for (let p = 0; p < RAW_PASSES; p++) passes.push(await rawConsume(loaded.messages, p));
      const rawRates = passes.map((p) => loaded.messages / (p.readMs / 1000));
      const rawRate = median(rawRates);
      report(
        `read: raw kafkajs consume (fresh group, eachBatch, no work) of all ${int(loaded.messages)} messages on the 4 topics: ` +
          passes.map((p, i) => `${seconds(p.readMs)} s (${rawRates[i].toFixed(0)}/s, join ${p.joinMs} ms)`).join('; ') +
          ` → median ${rawRate.toFixed(0)} msg/s; ingest ${ing.rate.toFixed(1)} events/s = ${(ing.rate / rawRate).toPrecision(2)}x raw`,
      );

      report(`read: queries over HTTP at ${int(loaded.events.size)} cases (load ${load()}):`);
      t = Date.now();
      const qs = await queries(url, tokens, loaded);
      report(`read: queries took ${seconds(Date.now() - t)} s`);

      const lg = await lag(url, tokens.staff, publisher, loaded, child.pid);
      report(
        `read: lag publish → visible over GET /v1/cases/:id, ${int(lg.events)} events of ${int(lg.cases)} new cases at ` +
          `${lg.rate.toFixed(1)}/s${lg.behind ? ` (${lg.behind} sends late)` : ''}, every ${LAG_EVERY}th timed (${lg.timed}): p50 ${ms(lg.p50)} ms, p99 ${ms(lg.p99)} ms, ` +
          `max ${ms(lg.max)} ms${lg.missing ? `; ${lg.missing} NOT visible within 300 s` : ''}; CPU per event (with ${lg.pollRate.toFixed(0)} polls/s): ${lg.cpu}; load ${lg.load}; ` +
          `now ${int(loaded.events.size)} cases`,
      );
      figures.push({
        size,
        ingestRate: ing.rate,
        rawRate,
        ratio: ing.rate / rawRate,
        lagP50: lg.p50,
        lagP99: lg.p99,
        queries: qs,
      });
    }

    if (!figures.length) throw new Error('no size was measured (BENCH_READ_CASES)');
    const first = figures[0];
    const last = figures[figures.length - 1];
    const grow = (a: number, b: number) =>
      Number.isFinite(a) && Number.isFinite(b) && a > 0 ? `×${(b / a).toFixed(2)}` : '';
    report(`\nread: growth from ${int(first.size)} to ${int(last.size)} cases (each: first size → last size, ratio):`, {
      summary: true,
    });
    const row = (name: string, parts: [string, number, number, string, ((x: number) => string)?][]) =>
      report(
        `read:   ${name.padEnd(58)} ` +
          parts
            .map(([label, a, b, unit, fmt = ms]) => `${label}${fmt(a)} → ${fmt(b)} ${unit} ${grow(a, b)}`.trim())
            .join(';  '),
        { summary: true },
      );
    const x = (r: number) => (Number.isFinite(r) ? r.toPrecision(2) : '—');
    row('ingest', [['', first.ingestRate, last.ingestRate, 'events/s']]);
    row('raw kafkajs consume', [['', first.rawRate, last.rawRate, 'msg/s']]);
    row('ingest / raw', [['', first.ratio, last.ratio, '', x]]);
    row('lag', [
      ['p50 ', first.lagP50, last.lagP50, 'ms'],
      ['p99 ', first.lagP99, last.lagP99, 'ms'],
    ]);
    for (const [name, f] of last.queries) {
      const a = first.queries.get(name);
      row(name, [
        ['p50 ', a?.p50 ?? NaN, f.p50, 'ms'],
        ['p95 ', a?.p95 ?? NaN, f.p95, 'ms'],
      ]);
    }
    const listP95 = Math.max(
      ...[...last.queries]
        .filter(([name]) => name.includes(', page 1') || name.includes(', later page'))
        .map(([, f]) => (Number.isNaN(f.p95) ? 0 : f.p95)),
    );
    report(`read: wall time ${seconds(Date.now() - wall)} s`, { summary: true });
    return `read: list p95 ${listP95.toFixed(0)} ms at ${last.size} cases, lag p99 ${last.lagP99.toFixed(0)} ms, ingest ${last.ratio.toPrecision(2)}x raw`;
  } finally {
    const bounded = (p: Promise<unknown>) =>
      Promise.race([p.catch((err) => console.error(err)), new Promise((r) => setTimeout(r, 15_000).unref())]);
    for (const stop of stops.reverse()) await bounded(stop());
    http.close();
    if (child) await bounded(stopCaseIndex(child));
    if (process.env.BENCH_KEEP_STACK !== '1') stopStack(STACK_ENV);
  }
}

main().then(
  (summary) => {
    report(summary, { summary: true });
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
