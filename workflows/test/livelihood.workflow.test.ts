// A whole livelihood year on the time-skipping test server: year-round collection (across
// continue-as-new), merging and screening, feasibility, the ballot list, the vote with a tie
// (runoff) and a failed quorum (revote, or no projects), elected projects with monthly reports
// (one late), an inspection whose finding demands a fix, the mid-year report, the year-end rating
// and its score, a re-report, a climb to the special inquiry, and a carried-over project.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  closeCollectionUpdate,
  mergeCandidatesUpdate,
  openLivelihoodVoteUpdate,
  proposeUpdate,
  publishBallotListUpdate,
  recordEvaluationUpdate,
  recordInspectionUpdate,
  recordTallyUpdate,
  reportFixUpdate,
  reportProgressUpdate,
  reviewFeasibilityUpdate,
  screenUpdate,
  submitMidYearReportUpdate,
  type ProjectState,
} from '../src';
import { createHarness, refusal, type Harness } from './support/case-driver';
import {
  cycleState,
  dept,
  government,
  livelihoodPolicy,
  projectState,
  sleepUntil,
  staff,
  startCycle,
  toBallotList,
  waitFor,
} from './support/livelihood-driver';
import { mergeLastIntoFirst, proposeFromDeputies, reReportUntilEvaluation } from './scenarios/livelihood';

jest.setTimeout(240_000);

let h: Harness;
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  h = await createHarness();
  env = h.env;
});
afterAll(async () => {
  await h?.teardown();
});

const typesOf = (caseId: string) => h.published.filter((e) => e.caseId === caseId).map((e) => e.type);
const bodyOf = (eventId: string) => h.published.find((e) => e.eventId === eventId)?.body.value as any;
const tally = (voteId: string, ballotsCast: number, counts: Record<string, number>) => ({
  by: staff,
  voteId,
  ballotsCast,
  counts,
  ballotsDigest: `sha256:test-${voteId}`,
});

/** Reports each open period of each project a day before it is due, except the periods in `late`. */
async function reportThrough(
  projects: string[],
  until: string,
  opts: { late?: Record<string, number[]>; percentAt?: (id: string, period: number) => number } = {},
): Promise<void> {
  for (;;) {
    const states = await Promise.all(projects.map((id) => projectState(env, id)));
    const next = states
      .flatMap((s) => s.periods.filter((p) => p.status !== 'reported').map((p) => ({ s, p })))
      .filter(({ p }) => Date.parse(p.dueAt) < Date.parse(until))
      .sort((a, b) => Date.parse(a.p.dueAt) - Date.parse(b.p.dueAt))[0];
    if (!next) return;
    const { s, p } = next;
    const late = opts.late?.[s.projectId]?.includes(p.period) ?? false;
    await sleepUntil(env, p.dueAt, late ? 2 * 86400000 : -86400000);
    if (late) {
      const overdue = await projectState(env, s.projectId);
      expect(overdue.periods[p.period - 1].status).toBe('overdue');
      expect(overdue.overdue).toBe(true);
    }
    const percent = opts.percentAt?.(s.projectId, p.period) ?? Math.min(100, p.period * 12);
    await env.client.workflow.getHandle(s.projectId).executeUpdate(reportProgressUpdate, {
      args: [{ by: dept(s.leadUnit), percent, spent: percent * 1000, summary: `第${p.period}期进度` }],
    });
  }
}

async function rate(id: string, satisfied: number, basically: number, unsatisfied: number): Promise<ProjectState> {
  return env.client.workflow.getHandle(id).executeUpdate(recordEvaluationUpdate, {
    args: [{ by: staff, satisfied, basicallySatisfied: basically, unsatisfied }],
  });
}

describe('a livelihood year', () => {
  it('collects, merges, screens, reviews, votes through a tie, and runs two projects to their ratings', async () => {
    const policy = livelihoodPolicy();
    const cycle = await startCycle(env, h.taskQueue, policy);
    const cycleId = (await cycleState(cycle)).cycleId;

    // Collection: a citizen, a deputy, a liaison station and a department propose; staff merge a
    // duplicate (the merged candidate keeps both proposers) and reject one with a reason.
    const propose = (kind: 'citizen' | 'deputy' | 'station' | 'unit', id: string, title: string) =>
      cycle.executeUpdate(proposeUpdate, {
        args: [{ by: { role: 'citizen', sub: id }, proposer: { kind, id }, title, category: 'public-service' }],
      });
    const a = await propose('citizen', 'citizen-7', '老旧小区加装电梯');
    const b = await propose('deputy', 'deputy-001', '城区公厕改造');
    const c = await propose('station', 'station-west', '社区食堂');
    const d = await propose('unit', 'health-commission', '不可行的项目');
    const dup = await propose('citizen', 'citizen-9', '旧小区装电梯');
    const merged = await cycle.executeUpdate(mergeCandidatesUpdate, {
      args: [{ by: staff, into: a.candidateId, merge: [dup.candidateId], reason: '同一事项' }],
    });
    expect(merged.proposers).toEqual([
      { kind: 'citizen', id: 'citizen-7' },
      { kind: 'citizen', id: 'citizen-9' },
    ]);
    expect(
      await refusal(
        cycle.executeUpdate(screenUpdate, { args: [{ by: staff, candidateId: d.candidateId, decision: 'reject' }] }),
      ),
    ).toBe('InvalidInput');
    await cycle.executeUpdate(screenUpdate, {
      args: [{ by: staff, candidateId: d.candidateId, decision: 'reject', reason: '不属于民生实事范围' }],
    });
    expect(bodyOf(`${cycleId}/screened/${d.candidateId}`)).toMatchObject({
      accepted: false,
      reason: '不属于民生实事范围',
      proposerIds: ['unit:health-commission'],
    });
    for (const x of [a, b])
      await cycle.executeUpdate(screenUpdate, {
        args: [{ by: staff, candidateId: x.candidateId, decision: 'accept' }],
      });

    // The collection window ends on its own; the one left unscreened is screened after it.
    await sleepUntil(env, (await cycleState(cycle)).collectionClosesAt, 60_000);
    expect((await cycleState(cycle)).stage).toBe('screening');
    expect(
      await refusal(
        cycle.executeUpdate(proposeUpdate, {
          args: [{ by: staff, proposer: { kind: 'citizen', id: 'late' }, title: '太晚了', category: 'x' }],
        }),
      ),
    ).toBe('StageConflict');
    await cycle.executeUpdate(screenUpdate, { args: [{ by: staff, candidateId: c.candidateId, decision: 'accept' }] });
    await waitFor(
      env,
      () => cycleState(cycle),
      (s) => s.stage === 'feasibility',
      'feasibility',
    );

    // Feasibility: only the government's reviewer answers.
    const review = (candidateId: string, leadUnit: string, cost: number, by = government) =>
      cycle.executeUpdate(reviewFeasibilityUpdate, {
        args: [
          {
            by,
            candidateId,
            feasible: true,
            costEstimate: cost,
            leadUnit,
            milestones: [{ name: '完工', dueDate: '2027-09-30' }],
            note: '可行',
          },
        ],
      });
    expect(await refusal(review(a.candidateId, 'edu-bureau', 1, dept('edu-bureau')))).toBe('NotYourCase');
    await review(a.candidateId, 'edu-bureau', 3_000_000);
    await review(b.candidateId, 'transport-bureau', 2_000_000);
    await review(c.candidateId, 'health-commission', 1_000_000);
    await waitFor(
      env,
      () => cycleState(cycle),
      (s) => s.stage === 'ballotList',
      'ballot list',
    );

    // The ballot list: 3 candidates for 2 seats (差额), no more, no fewer, none not found feasible.
    expect(
      await refusal(
        cycle.executeUpdate(publishBallotListUpdate, {
          args: [{ by: staff, candidateIds: [a.candidateId, b.candidateId] }],
        }),
      ),
    ).toBe('InvalidInput');
    expect(
      await refusal(
        cycle.executeUpdate(publishBallotListUpdate, {
          args: [{ by: staff, candidateIds: [a.candidateId, b.candidateId, d.candidateId] }],
        }),
      ),
    ).toBe('InvalidInput');
    const list = [a.candidateId, b.candidateId, c.candidateId];
    await cycle.executeUpdate(publishBallotListUpdate, { args: [{ by: staff, candidateIds: list }] });

    // The vote: 10 deputies, all present. a passes clearly; b and c tie for the last seat → runoff.
    const v1 = await cycle.executeUpdate(openLivelihoodVoteUpdate, {
      args: [{ by: staff, electorate: 10, present: 10 }],
    });
    expect(v1.voteId).toBe(cycleId);
    expect(
      await refusal(cycle.executeUpdate(recordTallyUpdate, { args: [tally(cycleId, 9, { [d.candidateId]: 3 })] })),
    ).toBe('InvalidInput');
    await cycle.executeUpdate(recordTallyUpdate, {
      args: [tally(cycleId, 10, { [a.candidateId]: 8, [b.candidateId]: 6, [c.candidateId]: 6 })],
    });
    let s = await cycleState(cycle);
    expect(s.stage).toBe('awaitingVote');
    expect(s.votes[0].tally!.next).toBe('runoff');
    expect(s.votes[1]).toMatchObject({ kind: 'runoff', seats: 1, candidates: [b.candidateId, c.candidateId] });
    expect(s.elected).toEqual([a.candidateId]);
    expect(bodyOf(`${cycleId}/vote/1/tallied`)).toMatchObject({
      ballotsCast: 10,
      elected: [a.candidateId],
      next: 'runoff',
    });

    await cycle.executeUpdate(openLivelihoodVoteUpdate, { args: [{ by: staff, electorate: 10, present: 9 }] });
    await cycle.executeUpdate(recordTallyUpdate, {
      args: [tally(`${cycleId}-r2`, 9, { [b.candidateId]: 7, [c.candidateId]: 2 })],
    });
    s = await waitFor(
      env,
      () => cycleState(cycle),
      (x) => x.stage === 'implementation',
      'implementation',
    );
    expect(s.elected).toEqual([a.candidateId, b.candidateId]);
    const [p1, p2] = s.projects.map((p) => p.projectId);
    expect(s.projects.map((p) => p.leadUnit)).toEqual(['edu-bureau', 'transport-bureau']);
    await waitFor(
      env,
      () => projectState(env, p2).catch(() => undefined),
      (x) => !!x,
      'the projects to start',
    );

    // A progress report from the wrong department is refused; nothing changes.
    const h2 = env.client.workflow.getHandle(p2);
    expect(
      await refusal(
        h2.executeUpdate(reportProgressUpdate, {
          args: [{ by: dept('edu-bureau'), percent: 5, spent: 1, summary: 'x' }],
        }),
      ),
    ).toBe('NotYourCase');
    expect((await projectState(env, p2)).reports).toHaveLength(0);

    // An inspection: a finding demands a fix by a date; the department reports it fixed.
    const h1 = env.client.workflow.getHandle(p1);
    const inspected = await h1.executeUpdate(recordInspectionUpdate, {
      args: [
        {
          by: { role: 'deputy', sub: 'deputy-001' },
          group: 'education-group',
          findings: [
            { text: '施工围挡不规范', fixRequired: true },
            { text: '进度公示及时', fixRequired: false },
          ],
        },
      ],
    });
    const finding = inspected.inspections[0].findings[0];
    expect(finding.status).toBe('open');
    expect(Date.parse(finding.fixDueAt!)).toBeGreaterThan((await env.currentTimeMs()) + 13 * 86400000);
    await h1.executeUpdate(reportFixUpdate, {
      args: [{ by: dept('edu-bureau'), findingId: finding.findingId, note: '已整改' }],
    });

    // Monthly reports until the mid-year: p2's third report is late (overdue, then reported late).
    const p1s = await projectState(env, p1);
    await reportThrough([p1, p2], p1s.midYear.dueAt, { late: { [p2]: [3] } });
    await h1.executeUpdate(submitMidYearReportUpdate, { args: [{ by: dept('edu-bureau'), summary: '年中报告' }] });
    await sleepUntil(env, p1s.midYear.dueAt, 3600_000);
    expect((await projectState(env, p1)).midYear).toMatchObject({ onTime: true, overdue: false });
    expect((await projectState(env, p2)).midYear.overdue).toBe(true);
    expect(typesOf(p2)).toEqual(
      expect.arrayContaining([
        'LivelihoodProgressReminderSent',
        'LivelihoodProgressOverdue',
        'LivelihoodMidYearOverdue',
      ]),
    );
    const late = (await projectState(env, p2)).reports.find((r) => r.period === 3)!;
    expect(late.onTime).toBe(false);

    // The rest of the year, to 100%; then the year-end evaluation.
    await reportThrough([p1, p2], p1s.evaluationAt);
    await sleepUntil(env, p1s.evaluationAt, 3600_000);
    expect((await projectState(env, p1)).stage).toBe('evaluation');
    // p1: 80% satisfied or basically → satisfactory (threshold 60): +2 for edu-bureau.
    await rate(p1, 30, 10, 10);
    const r1 = await waitFor(
      env,
      () => projectState(env, p1),
      (x) => x.stage === 'closed',
      'p1 closed',
    );
    expect(r1).toMatchObject({ outcome: 'satisfactory', score: { points: 2, reason: 'satisfactory' } });
    // p2: 40% → unsatisfactory; it re-reports, then is rated satisfactory.
    await rate(p2, 10, 10, 30);
    await reReportUntilEvaluation(env, p2, 'transport-bureau', { summary: '再报告：整改情况', label: 'p2' });
    await rate(p2, 40, 5, 5);
    const r2 = await waitFor(
      env,
      () => projectState(env, p2),
      (x) => x.stage === 'closed',
      'p2 closed',
    );
    expect(r2.evaluations.map((e) => e.satisfactory)).toEqual([false, true]);
    expect(r2.outcome).toBe('satisfactory');
    expect(typesOf(p2)).toEqual(expect.arrayContaining(['LivelihoodReReportRequested', 'LivelihoodReReported']));

    // Every project has rated: the cycle closes.
    const final = await cycle.result();
    expect(final.stage).toBe('closed');
    expect(final.projects.map((p) => p.settled)).toEqual(['satisfactory', 'unsatisfactory']);
    expect(typesOf(cycleId)).toEqual(
      expect.arrayContaining([
        'LivelihoodCycleOpened',
        'LivelihoodCandidatesMerged',
        'LivelihoodCollectionClosed',
        'LivelihoodFeasibilityRequested',
        'LivelihoodBallotListPublished',
        'LivelihoodVoteTallied',
        'LivelihoodProjectsElected',
        'LivelihoodCycleClosed',
      ]),
    );
    // Each event exactly once, with a deterministic id.
    const ids = h.published.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('revotes after a failed quorum, climbs to the special inquiry, and carries an unfinished project over', async () => {
    const policy = livelihoodPolicy({ vote: { tieRule: 'lowerCost' } });
    const cycle = await startCycle(env, h.taskQueue, policy);
    const cycleId = (await cycleState(cycle)).cycleId;
    const [a, b, c] = await toBallotList(env, cycle, [
      { title: '河道整治', leadUnit: 'eco-env-bureau', cost: 5_000_000 },
      { title: '学校食堂', leadUnit: 'edu-bureau', cost: 800_000 },
      { title: '公交线路', leadUnit: 'transport-bureau', cost: 900_000 },
    ]);

    // 4 of 10 cast ballots: no quorum (50%) → the policy says vote again.
    await cycle.executeUpdate(openLivelihoodVoteUpdate, { args: [{ by: staff, electorate: 10, present: 4 }] });
    await cycle.executeUpdate(recordTallyUpdate, { args: [tally(cycleId, 4, { [a]: 4, [b]: 4 })] });
    let s = await cycleState(cycle);
    expect(s.votes[0].tally).toMatchObject({ next: 'revote', decision: { quorumMet: false, elected: [] } });
    expect(s.votes[1]).toMatchObject({ kind: 'revote', seats: 2, candidates: [a, b, c] });
    // Round 2: quorum; a leads, b and c tie at 6 — the lowerCost rule picks b (0.8 M).
    await cycle.executeUpdate(openLivelihoodVoteUpdate, { args: [{ by: staff, electorate: 10, present: 10 }] });
    await cycle.executeUpdate(recordTallyUpdate, { args: [tally(`${cycleId}-r2`, 10, { [a]: 8, [b]: 6, [c]: 6 })] });
    s = await waitFor(
      env,
      () => cycleState(cycle),
      (x) => x.stage === 'implementation',
      'implementation',
    );
    expect(s.elected).toEqual([a, b]);
    const [pa, pb] = s.projects.map((p) => p.projectId);
    await waitFor(
      env,
      () => projectState(env, pb).catch(() => undefined),
      (x) => !!x,
      'projects',
    );

    // pa finishes but is rated unsatisfactory twice: the ladder to the special inquiry.
    // pb reaches only 60%: it carries over into the next cycle, and is rated a year later.
    const first = await projectState(env, pa);
    await reportThrough([pa, pb], first.evaluationAt, {
      percentAt: (id, period) => (id === pb ? Math.min(60, period * 6) : Math.min(100, period * 12)),
    });
    await sleepUntil(env, first.evaluationAt, 3600_000);
    const carried = await projectState(env, pb);
    expect(carried).toMatchObject({ stage: 'carriedOver', cycleYear: s.year + 1, carryOvers: 1 });
    expect(Date.parse(carried.evaluationAt)).toBeGreaterThan(Date.parse(first.evaluationAt) + 280 * 86400000);
    expect(bodyOf(`${pb}/carried-over/1`)).toMatchObject({
      fromYear: s.year,
      intoYear: s.year + 1,
      percent: carried.percent,
    });
    expect(carried.percent).toBeLessThan(100);
    const desc = await env.client.workflow.getHandle(pb).describe();
    expect(desc.typedSearchAttributes.get({ name: 'CycleYear', type: 'INT' } as never)).toBe(s.year + 1);

    await rate(pa, 5, 5, 40);
    await reReportUntilEvaluation(env, pa, 'eco-env-bureau', { label: 'pa' });
    await rate(pa, 5, 5, 40);
    const escalated = await waitFor(
      env,
      () => projectState(env, pa),
      (x) => x.stage === 'escalated',
      'pa escalated',
    );
    expect(escalated.score).toEqual({ points: -3, reason: 'unsatisfactoryAfterReReport' });
    const ladderId = escalated.ladders[0].ladderId;
    const ladderState = await waitFor(
      env,
      () => env.client.workflow.getHandle(ladderId).query('state') as Promise<any>,
      (l) => l.status === 'exhausted',
      'the ladder to reach its top',
      30 * 86400000,
    );
    expect(ladderState.steps.map((x: { step: string }) => x.step)).toEqual([
      'publicBulletin',
      'specialSupervision',
      'specialReport',
      'specialInquiry',
    ]);
    const closedA = await waitFor(
      env,
      () => projectState(env, pa),
      (x) => x.stage === 'closed',
      'pa closed',
    );
    expect(closedA.outcome).toBe('escalationExhausted');

    // The cycle closed once pa was rated and pb carried over.
    const final = await cycle.result();
    expect(final.projects.map((p) => p.settled)).toEqual(['unsatisfactory', 'carriedOver']);

    // pb's second year: reports to 100%, rated satisfactory at the next evaluation.
    const firstYear = carried.reports.length;
    await reportThrough([pb], carried.evaluationAt, {
      percentAt: (_id, period) => Math.min(100, carried.percent + (period - firstYear) * 10),
    });
    await sleepUntil(env, carried.evaluationAt, 3600_000);
    await rate(pb, 40, 0, 10);
    const closedB = await waitFor(
      env,
      () => projectState(env, pb),
      (x) => x.stage === 'closed',
      'pb closed',
    );
    expect(closedB).toMatchObject({ outcome: 'satisfactory', carryOvers: 1, percent: 100 });
  });

  it('keeps collecting across continue-as-new, then elects nothing when the policy says so after a failed quorum', async () => {
    const policy = livelihoodPolicy({ vote: { onQuorumFailure: 'noProjects' }, seats: 1, ballotCandidates: 2 });
    const cycle = await startCycle(env, h.taskQueue, policy, { historyLimit: 40 });
    const cycleId = (await cycleState(cycle)).cycleId;
    const first = (await cycle.describe()).runId;
    const ids = await proposeFromDeputies(cycle, 30);
    // A merge across runs keeps every proposer.
    await mergeLastIntoFirst(cycle, ids);
    let s = await cycleState(cycle);
    expect(s.runs).toBeGreaterThan(1);
    expect((await cycle.describe()).runId).not.toBe(first);
    expect(s.candidates).toHaveLength(30);
    expect(new Set(s.candidates.map((c) => c.candidateId)).size).toBe(30);
    expect(s.candidates[0].proposers.map((p) => p.id)).toEqual(['deputy-0', 'deputy-29']);
    // Every proposal published exactly once across the runs.
    expect(typesOf(cycleId).filter((t) => t === 'LivelihoodCandidateProposed')).toHaveLength(30);

    for (const id of ids.slice(1, 29))
      await cycle.executeUpdate(screenUpdate, {
        args: [{ by: staff, candidateId: id, decision: 'reject', reason: '不符合' }],
      });
    await cycle.executeUpdate(screenUpdate, { args: [{ by: staff, candidateId: ids[0], decision: 'accept' }] });
    await cycle.executeUpdate(closeCollectionUpdate, { args: [{ by: staff }] });
    s = await waitFor(
      env,
      () => cycleState(cycle),
      (x) => x.stage === 'feasibility',
      'feasibility',
    );
    expect(s.runs).toBeGreaterThan(2);
    // Only one candidate accepted and nobody reviews it in time: it leaves the cycle, and with
    // fewer feasible candidates than the list needs, staff cannot publish one.
    await sleepUntil(env, s.feasibilityDueAt!, 60_000);
    s = await cycleState(cycle);
    expect(s.stage).toBe('ballotList');
    expect(s.candidates[0].status).toBe('notReviewed');
    expect(
      await refusal(
        cycle.executeUpdate(publishBallotListUpdate, { args: [{ by: staff, candidateIds: [ids[0], ids[1]] }] }),
      ),
    ).toBe('InvalidInput');
  });

  it('ends the year without projects when a vote has no quorum and the policy says noProjects', async () => {
    const policy = livelihoodPolicy({ vote: { onQuorumFailure: 'noProjects' } });
    const cycle = await startCycle(env, h.taskQueue, policy);
    const cycleId = (await cycleState(cycle)).cycleId;
    const [a, b] = await toBallotList(env, cycle, [
      { title: '路灯', leadUnit: 'transport-bureau', cost: 100 },
      { title: '公园', leadUnit: 'eco-env-bureau', cost: 200 },
      { title: '图书馆', leadUnit: 'edu-bureau', cost: 300 },
    ]);
    await cycle.executeUpdate(openLivelihoodVoteUpdate, { args: [{ by: staff, electorate: 100, present: 30 }] });
    await cycle.executeUpdate(recordTallyUpdate, { args: [tally(cycleId, 30, { [a]: 30, [b]: 20 })] });
    const final = await cycle.result();
    expect(final).toMatchObject({ stage: 'closed', outcome: 'noProjects', elected: [], projects: [] });
    expect(bodyOf(`${cycleId}/closed`)).toMatchObject({ outcome: 'noProjects', projects: 0 });
  });
});
