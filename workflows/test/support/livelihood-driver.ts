// Drives livelihood cycles and projects on the time-skipping test server: a short-window policy,
// starting a cycle, moving the clock to a deadline, and taking a cycle from proposals to its
// ballot list. Used by the livelihood workflow tests, the history recorder and the bench.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { EffectivePolicy } from '@duban/domain';
import {
  LIVELIHOOD_CYCLE_WORKFLOW,
  closeCollectionUpdate,
  cycleIdOf,
  cycleStateQuery,
  projectStateQuery,
  proposeUpdate,
  publishBallotListUpdate,
  recordEvaluationUpdate,
  reportProgressUpdate,
  reviewFeasibilityUpdate,
  screenUpdate,
  type Actor,
  type CycleState,
  type ProjectState,
  type livelihoodCycleWorkflow,
} from '../../src';
import { testPolicy } from '../../../tests/support/policy';

export const staff: Actor = { role: 'staff', sub: 'clerk-1' };
export const government: Actor = { role: 'unit', sub: 'reviewer-1', unit: 'government-office' };
export const dept = (u: string): Actor => ({ role: 'unit', sub: `handler-${u}`, unit: u });

/** Short windows for the cycle's first weeks, a real year for the projects. */
export const LIVELIHOOD_TEST_SETTINGS = {
  collectionWindow: { amount: 60, unit: 'minutes' },
  feasibilityWindow: { amount: 60, unit: 'minutes' },
  seats: 2,
  ballotCandidates: 3,
  vote: {
    quorumPercent: 50,
    majorityOf: 'all',
    majorityPercent: 50,
    tieRule: 'runoff',
    onQuorumFailure: 'revote',
    maxRounds: 3,
    window: { amount: 30, unit: 'minutes' },
  },
  progressReportEvery: { amount: 30, unit: 'calendarDays' },
  progressReminderBefore: [{ amount: 5, unit: 'calendarDays' }],
  progressVeryOverdueAfter: { amount: 10, unit: 'calendarDays' },
  midYearReportAfter: { amount: 180, unit: 'calendarDays' },
  findingFixWindow: { amount: 14, unit: 'calendarDays' },
  evaluationAfter: { amount: 300, unit: 'calendarDays' },
  evaluationWindow: { amount: 20, unit: 'calendarDays' },
  reReportWindow: { amount: 30, unit: 'calendarDays' },
};

export function livelihoodPolicy(over: Record<string, unknown> = {}): EffectivePolicy {
  return testPolicy({ settings: { livelihood: { ...LIVELIHOOD_TEST_SETTINGS, ...over } } });
}

let nextYear = 2100 + Math.floor(Math.random() * 800);
/** A year no other cycle of this run uses, so that case ids never collide. */
export const freshYear = () => nextYear++;

export async function startCycle(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  policy: EffectivePolicy,
  opts: { year?: number; historyLimit?: number } = {},
): Promise<WorkflowHandle<typeof livelihoodCycleWorkflow>> {
  const year = opts.year ?? freshYear();
  return env.client.workflow.start<typeof livelihoodCycleWorkflow>(LIVELIHOOD_CYCLE_WORKFLOW, {
    workflowId: cycleIdOf('cn-test-city', year),
    taskQueue,
    args: [{ jurisdiction: 'cn-test-city', year, policy, historyLimit: opts.historyLimit }],
  });
}

export const cycleState = (h: WorkflowHandle): Promise<CycleState> => h.query(cycleStateQuery);
export const projectState = (env: TestWorkflowEnvironment, id: string): Promise<ProjectState> =>
  env.client.workflow.getHandle(id).query(projectStateQuery);

/** Moves the test server's clock to `iso` + `plusMs` (never backwards). */
export async function sleepUntil(env: TestWorkflowEnvironment, iso: string, plusMs = 0): Promise<void> {
  const wait = Date.parse(iso) + plusMs - (await env.currentTimeMs());
  if (wait > 0) await env.sleep(wait);
}

/** Polls (moving the clock a step each time) until the predicate holds. */
export async function waitFor<T>(
  env: TestWorkflowEnvironment,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  step = 1000,
): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 300; i++) {
    last = await read();
    if (ok(last)) return last;
    await env.sleep(step);
  }
  throw new Error(`never reached: ${what}; last ${JSON.stringify(last)?.slice(0, 500)}`);
}

export interface CandidateSpec {
  title: string;
  leadUnit: string;
  cost: number;
}

/**
 * Proposes the candidates (a citizen each), closes collection, accepts them all, reviews each as
 * feasible, and publishes the list. The cycle is then awaiting the vote.
 */
export async function toBallotList(
  env: TestWorkflowEnvironment,
  h: WorkflowHandle,
  candidates: CandidateSpec[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, c] of candidates.entries()) {
    const r = await h.executeUpdate(proposeUpdate, {
      args: [
        {
          by: { role: 'citizen', sub: `citizen-${i}` },
          proposer: { kind: 'citizen', id: `citizen-${i}` },
          title: c.title,
          category: 'public-service',
        },
      ],
    });
    ids.push(r.candidateId);
  }
  for (const id of ids)
    await h.executeUpdate(screenUpdate, { args: [{ by: staff, candidateId: id, decision: 'accept' }] });
  await h.executeUpdate(closeCollectionUpdate, { args: [{ by: staff }] });
  await waitFor(
    env,
    () => cycleState(h),
    (s) => s.stage === 'feasibility',
    'feasibility',
  );
  for (const [i, c] of candidates.entries())
    await h.executeUpdate(reviewFeasibilityUpdate, {
      args: [
        {
          by: government,
          candidateId: ids[i],
          feasible: true,
          costEstimate: c.cost,
          leadUnit: c.leadUnit,
          coUnits: ['government-office'],
          milestones: [
            { name: '方案设计', dueDate: '2027-03-31' },
            { name: '完工验收', dueDate: '2027-10-31' },
          ],
          note: '可行',
        },
      ],
    });
  await waitFor(
    env,
    () => cycleState(h),
    (s) => s.stage === 'ballotList',
    'ballot list',
  );
  await h.executeUpdate(publishBallotListUpdate, { args: [{ by: staff, candidateIds: ids }] });
  return ids;
}

/**
 * Reports every open period of the projects a day before it is due (in due order, moving the
 * clock), until `until`; percent by `percentAt` (default: 12 % a period, up to 100).
 */
export async function reportAll(
  env: TestWorkflowEnvironment,
  projects: string[],
  until: string,
  percentAt: (id: string, period: number) => number = (_id, period) => Math.min(100, period * 12),
): Promise<number> {
  let reports = 0;
  for (;;) {
    const states = await Promise.all(projects.map((id) => projectState(env, id)));
    const next = states
      .flatMap((s) => s.periods.filter((p) => p.status !== 'reported').map((p) => ({ s, p })))
      .filter(({ p }) => Date.parse(p.dueAt) <= Date.parse(until))
      .sort((a, b) => Date.parse(a.p.dueAt) - Date.parse(b.p.dueAt))[0];
    if (!next) return reports;
    const { s, p } = next;
    await sleepUntil(env, p.dueAt, -86400000);
    const percent = Math.max(s.percent, percentAt(s.projectId, p.period));
    await env.client.workflow.getHandle(s.projectId).executeUpdate(reportProgressUpdate, {
      args: [{ by: dept(s.leadUnit), percent, spent: percent * 1000, summary: `第${p.period}期进度` }],
    });
    reports++;
  }
}

/** Staff record a round of the deputies' evaluation. */
export function rateProject(
  env: TestWorkflowEnvironment,
  id: string,
  satisfied: number,
  basicallySatisfied: number,
  unsatisfied: number,
): Promise<ProjectState> {
  return env.client.workflow
    .getHandle(id)
    .executeUpdate(recordEvaluationUpdate, { args: [{ by: staff, satisfied, basicallySatisfied, unsatisfied }] });
}
