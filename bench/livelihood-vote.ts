// Benchmark: the livelihood vote on the Temporal dev server — 1,000 deputies (BENCH_VOTE_DEPUTIES)
// on 15 candidates for 10 seats.
//
// Starts a bench stack with deploy/local/infra.sh on ports and a data folder of its own
// (.data/bench-livelihood-stack; 24233/24234, 24092/24093, 24017: below the ephemeral ports), wiped at start and stopped at
// the end. Runs the system in-process (registry, suggestions, case-index, worker) and the
// livelihood service; puts the deputies in the registry, takes a cycle over HTTP to an open vote,
// then every deputy casts one ballot (6–10 choices) over HTTP, BENCH_VOTE_CONCURRENCY (20) at a
// time → ballots accepted per second and latency p50 / p99; then the close: counting the stored
// ballots and the cycle applying the rules (the service's grace for ballots in flight set to 0
// here) → tally time; and a recount from the stored ballots, which must match.
// A benchmark, not a test: it reports, it never fails on slowness.
//
//   node --import tsx bench/livelihood-vote.ts       (BENCH_KEEP_STACK=1 leaves the stack up)
import path from 'node:path';
import { createLivelihoodApp } from '../services/livelihood/src/app';
import { countVote } from '../services/livelihood/src/use-cases/votes';
import { ROOT } from '../tests/support/paths';
import { startFreshStack, stopStack, type StackEnv } from '../tests/support/stack-control';
import { ISSUER, SECRET, call, eventually, logger, startSystem, token, type System } from '../tests/support/system';
import { pool, rate, report, seconds } from './support';

const DEPUTIES = Number(process.env.BENCH_VOTE_DEPUTIES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_VOTE_CONCURRENCY ?? 20);
const J = 'cn-bench-livelihood';
const YEAR = 2027;
const CYCLE = `livelihood-${J}-${YEAR}`;

const STACK_ENV: StackEnv = {
  DUBAN_DATA_DIR: process.env.BENCH_LIVELIHOOD_STACK_DIR ?? path.join(ROOT, '.data/bench-livelihood-stack'),
  TEMPORAL_PORT: '24233',
  TEMPORAL_UI_PORT: '24234',
  KAFKA_PORT: '24092',
  KAFKA_CONTROLLER_PORT: '24093',
  MONGO_PORT: '24017',
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** A deterministic pseudo-random generator, so every run casts the same ballots. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

async function main(): Promise<void> {
  let t = Date.now();
  startFreshStack(STACK_ENV);
  report(`vote: bench stack up in ${seconds(Date.now() - t)} s (${STACK_ENV.DUBAN_DATA_DIR})`);
  let sys: System | undefined;
  let app: ReturnType<typeof createLivelihoodApp> | undefined;
  try {
    sys = await startSystem();
    app = createLivelihoodApp(
      {
        LOG_LEVEL: 'warn',
        MONGO_URL: process.env.MONGO_URL!,
        MONGO_DB: 'duban_livelihood',
        TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: sys.taskQueue,
        REGISTRY_URL: sys.registryUrl,
        AUTH_JWT_SECRET: SECRET,
        AUTH_ISSUER: ISSUER,
        HTTP_PORT: 0,
        HTTP_HOST: '127.0.0.1',
        LIVELIHOOD_JURISDICTIONS: [],
        LIVELIHOOD_TALLY_GRACE_MS: 0,
      },
      logger,
    );
    await app.start();
    const url = `http://127.0.0.1:${app.port}`;
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    const gov = await token({ role: 'unit', sub: 'reviewer-1', unit: 'government-office' });

    // The city's policy (national defaults: 10 seats, 15 on the list) with a vote open an hour.
    t = Date.now();
    await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${J}/policy`, {
      token: staff,
      body: {
        name: 'Bench city',
        level: 'city',
        parent: 'cn-zj',
        settings: { livelihood: { vote: { window: { amount: 60, unit: 'minutes' } } } },
      },
    });
    const ids = Array.from({ length: DEPUTIES }, (_, i) => `bench-deputy-${String(i).padStart(4, '0')}`);
    await pool(ids, 20, async (id) => {
      const r = await call('PUT', `${sys!.registryUrl}/v1/deputies/${id}`, {
        token: staff,
        body: { name: id, jurisdiction: J, groups: [] },
      });
      if (r.status !== 200) throw new Error(`registry refused ${id}: ${r.status}`);
    });
    report(`vote: ${DEPUTIES} deputies in the registry in ${seconds(Date.now() - t)} s`);

    // A cycle to its open vote, over HTTP.
    t = Date.now();
    const post = async (p: string, body: object, tok = staff) => {
      const r = await call('POST', `${url}${p}`, { token: tok, body });
      if (r.status >= 300) throw new Error(`${p}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await post('/v1/livelihood/cycles', { jurisdiction: J, year: YEAR });
    const candidates: string[] = [];
    for (let i = 0; i < 15; i++) {
      const b = await post(`/v1/livelihood/cycles/${CYCLE}/candidates`, {
        title: `候选项目 ${i + 1}`,
        category: 'public-service',
        stationId: 'station-bench',
      });
      candidates.push(b.result.candidateId);
    }
    for (const c of candidates)
      await post(`/v1/livelihood/cycles/${CYCLE}/candidates/${c}/screening`, { decision: 'accept' });
    await post(`/v1/livelihood/cycles/${CYCLE}/collection/close`, {});
    await eventually(
      async () =>
        (await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, { token: staff })).body.stage === 'feasibility',
      'feasibility',
    );
    for (const [i, c] of candidates.entries())
      await post(
        `/v1/livelihood/cycles/${CYCLE}/candidates/${c}/feasibility`,
        { feasible: true, costEstimate: 1_000_000 * (i + 1), leadUnit: 'edu-bureau', note: '可行' },
        gov,
      );
    await eventually(
      async () =>
        (await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, { token: staff })).body.stage === 'ballotList',
      'ballot list',
    );
    await post(`/v1/livelihood/cycles/${CYCLE}/ballot-list`, { candidateIds: candidates });
    await post(`/v1/livelihood/cycles/${CYCLE}/votes`, { present: DEPUTIES });
    report(`vote: cycle to an open vote (15 candidates, 10 seats) in ${seconds(Date.now() - t)} s`);

    // Every deputy casts one ballot.
    const random = lcg(42);
    // Deputies lean the same way (earlier candidates are liked more), so that some pass the majority.
    const ballots = ids.map((id) => {
      const n = 6 + Math.floor(random() * 5);
      const ranked = candidates.map((c, i) => ({ c, w: i + random() * 12 })).sort((a, b) => a.w - b.w);
      return { id, choices: ranked.slice(0, n).map((x) => x.c) };
    });
    const tokens = new Map(
      await Promise.all(ids.map(async (id) => [id, await token({ role: 'deputy', sub: id })] as const)),
    );
    const latencies: number[] = [];
    let refused = 0;
    t = Date.now();
    await pool(ballots, CONCURRENCY, async (b) => {
      const s = Date.now();
      const r = await call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/ballots`, {
        token: tokens.get(b.id),
        body: { choices: b.choices },
      });
      latencies.push(Date.now() - s);
      if (r.status !== 201) refused++;
    });
    const castMs = Date.now() - t;
    latencies.sort((a, b) => a - b);

    // The close: count the stored ballots, the cycle applies the rules.
    t = Date.now();
    const closed = await post(`/v1/livelihood/cycles/${CYCLE}/votes/current/close`, {});
    const closeMs = Date.now() - t;
    t = Date.now();
    await countVote(app.models!, CYCLE);
    const countMs = Date.now() - t;
    const recount = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}/votes/1/recount`, { token: staff });

    report(
      `  ballots: ${DEPUTIES - refused} accepted, ${refused} refused; latency p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms`,
    );
    report(
      `  result: ${closed.ballotsCast} ballots, quorum ${closed.result?.quorumMet}, elected ${closed.result?.elected.length}, recount matches: ${recount.body.matches}`,
    );
    report(
      `livelihood vote: ${DEPUTIES} deputies on 15 candidates: ${rate(DEPUTIES - refused, castMs)} ballots accepted/s ` +
        `(${CONCURRENCY} in flight, ${seconds(castMs)} s); tally ${closeMs} ms from close to recorded result ` +
        `(counting ${countMs} ms of it)`,
      { summary: true },
    );
  } finally {
    await app?.stop().catch(() => undefined);
    await sys?.stop().catch(() => undefined);
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
