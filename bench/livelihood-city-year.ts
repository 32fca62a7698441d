// Benchmark: a city's livelihood year on the time-skipping test server.
//
// One cycle with the national defaults (10 seats, 15 on the ballot list, monthly progress reports,
// the evaluation 10 months after the start): 15 candidates proposed, screened, reviewed and listed,
// a vote of 1,000 deputies counted, 10 projects started, each reporting every month through the
// year (one in three rated unsatisfactory, re-reporting and rated again), then every project
// rated and the cycle closed. The worker runs in this process with the product's workflows and
// activities; only the Kafka publisher is a fake that keeps the events.
// Prints the wall time, the updates sent and events published. A benchmark: it never fails on slowness.
//
//   node --import tsx bench/livelihood-city-year.ts
import { Runtime, DefaultLogger } from '@temporalio/worker';
import {
  openLivelihoodVoteUpdate,
  recordTallyUpdate,
  submitMidYearReportUpdate,
  submitReReportUpdate,
} from '../workflows/src';
import { createHarness } from '../workflows/test/support/case-driver';
import {
  cycleState,
  dept,
  projectState,
  rateProject,
  reportAll,
  sleepUntil,
  staff,
  startCycle,
  toBallotList,
  waitFor,
} from '../workflows/test/support/livelihood-driver';
import { testPolicy } from '../tests/support/policy';
import { rate, report, sampleMemory, seconds } from './support';

const UNITS = ['edu-bureau', 'transport-bureau', 'health-commission', 'eco-env-bureau', 'government-office'];

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const memory = sampleMemory();
  const t0 = Date.now();
  const h = await createHarness();
  const setupMs = Date.now() - t0;
  const { env } = h;
  let updates = 0;
  try {
    const t = Date.now();
    // The national defaults, as a city would run them.
    const cycle = await startCycle(env, h.taskQueue, testPolicy());
    const cycleId = (await cycleState(cycle)).cycleId;
    const candidates = Array.from({ length: 15 }, (_, i) => ({
      title: `民生实事候选项目 ${i + 1}`,
      leadUnit: UNITS[i % UNITS.length],
      cost: 1_000_000 * (i + 1),
    }));
    const ids = await toBallotList(env, cycle, candidates);
    updates += 15 * 3 + 2;
    // 1,000 deputies: candidate i gets 900 − 40 i votes (each ballot at most 10 choices).
    await cycle.executeUpdate(openLivelihoodVoteUpdate, { args: [{ by: staff, electorate: 1000, present: 980 }] });
    const counts = Object.fromEntries(ids.map((id, i) => [id, 900 - 40 * i]));
    await cycle.executeUpdate(recordTallyUpdate, {
      args: [{ by: staff, voteId: cycleId, ballotsCast: 980, counts, ballotsDigest: 'sha256:bench' }],
    });
    updates += 2;
    const s = await waitFor(
      env,
      () => cycleState(cycle),
      (x) => x.stage === 'implementation',
      'implementation',
    );
    const projects = s.projects.map((p) => p.projectId);
    await waitFor(
      env,
      () => projectState(env, projects[9]).catch(() => undefined),
      (x) => !!x,
      'projects',
    );
    const voteMs = Date.now() - t;

    const t2 = Date.now();
    const first = await projectState(env, projects[0]);
    updates += await reportAll(env, projects, first.evaluationAt);
    for (const id of projects) {
      const st = await projectState(env, id);
      await env.client.workflow
        .getHandle(id)
        .executeUpdate(submitMidYearReportUpdate, {
          args: [{ by: dept(st.leadUnit), summary: '年中报告' }],
        })
        .catch(() => undefined);
      updates++;
    }
    const reportsMs = Date.now() - t2;

    const t3 = Date.now();
    await sleepUntil(env, first.evaluationAt, 3600_000);
    const unsatisfied = projects.filter((_p, i) => i % 3 === 0);
    for (const id of projects) {
      await waitFor(
        env,
        () => projectState(env, id),
        (x) => x.stage === 'evaluation',
        `${id} evaluation`,
      );
      if (unsatisfied.includes(id)) await rateProject(env, id, 10, 10, 30);
      else await rateProject(env, id, 40, 5, 5);
      updates++;
    }
    for (const id of unsatisfied) {
      const st = await waitFor(
        env,
        () => projectState(env, id),
        (x) => x.stage === 'reReport',
        `${id} re-report`,
      );
      await env.client.workflow
        .getHandle(id)
        .executeUpdate(submitReReportUpdate, { args: [{ by: dept(st.leadUnit), summary: '再报告' }] });
      await waitFor(
        env,
        () => projectState(env, id),
        (x) => x.stage === 'evaluation',
        `${id} second evaluation`,
      );
      await rateProject(env, id, 40, 5, 5);
      updates += 2;
    }
    report('  waiting for the cycle and the projects to end');
    const final = await cycle.result();
    await Promise.all(projects.map((id) => env.client.workflow.getHandle(id).result()));
    const evaluationMs = Date.now() - t3;
    const wallMs = Date.now() - t;
    const peak = memory.stop();

    const byType = new Map<string, number>();
    for (const e of h.published) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    report(`livelihood city-year: setup ${seconds(setupMs)} s (time-skipping server, bundle, worker)`);
    report(`  collection → vote → 10 projects started: ${seconds(voteMs)} s`);
    report(`  a year of monthly reports and the mid-year report: ${seconds(reportsMs)} s`);
    report(`  evaluation, 4 re-reports, cycle closed (${final.stage}): ${seconds(evaluationMs)} s`);
    report(`  events by type (top 8 of ${byType.size}):`);
    for (const [type, n] of [...byType.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8))
      report(`    ${type.padEnd(34)} ${n}`);
    report(`  peak RSS ${peak.rssMb} MB, heap ${peak.heapUsedMb} MB`);
    report(
      `livelihood city-year: 10 projects with monthly reports, a whole year in ${seconds(wallMs)} s wall time ` +
        `(${updates} updates, ${rate(updates, wallMs)} updates/s, ${h.published.length} events)`,
      { summary: true },
    );
  } finally {
    await h.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
