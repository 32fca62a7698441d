// What a caller may do in a livelihood cycle or on a project now (workflows/src/livelihood/rules.ts):
// the lists the validators use and the answer the console renders, for each role and stage.
import { evaluationOpen, openCycleActions, openProjectActions, type CycleState, type ProjectState } from '../../src';

const staff = { role: 'staff' as const, sub: 'clerk-1' };
const deputy = { role: 'deputy' as const, sub: 'deputy-001' };
const reviewer = { role: 'unit' as const, sub: 'h', unit: 'government-office' };
const lead = { role: 'unit' as const, sub: 'h', unit: 'edu-bureau' };
const otherUnit = { role: 'unit' as const, sub: 'h', unit: 'transport-bureau' };

const candidate = (n: number, status: CycleState['candidates'][number]['status'], feasible?: boolean) => ({
  candidateId: `c000${n}`,
  title: `项目${n}`,
  category: 'public-service',
  proposers: [],
  proposedAt: '2027-01-02T01:00:00Z',
  status,
  ...(feasible === undefined
    ? {}
    : {
        feasibility: {
          feasible,
          costEstimate: 1,
          leadUnit: 'edu-bureau',
          coUnits: [],
          milestones: [],
          note: '可行',
          reviewedAt: '2027-02-01T01:00:00Z',
          onTime: true,
        },
      }),
});

function cycle(stage: CycleState['stage'], candidates: CycleState['candidates']): CycleState {
  return {
    cycleId: 'livelihood-cn-zj-demo-city-2027',
    jurisdiction: 'cn-zj-demo-city',
    year: 2027,
    stage,
    startedAt: '2027-01-02T01:00:00Z',
    collectionClosesAt: '2027-03-02T15:59:59.999Z',
    candidates,
    nextCandidateNo: candidates.length + 1,
    votes: [],
    elected: [],
    projects: [],
    runs: 1,
    eventsPublished: 0,
    feasibilityReviewer: 'government-office',
    seats: 2,
    ballotCandidates: 3,
  };
}

const names = (xs: { action: string; target?: string }[]) =>
  xs.map((x) => (x.target ? `${x.action}:${x.target}` : x.action));

describe('cycle actions', () => {
  it('collecting: staff merge, screen each proposed candidate and close; anyone proposes', () => {
    const s = cycle('collecting', [candidate(1, 'proposed'), candidate(2, 'accepted'), candidate(3, 'merged')]);
    expect(names(openCycleActions(s, staff))).toEqual(['propose', 'merge', 'screen:c0001', 'closeCollection']);
    expect(names(openCycleActions(s, deputy))).toEqual(['propose']);
    expect(names(openCycleActions(s, reviewer))).toEqual(['propose']);
  });

  it('merging needs two live candidates', () => {
    const s = cycle('screening', [candidate(1, 'accepted'), candidate(2, 'rejected')]);
    expect(names(openCycleActions(s, staff))).toEqual([]);
  });

  it('feasibility: only the policy reviewer, for each accepted candidate not yet reviewed', () => {
    const s = cycle('feasibility', [
      candidate(1, 'accepted'),
      candidate(2, 'accepted', true),
      candidate(3, 'rejected'),
    ]);
    expect(names(openCycleActions(s, reviewer))).toEqual(['feasibility:c0001']);
    expect(names(openCycleActions(s, otherUnit))).toEqual([]);
    expect(names(openCycleActions(s, staff))).toEqual([]);
  });

  it('ballot list, opening and closing the vote are for staff in their stage', () => {
    expect(names(openCycleActions(cycle('ballotList', []), staff))).toEqual(['ballotList']);
    expect(names(openCycleActions(cycle('awaitingVote', []), staff))).toEqual(['openVote']);
    expect(names(openCycleActions(cycle('voting', []), staff))).toEqual(['closeVote']);
    for (const st of ['ballotList', 'awaitingVote', 'voting', 'implementation', 'closed'] as const)
      expect(openCycleActions(cycle(st, []), deputy)).toEqual([]);
  });
});

function project(over: Partial<ProjectState> = {}): ProjectState {
  return {
    projectId: 'livelihood-cn-zj-demo-city-2027-p01',
    cycleId: 'livelihood-cn-zj-demo-city-2027',
    jurisdiction: 'cn-zj-demo-city',
    year: 2027,
    cycleYear: 2027,
    candidateId: 'c0001',
    title: '项目',
    category: 'public-service',
    leadUnit: 'edu-bureau',
    coUnits: ['transport-bureau'],
    budget: 1,
    stage: 'implementation',
    startedAt: '2027-03-01T01:00:00Z',
    percent: 0,
    spent: 0,
    milestones: [],
    periods: [],
    reports: [],
    inspections: [
      {
        inspectionId: 'i1',
        group: 'education-group',
        by: 'deputy:deputy-001',
        at: '2027-04-01T01:00:00Z',
        findings: [
          { findingId: 'i1-f1', text: '未完工', fixRequired: true, status: 'open' },
          { findingId: 'i1-f2', text: '已记录', fixRequired: false, status: 'noted' },
        ],
      },
    ],
    midYear: { dueAt: '2027-09-01T01:00:00Z', overdue: false },
    evaluationAt: '2028-01-01T01:00:00Z',
    evaluations: [],
    carryOvers: 0,
    ladders: [],
    overdue: false,
    atRisk: false,
    eventsPublished: 0,
    ...over,
  };
}

describe('project actions', () => {
  it('the lead department reports progress, the mid-year report and fixes; a co-unit does not', () => {
    expect(names(openProjectActions(project(), lead))).toEqual(['progress', 'reportFix:i1-f1', 'midYearReport']);
    expect(names(openProjectActions(project(), otherUnit))).toEqual([]);
    expect(
      names(openProjectActions(project({ midYear: { dueAt: 'x', reportedAt: 'y', overdue: false } }), lead)),
    ).toEqual(['progress', 'reportFix:i1-f1']);
  });

  it('deputies and staff inspect while the project runs; nothing after it is escalated or closed', () => {
    expect(names(openProjectActions(project(), deputy))).toEqual(['inspection']);
    expect(names(openProjectActions(project(), staff))).toEqual(['inspection']);
    for (const stage of ['escalated', 'closed'] as const) {
      expect(names(openProjectActions(project({ stage }), deputy))).toEqual([]);
      expect(names(openProjectActions(project({ stage }), lead))).toEqual(['reportFix:i1-f1']);
    }
  });

  it('the evaluation is open until its round is rated; the second round after a re-report', () => {
    const rated = {
      round: 1,
      satisfied: 1,
      basicallySatisfied: 0,
      unsatisfied: 5,
      share: 16,
      satisfactory: false,
      at: 'x',
    };
    expect(evaluationOpen(project({ stage: 'evaluation' }))).toBe(true);
    expect(names(openProjectActions(project({ stage: 'evaluation' }), staff))).toEqual(['inspection', 'evaluation']);
    // Round 1 rated, the re-report not yet due: closed for staff.
    expect(evaluationOpen(project({ stage: 'evaluation', evaluations: [rated], reReport: { dueAt: 'x' } }))).toBe(
      false,
    );
    expect(
      names(openProjectActions(project({ stage: 'reReport', evaluations: [rated], reReport: { dueAt: 'x' } }), lead)),
    ).toEqual(['progress', 'reportFix:i1-f1', 'midYearReport', 'reReport']);
    expect(
      evaluationOpen(project({ stage: 'evaluation', evaluations: [rated], reReport: { dueAt: 'x', reportedAt: 'y' } })),
    ).toBe(true);
  });
});
