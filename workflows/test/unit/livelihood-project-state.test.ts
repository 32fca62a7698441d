// A livelihood project's pure state module, given / when / then: a state, an action, and what
// the checks refuse or the change leads to (workflows/src/livelihood/project-{state,validate}.ts).
import type { LivelihoodPolicy } from '@duban/domain';
import type { ProjectInput, ProjectState } from '../../src';
import { applyProject, initialProjectState } from '../../src/livelihood/project-state';
import { validateProject } from '../../src/livelihood/project-validate';

const lead = { role: 'unit', sub: 'h1', unit: 'edu-bureau' } as const;
const staff = { role: 'staff', sub: 'clerk-1' } as const;
const deputy = { role: 'deputy', sub: 'dep-7' } as const;
const NOW = Date.parse('2026-04-10T02:00:00Z');

function given(over: Partial<ProjectState> = {}): ProjectState {
  const input = {
    projectId: 'project-2026-01',
    cycleId: 'cycle-2026',
    jurisdiction: 'cn-zj-demo-city',
    year: 2026,
    candidateId: 'c1',
    title: 'Canteens for the elderly',
    category: 'welfare',
    leadUnit: 'edu-bureau',
    coUnits: [],
    budget: 1_000_000,
    milestones: [{ name: 'sites chosen', dueDate: '2026-05-01' }],
  } as unknown as ProjectInput;
  const plan = {
    reportDueAts: ['2026-04-01T01:00:00.000Z', '2026-07-01T01:00:00.000Z'],
    midYearDueAt: '2026-07-15T01:00:00.000Z',
    evaluationAt: '2026-12-01T01:00:00.000Z',
  };
  return { ...initialProjectState(input, '2026-02-01T00:00:00.000Z', plan), ...over };
}

describe('progress reports', () => {
  it('given a running project, when the lead unit reports late, then the first open period is reported late', () => {
    const state = given();
    const r = { by: lead, percent: 30, spent: 120000.4, summary: ' sites chosen ', milestonesDone: ['m1'] };
    expect(validateProject.progress(state, r)).toBeUndefined();
    const e = applyProject.progress(state, r, 'unit:h1/edu-bureau', NOW);
    expect(e.step).toBe('progress/1');
    expect(e.body).toMatchObject({ livelihoodProgressReported: { period: 1, onTime: false, spent: '120000' } });
    expect(state.periods[0]).toMatchObject({ status: 'reported', onTime: false });
    expect(state.milestones[0]).toMatchObject({ done: true, doneAt: new Date(NOW).toISOString() });
    expect(state.latestReport).toMatchObject({ summary: 'sites chosen', by: 'unit:h1/edu-bureau' });
  });

  it('given a report at 30%, when the next one says 20%, then percent may not go down', () => {
    const state = given({ percent: 30 });
    expect(validateProject.progress(state, { by: lead, percent: 20, spent: 0, summary: 'x' })).toEqual({
      type: 'invalid',
      message: 'percent must not go down (last report: 30%)',
    });
  });

  it('given a running project, when another unit reports, then it is forbidden', () => {
    const other = { role: 'unit', sub: 'h9', unit: 'water-bureau' } as const;
    expect(validateProject.progress(given(), { by: other, percent: 10, spent: 0, summary: 'x' })?.message).toBe(
      'a progress report for project-2026-01 comes from its lead department edu-bureau, not water-bureau',
    );
  });
});

describe('inspections and fixes', () => {
  it('given an inspection with a fix, when the fix is reported, then it is on time and cannot be reported twice', () => {
    const state = given();
    const i = {
      by: deputy,
      group: 'group-3',
      findings: [
        { text: 'no ramp', fixRequired: true },
        { text: 'ok', fixRequired: false },
      ],
    };
    expect(validateProject.inspection(state, i, { now: NOW })).toBeUndefined();
    const { event, fixes } = applyProject.inspection(
      state,
      i,
      ['2026-05-10T01:00:00.000Z', undefined],
      'deputy:dep-7',
      NOW,
    );
    expect(event).toMatchObject({
      step: 'inspection/i1',
      body: { livelihoodInspectionRecorded: { findings: 2, fixesRequired: 1 } },
    });
    expect(fixes.map((f) => f.findingId)).toEqual(['i1-f1']);
    const fix = { by: lead, findingId: 'i1-f1', note: 'ramp built' };
    expect(applyProject.fix(state, fix, NOW).body).toEqual({
      livelihoodFixReported: { findingId: 'i1-f1', unit: 'edu-bureau', onTime: true },
    });
    expect(validateProject.fix(state, fix)?.message).toBe('finding i1-f1 is fixed already');
    expect(validateProject.fix(state, { ...fix, findingId: 'i1-f2' })?.message).toBe('finding i1-f2 demands no fix');
  });

  it('given a running project, when a finding names a past fix date, then it is refused by its index', () => {
    const i = {
      by: staff,
      group: 'g',
      findings: [{ text: 'no ramp', fixRequired: true, fixDueAt: '2026-01-01T00:00:00Z' }],
    };
    expect(validateProject.inspection(given(), i, { now: NOW })?.message).toBe(
      'findings.0.fixDueAt must be a future date-time',
    );
  });
});

describe('evaluation', () => {
  const lp = { satisfactionThreshold: 60 } as LivelihoodPolicy;

  it('given an open evaluation, when staff record 50% satisfied, then it is unsatisfactory and the round is closed', () => {
    const state = given({ stage: 'evaluation' });
    const e = { by: staff, satisfied: 3, basicallySatisfied: 2, unsatisfied: 5 };
    expect(validateProject.evaluation(state, e)).toBeUndefined();
    const { event, satisfactory } = applyProject.evaluation(state, e, lp, NOW);
    expect(satisfactory).toBe(false);
    expect(event).toMatchObject({ step: 'rated/1', body: { livelihoodProjectRated: { share: 50, threshold: 60 } } });
    expect(validateProject.evaluation(state, e)).toEqual({
      type: 'alreadyRated',
      message: 'this round has been rated already',
    });
  });

  it('given an open evaluation, when all counts are 0, then nobody rated', () => {
    const e = { by: staff, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 };
    expect(validateProject.evaluation(given({ stage: 'evaluation' }), e)?.message).toBe(
      'nobody rated: the counts are all 0',
    );
  });
});
