// The what-if year's planning and report, without a server: the same load plans the same cases
// for every policy compared, a bad profile names its fields, and the report shows the figures.
import { parseLoad, planCases } from '../../scripts/simulate/load';
import { renderReport } from '../../scripts/simulate/report';
import type { YearResult } from '../../scripts/simulate/run';
import sample from '../../scripts/simulate/samples/demo-city-load.json';

describe('the load profile', () => {
  it('plans the same cases on every run, each unit by its share, within its reply times', () => {
    const load = parseLoad(sample, 'sample');
    const a = planCases(load, '2027');
    const b = planCases(load, '2027');
    expect(a).toEqual(b);
    expect(a).toHaveLength(300);
    expect(new Set(a.map((c) => c.id)).size).toBe(300);
    for (const c of a) {
      const { median, spread } = load.units[c.unit].replyDays;
      expect(c.replyDay - c.submitDay).toBeGreaterThanOrEqual(Math.max(1, median - spread));
      expect(c.replyDay - c.submitDay).toBeLessThanOrEqual(median + spread);
      expect(c.submitDay).toBeLessThan(load.intakeDays);
    }
    const edu = a.filter((c) => c.unit === 'edu-bureau').length / a.length;
    expect(edu).toBeGreaterThan(0.25);
    expect(edu).toBeLessThan(0.45);
  });

  it('gives a second reply, and a second rating, exactly to the cases rated unsatisfied', () => {
    const plan = planCases(parseLoad(sample, 'sample'), '2027');
    const unsatisfied = plan.filter((c) => c.firstRating === 'unsatisfied');
    expect(unsatisfied.length).toBeGreaterThan(0);
    for (const c of plan) {
      expect(c.secondReplyDay !== undefined).toBe(c.firstRating === 'unsatisfied');
      if (c.secondReplyDay !== undefined) expect(c.secondReplyDay).toBeGreaterThan(c.replyDay);
    }
    expect(plan.some((c) => c.firstRating === undefined)).toBe(true); // noRatingPercent 5
  });

  it('refuses a bad profile naming each field', () => {
    expect(() =>
      parseLoad({ ...sample, cases: { suggestion: 0 }, units: {}, ratings: { satisfied: -1 } }, 'x.json'),
    ).toThrow(/x\.json is not valid:[\s\S]*cases\.suggestion[\s\S]*units: name at least one unit[\s\S]*ratings/);
  });
});

describe('the report', () => {
  const result = (name: string, overdue: number): YearResult => ({
    policyName: name,
    policySources: 'cn-national v1 → cn-zj-demo-city v1',
    startedAt: '2026-12-02',
    cases: 10,
    overdueByMonth: [0, 0, overdue, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    overdueCases: overdue,
    veryOverdueCases: 1,
    laddersStarted: 2,
    escalationsByStep: { publicBulletin: 2, specialInquiry: 1 },
    units: { 'edu-bureau': { cases: 10, overdue, scored: 8, averageScore: 91.5 } },
    refusedActions: [],
    wallMs: 1000,
  });

  it('puts both policies side by side with their figures, in one file that loads nothing', () => {
    const html = renderReport(parseLoad(sample, 'sample'), [result('现行 <办法>', 3), result('拟议', 17)], new Date(0));
    expect(html).toContain('<th>现行 &lt;办法&gt;</th><th>拟议</th>');
    expect(html).toMatch(/逾期案件（催办）<\/th><td>3<\/td><td>17<\/td>/);
    expect(html).toContain('专题询问');
    expect(html).toContain('平均得分 91.5');
    expect(html).not.toMatch(/<script|<link|src=/);
  });
});
