// Benchmark 1: a city's year of deputies' suggestions on the time-skipping test server.
//
// 2,000 suggestions (BENCH_CASES) go through the full loop — review → assignment → reply →
// rating → second reply → ladder → look-back → score — with the mix of outcomes in PROFILES.
// The Temporal client drives them with Updates from this process, against a worker in this
// process that runs the product's workflows and activities; only the Kafka publisher is a fake
// that counts events. Cases are driven in phases (day 0, 30, 40, 50, 100, 130 of the year) with
// at most BENCH_CONCURRENCY actions in flight; env.sleep lets the months between phases pass.
// Then every result is awaited while the server skips through the rest of the year (rating
// windows, look-back dates, ladders left to run out).
//
// Prints wall time beside the issue's target (< 120 s), workflows completed, events published
// (total, top 10 types), peak RSS and heap of this process, and Updates per second.
// A benchmark, not a test: it reports, it never fails on slowness.
//
//   node --import tsx bench/suggestions-city-year.ts
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { SHIPPED_CALENDARS, WorkingCalendar, localDateOf, type Rating } from '@duban/domain';
import { createActivities } from '../workflows/src/activities';
import { WORKFLOW_THREADS } from '../workflows/src/worker-factory';
import { registerSearchAttributes } from '../workflows/src/search-attributes-admin';
import {
  SUGGESTION_WORKFLOW,
  coHandlerOpinionUpdate,
  decideExtensionUpdate,
  objectUpdate,
  pauseClockUpdate,
  rateUpdate,
  reassignUpdate,
  replyUpdate,
  reportCommitmentUpdate,
  requestExtensionUpdate,
  resolveLadderUpdate,
  resumeClockUpdate,
  reviewUpdate,
  reviseUpdate,
  stateQuery,
  type Actor,
  type Grade,
  type ReviewInput,
  type SuggestionState,
  type suggestionWorkflow,
} from '../workflows/src';
import { TEST_SERVER } from '../tests/support/paths';
import { testPolicy } from '../tests/support/policy';
import { pool, rate, report, sampleMemory, seconds, verdict } from './support';

const CASES = Number(process.env.BENCH_CASES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TARGET_S = 120;
/** How long the final wait for every result may take before the unfinished are reported. */
const RESULT_TIMEOUT_MS = 10 * 60_000;

// ---------------------------------------------------------------- the year and its actors

/** The phases of the year: the day (workflow time) each starts on. */
const PHASES = [0, 30, 40, 50, 100, 130] as const;
type Day = (typeof PHASES)[number];

const staff: Actor = { role: 'staff', sub: 'bench-clerk' };
const unit = (u: string): Actor => ({ role: 'unit', sub: `handler-${u}`, unit: u });
const CATEGORIES = { education: 'edu-bureau', transport: 'transport-bureau', environment: 'eco-env-bureau' };
const DEPUTIES = ['deputy-001', 'deputy-002', 'deputy-003'];

/** One case being driven: its handle, its deputy and its lead unit as the case last said. */
interface Case {
  id: string;
  profile: Profile;
  wf: WorkflowHandle<typeof suggestionWorkflow>;
  deputy: Actor;
  lead: Actor;
  state?: SuggestionState;
}

interface Ctx {
  /** Sends an Update to the case (counted); remembers the state it answers with. */
  act<A>(c: Case, def: UpdateDefinition<SuggestionState, [A]>, arg: A): Promise<SuggestionState>;
  /** A local date n days after the server's now, for commitments. */
  inDays(n: number): Promise<string>;
  resolveLadder(c: Case): Promise<void>;
}

type Step = (c: Case, x: Ctx) => Promise<void>;

interface Profile {
  name: string;
  /** Share of the cases, in percent. */
  share: number;
  steps: Partial<Record<Day, Step>>;
}

// ---------------------------------------------------------------- the mix of outcomes

const accept =
  (extra: Partial<ReviewInput> = {}): Step =>
  async (c, x) => {
    await x.act(c, reviewUpdate, { by: staff, decision: 'accept', ...extra });
  };
const reply =
  (grade: Grade, rating?: Rating, commitments: [number, ...number[]] | [] = []): Step =>
  async (c, x) => {
    const due = await Promise.all(commitments.map((d) => x.inDays(d)));
    await x.act(c, replyUpdate, {
      by: c.lead,
      grade,
      summary: `答复（${grade}）：已研究办理。`,
      commitments: due.map((dueDate, i) => ({ description: `承诺事项 ${i + 1}`, dueDate })),
    });
    if (rating) await x.act(c, rateUpdate, { by: c.deputy, rating });
  };
const report1 =
  (commitmentId: string, kept: boolean): Step =>
  async (c, x) => {
    await x.act(c, reportCommitmentUpdate, { by: c.lead, commitmentId, kept, note: kept ? '已完成。' : '未能完成。' });
  };
const both =
  (...steps: Step[]): Step =>
  async (c, x) => {
    for (const s of steps) await s(c, x);
  };

/** The city-year's mix. Shares add up to 100. */
const PROFILES: Profile[] = [
  // ~70%: accepted, replied A/B/D on time, rated satisfied or basically satisfied.
  { name: 'A on time, satisfied', share: 37, steps: { 0: accept(), 30: reply('A', 'satisfied') } },
  { name: 'D on time, basically satisfied', share: 12, steps: { 0: accept(), 30: reply('D', 'basicallySatisfied') } },
  {
    name: 'co-handler opinion, A, satisfied',
    share: 6,
    steps: {
      0: both(accept({ coHandlers: ['health-commission'] }), async (c, x) => {
        await x.act(c, coHandlerOpinionUpdate, { by: unit('health-commission'), opinion: '同意主办单位意见。' });
      }),
      30: reply('A', 'satisfied'),
    },
  },
  {
    name: 'co-handler silent (overdue opinion), A',
    share: 2,
    steps: { 0: accept({ coHandlers: ['health-commission'] }), 30: reply('A', 'satisfied') },
  },
  {
    name: 'key suggestion, A, satisfied',
    share: 5,
    steps: {
      0: accept({ key: { leadingOfficial: '副市长', supervisingCommittee: '教科文卫工委' } }),
      30: reply('A', 'satisfied'),
    },
  },
  { name: 'A, never rated (assumed)', share: 5, steps: { 0: accept(), 30: reply('A') } },
  // ~8%: commitments (B/C), some kept, some missed.
  {
    name: 'B with commitments, all kept',
    share: 4,
    steps: {
      0: accept(),
      30: reply('B', 'basicallySatisfied', [65, 95]),
      100: report1('1-1', true),
      130: report1('1-2', true),
    },
  },
  {
    name: 'C with commitments, one reported missed → ladder',
    share: 2,
    steps: {
      0: accept(),
      30: reply('C', 'basicallySatisfied', [65, 95]),
      100: report1('1-1', true),
      130: report1('1-2', false),
    },
  },
  {
    name: 'B with a commitment never reported → missed → ladder',
    share: 2,
    steps: { 0: accept(), 30: reply('B', 'satisfied', [65]) },
  },
  // ~8%: unsatisfied → second reply (special supervision) → satisfied.
  {
    name: 'unsatisfied → second reply → satisfied',
    share: 8,
    steps: { 0: accept(), 30: reply('D', 'unsatisfied'), 40: reply('A', 'satisfied') },
  },
  // ~3%: unsatisfied twice → ladder, resolved by staff.
  {
    name: 'unsatisfied twice → ladder resolved by staff',
    share: 3,
    steps: {
      0: accept(),
      30: reply('D', 'unsatisfied'),
      40: reply('D', 'unsatisfied'),
      50: (c, x) => x.resolveLadder(c),
    },
  },
  // ~5%: late replies.
  { name: 'overdue reply', share: 3, steps: { 0: accept(), 100: reply('A', 'basicallySatisfied') } },
  { name: 'very overdue reply', share: 2, steps: { 0: accept(), 130: reply('D', 'satisfied') } },
  // ~3%: the lead unit objects (退回错交), staff reassign.
  {
    name: 'objection → reassignment',
    share: 3,
    steps: {
      0: both(accept(), async (c, x) => {
        await x.act(c, objectUpdate, { by: c.lead, reason: '不属本单位职责。' });
        const to = c.lead.unit === 'transport-bureau' ? 'edu-bureau' : 'transport-bureau';
        await x.act(c, reassignUpdate, { by: staff, leadUnit: to });
      }),
      30: reply('A', 'satisfied'),
    },
  },
  // ~2%: returned for revision, revised, accepted.
  {
    name: 'returned → revised → accepted',
    share: 2,
    steps: {
      0: async (c, x) => {
        await x.act(c, reviewUpdate, { by: staff, decision: 'return', reason: '请补充调研材料。' });
        await x.act(c, reviseUpdate, {
          by: c.deputy,
          title: '关于加强校园周边交通安全的建议（修改稿）',
          category: 'education',
        });
        await accept()(c, x);
      },
      30: reply('A', 'satisfied'),
    },
  },
  // ~1%: merged into another case.
  {
    name: 'merged',
    share: 1,
    steps: {
      0: async (c, x) => {
        await x.act(c, reviewUpdate, {
          by: staff,
          decision: 'merge',
          mergeInto: 'suggestion-2026-0001',
          reason: '内容重复。',
        });
      },
    },
  },
  // Some with an approved extension, some with a paused clock.
  {
    name: 'extension approved, replied before the new deadline',
    share: 2,
    steps: {
      0: accept(),
      30: async (c, x) => {
        const until = new Date(Date.parse(c.state!.replyDueAt!) + 30 * 86_400_000).toISOString();
        await x.act(c, requestExtensionUpdate, { by: c.lead, reason: '需实地勘察。', until });
        await x.act(c, decideExtensionUpdate, { by: staff, approve: true, note: '同意延期。' });
      },
      100: reply('A', 'satisfied'),
    },
  },
  {
    name: 'clock paused and resumed',
    share: 1,
    steps: {
      0: accept(),
      30: async (c, x) => {
        await x.act(c, pauseClockUpdate, { by: c.lead, reason: '等待代表补充材料。' });
      },
      40: async (c, x) => {
        await x.act(c, resumeClockUpdate, { by: c.lead });
      },
      50: reply('A', 'satisfied'),
    },
  },
];

// ---------------------------------------------------------------- the run

/** A small seeded generator, so every run drives the same cases in the same order. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Which profile each case follows: counts by share, the remainder to the first; shuffled. */
function assignProfiles(n: number, random: () => number): Profile[] {
  const total = PROFILES.reduce((s, p) => s + p.share, 0);
  const counts = PROFILES.map((p) => Math.floor((n * p.share) / total));
  counts[0] += n - counts.reduce((s, k) => s + k, 0);
  const list = PROFILES.flatMap((p, i) => Array<Profile>(counts[i]).fill(p));
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

async function main(): Promise<void> {
  // The worker's own logs: errors only (years with no calendar file are counted Mon–Fri and say so).
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const memory = sampleMemory(100);
  const setupStart = Date.now();
  const random = seeded(2026);

  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER } },
  });
  await registerSearchAttributes(env.connection);
  const taskQueue = `bench-${randomUUID()}`;
  const events = new Map<string, number>();
  let published = 0;
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/src/workflows'),
    logger: quiet,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    // Keep every open case in the worker's cache: an evicted one is replayed from its whole
    // history at its next update, which makes a city-year's cost grow with the square of its size.
    maxCachedWorkflows: CASES + 1000,
    // As the product's worker (workflows/src/worker-factory.ts).
    workflowThreadPoolSize: WORKFLOW_THREADS,
    activities: createActivities({
      calendar: new WorkingCalendar(SHIPPED_CALENDARS),
      producer: 'bench',
      publish: async (_topic, e) => {
        published++;
        events.set(e.type, (events.get(e.type) ?? 0) + 1);
      },
      temporal: env.client,
      taskQueue,
    }),
  });
  const running = worker.run();
  const setupMs = Date.now() - setupStart;

  const policy = testPolicy({ byCategory: CATEGORIES });
  let updates = 0;
  const failures: string[] = [];
  const ctx: Ctx = {
    async act(c, def, arg) {
      updates++;
      c.state = await c.wf.executeUpdate(def, { args: [arg] });
      if (c.state.leadUnit) c.lead = unit(c.state.leadUnit);
      return c.state;
    },
    async inDays(n) {
      return localDateOf(new Date((await env.currentTimeMs()) + n * 86_400_000));
    },
    async resolveLadder(c) {
      updates++;
      await env.client.workflow
        .getHandle(`${c.id}-ladder-1`)
        .executeUpdate(resolveLadderUpdate, { args: [{ by: staff, note: '已整改到位。' }] });
    },
  };

  const profiles = assignProfiles(CASES, random);
  const categories = Object.keys(CATEGORIES);
  const cases: Case[] = [];
  const yearStart = Date.now();
  report(`city-year: ${CASES} suggestions, ${CONCURRENCY} in flight, setup ${seconds(setupMs)} s`);

  // Day 0: every suggestion is submitted (its workflow starts), then the phases run.
  let t = Date.now();
  await pool(
    profiles.map((profile, i) => ({ profile, i })),
    CONCURRENCY,
    async ({ profile, i }) => {
      const id = `suggestion-2026-${String(i + 1).padStart(5, '0')}`;
      const category = categories[Math.floor(random() * categories.length)];
      const deputyId = DEPUTIES[i % DEPUTIES.length];
      const wf = await env.client.workflow.start<typeof suggestionWorkflow>(SUGGESTION_WORKFLOW, {
        workflowId: id,
        taskQueue,
        args: [
          {
            caseId: id,
            jurisdiction: 'cn-test-city',
            deputyId,
            title: '关于加强校园周边交通安全的建议',
            category,
            submittedAt: new Date(await env.currentTimeMs()).toISOString(),
            policy,
          },
        ],
      });
      cases.push({
        id,
        profile,
        wf,
        deputy: { role: 'deputy', sub: deputyId },
        lead: unit(CATEGORIES[category as keyof typeof CATEGORIES]),
      });
    },
  );
  report(`  started ${cases.length} workflows in ${seconds(Date.now() - t)} s`);

  let day = 0;
  for (const phase of PHASES) {
    if (phase > day) await env.sleep(`${phase - day} days`);
    day = phase;
    t = Date.now();
    const before = updates;
    const todo = cases.filter((c) => c.profile.steps[phase]);
    await pool(todo, CONCURRENCY, async (c) => {
      try {
        await c.profile.steps[phase]!(c, ctx);
      } catch (err) {
        failures.push(`${c.id} (${c.profile.name}) day ${phase}: ${(err as Error).message}`);
      }
    });
    const ms = Date.now() - t;
    report(
      `  day ${String(phase).padStart(3)}: ${String(todo.length).padStart(4)} cases acted, ${updates - before} updates in ${seconds(ms)} s (${rate(updates - before, ms)}/s)`,
    );
  }

  // The rest of the year: the server skips time while results are awaited.
  t = Date.now();
  const outcomes = new Map<string, number>();
  const ladders: string[] = [];
  const unfinished = new Set(cases.map((c) => c.id));
  // One unlock for the whole wait: the time-skipping client's own result() unlocks per call,
  // which the server refuses when thousands of calls overlap. A plain client just waits.
  const plain = new Client({ connection: env.connection });
  const testService = env.connection.testService;
  if (!testService) throw new Error('the time-skipping server has no test service');
  await testService.unlockTimeSkipping({});
  const results = pool(cases, 100, async (c) => {
    const s = await plain.workflow.getHandle<typeof suggestionWorkflow>(c.id).result();
    unfinished.delete(c.id);
    outcomes.set(s.closedOutcome ?? s.stage, (outcomes.get(s.closedOutcome ?? s.stage) ?? 0) + 1);
    ladders.push(...s.ladders.map((l) => l.ladderId));
  });
  const timedOut = await Promise.race([
    results.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), RESULT_TIMEOUT_MS).unref()),
  ]);
  let laddersDone = 0;
  if (!timedOut)
    await pool(ladders, 100, async (id) => {
      await plain.workflow.getHandle(id).result();
      laddersDone++;
    });
  report(`  results: ${cases.length - unfinished.size} cases, ${laddersDone} ladders in ${seconds(Date.now() - t)} s`);
  const yearMs = Date.now() - yearStart;
  await testService.lockTimeSkipping({});

  if (timedOut) {
    const stages = new Map<string, number>();
    for (const id of [...unfinished].slice(0, 200)) {
      const s = await env.client.workflow.getHandle(id).query(stateQuery);
      stages.set(s.stage, (stages.get(s.stage) ?? 0) + 1);
    }
    report(`  ${unfinished.size} cases did not finish within ${RESULT_TIMEOUT_MS / 60000} min; stages (first 200):`);
    for (const [stage, n] of stages) report(`    ${stage}: ${n}`);
  }

  worker.shutdown();
  await running;
  await env.teardown();
  const peak = memory.stop();

  const completed = cases.length - unfinished.size + laddersDone;
  const top = [...events.entries()].sort((a, b) => b[1] - a[1]);
  report('');
  report(`  outcomes: ${[...outcomes.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  report(`  events by type (top 10 of ${top.length}):`);
  for (const [type, n] of top.slice(0, 10)) report(`    ${type.padEnd(28)} ${n}`);
  if (failures.length) {
    report(`  refused or failed actions: ${failures.length}; first ones:`);
    for (const f of failures.slice(0, 5)) report(`    ${f}`);
  }
  const s = yearMs / 1000;
  report(
    `city-year: ${seconds(yearMs)} s (target < ${TARGET_S} s): ${verdict(s < TARGET_S && !timedOut)}` +
      ` | ${CASES} suggestions, workflows completed ${completed} (${cases.length - unfinished.size} cases + ${laddersDone} ladders)`,
    { summary: true },
  );
  report(
    `city-year: events published ${published}; updates ${updates} (${rate(updates, yearMs)}/s);` +
      ` peak RSS ${peak.rssMb} MB, heap used ${peak.heapUsedMb} MB (total ${peak.heapTotalMb} MB); setup ${seconds(setupMs)} s`,
    { summary: true },
  );
  report(
    `city-year: top events ${top
      .slice(0, 10)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    { summary: true },
  );
  if (failures.length || timedOut)
    report(`city-year: ${failures.length} actions refused or failed; ${unfinished.size} cases unfinished`, {
      summary: true,
    });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
