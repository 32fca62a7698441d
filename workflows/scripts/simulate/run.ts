// Runs one what-if year: the real suggestion workflows and activities, with the policy resolved
// the way the registry resolves it, on the time-skipping test server, driven by a planned load.
// Only the Kafka publisher is replaced, by a tally of the events the year produces.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { Envelope } from '@duban/proto';
import { SHIPPED_CALENDARS, WorkingCalendar, type EffectivePolicy } from '@duban/domain';
import { createActivities } from '../../src/activities';
import { registerSearchAttributes } from '../../src/search-attributes-admin';
import {
  SUGGESTION_WORKFLOW,
  rateUpdate,
  replyUpdate,
  reviewUpdate,
  type Actor,
  type suggestionWorkflow,
} from '../../src';
import type { PlannedCase } from './load';

const DAY_MS = 86_400_000;
/** Days simulated after the last planned action, so rating windows, second replies and ladders run. */
const TAIL_DAYS = 120;
const CONCURRENCY = 32;

export interface YearResult {
  policyName: string;
  policySources: string;
  startedAt: string;
  cases: number;
  /** Cases whose reply deadline passed before a reply, by month of the year (1–12+). */
  overdueByMonth: number[];
  overdueCases: number;
  veryOverdueCases: number;
  laddersStarted: number;
  /** Ladder steps reached, by step name. */
  escalationsByStep: Record<string, number>;
  /** Per unit: cases, overdue cases, average 100-point score of its scored cases. */
  units: Record<string, { cases: number; overdue: number; scored: number; averageScore: number | null }>;
  refusedActions: string[];
  wallMs: number;
}

export type Progress = (done: number, total: number, label: string) => void;

async function pool<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export async function simulateYear(opts: {
  testServer: string;
  policy: EffectivePolicy;
  policyName: string;
  jurisdiction: string;
  plan: PlannedCase[];
  progress: Progress;
}): Promise<YearResult> {
  const wallStart = Date.now();
  const { plan, policy } = opts;
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: opts.testServer } },
  });
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;
  const overdue = new Map<string, { month: number; very: boolean }[]>();
  const escalationsByStep: Record<string, number> = {};
  const scores = new Map<string, number[]>();
  let laddersStarted = 0;
  let startMs = 0;
  const tally = async (_topic: string, e: Envelope): Promise<void> => {
    const body = e.body;
    const at = e.occurredAt ? Number(e.occurredAt.seconds) * 1000 : startMs;
    if (body.case === 'suggestionOverdue') {
      const list = overdue.get(e.caseId) ?? [];
      list.push({ month: Math.floor((at - startMs) / (30.4 * DAY_MS)) + 1, very: body.value.veryOverdue });
      overdue.set(e.caseId, list);
    } else if (body.case === 'ladderStarted') {
      laddersStarted++;
    } else if (body.case === 'ladderStepStarted') {
      escalationsByStep[body.value.step] = (escalationsByStep[body.value.step] ?? 0) + 1;
    } else if (body.case === 'suggestionScored') {
      scores.set(body.value.unit, [...(scores.get(body.value.unit) ?? []), body.value.total]);
    }
  };
  try {
    await registerSearchAttributes(env.connection);
    const taskQueue = `simulate-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('../../src/workflows'),
        logger: quiet,
      }),
      maxCachedWorkflows: plan.length + 500,
      activities: createActivities({
        calendar: new WorkingCalendar(SHIPPED_CALENDARS),
        producer: 'simulate',
        publish: tally,
        temporal: env.client,
        taskQueue,
      }),
    });
    const running = worker.run();
    startMs = await env.currentTimeMs();
    const refused: string[] = [];
    const staff: Actor = { role: 'staff', sub: 'simulated-clerk' };
    const handle = (c: PlannedCase) => env.client.workflow.getHandle<typeof suggestionWorkflow>(c.id);
    const act = async (c: PlannedCase, what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        refused.push(`${c.id} ${what}: ${(err as Error).message}`);
      }
    };
    const deputy = (c: PlannedCase): Actor => ({ role: 'deputy', sub: `deputy-${c.id.slice(-3)}` });
    const lead = (c: PlannedCase): Actor => ({ role: 'unit', sub: `handler-${c.unit}`, unit: c.unit });

    // What happens on each day: submissions with their assignment, replies, ratings.
    const agenda = new Map<number, (() => Promise<void>)[]>();
    const on = (day: number, fn: () => Promise<void>) => agenda.set(day, [...(agenda.get(day) ?? []), fn]);
    for (const c of plan) {
      on(c.submitDay, async () => {
        await env.client.workflow.start<typeof suggestionWorkflow>(SUGGESTION_WORKFLOW, {
          workflowId: c.id,
          taskQueue,
          args: [
            {
              caseId: c.id,
              jurisdiction: opts.jurisdiction,
              deputyId: deputy(c).sub,
              title: '模拟建议',
              category: 'simulated',
              submittedAt: new Date(await env.currentTimeMs()).toISOString(),
              policy,
            },
          ],
        });
        await act(c, 'review', () =>
          handle(c).executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept', leadUnit: c.unit }] }),
        );
      });
      on(c.replyDay, () =>
        act(c, 'reply', () =>
          handle(c).executeUpdate(replyUpdate, { args: [{ by: lead(c), grade: 'A', summary: '已研究办理。' }] }),
        ),
      );
      if (c.firstRating) {
        const rating = c.firstRating;
        on(c.replyDay + 3, () =>
          act(c, 'rating', () => handle(c).executeUpdate(rateUpdate, { args: [{ by: deputy(c), rating }] })),
        );
      }
      if (c.secondReplyDay !== undefined && c.secondRating) {
        const rating = c.secondRating;
        on(c.secondReplyDay, () =>
          act(c, 'second reply', () =>
            handle(c).executeUpdate(replyUpdate, { args: [{ by: lead(c), grade: 'A', summary: '二次答复。' }] }),
          ),
        );
        on(c.secondReplyDay + 3, () =>
          act(c, 'second rating', () => handle(c).executeUpdate(rateUpdate, { args: [{ by: deputy(c), rating }] })),
        );
      }
    }
    const lastDay = Math.max(...agenda.keys()) + TAIL_DAYS;
    let day = 0;
    for (const next of [...agenda.keys()].sort((a, b) => a - b).concat(lastDay)) {
      // Step the clock a week at most at a time, so the progress bar moves with the year.
      while (day < next) {
        const step = Math.min(7, next - day);
        await env.sleep(`${step} days`);
        day += step;
        opts.progress(day, lastDay, opts.policyName);
      }
      const todo = agenda.get(next) ?? [];
      await pool(todo, (fn) => fn());
    }
    worker.shutdown();
    await running;

    const units: YearResult['units'] = {};
    for (const c of plan) {
      const u = (units[c.unit] ??= { cases: 0, overdue: 0, scored: 0, averageScore: null });
      u.cases++;
      if (overdue.has(c.id)) u.overdue++;
    }
    for (const [unit, list] of scores) {
      const u = (units[unit] ??= { cases: 0, overdue: 0, scored: 0, averageScore: null });
      u.scored = list.length;
      u.averageScore = Math.round((list.reduce((s, x) => s + x, 0) / list.length) * 10) / 10;
    }
    const overdueByMonth = Array<number>(13).fill(0);
    for (const list of overdue.values()) {
      const first = list.find((o) => !o.very) ?? list[0];
      overdueByMonth[Math.min(12, first.month) - 1]++;
    }
    return {
      policyName: opts.policyName,
      policySources: policy.sources.map((s) => `${s.id} v${s.version}`).join(' → '),
      startedAt: new Date(startMs).toISOString().slice(0, 10),
      cases: plan.length,
      overdueByMonth: overdueByMonth.slice(0, 12),
      overdueCases: overdue.size,
      veryOverdueCases: [...overdue.values()].filter((l) => l.some((o) => o.very)).length,
      laddersStarted,
      escalationsByStep,
      units,
      refusedActions: refused,
      wallMs: Date.now() - wallStart,
    };
  } finally {
    await env.teardown();
  }
}
