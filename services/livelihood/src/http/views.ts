// What the service shows: a cycle (proposers' ids to staff only), a vote's public result (turnout,
// votes per candidate, elected — never a ballot), a project's progress, per-department roll-ups.
import type { CycleState, ProjectState } from '@duban/workflows';
import type { VoteDoc } from '../data/models';

export function cycleView(s: CycleState, staff: boolean) {
  return {
    cycleId: s.cycleId,
    jurisdiction: s.jurisdiction,
    year: s.year,
    stage: s.stage,
    startedAt: s.startedAt,
    collectionClosesAt: s.collectionClosesAt,
    feasibilityDueAt: s.feasibilityDueAt ?? null,
    candidates: s.candidates.map((c) => ({
      candidateId: c.candidateId,
      title: c.title,
      category: c.category,
      proposedAt: c.proposedAt,
      status: c.status,
      mergedInto: c.mergedInto ?? null,
      screenReason: c.screenReason ?? null,
      proposers: staff ? c.proposers : c.proposers.map((p) => ({ kind: p.kind })),
      feasibility: c.feasibility ?? null,
    })),
    ballotList: s.ballotList ?? null,
    votes: s.votes.map((v) => publicRound(v)),
    elected: s.elected,
    projects: s.projects,
    outcome: s.outcome ?? null,
    runs: s.runs,
  };
}

function publicRound(v: CycleState['votes'][number]) {
  return {
    round: v.round,
    voteId: v.voteId,
    kind: v.kind,
    candidates: v.candidates,
    seats: v.seats,
    electorate: v.electorate ?? null,
    present: v.present ?? null,
    openedAt: v.openedAt ?? null,
    closesAt: v.closesAt ?? null,
    result: v.tally
      ? {
          ballotsCast: v.tally.ballotsCast,
          turnoutPercent: v.electorate ? Math.round((v.tally.ballotsCast * 10000) / v.electorate) / 100 : null,
          quorumMet: v.tally.decision.quorumMet,
          majorityOver: v.tally.decision.majorityOver,
          votes: v.tally.decision.ranked,
          elected: v.tally.decision.elected,
          tied: v.tally.decision.tied,
          next: v.tally.next,
          ballotsDigest: v.tally.ballotsDigest,
        }
      : null,
  };
}

export function voteView(s: CycleState, round: number, doc: VoteDoc | null, ballotsStored: number) {
  const v = s.votes.find((x) => x.round === round)!;
  const cast = v.tally?.ballotsCast ?? ballotsStored;
  return {
    cycleId: s.cycleId,
    ...publicRound(v),
    status: v.tally ? 'counted' : (doc?.status ?? 'notOpened'),
    ballotsCast: cast,
    turnoutPercent: v.electorate ? Math.round((cast * 10000) / v.electorate) / 100 : null,
  };
}

export function projectView(p: ProjectState, staff: boolean) {
  return {
    projectId: p.projectId,
    cycleId: p.cycleId,
    year: p.year,
    cycleYear: p.cycleYear,
    title: p.title,
    category: p.category,
    leadUnit: p.leadUnit,
    coUnits: p.coUnits,
    stage: p.stage,
    startedAt: p.startedAt,
    budget: p.budget,
    spent: p.spent,
    percent: p.percent,
    milestones: p.milestones,
    periods: p.periods,
    latestReport: p.latestReport ?? null,
    reports: staff ? p.reports : p.reports.map(({ by: _by, ...r }) => r),
    inspections: p.inspections.map((i) => ({ ...i, by: staff ? i.by : undefined })),
    midYear: p.midYear,
    evaluationAt: p.evaluationAt,
    evaluations: p.evaluations,
    reReport: p.reReport ?? null,
    carriedOver: p.carryOvers > 0,
    carryOvers: p.carryOvers,
    ladders: p.ladders,
    overdue: p.overdue,
    atRisk: p.atRisk,
    score: p.score ?? null,
    outcome: p.outcome ?? null,
  };
}

export function departmentRollUps(projects: ProjectState[]) {
  const by = new Map<string, ProjectState[]>();
  for (const p of projects) by.set(p.leadUnit, [...(by.get(p.leadUnit) ?? []), p]);
  return [...by.entries()]
    .map(([unit, ps]) => ({
      unit,
      projects: ps.length,
      projectIds: ps.map((p) => p.projectId),
      coImplementing: projects.filter((p) => p.coUnits.includes(unit)).length,
      budget: ps.reduce((a, p) => a + p.budget, 0),
      spent: ps.reduce((a, p) => a + p.spent, 0),
      averagePercent: Math.round(ps.reduce((a, p) => a + p.percent, 0) / ps.length),
      completed: ps.filter((p) => p.percent >= 100).length,
      overdue: ps.filter((p) => p.overdue).length,
      atRisk: ps.filter((p) => p.atRisk).length,
      lateReports: ps.reduce((a, p) => a + p.reports.filter((r) => !r.onTime).length, 0),
      openFixes: ps.reduce(
        (a, p) =>
          a +
          p.inspections.flatMap((i) => i.findings).filter((f) => f.status === 'open' || f.status === 'overdue').length,
        0,
      ),
      satisfactory: ps.filter((p) => p.outcome === 'satisfactory').length,
      unsatisfactory: ps.filter((p) => p.evaluations.some((e) => !e.satisfactory)).length,
      carriedOver: ps.filter((p) => p.carryOvers > 0).length,
      scorePoints: ps.reduce((a, p) => a + (p.score?.points ?? 0), 0),
    }))
    .sort((a, b) => a.unit.localeCompare(b.unit));
}
