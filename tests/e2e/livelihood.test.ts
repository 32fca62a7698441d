// A short livelihood cycle end to end over HTTP against the real stack (Temporal dev server,
// FerretDB, Kafka): the yearly Schedule is in place (and stays paused across a restart), staff
// start a cycle, candidates are proposed, screened and reviewed, the ballot list is published,
// 100 deputies vote (a second ballot, too many choices, a candidate not on the list, a deputy not
// of this congress and a ballot after the close are refused, the stored ballots unchanged), the
// count is public and reproducible while no ballot is ever served, the elected projects run:
// reports (one from the wrong department refused), an inspection with a fix, progress and
// per-department roll-ups, the year-end rating, and the cycle closes. The cycle and its projects
// as the case index shows them over HTTP: view, lists, search, counts, timeline, who may see them.
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { createLivelihoodApp } from '@duban/livelihood/src/app';
import { localDateOf } from '@duban/domain';
import { CaseKind, CycleYear, Jurisdiction, LIVELIHOOD_CYCLE_WORKFLOW, cycleScheduleIdOf } from '@duban/workflows';
import {
  ISSUER,
  SECRET,
  call,
  caseCounts,
  caseTimeline,
  eventually,
  expectListed,
  indexedCase,
  logger,
  stackEnv,
  startSystem,
  token,
  type System,
} from '../support/system';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const J = `cn-lh-${run}`;
const YEAR = 2100 + Math.floor(Math.random() * 800);
const CYCLE = `livelihood-${J}-${YEAR}`;
const DEPUTIES = Array.from({ length: 100 }, (_, i) => `lhd-${run}-${String(i).padStart(3, '0')}`);
const minutes = (amount: number) => ({ amount, unit: 'minutes' });

let sys: System;
let app: ReturnType<typeof createLivelihoodApp>;
let url: string;
let staff: string;
let gov: string;

async function startApp(): Promise<void> {
  const env = stackEnv();
  app = createLivelihoodApp(
    {
      LOG_LEVEL: 'warn',
      MONGO_URL: env.MONGO_URL,
      MONGO_DB: 'duban_livelihood',
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      REGISTRY_URL: sys.registryUrl,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
      LIVELIHOOD_JURISDICTIONS: [J],
      LIVELIHOOD_TALLY_GRACE_MS: 200,
    },
    logger,
  );
  await app.start();
  url = `http://127.0.0.1:${app.port}`;
}

beforeAll(async () => {
  sys = await startSystem();
  staff = await token({ role: 'staff', sub: 'clerk-1' });
  gov = await token({ role: 'unit', sub: 'reviewer-1', unit: 'government-office' });
  // A city of this run: short windows for a cycle that fits in a test, and 100 deputies.
  const put = await call('PUT', `${sys.registryUrl}/v1/jurisdictions/${J}/policy`, {
    token: staff,
    body: {
      name: 'Livelihood e2e city',
      level: 'city',
      parent: 'cn-zj',
      settings: {
        livelihood: {
          collectionWindow: minutes(30),
          feasibilityWindow: minutes(30),
          seats: 2,
          ballotCandidates: 3,
          vote: { window: minutes(30), majorityOf: 'all' },
          progressReportEvery: minutes(1),
          progressReminderBefore: [],
          progressVeryOverdueAfter: minutes(5),
          midYearReportAfter: minutes(1),
          findingFixWindow: minutes(10),
          evaluationAfter: minutes(1),
          evaluationWindow: minutes(10),
          reReportWindow: minutes(10),
        },
      },
    },
  });
  expect(put.status).toBe(200);
  for (let i = 0; i < DEPUTIES.length; i += 20)
    await Promise.all(
      DEPUTIES.slice(i, i + 20).map((id, k) =>
        call('PUT', `${sys.registryUrl}/v1/deputies/${id}`, {
          token: staff,
          body: { name: `代表${i + k}`, jurisdiction: J, groups: i + k === 0 ? ['livelihood-group'] : [] },
        }).then((r) => expect(r.status).toBe(200)),
      ),
    );
  await startApp();
});
afterAll(async () => {
  await sys?.temporal.schedule
    .getHandle(cycleScheduleIdOf(J))
    .delete()
    .catch(() => undefined);
  await app?.stop();
  await sys?.stop();
});

const deputyToken = (id: string) => token({ role: 'deputy', sub: id });

describe('a livelihood cycle over HTTP', () => {
  it('keeps the yearly Schedule: one run a year, overlaps skipped, a pause kept across a restart', async () => {
    const handle = sys.temporal.schedule.getHandle(cycleScheduleIdOf(J));
    const d = await eventually(() => handle.describe(), 'the schedule');
    expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(d.spec.calendars?.[0]).toMatchObject({
      month: [{ start: 'JANUARY' }],
      dayOfMonth: [{ start: 2 }],
      hour: [{ start: 1 }],
    });
    expect(d.action).toMatchObject({ workflowType: 'livelihoodCycleWorkflow', taskQueue: sys.taskQueue });
    await handle.pause('e2e: paused by an operator');
    await app.stop();
    await startApp();
    const again = await handle.describe();
    expect(again.state.paused).toBe(true);

    // A scheduled run names itself by the year it starts in, and the service finds it by the
    // search attributes (CaseKind, Jurisdiction, CycleYear).
    await handle.unpause('e2e: run it now');
    await handle.trigger();
    const year = Number(localDateOf(new Date()).slice(0, 4));
    const scheduled = await eventually(async () => {
      const r = await call('GET', `${url}/v1/livelihood/cycles/livelihood-${J}-${year}`, { token: staff });
      return r.status === 200 ? r.body : undefined;
    }, 'the scheduled cycle');
    expect(scheduled).toMatchObject({ year, stage: 'collecting', jurisdiction: J });
    for await (const wf of sys.temporal.workflow.list({
      query: `CaseKind = 'livelihood_cycle' AND Jurisdiction = '${J}' AND CycleYear = ${year}`,
    })) {
      expect(wf.workflowId.startsWith(cycleScheduleIdOf(J))).toBe(true);
      await sys.temporal.workflow.getHandle(wf.workflowId).terminate('e2e: done with the scheduled run');
    }
  });

  it('runs a short cycle with a vote of 100 deputies', async () => {
    const start = await call('POST', `${url}/v1/livelihood/cycles`, {
      token: staff,
      body: { jurisdiction: J, year: YEAR },
    });
    expect(start.status).toBe(201);
    expect(
      (await call('POST', `${url}/v1/livelihood/cycles`, { token: staff, body: { jurisdiction: J, year: YEAR } }))
        .status,
    ).toBe(200);

    // Proposals from a citizen, a deputy, a department and (by staff) a liaison station.
    const propose = async (tok: string, title: string, extra: object = {}) => {
      const r = await call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/candidates`, {
        token: tok,
        body: { title, category: 'public-service', ...extra },
      });
      expect(r.status).toBe(200);
      return r.body.result.candidateId as string;
    };
    const c1 = await propose(await token({ role: 'citizen', sub: `citizen-${run}` }), '老旧小区加装电梯');
    const c2 = await propose(await deputyToken(DEPUTIES[1]), '城区公厕改造提升');
    const c3 = await propose(await token({ role: 'unit', sub: 'h', unit: 'health-commission' }), '社区卫生服务站');
    const c4 = await propose(staff, '社区老年食堂', { stationId: 'station-west' });
    const bad = await call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/candidates`, {
      token: staff,
      body: { title: '没有联络站', category: 'x' },
    });
    expect(bad.status).toBe(400);

    // What each may do now, from the live state by the validators' rules, with each route and schema.
    const actionsOf = async (tok: string, path = `cycles/${CYCLE}`) => {
      const r = await call('GET', `${url}/v1/livelihood/${path}/actions`, { token: tok });
      expect(r.status).toBe(200);
      return r.body as {
        actions: { action: string; target?: string; path: string; schema: any }[];
        ballot?: any;
        rating?: any;
      };
    };
    const named = (a: { actions: { action: string; target?: string }[] }) =>
      a.actions.map((x) => (x.target ? `${x.action}:${x.target}` : x.action));
    expect(named(await actionsOf(staff))).toEqual([
      'propose',
      'merge',
      `screen:${c1}`,
      `screen:${c2}`,
      `screen:${c3}`,
      `screen:${c4}`,
      'closeCollection',
    ]);
    expect((await actionsOf(staff)).actions.find((a) => a.target === c1)).toMatchObject({
      path: `/v1/livelihood/cycles/${CYCLE}/candidates/${c1}/screening`,
      schema: { properties: { decision: { enum: ['accept', 'reject'] } }, required: ['decision'] },
    });
    expect(named(await actionsOf(await deputyToken(DEPUTIES[1])))).toEqual(['propose']);
    expect(named(await actionsOf(gov))).toEqual(['propose']);
    const screen = (id: string, body: object) =>
      call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/candidates/${id}/screening`, { token: staff, body });
    expect((await screen(c4, { decision: 'reject' })).status).toBe(400);
    expect((await screen(c4, { decision: 'reject', reason: '已列入部门年度计划' })).status).toBe(200);
    for (const id of [c1, c2, c3]) expect((await screen(id, { decision: 'accept' })).status).toBe(200);
    expect(
      (await call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/collection/close`, { token: staff, body: {} })).status,
    ).toBe(200);

    const review = (id: string, leadUnit: string, cost: number, tok = gov) =>
      call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/candidates/${id}/feasibility`, {
        token: tok,
        body: {
          feasible: true,
          costEstimate: cost,
          leadUnit,
          milestones: [{ name: '完工', dueDate: '2027-10-31' }],
          note: '可行',
        },
      });
    await eventually(
      async () =>
        (await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, { token: staff })).body.stage === 'feasibility',
      'feasibility',
    );
    expect(named(await actionsOf(gov))).toEqual([`feasibility:${c1}`, `feasibility:${c2}`, `feasibility:${c3}`]);
    expect(named(await actionsOf(staff))).toEqual([]);
    expect((await review(c1, 'edu-bureau', 1, staff)).status).toBe(403);
    expect((await review(c1, 'edu-bureau', 3_000_000)).status).toBe(200);
    expect((await review(c2, 'transport-bureau', 2_000_000)).status).toBe(200);
    expect((await review(c3, 'health-commission', 1_000_000)).status).toBe(200);
    await eventually(
      async () =>
        (await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, { token: staff })).body.stage === 'ballotList',
      'ballot list',
    );
    const list = await call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/ballot-list`, {
      token: staff,
      body: { candidateIds: [c1, c2, c3] },
    });
    expect(list.status).toBe(200);

    // A ballot before the vote opens is refused.
    const ballot = async (id: string, choices: string[]) =>
      call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/ballots`, { token: await deputyToken(id), body: { choices } });
    const early = await ballot(DEPUTIES[0], [c1]);
    expect(early.status).toBe(409);
    // Every refusal of a ballot names its one field, so the console shows it beside the choices.
    expect(early.body.error).toMatchObject({ code: 'vote_not_open', details: [{ path: 'choices' }] });

    const opened = await call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/votes`, {
      token: staff,
      body: { present: 100 },
    });
    expect(opened.status).toBe(201);
    expect(opened.body.vote).toMatchObject({ voteId: CYCLE, electorate: 100, seats: 2 });
    // The ballot's schema is this vote's: its list, at most the seats.
    const before = await actionsOf(await deputyToken(DEPUTIES[0]));
    expect(before.ballot).toMatchObject({ voteId: CYCLE, cast: false, mayVote: true });
    expect(before.actions.find((a) => a.action === 'castBallot')).toMatchObject({
      path: `/v1/livelihood/cycles/${CYCLE}/ballots`,
      schema: { properties: { choices: { items: { enum: [c1, c2, c3] }, minItems: 1, maxItems: 2 } } },
    });
    expect(named(await actionsOf(staff))).toEqual(['closeVote']);

    // The to-do (GET /waiting): running cases on the service's own task queue only. A cycle left
    // on a queue no worker polls (an old deployment's, another test run's) is in the visibility
    // lists but never asked for its state, so it cannot hold the list up.
    const stale = `livelihood-cn-dead-${run}-${YEAR}`;
    await sys.temporal.workflow.start(LIVELIHOOD_CYCLE_WORKFLOW, {
      workflowId: stale,
      taskQueue: `no-worker-${run}`,
      args: [{ jurisdiction: `cn-dead-${run}`, year: YEAR, policy: {} as never }],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: CaseKind, value: 'livelihood_cycle' },
        { key: Jurisdiction, value: `cn-dead-${run}` },
        { key: CycleYear, value: YEAR },
      ]),
    });
    try {
      const waitingOf = async (tok: string) => {
        const r = await call('GET', `${url}/v1/livelihood/waiting`, { token: tok });
        expect(r.status).toBe(200);
        expect(JSON.stringify(r.body)).not.toContain(stale);
        return r.body as {
          cycles: { cycleId: string; stage: string; actions: { action: string }[]; ballot: any }[];
          projects: unknown[];
          unanswered: number;
        };
      };
      const staffWaiting = await waitingOf(staff);
      expect(staffWaiting.cycles.find((c) => c.cycleId === CYCLE)).toMatchObject({
        stage: 'voting',
        actions: [{ action: 'closeVote' }],
        ballot: null,
      });
      const deputyWaiting = await waitingOf(await deputyToken(DEPUTIES[0]));
      expect(deputyWaiting.cycles.find((c) => c.cycleId === CYCLE)).toMatchObject({
        actions: [{ action: 'castBallot' }],
        ballot: { cast: false, mayVote: true },
      });
      // A handler of no step in the cycle has nothing of it waiting.
      expect((await waitingOf(gov)).cycles.some((c) => c.cycleId === CYCLE)).toBe(false);
      // Its own page does not wait for ever either: a clear 503 once its bound has passed.
      const page = await call('GET', `${url}/v1/livelihood/cycles/${stale}/actions`, { token: staff });
      expect(page).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
      expect(page.body.error.message).toContain(stale);
    } finally {
      await sys.temporal.workflow.getHandle(stale).terminate('test cycle on a queue with no worker');
    }

    // 100 deputies: c1 chosen 90 times, c2 70, c3 30 (at most 2 choices each).
    const choicesOf = (i: number) => (i < 30 ? [c1, c3] : i < 90 ? [c1, c2] : [c2]);
    for (let i = 0; i < DEPUTIES.length; i += 25) {
      const rs = await Promise.all(DEPUTIES.slice(i, i + 25).map((id, k) => ballot(id, choicesOf(i + k))));
      for (const r of rs) expect(r.status).toBe(201);
    }
    // Refused, each with a clear error: a second ballot, more choices than seats, a candidate not
    // on the list, a deputy not of this congress.
    const second = await ballot(DEPUTIES[5], [c3]);
    expect(second).toMatchObject({
      status: 409,
      body: { error: { code: 'already_voted', details: [{ path: 'choices' }] } },
    });
    expect((await ballot(DEPUTIES[5], [c1, c2, c3])).body.error).toMatchObject({
      code: 'too_many_choices',
      details: [{ path: 'choices' }],
    });
    expect((await ballot(DEPUTIES[6], [c4])).body.error).toMatchObject({
      code: 'not_on_list',
      details: [{ path: 'choices' }],
    });
    expect(await ballot(`stranger-${run}`, [c1])).toMatchObject({
      status: 403,
      body: { error: { code: 'not_in_electorate', details: [{ path: 'choices' }] } },
    });

    // Voted: the deputy is told so, never how; a deputy not on the roll is offered no ballot.
    const after = await actionsOf(await deputyToken(DEPUTIES[0]));
    expect(after.ballot).toMatchObject({ cast: true });
    const votedWaiting = await call('GET', `${url}/v1/livelihood/waiting`, { token: await deputyToken(DEPUTIES[0]) });
    expect(votedWaiting.body.cycles.find((c: { cycleId: string }) => c.cycleId === CYCLE)).toMatchObject({
      actions: [],
      ballot: { cast: true },
    });
    expect(named(after)).toEqual([]);
    expect(JSON.stringify(after)).not.toContain(c3);
    const stranger = await actionsOf(await deputyToken(`stranger-${run}`));
    expect(stranger.ballot).toMatchObject({ cast: false, mayVote: false });
    expect(named(stranger)).toEqual([]);
    // While open: turnout only.
    const during = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}/votes/1`, {
      token: await deputyToken(DEPUTIES[0]),
    });
    expect(during.body).toMatchObject({ status: 'open', ballotsCast: 100, turnoutPercent: 100, result: null });

    const closed = await call('POST', `${url}/v1/livelihood/cycles/${CYCLE}/votes/current/close`, {
      token: staff,
      body: {},
    });
    expect(closed.status).toBe(200);
    expect((await ballot(DEPUTIES[99], [c1])).body.error.code).toBe('vote_closed');
    const result = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}/votes/1`, {
      token: await token({ role: 'citizen', sub: 'anyone' }),
    });
    expect(result.body).toMatchObject({
      status: 'counted',
      ballotsCast: 100,
      result: { quorumMet: true, elected: [c1, c2], next: 'elected' },
    });
    expect(result.body.result.votes).toEqual([
      { candidateId: c1, votes: 90, passed: true },
      { candidateId: c2, votes: 70, passed: true },
      { candidateId: c3, votes: 30, passed: false },
    ]);
    // Secret: no deputy id appears in what anyone can read about the vote or the cycle.
    const cyclePublic = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, {
      token: await deputyToken(DEPUTIES[0]),
    });
    expect(JSON.stringify(result.body) + JSON.stringify(cyclePublic.body)).not.toContain(`lhd-${run}`);
    expect(named(await actionsOf(staff))).toContain('recount:1');
    // Reproducible from the stored ballots, which the refusals left unchanged.
    const recount = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}/votes/1/recount`, { token: staff });
    expect(recount.body).toMatchObject({
      matches: true,
      recount: { ballotsCast: 100, counts: { [c1]: 90, [c2]: 70, [c3]: 30 } },
    });

    // The elected projects run as their own workflows.
    const cycle = await eventually(async () => {
      const r = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, { token: staff });
      return r.body.stage === 'implementation' ? r.body : undefined;
    }, 'implementation');
    const [p1, p2] = cycle.projects.map((p: { projectId: string }) => p.projectId);
    const project = (id: string) => call('GET', `${url}/v1/livelihood/projects/${id}`, { token: staff });
    await eventually(async () => (await project(p2)).status === 200, 'the projects to start');

    const unitToken = (u: string) => token({ role: 'unit', sub: `h-${u}`, unit: u });
    // The lists the console shows: cycles and a department's projects (Temporal's visibility).
    const cycles = await call('GET', `${url}/v1/livelihood/cycles?jurisdiction=${J}`, { token: staff });
    expect(cycles.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ cycleId: CYCLE, year: YEAR })]),
    );
    expect(cycles.body.actions.map((a: { action: string }) => a.action)).toEqual(['start']);
    await eventually(async () => {
      const r = await call('GET', `${url}/v1/livelihood/projects?unit=edu-bureau&jurisdiction=${J}`, { token: staff });
      return r.body.items?.some(
        (x: { projectId: string; leadUnit: string }) => x.projectId === p1 && x.leadUnit === 'edu-bureau',
      );
    }, 'the project in the lists');
    const p1Path = `projects/${p1}`;
    expect(named(await actionsOf(await unitToken('edu-bureau'), p1Path))).toEqual(['progress', 'midYearReport']);
    expect(named(await actionsOf(await unitToken('transport-bureau'), p1Path))).toEqual([]);
    expect(named(await actionsOf(await deputyToken(DEPUTIES[0]), p1Path))).toEqual(['inspection']);
    expect(named(await actionsOf(await deputyToken(DEPUTIES[2]), p1Path))).toEqual([]);
    const report = async (id: string, u: string, percent: number) =>
      call('POST', `${url}/v1/livelihood/projects/${id}/progress`, {
        token: await unitToken(u),
        body: { percent, spent: percent * 10000, summary: '按计划推进', milestonesDone: percent === 100 ? ['m1'] : [] },
      });
    const wrong = await report(p1, 'transport-bureau', 50);
    expect(wrong.status).toBe(403);
    expect((await project(p1)).body.reports).toHaveLength(0);
    expect((await report(p1, 'edu-bureau', 100)).status).toBe(200);
    expect((await report(p2, 'transport-bureau', 100)).status).toBe(200);

    const inspected = await call('POST', `${url}/v1/livelihood/projects/${p1}/inspections`, {
      token: await deputyToken(DEPUTIES[0]),
      body: { group: 'livelihood-group', findings: [{ text: '无障碍通道未完工', fixRequired: true }] },
    });
    expect(inspected.status).toBe(200);
    const notInGroup = await call('POST', `${url}/v1/livelihood/projects/${p1}/inspections`, {
      token: await deputyToken(DEPUTIES[2]),
      body: { group: 'livelihood-group', findings: [] },
    });
    expect(notInGroup.status).toBe(403);
    const findingId = inspected.body.inspections[0].findings[0].findingId;
    const fixed = await call('POST', `${url}/v1/livelihood/projects/${p1}/findings/${findingId}/fix`, {
      token: await unitToken('edu-bureau'),
      body: { note: '已完成整改' },
    });
    expect(fixed.body.inspections[0].findings[0].status).toBe('fixed');
    // The case index follows the project: the fix reported, the lead unit's part answered.
    const fixedView = await indexedCase(sys, await unitToken('edu-bureau'), p1, (v) => v.stage === 'fixReported');
    expect(fixedView).toMatchObject({
      kind: 'livelihood_project',
      jurisdiction: J,
      leadUnit: 'edu-bureau',
      units: ['edu-bureau'],
      parts: [{ unit: 'edu-bureau', answered: true, overdue: false }],
      links: [{ caseId: CYCLE, rel: 'cycle' }],
      closed: false,
    });

    const progress = await call('GET', `${url}/v1/livelihood/projects/${p1}`, {
      token: await token({ role: 'citizen', sub: 'c' }),
    });
    expect(progress.body).toMatchObject({
      percent: 100,
      spent: 1_000_000,
      leadUnit: 'edu-bureau',
      latestReport: { percent: 100 },
    });
    const rollUp = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}/departments`, { token: staff });
    expect(rollUp.body.items.map((d: { unit: string; projects: number }) => [d.unit, d.projects])).toEqual([
      ['edu-bureau', 1],
      ['transport-bureau', 1],
    ]);

    // The year-end evaluation (1 minute after the start here): both satisfactory; the cycle closes.
    // p1: deputies rate it one by one (secret, once each), staff count; p2: the count from the hall.
    await eventually(async () => (await project(p1)).body.stage === 'evaluation', `${p1} evaluation`, 120_000);
    const rate = async (d: string, rating: string) =>
      call('POST', `${url}/v1/livelihood/projects/${p1}/evaluation-ballots`, {
        token: await deputyToken(d),
        body: { rating },
      });
    expect(named(await actionsOf(await deputyToken(DEPUTIES[10]), `projects/${p1}`))).toContain('evaluationBallot');
    expect(named(await actionsOf(staff, `projects/${p1}`))).toEqual(['inspection', 'evaluation', 'countEvaluation']);
    for (const [i, rating] of ['satisfied', 'satisfied', 'basicallySatisfied', 'unsatisfied', 'satisfied'].entries())
      expect((await rate(DEPUTIES[10 + i], rating)).status).toBe(201);
    expect((await rate(DEPUTIES[10], 'unsatisfied')).body.error.code).toBe('already_rated');
    const rated10 = await actionsOf(await deputyToken(DEPUTIES[10]), `projects/${p1}`);
    expect(rated10.rating).toMatchObject({ round: 1, rated: true });
    expect(named(rated10)).not.toContain('evaluationBallot');
    expect((await rate(`stranger-${run}`, 'satisfied')).status).toBe(403);
    const counted = await call('POST', `${url}/v1/livelihood/projects/${p1}/evaluation/count`, {
      token: staff,
      body: {},
    });
    expect(counted.body.evaluations[0]).toMatchObject({
      satisfied: 3,
      basicallySatisfied: 1,
      unsatisfied: 1,
      share: 80,
    });
    await eventually(async () => (await project(p2)).body.stage === 'evaluation', `${p2} evaluation`, 120_000);
    const rated = await call('POST', `${url}/v1/livelihood/projects/${p2}/evaluation`, {
      token: staff,
      body: { satisfied: 80, basicallySatisfied: 10, unsatisfied: 10 },
    });
    expect(rated.status).toBe(200);
    const done = await eventually(async () => {
      const r = await call('GET', `${url}/v1/livelihood/cycles/${CYCLE}`, { token: staff });
      return r.body.stage === 'closed' ? r.body : undefined;
    }, 'the cycle to close');
    expect(done.projects.map((p: { settled: string }) => p.settled)).toEqual(['satisfactory', 'satisfactory']);
    expect((await project(p1)).body).toMatchObject({ stage: 'closed', outcome: 'satisfactory', score: { points: 2 } });

    // The case index: the cycle, the reviewing office's, linked to the projects it elected; each
    // project its lead department's, linked to its cycle, judged satisfactory.
    const edu = await unitToken('edu-bureau');
    const transport = await unitToken('transport-bureau');
    const cycleView = await indexedCase(sys, gov, CYCLE, (v) => v.closed);
    expect(cycleView).toMatchObject({
      kind: 'livelihood_cycle',
      jurisdiction: J,
      stage: 'closed',
      year: YEAR,
      title: '民生实事项目票决 · government-office',
      units: ['government-office'],
      links: [
        { caseId: p1, rel: 'project' },
        { caseId: p2, rel: 'project' },
      ],
      overdue: false,
    });
    await expectListed(sys, cycleView, { staff, unit: { token: gov, id: 'government-office' }, outsider: edu });
    const cycleEvents = await caseTimeline(sys, staff, CYCLE);
    const cycleTypes = cycleEvents.map((e) => e.type);
    // (Proposals sent right after the start may come before the opening event: the cycle does
    // not hold them until it has published it.)
    expect(cycleTypes.filter((t) => t === 'LivelihoodCycleOpened')).toHaveLength(1);
    expect(cycleTypes[cycleTypes.length - 1]).toBe('LivelihoodCycleClosed');
    for (const [before, after] of [
      ['LivelihoodCycleOpened', 'LivelihoodCollectionClosed'],
      ['LivelihoodCollectionClosed', 'LivelihoodBallotListPublished'],
      ['LivelihoodBallotListPublished', 'LivelihoodVoteOpened'],
      ['LivelihoodVoteOpened', 'LivelihoodVoteTallied'],
      ['LivelihoodVoteTallied', 'LivelihoodProjectsElected'],
    ])
      expect(cycleTypes.indexOf(before)).toBeLessThan(cycleTypes.indexOf(after));
    expect(cycleTypes.filter((t) => t === 'LivelihoodCandidateProposed')).toHaveLength(4);
    // The ballot stays secret in the index too: no voter's id is in the cycle's events (the one
    // deputy named is DEPUTIES[1], as the proposer of a candidate).
    const cycleText = JSON.stringify(cycleEvents);
    expect(cycleText).toContain(DEPUTIES[1]);
    expect(DEPUTIES.filter((d, i) => i !== 1 && cycleText.includes(d))).toEqual([]);

    for (const [id, lead, other] of [
      [p1, edu, transport],
      [p2, transport, edu],
    ] as const) {
      const leadUnit = id === p1 ? 'edu-bureau' : 'transport-bureau';
      const view = await indexedCase(sys, lead, id, (v) => v.closed);
      expect(view).toMatchObject({
        kind: 'livelihood_project',
        stage: 'closed',
        closedOutcome: 'satisfactory',
        satisfaction: 'satisfied',
        title: `民生实事项目 · ${leadUnit}`,
        leadUnit,
        units: [leadUnit],
        links: [{ caseId: CYCLE, rel: 'cycle' }],
        overdue: false,
      });
      await expectListed(sys, view, { staff, unit: { token: lead, id: leadUnit }, outsider: other });
      const types = (await caseTimeline(sys, lead, id)).map((e) => e.type);
      expect(types[0]).toBe('LivelihoodProjectStarted');
      expect(types.slice(-1)).toEqual(['LivelihoodProjectClosed']);
      expect(types.indexOf('LivelihoodProgressReported')).toBeLessThan(types.indexOf('LivelihoodProjectRated'));
    }
    expect(await caseCounts(sys, staff, { jurisdiction: J, kind: 'livelihood_project' })).toEqual({
      items: [{ kind: 'livelihood_project', stage: 'closed', count: 2, overdue: 0 }],
      total: 2,
      overdue: 0,
    });
  });
});
