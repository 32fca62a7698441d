import national from '../../data/policy-national.json';
import { scoreSuggestion, type Scoring } from '../../src';

const rules = (national.settings.suggestion as { scoring: Scoring }).scoring;

describe('100-point segmented score', () => {
  it('gives full marks to an on-time A reply the deputy is satisfied with', () => {
    const s = scoreSuggestion(rules, {
      lateReply: false,
      veryLateReply: false,
      extensions: 0,
      secondReply: false,
      missedCommitments: 0,
      escalated: false,
      finalGrade: 'A',
      finalRating: 'satisfied',
    });
    expect(s).toEqual({ replyStage: 40, implementationStage: 60, total: 100, deductions: [] });
  });

  it('deducts per the policy and says why', () => {
    const s = scoreSuggestion(rules, {
      lateReply: true,
      veryLateReply: false,
      extensions: 1,
      secondReply: true,
      missedCommitments: 1,
      escalated: false,
      finalGrade: 'B',
      finalRating: 'basicallySatisfied',
    });
    // reply: 40 - 10 (late) - 5 (extension) - 10 (second reply) = 15
    // implementation: B 50 × 80% = 40, - 15 (missed commitment) = 25
    expect(s.replyStage).toBe(15);
    expect(s.implementationStage).toBe(25);
    expect(s.total).toBe(40);
    expect(s.deductions).toEqual([
      'late reply -10',
      'extension -5',
      'second reply needed -10',
      'rating basicallySatisfied -10',
      'missed commitment -15',
    ]);
  });

  it('never goes below zero in a stage', () => {
    const s = scoreSuggestion(rules, {
      lateReply: true,
      veryLateReply: true,
      extensions: 3,
      secondReply: true,
      missedCommitments: 4,
      escalated: true,
      finalGrade: 'D',
      finalRating: 'unsatisfied',
    });
    expect(s.replyStage).toBe(0);
    expect(s.implementationStage).toBe(0);
  });
});
