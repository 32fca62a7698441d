// `make chaos`: a steady mixed load on a stack of its own while faults are injected one after
// another, then an account of every acknowledged case, event, message and workflow task.
// Ports: block CHAOS_PORT_BLOCK (31: Temporal 31233, Kafka 31092, Mongo 31317, services 311xx);
// data in .data/chaos-stack. CHAOS_SETTLE_S: how long the load runs between faults.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import {
  TOPICS,
  connectMongo,
  createKafka,
  createLogger,
  decodeEnvelope,
  signToken,
  type Principal,
} from '@duban/platform';
import { INFRA, ROOT } from '../support/paths';
import { startFreshStack, stopStack, type StackEnv } from '../support/stack-control';
import { startTestSmtp, type TestSmtp } from '../support/smtp';
import { runSchemathesis, startGateway } from '../fuzz/gateway';
import { pool } from '../../bench/support';

const BLOCK = process.env.CHAOS_PORT_BLOCK ?? '31';
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_S ?? 25) * 1000;
const DATA = path.join(ROOT, '.data/chaos-stack');
const STACK: StackEnv = {
  DUBAN_DATA_DIR: DATA,
  TEMPORAL_PORT: `${BLOCK}233`,
  TEMPORAL_UI_PORT: `${BLOCK}234`,
  KAFKA_PORT: `${BLOCK}092`,
  KAFKA_CONTROLLER_PORT: `${BLOCK}093`,
  MONGO_PORT: `${BLOCK}317`,
};
const SECRET = 'chaos-secret-that-is-at-least-32-characters';
const ISSUER = 'duban';
const QUEUE = 'chaos-cases';
const JURISDICTION = 'cn-chaos-drill';
const port = (n: number) => Number(`${BLOCK}1${String(n).padStart(2, '0')}`);
const url = (n: number) => `http://127.0.0.1:${port(n)}`;
const REGISTRY = url(1);
const SUGGESTIONS = url(2);
const CASE_INDEX = url(3);
const NOTIFICATIONS = url(4);
const CITIZEN = url(5);
const OVERSIGHT = url(6);
const LIVELIHOOD = url(7);
const log = createLogger('chaos', 'warn');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamp = () => new Date().toISOString().slice(11, 19);
const say = (msg: string) => console.log(`[chaos ${stamp()}] ${msg}`);

// ---------------------------------------------------------------- processes it can kill
interface Proc {
  name: string;
  entry: string;
  env: Record<string, string>;
  health: string;
  child?: ChildProcess;
  args?: string[];
}
const procs = new Map<string, Proc>();

function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'warn',
    MONGO_URL: process.env.MONGO_URL!,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: QUEUE,
    AUTH_JWT_SECRET: SECRET,
    AUTH_ISSUER: ISSUER,
    HTTP_HOST: '127.0.0.1',
    REGISTRY_URL: REGISTRY,
  };
}

async function launch(p: Proc): Promise<number> {
  const t0 = Date.now();
  const out = createWriteStream(path.join(DATA, 'logs', `${p.name}.log`), { flags: 'a' });
  // One node process (tsx's loader), so that SIGKILL hits the service itself.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, p.entry), ...(p.args ?? [])], {
    cwd: ROOT,
    env: { ...baseEnv(), ...p.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  p.child = child;
  procs.set(p.name, p);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${p.name} exited at start (log ${DATA}/logs/${p.name}.log)`);
    if (await ok(p.health)) return Date.now() - t0;
    if (Date.now() - t0 > 120_000) throw new Error(`${p.name} not healthy after 120 s`);
    await sleep(200);
  }
}

async function ok(u: string): Promise<boolean> {
  try {
    return (await fetch(u, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const child = procs.get(name)!.child!;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function restart(name: string): Promise<void> {
  await kill(name);
  await launch(procs.get(name)!);
}

async function startProcesses(smtp: TestSmtp): Promise<void> {
  await launch({
    name: 'registry',
    entry: 'services/registry/src/main.ts',
    args: ['--seed-demo'],
    env: { MONGO_DB: 'chaos_registry', HTTP_PORT: String(port(1)) },
    health: `${REGISTRY}/healthz`,
  });
  await Promise.all([
    launch({
      name: 'case-index',
      entry: 'services/case-index/src/main.ts',
      env: { MONGO_DB: 'chaos_case_index', HTTP_PORT: String(port(3)), KAFKA_GROUP_ID: 'chaos-case-index' },
      health: `${CASE_INDEX}/healthz`,
    }),
    launch({
      name: 'worker',
      entry: 'workflows/src/worker.ts',
      env: { WORKER_METRICS_PORT: String(port(64)) },
      health: `${url(64)}/healthz`,
    }),
    launch({
      name: 'suggestions',
      entry: 'services/suggestions/src/main.ts',
      // Its dependencies through Toxiproxy, so that fault 6 can slow and cut them.
      env: {
        MONGO_DB: 'chaos_suggestions',
        HTTP_PORT: String(port(2)),
        MONGO_URL: `mongodb://127.0.0.1:${TOXI.mongo.listen}`,
        TEMPORAL_ADDRESS: `127.0.0.1:${TOXI.temporal.listen}`,
        REGISTRY_URL: `http://127.0.0.1:${TOXI.registry.listen}`,
      },
      health: `${SUGGESTIONS}/healthz`,
    }),
    launch({
      name: 'citizen',
      entry: 'services/citizen/src/main.ts',
      env: { MONGO_DB: 'chaos_citizen', HTTP_PORT: String(port(5)), SUGGESTIONS_URL: SUGGESTIONS },
      health: `${CITIZEN}/healthz`,
    }),
    launch({
      name: 'oversight',
      entry: 'services/oversight/src/main.ts',
      env: { MONGO_DB: 'chaos_oversight', HTTP_PORT: String(port(6)) },
      health: `${OVERSIGHT}/healthz`,
    }),
    launch({
      name: 'livelihood',
      entry: 'services/livelihood/src/main.ts',
      env: { MONGO_DB: 'chaos_livelihood', HTTP_PORT: String(port(7)) },
      health: `${LIVELIHOOD}/healthz`,
    }),
    launch({
      name: 'notifications',
      entry: 'services/notifications/src/main.ts',
      env: {
        MONGO_DB: 'chaos_notifications',
        HTTP_PORT: String(port(4)),
        KAFKA_GROUP_ID: 'chaos-notifications',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        NOTIFY_STAFF_EMAIL: 'committee-office@demo.gov.cn',
        NOTIFY_RETRY_BASE_MS: '500',
        NOTIFY_MAX_ATTEMPTS: '20',
      },
      health: `${NOTIFICATIONS}/healthz`,
    }),
  ]);
}

// ---------------------------------------------------------------- Toxiproxy between suggestions and its dependencies
const TOXIPROXY_BIN = path.join(ROOT, '.tools/bin/toxiproxy-server');
const TOXI_API = `http://127.0.0.1:${BLOCK}474`;
const TOXI = {
  mongo: { listen: Number(`${BLOCK}401`), upstream: Number(STACK.MONGO_PORT) },
  temporal: { listen: Number(`${BLOCK}402`), upstream: Number(STACK.TEMPORAL_PORT) },
  registry: { listen: Number(`${BLOCK}403`), upstream: port(1) },
};
type Dependency = keyof typeof TOXI;
let toxiproxy: ChildProcess | undefined;

async function toxi(method: string, p: string, body?: unknown): Promise<void> {
  const res = await fetch(`${TOXI_API}${p}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`toxiproxy ${method} ${p}: ${res.status} ${await res.text()}`);
}

async function startToxiproxy(): Promise<void> {
  if (!existsSync(TOXIPROXY_BIN))
    throw new Error(`${TOXIPROXY_BIN} is missing: deploy/local/install.sh toxiproxy (make chaos runs it)`);
  const out = createWriteStream(path.join(DATA, 'logs', 'toxiproxy.log'));
  toxiproxy = spawn(TOXIPROXY_BIN, ['-host', '127.0.0.1', '-port', `${BLOCK}474`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  toxiproxy.stdout!.pipe(out);
  toxiproxy.stderr!.pipe(out);
  while (!(await ok(`${TOXI_API}/version`))) await sleep(100);
  for (const [name, t] of Object.entries(TOXI))
    await toxi('POST', '/proxies', { name, listen: `127.0.0.1:${t.listen}`, upstream: `127.0.0.1:${t.upstream}` });
}

/** Fault 6 for one dependency: 1.5 s of latency each way for 15 s, then the connection cut for 10 s. */
async function slowThenCut(dep: Dependency): Promise<void> {
  await toxi('POST', `/proxies/${dep}/toxics`, {
    name: 'lag',
    type: 'latency',
    stream: 'downstream',
    attributes: { latency: 1500 },
  });
  await toxi('POST', `/proxies/${dep}/toxics`, {
    name: 'lag-up',
    type: 'latency',
    stream: 'upstream',
    attributes: { latency: 1500 },
  });
  await sleep(15_000);
  await toxi('DELETE', `/proxies/${dep}/toxics/lag`);
  await toxi('DELETE', `/proxies/${dep}/toxics/lag-up`);
  await toxi('POST', `/proxies/${dep}`, { enabled: false });
  await sleep(10_000);
  await toxi('POST', `/proxies/${dep}`, { enabled: true });
}

// ---------------------------------------------------------------- HTTP with tokens
const tokens = new Map<string, string>();
async function tokenFor(p: Principal): Promise<string> {
  const key = JSON.stringify(p);
  if (!tokens.has(key)) tokens.set(key, await signToken(p, { secret: SECRET, issuer: ISSUER, ttl: '6h' }));
  return tokens.get(key)!;
}
const STAFF: Principal = { role: 'staff', sub: 'chaos-clerk' };
const OPERATOR: Principal = { role: 'operator', sub: 'chaos-operator' };
const DEPUTY: Principal = { role: 'deputy', sub: 'deputy-003' };
const UNIT: Principal = { role: 'unit', sub: 'handler-2', unit: 'eco-env-bureau' };
const CITIZEN_USER: Principal = { role: 'citizen', sub: 'chaos-citizen' };

async function call(
  method: string,
  u: string,
  who: Principal,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const h: Record<string, string> = { authorization: `Bearer ${await tokenFor(who)}`, ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  try {
    const res = await fetch(u, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

// ---------------------------------------------------------------- the drill jurisdiction
const DRILL_POLICY = {
  name: 'Chaos drill county (windows of seconds)',
  level: 'county',
  parent: 'cn-zj-demo-city',
  drill: true,
  settings: {
    suggestion: {
      replyWindow: { amount: 30, unit: 'seconds' },
      maxReplyWindow: { amount: 120, unit: 'seconds' },
      reminderBefore: [{ amount: 15, unit: 'seconds' }],
      veryOverdueAfter: { amount: 600, unit: 'seconds' },
      ratingWindow: { amount: 600, unit: 'seconds' },
    },
  },
};

// ---------------------------------------------------------------- the load
interface Acked {
  caseId: string;
  at: number;
  actions: string[];
}
const acked = new Map<string, Acked>();
let actionsAcked = 0;
let loadRunning = true;

/** Retries a request with the same Idempotency-Key until it is answered 2xx (as a careful client does). */
async function durably(
  what: string,
  send: () => Promise<{ status: number; body: any }>,
  deadlineMs = 240_000,
): Promise<any | undefined> {
  const end = Date.now() + deadlineMs;
  let last: { status: number; body: any } = { status: 0, body: '' };
  while (Date.now() < end) {
    last = await send();
    if (last.status >= 200 && last.status < 300) return last.body;
    if (last.status >= 400 && last.status < 500 && last.status !== 409 && last.status !== 408) break;
    await sleep(500);
  }
  log.warn({ what, status: last.status, body: last.body }, 'gave up');
  return undefined;
}

async function intake(tag: string): Promise<string | undefined> {
  const key = randomUUID();
  const body = {
    title: `关于整治河道污染的建议（演练 ${tag}）`,
    content: '建议对城区河道排污口开展专项整治。',
    category: 'environment',
    jurisdiction: JURISDICTION,
  };
  const r = await durably('intake', () =>
    call('POST', `${SUGGESTIONS}/v1/suggestions`, DEPUTY, body, { 'idempotency-key': key }),
  );
  if (!r?.caseId) return undefined;
  acked.set(r.caseId, { caseId: r.caseId, at: Date.now(), actions: [] });
  return r.caseId;
}

async function act(caseId: string, action: string, who: Principal, body: unknown): Promise<boolean> {
  const key = randomUUID();
  const r = await durably(`${action} ${caseId}`, () =>
    call('POST', `${SUGGESTIONS}/v1/suggestions/${caseId}/${action}`, who, body, { 'idempotency-key': key }),
  );
  if (r === undefined) return false;
  acked.get(caseId)!.actions.push(action);
  actionsAcked++;
  return true;
}

/** One case's life: submitted, accepted; half reply before the deadline, half after it is overdue. */
async function caseLife(n: number): Promise<void> {
  const caseId = await intake(`load-${n}`);
  if (!caseId || !(await act(caseId, 'review', STAFF, { decision: 'accept' }))) return;
  await sleep(n % 2 ? 5_000 : 40_000);
  if (!(await act(caseId, 'reply', UNIT, { grade: 'A', summary: '已完成全部排污口的整治工作。' }))) return;
  await act(caseId, 'rating', DEPUTY, { rating: 'satisfied' });
}

async function runLoad(everyMs: number): Promise<Promise<void>[]> {
  const lives: Promise<void>[] = [];
  let n = 0;
  while (loadRunning) {
    // Beside the suggestions, a citizen's opinion every third tick and a review opinion every sixth.
    if (n % 3 === 0) lives.push(otherIntake('citizen', n));
    if (n % 6 === 0) lives.push(otherIntake('oversight', n));
    // A deputy's ballot each tick, until every deputy of the vote city has cast one.
    if (n < VOTERS.length) lives.push(castBallot(n));
    lives.push(caseLife(n++));
    await sleep(everyMs);
  }
  return lives;
}

/** Time from `t0` until a fresh case goes all the way: intake, workflow, Kafka, case index. */
async function recovered(t0: number, tag: string): Promise<number> {
  for (;;) {
    const caseId = await intake(`probe-${tag}`);
    if (caseId) {
      const end = Date.now() + 60_000;
      while (Date.now() < end) {
        const r = await call('GET', `${CASE_INDEX}/v1/cases/${caseId}`, STAFF);
        if (r.status === 200) return Date.now() - t0;
        await sleep(250);
      }
    }
    if (Date.now() - t0 > 600_000) return NaN;
  }
}

// ---------------------------------------------------------------- a livelihood vote, open while the faults run
const VOTE_J = 'cn-chaos-vote';
const VOTE_YEAR = 2099;
const CYCLE = `livelihood-${VOTE_J}-${VOTE_YEAR}`;
const VOTERS = Array.from({ length: 150 }, (_, i) => `chaos-voter-${String(i).padStart(3, '0')}`);
const minutes = (amount: number) => ({ amount, unit: 'minutes' });
let candidates: string[] = [];
/** Deputy → the choices of the ballot the service acknowledged. */
const ballotsAcked = new Map<string, string[]>();

async function must(what: string, r: Promise<{ status: number; body: any }>): Promise<any> {
  const res = await r;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 60_000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** A city of its own with 150 deputies, a cycle with three candidates on the ballot list, the vote open. */
async function openVote(): Promise<void> {
  await must(
    'vote policy',
    call('PUT', `${REGISTRY}/v1/jurisdictions/${VOTE_J}/policy`, STAFF, {
      name: 'Chaos vote city',
      level: 'city',
      parent: 'cn-zj',
      settings: {
        livelihood: {
          collectionWindow: minutes(60),
          feasibilityWindow: minutes(60),
          seats: 2,
          ballotCandidates: 3,
          vote: { window: minutes(120), majorityOf: 'all' },
        },
      },
    }),
  );
  await pool(VOTERS, 10, async (id) => {
    await must(
      `deputy ${id}`,
      call('PUT', `${REGISTRY}/v1/deputies/${id}`, STAFF, {
        name: `代表${id.slice(-3)}`,
        jurisdiction: VOTE_J,
        groups: [],
      }),
    );
  });
  const cycle = `${LIVELIHOOD}/v1/livelihood/cycles`;
  await must('cycle', call('POST', cycle, STAFF, { jurisdiction: VOTE_J, year: VOTE_YEAR }));
  const stageIs = (stage: string) => async () => (await call('GET', `${cycle}/${CYCLE}`, STAFF)).body?.stage === stage;
  await until('collecting', stageIs('collecting'));
  candidates = [];
  for (const [i, title] of ['老旧小区加装电梯', '城区公厕改造提升', '社区卫生服务站'].entries()) {
    const r = await must(
      'candidate',
      call(
        'POST',
        `${cycle}/${CYCLE}/candidates`,
        { role: 'deputy', sub: VOTERS[i] },
        { title, category: 'public-service' },
      ),
    );
    candidates.push(r.result.candidateId);
  }
  for (const id of candidates)
    await must(
      'screening',
      call('POST', `${cycle}/${CYCLE}/candidates/${id}/screening`, STAFF, { decision: 'accept' }),
    );
  await must('close collection', call('POST', `${cycle}/${CYCLE}/collection/close`, STAFF, {}));
  await until('feasibility', stageIs('feasibility'));
  const gov: Principal = { role: 'unit', sub: 'reviewer-1', unit: 'government-office' };
  for (const [i, id] of candidates.entries())
    await must(
      'feasibility',
      call('POST', `${cycle}/${CYCLE}/candidates/${id}/feasibility`, gov, {
        feasible: true,
        costEstimate: 1_000_000 * (i + 1),
        leadUnit: 'edu-bureau',
        milestones: [{ name: '完工', dueDate: `${VOTE_YEAR}-10-31` }],
        note: '可行',
      }),
    );
  await until('ballot list', stageIs('ballotList'));
  await must('ballot list', call('POST', `${cycle}/${CYCLE}/ballot-list`, STAFF, { candidateIds: candidates }));
  await must('open the vote', call('POST', `${cycle}/${CYCLE}/votes`, STAFF, { present: VOTERS.length }));
}

/** One deputy's ballot, retried with its key until answered; "already voted" after a cut-off answer means it landed. */
async function castBallot(n: number): Promise<void> {
  const id = VOTERS[n];
  const choices =
    n % 3 === 0 ? [candidates[0], candidates[2]] : n % 3 === 1 ? [candidates[0], candidates[1]] : [candidates[1]];
  const key = randomUUID();
  const who: Principal = { role: 'deputy', sub: id };
  const end = Date.now() + 240_000;
  while (Date.now() < end) {
    const r = await call(
      'POST',
      `${LIVELIHOOD}/v1/livelihood/cycles/${CYCLE}/ballots`,
      who,
      { choices },
      {
        'idempotency-key': key,
      },
    );
    if (r.status === 201 || r.status === 200 || r.body?.error?.code === 'already_voted') {
      ballotsAcked.set(id, choices);
      return;
    }
    if (r.status >= 400 && r.status < 500 && r.status !== 409 && r.status !== 408) break;
    await sleep(500);
  }
  log.warn({ voter: id }, 'ballot gave up');
}

// ---------------------------------------------------------------- the stack's parts
function pidOf(part: 'temporal' | 'kafka' | 'ferretdb'): number {
  return Number(readFileSync(path.join(DATA, 'run', `${part}.pid`), 'utf8').trim());
}
async function stopPart(part: 'temporal' | 'kafka' | 'ferretdb', signal: NodeJS.Signals): Promise<void> {
  const pid = pidOf(part);
  process.kill(pid, signal);
  while (alive(pid)) await sleep(100);
}
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
/** infra.sh up starts only the parts that are not running, on the same data files. */
function infraUp(): void {
  execFileSync(INFRA, ['up'], { env: { ...process.env, ...STACK, INFRA_SKIP_INSTALL: '1' }, stdio: 'ignore' });
}

// ---------------------------------------------------------------- faults
interface FaultRow {
  fault: string;
  at: number;
  /** From the fault until the part was started again. */
  downMs: number;
  /** From the restart until a fresh case went all the way through. */
  recoveryMs: number;
  lost: number;
  dup: number;
}
const rows: FaultRow[] = [];

async function fault(name: string, inject: () => Promise<unknown>): Promise<void> {
  say(`fault: ${name}`);
  const t0 = Date.now();
  await inject();
  const up = Date.now();
  const ms = await recovered(up, name.split(' ')[0]);
  rows.push({ fault: name, at: t0, downMs: up - t0, recoveryMs: ms, lost: 0, dup: 0 });
  say(`  down ${((up - t0) / 1000).toFixed(1)} s, recovered ${(ms / 1000).toFixed(1)} s after the restart`);
  await sleep(SETTLE_MS);
}

/** SIGKILL a service while a request to it is in flight, then start it again. */
async function killMidRequest(name: string, request: () => Promise<unknown>, afterMs = 30): Promise<void> {
  const inFlight = request();
  await sleep(afterMs);
  await kill(name);
  await inFlight;
  await launch(procs.get(name)!);
}

/** Intakes without an Idempotency-Key, as a careless client sends them: nothing retries them. */
function intakesWithoutKey(n: number): Promise<unknown> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      call('POST', `${SUGGESTIONS}/v1/suggestions`, DEPUTY, {
        title: `关于整治河道污染的建议（无幂等键 ${i}）`,
        content: '建议对城区河道排污口开展专项整治。',
        category: 'environment',
        jurisdiction: JURISDICTION,
      }).then((r) => {
        if (r.status === 201) acked.set(r.body.caseId, { caseId: r.body.caseId, at: Date.now(), actions: [] });
      }),
    ),
  );
}

/** The other kinds' intakes the faults cut: a citizen's opinion, a review opinion (one workflow per unit). */
const OTHER_INTAKES = {
  citizen: {
    url: `${CITIZEN}/v1/citizen-opinions`,
    get: (id: string) => `${CITIZEN}/v1/citizen-opinions/${id}`,
    workflows: (id: string) => [id],
    db: 'chaos_citizen',
    collection: 'opinions',
    who: CITIZEN_USER,
    body: (i: number) => ({
      stationId: 'station-riverside',
      channel: 'online',
      category: 'transport',
      content: `公交站台需要遮雨棚（演练 ${i}）。`,
    }),
  },
  oversight: {
    url: `${OVERSIGHT}/v1/review-opinions`,
    get: (id: string) => `${OVERSIGHT}/v1/review-opinions/${id}`,
    workflows: (id: string) => [`${id}.government-office`, `${id}.edu-bureau`],
    db: 'chaos_oversight',
    collection: 'oversight_cases',
    who: STAFF,
    body: (i: number) => ({
      jurisdiction: 'cn-zj-demo-city',
      title: `关于城市管理工作报告的审议意见（演练 ${i}）`,
      items: [
        { list: 'issue', description: '占道经营治理不彻底', unit: 'government-office' },
        { list: 'supervision', description: '校园周边交通秩序', unit: 'edu-bureau' },
      ],
    }),
  },
};
type OtherKind = keyof typeof OTHER_INTAKES;
/** Acknowledged cases of the other kinds: case id → its kind and when. */
const ackedOther = new Map<string, { kind: OtherKind; at: number }>();

/** An intake of another kind with an Idempotency-Key, retried until answered (as a careful client does). */
async function otherIntake(kind: OtherKind, n: number): Promise<void> {
  const k = OTHER_INTAKES[kind];
  const key = randomUUID();
  const r = await durably(`${kind} intake`, () => call('POST', k.url, k.who, k.body(n), { 'idempotency-key': key }));
  if (r?.caseId) ackedOther.set(r.caseId, { kind, at: Date.now() });
}

/**
 * Intakes of another kind without an Idempotency-Key, one every 15 ms for a second while the
 * service is killed: nothing retries them, and the service's reconciler must start what it stored.
 */
async function otherIntakesWithoutKey(kind: OtherKind, n: number): Promise<void> {
  const k = OTHER_INTAKES[kind];
  const statuses = new Map<number, number>();
  const sent: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    sent.push(
      call('POST', k.url, k.who, k.body(1000 + i)).then((r) => {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 201) ackedOther.set(r.body.caseId, { kind, at: Date.now() });
      }),
    );
    await sleep(15);
  }
  await Promise.all(sent);
  say(`  ${kind} intakes without a key: ${[...statuses].map(([st, c]) => `${c}× ${st || 'cut'}`).join(', ')}`);
}

async function faults(): Promise<void> {
  await fault('1 SIGKILL worker, restart', async () => restart('worker'));
  await fault('2 restart Temporal (same db file)', async () => {
    await stopPart('temporal', 'SIGTERM');
    infraUp();
  });
  await fault('3 stop Kafka 30 s, start', async () => {
    await stopPart('kafka', 'SIGTERM');
    await sleep(30_000);
    infraUp();
  });
  await fault('4 restart FerretDB (MongoDB API)', async () => {
    await stopPart('ferretdb', 'SIGTERM');
    infraUp();
  });
  await fault('5a SIGKILL suggestions mid-intake', () => killMidRequest('suggestions', () => intakesWithoutKey(12)));
  await fault('5e SIGKILL citizen mid-intake', () =>
    killMidRequest('citizen', () => otherIntakesWithoutKey('citizen', 60), 400),
  );
  await fault('5f SIGKILL oversight mid-intake', () =>
    killMidRequest('oversight', () => otherIntakesWithoutKey('oversight', 60), 400),
  );
  await fault('5b SIGKILL registry mid-request', () =>
    killMidRequest('registry', () => call('GET', `${REGISTRY}/v1/jurisdictions/${JURISDICTION}/policy`, STAFF)),
  );
  await fault('5c SIGKILL case-index mid-request', () =>
    killMidRequest('case-index', () => call('GET', `${CASE_INDEX}/v1/cases?limit=200`, STAFF)),
  );
  await fault('5d SIGKILL notifications mid-request', () =>
    killMidRequest('notifications', () => call('GET', `${NOTIFICATIONS}/v1/deliveries?limit=200`, STAFF)),
  );
  for (const dep of Object.keys(TOXI) as Dependency[])
    await fault(`6 suggestions→${dep}: +1.5 s latency 15 s, cut 10 s`, () => slowThenCut(dep));
  await fault('7 SIGKILL consumers after effect, before commit', async () => {
    // Wait for a fresh case's first event to be stored by the case index (its effect), then kill
    // both consumers at once: the batch it came in has not been committed yet.
    const caseId = await intake('consumer-kill');
    while (caseId && (await call('GET', `${CASE_INDEX}/v1/cases/${caseId}`, STAFF)).status !== 200) await sleep(20);
    await Promise.all([kill('case-index'), kill('notifications')]);
    await Promise.all([launch(procs.get('case-index')!), launch(procs.get('notifications')!)]);
  });
}

// ---------------------------------------------------------------- accounting
async function topicEvents(): Promise<Map<string, string[]>> {
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'chaos-reader', logger: log });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(TOPICS.suggestionEvents.name);
  await admin.disconnect();
  const want = offsets.reduce((s, o) => s + Number(o.high) - Number(o.low), 0);
  const byCase = new Map<string, string[]>();
  let seen = 0;
  const consumer = kafka.consumer({ groupId: `chaos-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.suggestionEvents.name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen++;
      const e = decodeEnvelope(message.value);
      byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e.eventId]);
    },
  });
  const end = Date.now() + 120_000;
  while (seen < want && Date.now() < end) await sleep(200);
  await consumer.disconnect();
  return byCase;
}

const NOTICE_STEPS = ['assigned', 'reminder', 'overdue'];

/** One line of the account: what was checked, how many, and each case found lost or duplicated. */
interface Check {
  what: string;
  total: number;
  lost: string[];
  dup: string[];
}

class Ledger {
  checks = new Map<string, Check>();
  /** case id → problems found for it. */
  byCase = new Map<string, { lost: number; dup: number }>();
  check(what: string): Check {
    if (!this.checks.has(what)) this.checks.set(what, { what, total: 0, lost: [], dup: [] });
    return this.checks.get(what)!;
  }
  count(what: string, n = 1): void {
    this.check(what).total += n;
  }
  lost(what: string, caseId: string, detail: string): void {
    this.check(what).lost.push(detail);
    this.tally(caseId).lost++;
  }
  dup(what: string, caseId: string, detail: string): void {
    this.check(what).dup.push(detail);
    this.tally(caseId).dup++;
  }
  private tally(caseId: string) {
    if (!this.byCase.has(caseId)) this.byCase.set(caseId, { lost: 0, dup: 0 });
    return this.byCase.get(caseId)!;
  }
}

const C = {
  temporal: 'acknowledged cases with a workflow in Temporal',
  service: 'acknowledged cases in the suggestions service (GET)',
  index: 'acknowledged cases in the case index (GET)',
  orphans: 'stored suggestions whose workflow never started',
  otherTemporal: 'acknowledged opinions and review opinions with their workflows',
  otherService: 'acknowledged opinions and review opinions in their service (GET)',
  otherOrphans: 'stored opinions and review opinions whose workflows never started',
  ballots: 'ballots acknowledged, each counted once for its choices (closed vote, recount)',
  events: 'event ids (distinct, on Kafka) in the case index timeline',
  deliveries: 'deliveries sent (none pending, failing or parked)',
  notices: 'due notices (assigned, reminder, overdue) with a delivery',
  mails: 'emails in the SMTP inbox, one per sent delivery',
  hooks: 'webhook calls received, one per sent delivery',
  nondeterminism: 'workflow histories without a nondeterminism task failure',
  replay: 'workflow histories that replay on the current code (as a fresh worker would)',
};

/** A GET that answers 200 within a few tries (one slow answer is not a lost case). */
async function found(u: string): Promise<boolean> {
  for (let i = 0; i < 5; i++) {
    if ((await call('GET', u, STAFF)).status === 200) return true;
    await sleep(1000);
  }
  return false;
}

async function account(temporal: Client, smtp: TestSmtp, hooks: Map<string, number>): Promise<Ledger> {
  const l = new Ledger();
  const onKafka = await topicEvents();
  let republished = 0;
  const mails = new Map<string, number>();
  for (const m of smtp.messages) {
    const id = m.headers['x-duban-delivery'];
    if (id) mails.set(id, (mails.get(id) ?? 0) + 1);
  }
  const exists = async (id: string) =>
    temporal.workflow
      .getHandle(id)
      .describe()
      .then(
        () => true,
        () => false,
      );
  await pool([...acked.keys()], 6, async (caseId) => {
    for (const what of [C.temporal, C.service, C.index]) l.count(what);
    if (!(await exists(caseId))) l.lost(C.temporal, caseId, caseId);
    if (!(await found(`${SUGGESTIONS}/v1/suggestions/${caseId}`))) l.lost(C.service, caseId, caseId);
    if (!(await found(`${CASE_INDEX}/v1/cases/${caseId}`))) l.lost(C.index, caseId, caseId);

    const published = onKafka.get(caseId) ?? [];
    const distinct = [...new Set(published)];
    republished += published.length - distinct.length;
    l.count(C.events, distinct.length);
    const timeline = await call('GET', `${CASE_INDEX}/v1/cases/${caseId}/timeline`, STAFF);
    const indexed: string[] = timeline.status === 200 ? timeline.body.events.map((e: any) => e.eventId) : [];
    for (const id of distinct) if (!indexed.includes(id)) l.lost(C.events, caseId, id);
    for (const id of new Set(indexed)) if (indexed.filter((x) => x === id).length > 1) l.dup(C.events, caseId, id);

    const d = await call('GET', `${NOTIFICATIONS}/v1/deliveries?caseId=${encodeURIComponent(caseId)}&limit=500`, STAFF);
    const items: any[] = d.status === 200 ? d.body.items : [];
    l.count(C.deliveries, items.length);
    for (const it of items) {
      if (it.status !== 'sent') l.lost(C.deliveries, caseId, `${it.id} ${it.status} ${it.lastError ?? ''}`);
      const what = it.channel === 'email' ? C.mails : C.hooks;
      const got = it.channel === 'email' ? (mails.get(it.id) ?? 0) : (hooks.get(it.id) ?? 0);
      l.count(what);
      if (got > 1) l.dup(what, caseId, `${it.id} ×${got}`);
      if (it.status === 'sent' && got === 0) l.lost(what, caseId, it.id);
    }
    for (const id of distinct) {
      if (!NOTICE_STEPS.includes(id.split('/')[1])) continue;
      l.count(C.notices);
      if (!items.some((it) => it.eventId === id)) l.lost(C.notices, caseId, id);
    }
  });
  l.check(C.events).what += ` (${republished} republished on Kafka)`;

  // Every document the service stored, acknowledged or not (a client cut off mid-request may
  // never have heard of it): each must have its workflow.
  const mongo = await connectMongo(process.env.MONGO_URL!, 'chaos_suggestions');
  try {
    const docs = await mongo
      .db!.collection<{ _id: string }>('suggestions')
      .find({}, { projection: { _id: 1 } })
      .toArray();
    l.count(C.orphans, docs.length);
    for (const { _id } of docs) if (!(await exists(_id))) l.lost(C.orphans, _id, _id);
  } finally {
    await mongo.close();
  }

  // The other kinds: each acknowledged case, and each document stored whether acknowledged or not.
  await pool([...ackedOther], 6, async ([caseId, { kind }]) => {
    const k = OTHER_INTAKES[kind];
    l.count(C.otherTemporal);
    l.count(C.otherService);
    for (const id of k.workflows(caseId)) if (!(await exists(id))) l.lost(C.otherTemporal, caseId, id);
    if (!(await found(k.get(caseId)))) l.lost(C.otherService, caseId, caseId);
  });
  for (const k of Object.values(OTHER_INTAKES)) {
    const db = await connectMongo(process.env.MONGO_URL!, k.db);
    try {
      const docs = await db
        .db!.collection<{ _id: string }>(k.collection)
        .find({}, { projection: { _id: 1 } })
        .toArray();
      l.count(C.otherOrphans, docs.length);
      for (const { _id } of docs)
        for (const id of k.workflows(_id)) if (!(await exists(id))) l.lost(C.otherOrphans, _id, id);
    } finally {
      await db.close();
    }
  }

  // The vote, closed and counted: every acknowledged ballot counted once, for its choices, and
  // the count reproducible from the stored ballots.
  const votes = `${LIVELIHOOD}/v1/livelihood/cycles/${CYCLE}/votes`;
  await call('POST', `${votes}/current/close`, STAFF, {});
  const end = Date.now() + 60_000;
  while ((await call('GET', `${votes}/1`, STAFF)).body?.status !== 'counted' && Date.now() < end) await sleep(500);
  const recount = (await call('GET', `${votes}/1/recount`, STAFF)).body;
  const want: Record<string, number> = {};
  for (const choices of ballotsAcked.values()) for (const c of choices) want[c] = (want[c] ?? 0) + 1;
  l.count(C.ballots, ballotsAcked.size);
  const cast = Number(recount?.recount?.ballotsCast ?? -1);
  if (cast < ballotsAcked.size)
    l.lost(C.ballots, CYCLE, `${ballotsAcked.size - cast} of ${ballotsAcked.size} not counted`);
  if (cast > ballotsAcked.size) l.dup(C.ballots, CYCLE, `${cast} counted for ${ballotsAcked.size} acknowledged`);
  for (const c of candidates) {
    const got = Number(recount?.recount?.counts?.[c] ?? 0);
    if (got < (want[c] ?? 0)) l.lost(C.ballots, CYCLE, `${c}: ${got} votes counted, ${want[c]} acknowledged`);
    if (got > (want[c] ?? 0)) l.dup(C.ballots, CYCLE, `${c}: ${got} votes counted, ${want[c] ?? 0} acknowledged`);
  }
  if (recount?.matches !== true)
    l.lost(C.ballots, CYCLE, `the recount does not match the tally: ${JSON.stringify(recount)}`);

  let workflowTaskFailures = 0;
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('@duban/workflows/src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
  });
  const kept = path.join(DATA, 'nondeterministic');
  for await (const wf of temporal.workflow.list({ query: `TaskQueue = '${QUEUE}'` })) {
    l.count(C.nondeterminism);
    l.count(C.replay);
    const history = await temporal.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    try {
      await Worker.runReplayHistory({ workflowBundle: bundle }, history, wf.workflowId);
    } catch (err) {
      l.lost(C.replay, wf.workflowId, `${wf.workflowId}: ${(err as Error).message.slice(0, 200)}`);
      mkdirSync(kept, { recursive: true });
      writeFileSync(path.join(kept, `${wf.workflowId}.json`), JSON.stringify(history));
    }
    for (const e of history.events ?? []) {
      const failed = e.workflowTaskFailedEventAttributes;
      if (!failed) continue;
      workflowTaskFailures++;
      const text = `${failed.cause ?? ''} ${failed.failure?.message ?? ''}`;
      if (/nondetermin/i.test(text)) l.lost(C.nondeterminism, wf.workflowId, `${wf.workflowId}: ${text}`);
    }
  }
  l.check(C.nondeterminism).what += ` (${workflowTaskFailures} task failures in all)`;
  return l;
}

/** Waits until the case index and the notifications have caught up with everything published. */
async function settle(): Promise<void> {
  const end = Date.now() + 180_000;
  while (Date.now() < end) {
    const pending = await call('GET', `${NOTIFICATIONS}/v1/deliveries?status=pending&limit=1`, STAFF);
    const failing = await call('GET', `${NOTIFICATIONS}/v1/deliveries?status=failed&limit=1`, STAFF);
    const boards = await call('GET', `${CASE_INDEX}/v1/admin/boards`, STAFF);
    if (pending.body?.items?.length === 0 && failing.body?.items?.length === 0 && boards.body?.behind === 0) return;
    await sleep(1000);
  }
}

// ---------------------------------------------------------------- a webhook receiver
function startHookReceiver(): Promise<{ url: string; seen: Map<string, number>; close(): void }> {
  const seen = new Map<string, number>();
  const srv = http.createServer((req, res) => {
    const id = String(req.headers['x-duban-delivery'] ?? '');
    req.resume();
    req.on('end', () => {
      if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    srv.listen(port(80), '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${port(80)}/hook`, seen, close: () => srv.close() }),
    ),
  );
}

// ---------------------------------------------------------------- fuzzing after the faults
const FUZZ_EXAMPLES = Number(process.env.CHAOS_FUZZ_EXAMPLES ?? 20);

/** A long schemathesis run over the services of this stack; the 5xx answers it provoked. */
async function fuzz(): Promise<number> {
  const gateway = await startGateway({
    registry: REGISTRY,
    suggestions: SUGGESTIONS,
    caseIndex: CASE_INDEX,
    notifications: NOTIFICATIONS,
  });
  try {
    for (const [who, principal, phases] of [
      ['staff', STAFF, 'coverage,fuzzing,stateful'],
      ['deputy', DEPUTY, 'fuzzing'],
      ['unit', UNIT, 'fuzzing'],
      ['operator', OPERATOR, 'fuzzing'],
    ] as const) {
      const run = await runSchemathesis(gateway, `chaos-${who}`, `Bearer ${await tokenFor(principal)}`, {
        maxExamples: FUZZ_EXAMPLES,
        phases,
        seed: 20261203,
      });
      say(
        `  fuzz as ${who} (${phases}, ${FUZZ_EXAMPLES} examples): ${(run.ms / 1000).toFixed(0)} s, 5xx so far ${gateway.serverErrors}`,
      );
    }
    return gateway.serverErrors;
  } finally {
    await gateway.close();
  }
}

// ---------------------------------------------------------------- the table
function table(load: { minutes: number; cases: number; actions: number }, l: Ledger, serverErrors: number): string[] {
  const pad = (v: string | number, n: number) => String(v) + ' '.repeat(Math.max(0, n - [...String(v)].length));
  const secs = (ms: number) => (Number.isNaN(ms) ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  // Each case counts under the fault whose window it was acknowledged in.
  const windowOf = (at: number) => rows.filter((r) => r.at <= at).length - 1;
  const before = { lost: 0, dup: 0 };
  for (const [caseId, p] of l.byCase) {
    const at = acked.get(caseId)?.at ?? ackedOther.get(caseId)?.at ?? 0;
    const i = windowOf(at);
    const row = i >= 0 ? rows[i] : before;
    row.lost += p.lost;
    row.dup += p.dup;
  }
  const checks = [...l.checks.values()];
  const lost = checks.reduce((n, c) => n + c.lost.length, 0);
  const dup = checks.reduce((n, c) => n + c.dup.length, 0);
  const w = 56;
  return [
    `load held: ${(load.cases / load.minutes).toFixed(1)} cases/min, ${(load.actions / load.minutes).toFixed(1)} actions/min ` +
      `for ${load.minutes.toFixed(1)} min (${load.cases} cases and ${load.actions} actions acknowledged)`,
    '',
    `| ${pad('fault', w)} | down    | recovery | lost | duplicated |`,
    `| ${'-'.repeat(w)} | ------- | -------- | ---- | ---------- |`,
    `| ${pad('(none: load before the first fault)', w)} | ${pad('-', 7)} | ${pad('-', 8)} | ${pad(before.lost, 4)} | ${pad(before.dup, 10)} |`,
    ...rows.map(
      (r) =>
        `| ${pad(r.fault, w)} | ${pad(secs(r.downMs), 7)} | ${pad(secs(r.recoveryMs), 8)} | ${pad(r.lost, 4)} | ${pad(r.dup, 10)} |`,
    ),
    '',
    `| ${pad('accounted for', 78)} | checked | lost | duplicated |`,
    `| ${'-'.repeat(78)} | ------- | ---- | ---------- |`,
    ...checks.map(
      (c) => `| ${pad(c.what, 78)} | ${pad(c.total, 7)} | ${pad(c.lost.length, 4)} | ${pad(c.dup.length, 10)} |`,
    ),
    '',
    `chaos: ${rows.length} faults, ${lost} lost, ${dup} duplicated, ${serverErrors} server errors under fuzzing`,
  ];
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  const t0 = Date.now();
  // The replays of the account start a worker each: their state changes are not worth a line each.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  say(`stack on ports ${BLOCK}233/${BLOCK}092/${BLOCK}317, data ${DATA}`);
  startFreshStack(STACK);
  mkdirSync(path.join(DATA, 'logs'), { recursive: true });
  const smtp = await startTestSmtp();
  const hooks = await startHookReceiver();
  await startToxiproxy();
  let temporalConn: Connection | undefined;
  try {
    await startProcesses(smtp);
    const put = await call('PUT', `${REGISTRY}/v1/jurisdictions/${JURISDICTION}/policy`, STAFF, DRILL_POLICY);
    if (put.status !== 200) throw new Error(`drill policy: ${put.status} ${JSON.stringify(put.body)}`);
    const hook = await call('POST', `${NOTIFICATIONS}/v1/webhooks`, OPERATOR, {
      url: hooks.url,
      eventTypes: ['SuggestionAssigned', 'ReplyReminderSent', 'SuggestionOverdue', 'SuggestionClosed'],
    });
    if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${JSON.stringify(hook.body)}`);
    await openVote();
    say(
      `processes up and the vote of ${VOTERS.length} deputies open in ${((Date.now() - t0) / 1000).toFixed(0)} s; load starts`,
    );
    const loadStart = Date.now();
    const load = runLoad(Number(process.env.CHAOS_EVERY_MS ?? 3000));
    await sleep(SETTLE_MS);
    await faults();
    loadRunning = false;
    const loadMinutes = (Date.now() - loadStart) / 60000;
    const cases = acked.size;
    const actions = actionsAcked;
    say('load stopped; waiting for the cases in flight to finish their actions');
    await Promise.all(await load);
    say('settling: notifications and case index catch up');
    await settle();
    temporalConn = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    const temporal = new Client({ connection: temporalConn });
    say('accounting');
    const ledger = await account(temporal, smtp, hooks.seen);
    for (const c of ledger.checks.values())
      for (const [kind, list] of [
        ['lost', c.lost],
        ['duplicated', c.dup],
      ] as const)
        if (list.length) say(`  ${kind}: ${c.what}: ${list.slice(0, 5).join('; ')}${list.length > 5 ? ' …' : ''}`);
    say(`fuzzing the API after the faults (${FUZZ_EXAMPLES} examples per operation)`);
    const serverErrors = await fuzz();
    console.log(
      `\nchaos run of ${new Date().toISOString().slice(0, 10)} (${((Date.now() - t0) / 60000).toFixed(1)} min)\n`,
    );
    console.log(table({ minutes: loadMinutes, cases, actions }, ledger, serverErrors).join('\n'));
  } finally {
    for (const p of procs.values()) if (p.child && p.child.exitCode === null) p.child.kill('SIGTERM');
    toxiproxy?.kill('SIGTERM');
    await temporalConn?.close();
    hooks.close();
    await smtp.close();
    if (!process.env.KEEP_CHAOS_STACK) stopStack(STACK);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
