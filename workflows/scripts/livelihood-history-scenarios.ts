// Scenarios of the livelihood workflows whose histories the replay test keeps: a cycle through a
// tie (runoff) into two projects (one satisfactory, one re-reported), the collection across
// continue-as-new (both runs), and a project that carries over and one that climbs the ladder.
//   node --import tsx workflows/scripts/record-histories.ts livelihood-v1
import type { WorkflowHandle } from '@temporalio/client';
import { openLivelihoodVoteUpdate, recordTallyUpdate, type CycleState } from '../src';
import type { Harness } from '../test/support/case-driver';
import {
  cycleState,
  livelihoodPolicy,
  projectState,
  rateProject,
  reportAll,
  sleepUntil,
  staff,
  startCycle,
  toBallotList,
  waitFor,
} from '../test/support/livelihood-driver';
import { mergeLastIntoFirst, proposeFromDeputies, reReportUntilEvaluation } from '../test/scenarios/livelihood';

type Save = (handle: WorkflowHandle, name: string) => Promise<void>;

const CANDIDATES = [
  { title: '老旧小区加装电梯', leadUnit: 'edu-bureau', cost: 3_000_000 },
  { title: '城区公厕改造', leadUnit: 'transport-bureau', cost: 2_000_000 },
  { title: '社区食堂', leadUnit: 'health-commission', cost: 1_000_000 },
];

async function elect(h: Harness, cycle: WorkflowHandle, tie: boolean): Promise<CycleState> {
  const { env } = h;
  const id = (await cycleState(cycle)).cycleId;
  const [a, b, c] = await toBallotList(env, cycle, CANDIDATES);
  await cycle.executeUpdate(openLivelihoodVoteUpdate, { args: [{ by: staff, electorate: 10, present: 10 }] });
  const counts = tie ? { [a]: 8, [b]: 6, [c]: 6 } : { [a]: 9, [b]: 7, [c]: 2 };
  await cycle.executeUpdate(recordTallyUpdate, {
    args: [{ by: staff, voteId: id, ballotsCast: 10, counts, ballotsDigest: 'sha256:recorded' }],
  });
  if (tie) {
    await cycle.executeUpdate(openLivelihoodVoteUpdate, { args: [{ by: staff, electorate: 10, present: 10 }] });
    await cycle.executeUpdate(recordTallyUpdate, {
      args: [
        { by: staff, voteId: `${id}-r2`, ballotsCast: 10, counts: { [b]: 7, [c]: 3 }, ballotsDigest: 'sha256:r2' },
      ],
    });
  }
  const s = await waitFor(
    env,
    () => cycleState(cycle),
    (x) => x.stage === 'implementation',
    'implementation',
  );
  await waitFor(
    env,
    () => projectState(env, s.projects[1].projectId).catch(() => undefined),
    (x) => !!x,
    'projects',
  );
  return s;
}

export async function recordLivelihood(h: Harness, save: Save, prefix: string): Promise<void> {
  const { env } = h;

  // 1. A tie, a runoff, two projects: one satisfactory, one re-reported and then satisfactory.
  {
    const cycle = await startCycle(env, h.taskQueue, livelihoodPolicy());
    const s = await elect(h, cycle, true);
    const [p1, p2] = s.projects.map((p) => p.projectId);
    const first = await projectState(env, p1);
    await reportAll(env, [p1, p2], first.evaluationAt);
    await sleepUntil(env, first.evaluationAt, 3600_000);
    await rateProject(env, p1, 40, 5, 5);
    await rateProject(env, p2, 5, 5, 40);
    await reReportUntilEvaluation(env, p2, 'transport-bureau');
    await rateProject(env, p2, 40, 5, 5);
    await cycle.result();
    await save(cycle, `${prefix}-cycle-tie-runoff`);
    await save(env.client.workflow.getHandle(p1), `${prefix}-project-satisfactory`);
    await save(env.client.workflow.getHandle(p2), `${prefix}-project-re-reported`);
  }

  // 2. The collection across continue-as-new: the first run and the run that carries on.
  {
    const cycle = await startCycle(env, h.taskQueue, livelihoodPolicy(), { historyLimit: 40 });
    const firstRun = (await cycle.describe()).runId;
    await mergeLastIntoFirst(cycle, await proposeFromDeputies(cycle, 24));
    await save(env.client.workflow.getHandle(cycle.workflowId, firstRun), `${prefix}-collection-run-1`);
    await save(env.client.workflow.getHandle(cycle.workflowId), `${prefix}-collection-run-latest`);
    await cycle.terminate('recorded');
  }

  // 3. One project carries over and is rated a year later; the other climbs to the special inquiry.
  {
    const cycle = await startCycle(env, h.taskQueue, livelihoodPolicy());
    const s = await elect(h, cycle, false);
    const [pa, pb] = s.projects.map((p) => p.projectId);
    const first = await projectState(env, pa);
    await reportAll(env, [pa, pb], first.evaluationAt, (id, period) =>
      id === pb ? period * 5 : Math.min(100, period * 12),
    );
    await sleepUntil(env, first.evaluationAt, 3600_000);
    await rateProject(env, pa, 5, 5, 40);
    await waitFor(
      env,
      () => projectState(env, pa),
      (x) => x.stage === 'reReport',
      're-report',
    );
    // No re-report within the window: straight to the ladder.
    const escalated = await waitFor(
      env,
      () => projectState(env, pa),
      (x) => x.stage === 'escalated',
      'escalated',
      86400000,
    );
    const ladderId = escalated.ladders[0].ladderId;
    await waitFor(
      env,
      () => projectState(env, pa),
      (x) => x.stage === 'closed',
      'closed',
      30 * 86400000,
    );
    const carried = await projectState(env, pb);
    await reportAll(env, [pb], carried.evaluationAt, () => 100);
    await sleepUntil(env, carried.evaluationAt, 3600_000);
    await rateProject(env, pb, 40, 5, 5);
    await env.client.workflow.getHandle(pb).result();
    await save(cycle, `${prefix}-cycle-carry-over`);
    await save(env.client.workflow.getHandle(pa), `${prefix}-project-escalated`);
    await save(env.client.workflow.getHandle(ladderId), `${prefix}-project-escalated-ladder-1`);
    await save(env.client.workflow.getHandle(pb), `${prefix}-project-carried-over`);
  }
}
