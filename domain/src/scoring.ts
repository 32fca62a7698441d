// The 100-point segmented score (百分制分段评价) of a lead unit for one suggestion: a reply stage
// and an implementation stage, by the rules of the jurisdiction's policy. Pure.
import type { Rating, Scoring } from './policy';

export interface ScoringFacts {
  /** The first reply came after its deadline. */
  lateReply: boolean;
  /** The case reached the very-overdue step. */
  veryLateReply: boolean;
  /** Extensions approved. */
  extensions: number;
  /** A second reply was needed (unsatisfied first rating). */
  secondReply: boolean;
  missedCommitments: number;
  /** The case climbed the escalation ladder. */
  escalated: boolean;
  finalGrade: 'A' | 'B' | 'C' | 'D';
  finalRating: Rating;
}

export interface SegmentedScore {
  replyStage: number;
  implementationStage: number;
  total: number;
  deductions: string[];
}

export function scoreSuggestion(rules: Scoring, f: ScoringFacts): SegmentedScore {
  const deductions: string[] = [];
  const take = (points: number, times: number, why: string): number => {
    const total = points * times;
    if (total > 0) deductions.push(`${why} -${total}`);
    return total;
  };
  const d = rules.deductions;
  let reply = rules.replyStageMax;
  reply -= take(d.lateReply, f.lateReply ? 1 : 0, 'late reply');
  reply -= take(d.veryLateReply, f.veryLateReply ? 1 : 0, 'very late reply');
  reply -= take(d.extension, f.extensions, 'extension');
  reply -= take(d.secondReply, f.secondReply ? 1 : 0, 'second reply needed');
  const base = Math.round((rules.gradePoints[f.finalGrade] * rules.ratingFactor[f.finalRating]) / 100);
  if (base < rules.gradePoints[f.finalGrade])
    deductions.push(`rating ${f.finalRating} -${rules.gradePoints[f.finalGrade] - base}`);
  let impl = base;
  impl -= take(d.missedCommitment, f.missedCommitments, 'missed commitment');
  impl -= take(d.escalation, f.escalated ? 1 : 0, 'escalated');
  const replyStage = Math.max(0, reply);
  const implementationStage = Math.max(0, impl);
  return { replyStage, implementationStage, total: replyStage + implementationStage, deductions };
}
