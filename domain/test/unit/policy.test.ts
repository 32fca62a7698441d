import national from '../../data/policy-national.json';
import { PolicyError, resolvePolicy, routeSuggestion, type PolicyDocument } from '../../src';

const nationalDoc = national as PolicyDocument;

describe('jurisdiction policy', () => {
  it('merges a city override over the national defaults', () => {
    const city: PolicyDocument = {
      id: 'cn-x-city',
      name: 'City',
      level: 'city',
      parent: 'cn-national',
      settings: {
        suggestion: {
          replyWindow: { amount: 2, unit: 'months' },
          routing: { byCategory: { education: 'edu-bureau' } },
        },
      },
    };
    const eff = resolvePolicy([
      { doc: nationalDoc, version: 1 },
      { doc: city, version: 3 },
    ]);
    expect(eff.jurisdiction).toBe('cn-x-city');
    expect(eff.sources).toEqual([
      { id: 'cn-national', version: 1 },
      { id: 'cn-x-city', version: 3 },
    ]);
    expect(eff.policy.suggestion.replyWindow).toEqual({ amount: 2, unit: 'months' });
    expect(eff.policy.suggestion.maxReplyWindow).toEqual({ amount: 6, unit: 'months' }); // inherited
    expect(routeSuggestion(eff.policy, 'education')).toBe('edu-bureau');
    expect(routeSuggestion(eff.policy, 'unknown')).toBe('government-office');
  });

  it('names the field at fault when an override breaks the policy', () => {
    const bad: PolicyDocument = {
      id: 'cn-bad',
      name: 'Bad',
      level: 'county',
      parent: 'cn-national',
      settings: { suggestion: { replyWindow: { amount: -1, unit: 'fortnights' } } },
    };
    let error: unknown;
    try {
      resolvePolicy([
        { doc: nationalDoc, version: 1 },
        { doc: bad, version: 1 },
      ]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const paths = (error as PolicyError).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['suggestion.replyWindow.amount', 'suggestion.replyWindow.unit']));
    expect((error as Error).message).toMatch(/cn-bad/);
  });

  it('counts windows in seconds only in a drill jurisdiction', () => {
    const seconds = {
      suggestion: { replyWindow: { amount: 20, unit: 'seconds' }, reminderBefore: [{ amount: 5, unit: 'seconds' }] },
    };
    const drill: PolicyDocument = {
      id: 'cn-drill',
      name: 'Drill',
      level: 'county',
      parent: 'cn-national',
      drill: true,
      settings: seconds,
    };
    const eff = resolvePolicy([
      { doc: nationalDoc, version: 1 },
      { doc: drill, version: 1 },
    ]);
    expect(eff.drill).toBe(true);
    expect(eff.policy.suggestion.replyWindow).toEqual({ amount: 20, unit: 'seconds' });

    const notDrill = { ...drill, id: 'cn-real', drill: undefined };
    let error: unknown;
    try {
      resolvePolicy([
        { doc: nationalDoc, version: 1 },
        { doc: notDrill, version: 1 },
      ]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toMatch(/cn-real.*only a drill jurisdiction/);
    expect((error as PolicyError).problems.map((p) => p.path)).toEqual([
      'suggestion.replyWindow',
      'suggestion.reminderBefore.0',
    ]);
    // Inheriting a drill's seconds does not make a jurisdiction a drill.
    expect(() =>
      resolvePolicy([
        { doc: nationalDoc, version: 1 },
        { doc: drill, version: 1 },
        { doc: { id: 'cn-child', name: 'Child', level: 'county', parent: 'cn-drill', settings: {} }, version: 1 },
      ]),
    ).toThrow(/cn-child/);
  });

  it('refuses a chain that does not start at national defaults', () => {
    expect(() => resolvePolicy([{ doc: { ...nationalDoc, level: 'city' }, version: 1 }])).toThrow(/national/);
  });

  it('carries the scores rules, and names the field at fault in a bad scores override', () => {
    const eff = resolvePolicy([{ doc: nationalDoc, version: 1 }]);
    expect(eff.policy.scores.unitIndex.weights).toEqual({ onTimeRate: 30, averageScore: 40, satisfactionRate: 30 });
    expect(eff.policy.scores.stationStars).toEqual([90, 75, 60, 45]);
    const bad: PolicyDocument = {
      id: 'cn-bad-scores',
      name: 'Bad scores',
      level: 'city',
      parent: 'cn-national',
      settings: {
        scores: {
          unitIndex: { weights: { onTimeRate: 50 } },
          deputyPoints: { votes: 1 },
          stationStars: [60, 75, 90, 45],
        },
      },
    };
    let error: unknown;
    try {
      resolvePolicy([
        { doc: nationalDoc, version: 1 },
        { doc: bad, version: 1 },
      ]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const problems = (error as PolicyError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'scores.unitIndex.weights', message: 'the unitIndex weights must add up to 100' },
        expect.objectContaining({ path: 'scores.deputyPoints' }),
        { path: 'scores.stationStars', message: 'thresholds must go strictly down, e.g. [90, 75, 60, 45]' },
      ]),
    );
  });
});
