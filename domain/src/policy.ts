// The jurisdiction policy (地方规则): every window, threshold and routing rule, as data.
// National defaults, then province / city / county documents that override parts of them.
// Validated when loaded; errors name the field.
import { z } from 'zod';
import { windowSchema } from './deadline';

import { LADDER_STEPS, RATINGS } from './constants';

export { LADDER_STEPS, RATINGS, type Rating } from './constants';

const points = z.number().int().min(0).max(100);

/**
 * The 100-point segmented score: a reply stage and an implementation stage, each with a
 * maximum; deductions for lateness, extensions and ratings; implementation points by the
 * final outcome grade, less missed commitments.
 */
export const scoringSchema = z
  .object({
    /** Points of the reply stage (答复环节): how and when the unit replied. */
    replyStageMax: points,
    /** Points of the implementation stage (落实环节); with replyStageMax, 100. */
    implementationStageMax: points,
    /** Points deducted per late reply, very late reply, extension, upheld objection, second reply, missed commitment and escalation step. */
    deductions: z
      .object({
        lateReply: points,
        veryLateReply: points,
        extension: points,
        objectionUpheld: points,
        secondReply: points,
        missedCommitment: points,
        escalation: points,
      })
      .strict(),
    /** Implementation points by final grade, each at most implementationStageMax. */
    gradePoints: z.object({ A: points, B: points, C: points, D: points }).strict(),
    /** Implementation points kept by final rating, in percent. */
    ratingFactor: z.object({ satisfied: points, basicallySatisfied: points, unsatisfied: points }).strict(),
  })
  .strict()
  .refine((s) => s.replyStageMax + s.implementationStageMax === 100, {
    message: 'replyStageMax + implementationStageMax must be 100',
  })
  .refine((s) => Object.values(s.gradePoints).every((p) => p <= s.implementationStageMax), {
    message: 'gradePoints must not exceed implementationStageMax',
  });
export type Scoring = z.infer<typeof scoringSchema>;

const unitId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id like "edu-bureau"');

export const suggestionPolicySchema = z
  .object({
    /** Lead unit's reply (答复), from assignment: 3 months by law. */
    replyWindow: windowSchema,
    /** Longest total reply time with an approved extension: 6 months. */
    maxReplyWindow: windowSchema,
    /** Co-handlers' opinions to the lead unit (协办意见): 1 month. */
    coHandlerWindow: windowSchema,
    /** A wrongly assigned unit may object (退回) within: 10 working days. */
    objectionWindow: windowSchema,
    /** Reminders this long before the reply deadline. */
    reminderBefore: z.array(windowSchema).max(5),
    /** After the reply deadline, when the case counts as very overdue (严重逾期). */
    veryOverdueAfter: windowSchema,
    /** The deputy rates the reply within (满意度测评). */
    ratingWindow: windowSchema,
    /** What no rating within the window counts as (e.g. 视为满意). */
    noRatingCountsAs: z.enum(RATINGS),
    /** Second reply (二次答复) after an unsatisfied rating: 1 month in common local rules. */
    secondReplyWindow: windowSchema,
    /** After a commitment's date, the unit reports whether it was kept within (回头看). */
    commitmentReportWindow: windowSchema,
    /** 100-point segmented scoring (百分制分段评价) of the lead unit per suggestion. */
    scoring: scoringSchema,
    /** Routing of a new suggestion to its lead unit by category (交办规则). */
    routing: z
      .object({
        /** The lead unit of a category the rules do not name (usually the government office). */
        defaultUnit: unitId,
        /** The lead unit per category, e.g. `{"education": "edu-bureau"}`. */
        byCategory: z.record(z.string().min(1), unitId),
      })
      .strict(),
  })
  .strict();

/** One step of the escalation ladder: its name, how long it has to work, who owns it. */
export const ladderStepSchema = z
  .object({
    step: z.enum(LADDER_STEPS),
    window: windowSchema,
    owner: z.string().min(1).max(100),
  })
  .strict();
export type LadderStep = z.infer<typeof ladderStepSchema>;

export const escalationPolicySchema = z
  .object({
    /** The ladder a case climbs when it fails its loop, lowest step first. */
    steps: z.array(ladderStepSchema).min(1).max(8),
  })
  .strict();

/** A weight or penalty of a score formula: a number of points from 0 to 100. */
const weight = z
  .number({ message: 'must be a number of points' })
  .min(0, 'must be 0 or more')
  .max(100, 'must be at most 100');
const sumsTo100 = (what: string) => ({ message: `the ${what} weights must add up to 100` });
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/**
 * Defaults of the `scores` weights that came with scoring every case kind. They are optional in
 * a stored policy (national included), so documents stored before still validate; a document
 * may override each one.
 */
export const SCORES_DEFAULTS = {
  unitIndex: {
    penalties: { poorReport: 5, reReportRequired: 3, inquiry: 10, investigation: 15 },
    livelihoodPoint: 1,
  },
  deputyPoints: { opinionHandled: 1, opinionOnTime: 1, opinionSatisfied: 1 },
} as const;

/**
 * Scores and rankings (docs/domain.md §7), read by the scores service at read time, so a change
 * applies to the next read.
 */
export const scoresPolicySchema = z
  .object({
    /**
     * Department implementation-quality index (部门落实质效指数), 0–100: the weighted on-time
     * reply rate, average 100-point score (scaled /100) and satisfaction rate (satisfied +
     * basically satisfied), less penalties per re-report (二次答复), ladder step, overdue and
     * very-overdue notice; clamped to 0..100.
     */
    unitIndex: z
      .object({
        /** Weights of the on-time reply rate, the average 100-point score and the satisfaction rate; they add up to 100. */
        weights: z
          .object({ onTimeRate: weight, averageScore: weight, satisfactionRate: weight })
          .strict()
          .refine((w) => Math.abs(sum(w) - 100) < 1e-9, sumsTo100('unitIndex')),
        penalties: z
          .object({
            /** Per re-report (二次答复) of a suggestion. */
            reReport: weight,
            /** Per escalation-ladder step a case of the unit climbed. */
            ladderStep: weight,
            /** Per overdue notice (逾期). */
            overdue: weight,
            /** Per very-overdue notice (严重逾期). */
            veryOverdue: weight,
            // Optional (SCORES_DEFAULTS), so that policies stored before every kind was scored
            // still validate.
            /** Per handling report assessed poor (整改不力) or failing its vote; per failed appointee vote. */
            poorReport: weight.default(SCORES_DEFAULTS.unitIndex.penalties.poorReport),
            /** Per re-report required of a unit by a review opinion, inquiry, livelihood project or returned regulation report. */
            reReportRequired: weight.default(SCORES_DEFAULTS.unitIndex.penalties.reReportRequired),
            /** Per inquiry (质询案) filed about the unit. */
            inquiry: weight.default(SCORES_DEFAULTS.unitIndex.penalties.inquiry),
            /** Per investigation of a specific question (特定问题调查) adopted about the unit. */
            investigation: weight.default(SCORES_DEFAULTS.unitIndex.penalties.investigation),
          })
          .strict(),
        /**
         * Optional: index points per livelihood performance point (LivelihoodProjectScored:
         * +2 satisfactory, −3 unsatisfactory by the livelihood policy), added as they are signed.
         */
        livelihoodPoint: weight.default(SCORES_DEFAULTS.unitIndex.livelihoodPoint),
      })
      .strict(),
    /**
     * Deputy performance points (履职积分) per counted act. Inspections, votes and station duty
     * have no events yet; their weights are kept for when they do. The opinion weights are
     * optional (SCORES_DEFAULTS).
     */
    deputyPoints: z
      .object({
        /** Per suggestion submitted. */
        suggestionSubmitted: weight,
        /** Per reply the deputy rated. */
        ratingGiven: weight,
        /** Per inspection (视察) taken part in (no event yet). */
        inspection: weight,
        /** Per vote cast (no event yet). */
        vote: weight,
        /** Per duty day at a liaison station (no event yet). */
        stationDuty: weight,
        /** Per citizen opinion the deputy acted on: answered, took up as a suggestion, or wrote a liaison letter. */
        opinionHandled: weight.default(SCORES_DEFAULTS.deputyPoints.opinionHandled),
        /** Extra, when that act came within the opinion's answer window. */
        opinionOnTime: weight.default(SCORES_DEFAULTS.deputyPoints.opinionOnTime),
        /** Per direct answer the citizen rated satisfied or basically satisfied (an assumed rating counts as taken). */
        opinionSatisfied: weight.default(SCORES_DEFAULTS.deputyPoints.opinionSatisfied),
      })
      .strict(),
    /**
     * Liaison station vitality (联络站运行活力指数), 0–100: citizen opinions received (as a share
     * of opinionsTarget, at most 1), the share answered within their window, the share rated
     * satisfied.
     */
    stationVitality: z
      .object({
        /** Weights of opinions received, the share answered in their window and the share satisfied; they add up to 100. */
        weights: z
          .object({ opinionsReceived: weight, answeredInWindow: weight, satisfaction: weight })
          .strict()
          .refine((w) => Math.abs(sum(w) - 100) < 1e-9, sumsTo100('stationVitality')),
        /** Opinions received in a period that earn the full opinionsReceived weight. */
        opinionsTarget: z.number().int().min(1, 'must be at least 1').max(100000),
      })
      .strict(),
    /** Vitality at or above each threshold: 5, 4, 3, 2 stars; below the last: 1 star. */
    stationStars: z
      .array(weight)
      .length(4, 'must list 4 thresholds, for 5, 4, 3 and 2 stars')
      .refine((t) => t.every((v, i) => i === 0 || v < t[i - 1]), {
        message: 'thresholds must go strictly down, e.g. [90, 75, 60, 45]',
      }),
  })
  .strict();
export type ScoresPolicy = z.infer<typeof scoresPolicySchema>;

/** Percent from 0 to 100, e.g. a pass mark or a share of members. */
const percent = z
  .number({ message: 'must be a percentage' })
  .min(0, 'must be 0 or more')
  .max(100, 'must be at most 100');
const count = z.number({ message: 'must be a whole number' }).int('must be a whole number').min(1).max(1000);

/**
 * Review opinions (审议意见), inquiry (质询案), investigation of a specific question
 * (特定问题调查) and the annual supervision plan (年度监督计划), docs/domain.md §3, §5, §6.
 */
export const oversightPolicySchema = z
  .object({
    reviewOpinion: z
      .object({
        /** An item's rectification deadline when staff name none (整改期限): 3 months. */
        itemWindow: windowSchema,
        /** The unit's written handling report (研究处理情况报告), from the opinions: 3 months (local rules 3–6). */
        handlingReportWindow: windowSchema,
        /** A satisfaction vote (满意度测评) of the members stays open this long. */
        voteWindow: windowSchema,
        /** The report passes when (satisfied + basically satisfied) / votes cast reaches this: 50%. */
        passPercent: percent,
        /** The re-report (再次报告) after poor rectification or low satisfaction is due within: 2 months. */
        reReportWindow: windowSchema,
        /**
         * The ladder a unit's track climbs when the re-report fails too, lowest first; its top
         * steps are inquiry (质询) and investigation (特定问题调查), which need people to act.
         */
        escalationSteps: z.array(ladderStepSchema).min(1).max(8),
      })
      .strict(),
    inquiry: z
      .object({
        /**
         * Fewest members who sign an inquiry (质询案联名), by the jurisdiction's level: national
         * 10, province and city 5, county 3 (监督法 / 地方组织法).
         */
        minSignersByLevel: z.object({ national: count, province: count, city: count, county: count }).strict(),
        /** A written reply's deadline when the chair council names none: 1 month. */
        writtenReplyWindow: windowSchema,
        /** The filers rate the reply within: 10 working days (no rating counts as satisfied). */
        ratingWindow: windowSchema,
        /** More than this share of the filers dissatisfied → the unit replies again: 50%. */
        dissatisfiedOverPercent: percent,
        /** The second reply (再次答复) is due within: 1 month. */
        replyAgainWindow: windowSchema,
      })
      .strict(),
    investigation: z
      .object({
        /** Members' share needed to propose one without the chair council: 20% (one fifth). */
        minProposerPercent: percent,
        /** The committee decides on a proposal within: 2 months. */
        decisionWindow: windowSchema,
        /** The investigation committee reports back within, when the committee names no date: 6 months. */
        reportWindow: windowSchema,
        /** The unit's handling report on a resolution (决议) that follows is due within: 6 months. */
        resolutionReportWindow: windowSchema,
      })
      .strict(),
    supervisionPlan: z
      .object({
        /** The year's plan is adopted within this window from 1 January of its year: 3 months. */
        adoptionWindow: windowSchema,
        /** Most items a plan may hold (Weiyuan: 28 key + 12 routine = 40). */
        maxItems: count,
      })
      .strict(),
  })
  .strict();
export type OversightPolicy = z.infer<typeof oversightPolicySchema>;
/**
 * Livelihood projects decided by the deputies' vote (民生实事项目票决制, docs/domain.md §1). Windows of
 * the annual cycle count from the cycle's start (the Temporal Schedule fires on `cycleStart`);
 * windows of a project count from its start. Defaults follow the Jinhua / Weiyuan / Shenzhen
 * practice (seeds 000–002); every local congress sets its own.
 */
export const livelihoodPolicySchema = z
  .object({
    /** When the annual cycle starts (local date and hour, +08:00): the Temporal Schedule's date. */
    cycleStart: z
      .object({
        /** Month, 1–12. */
        month: z.number().int().min(1).max(12),
        /** Day of the month, 1–28. */
        day: z.number().int().min(1).max(28, 'must be 1–28 so that every month has it'),
        /** 8–23: the hour stays on the same UTC day. */
        hour: z.number().int().min(8, 'must be 8–23 (local hour)').max(23, 'must be 8–23 (local hour)'),
      })
      .strict(),
    /** Candidates are collected (全年常态化征集) until this long after the cycle starts. */
    collectionWindow: windowSchema,
    /** The government's feasibility and cost review (可行性论证) after collection closes. */
    feasibilityWindow: windowSchema,
    /** The unit that answers feasibility reviews (usually the government office, 政府办). */
    feasibilityReviewer: unitId,
    /** Projects the congress elects a year (Shenzhen city: 10). */
    seats: z.number().int().min(1).max(100),
    /** Candidates on the ballot list, more than seats (差额, e.g. 15 for 10). */
    ballotCandidates: z.number().int().min(2).max(200),
    vote: z
      .object({
        /** A vote counts only if at least this share (percent) of all deputies cast a ballot. */
        quorumPercent: z.number().min(1).max(100),
        /** Elected needs more than majorityPercent of the deputies present, or of all deputies. */
        majorityOf: z.enum(['present', 'all']),
        /** The share (percent) of majorityOf that a project must exceed to be elected: 50. */
        majorityPercent: z.number().min(0).max(100),
        /** Ties for the last seat: a runoff vote among the tied, or the lower cost estimate wins. */
        tieRule: z.enum(['runoff', 'lowerCost']),
        /** A vote without quorum: vote again (at a later sitting), or elect nothing this year. */
        onQuorumFailure: z.enum(['revote', 'noProjects']),
        /** Rounds at most (first vote, revotes and runoffs together). */
        maxRounds: z.number().int().min(1).max(5),
        /** How long a vote stays open once staff open it (the sitting). */
        window: windowSchema,
      })
      .strict(),
    /** Progress reports (进度报告) are due this often from a project's start. */
    progressReportEvery: windowSchema,
    /** Reminders this long before each progress report is due. */
    progressReminderBefore: z.array(windowSchema).max(5),
    /** After a missed report's due date, the project counts as at risk (严重逾期). */
    progressVeryOverdueAfter: windowSchema,
    /** The mid-year report (年中报告) is due this long after a project starts. */
    midYearReportAfter: windowSchema,
    /** A finding that demands a fix (整改) is due within this, unless the inspectors say sooner. */
    findingFixWindow: windowSchema,
    /** The year-end satisfaction evaluation (满意度测评) opens this long after a project starts. */
    evaluationAfter: windowSchema,
    /** Staff record the evaluation's result within this, or it is recorded as not held (overdue). */
    evaluationWindow: windowSchema,
    /** Satisfactory: satisfied + basically satisfied at least this share (percent) of the ratings. */
    satisfactionThreshold: z.number().min(0).max(100),
    /** Points added to / deducted from the lead department's performance score (绩效考核). */
    score: z.object({ satisfactory: z.number().min(0).max(100), unsatisfactory: z.number().min(0).max(100) }).strict(),
    /** An unsatisfactory project re-reports (再报告) within this, then is rated again. */
    reReportWindow: windowSchema,
    /** The escalation ladder after a second unsatisfactory rating ends at this step (专题询问). */
    ladderTopStep: z.enum(LADDER_STEPS),
    /** A project unfinished at its evaluation carries over into the next cycle at most this often. */
    maxCarryOvers: z.number().int().min(0).max(3),
  })
  .strict()
  .refine((l) => l.ballotCandidates > l.seats, {
    message: 'ballotCandidates must be more than seats (差额)',
    path: ['ballotCandidates'],
  });
export type LivelihoodPolicy = z.infer<typeof livelihoodPolicySchema>;

/**
 * Citizens' opinions through liaison stations (民情快递) and deputies' liaison letters
 * (代表联系函), docs/domain.md §4 (seeds 000 Jinhua, 002 Shenzhen). No national law fixes these
 * windows; the defaults follow the local practices in the seeds.
 */
export const citizenPolicySchema = z
  .object({
    /** A deputy on duty answers, forwards as a suggestion, or writes a letter within: 10 working days. */
    answerWindow: windowSchema,
    /** The citizen rates a deputy's answer, and citizen and deputy rate a letter's reply, within: 15 calendar days. */
    ratingWindow: windowSchema,
    /** What no rating within the window counts as (逾期未评视为满意). */
    noRatingCountsAs: z.enum(RATINGS),
    /** The department replies to a liaison letter within: 1 month (seed 000). */
    letterReplyWindow: windowSchema,
    /** Reminders to the department this long before the letter's deadline. */
    letterReminderBefore: z.array(windowSchema).max(5),
  })
  .strict();
export type CitizenPolicy = z.infer<typeof citizenPolicySchema>;

/** Calendar-driven duties (docs/domain.md §5, seeds 001 Weiyuan, 004 Changzhou, 002 Shenzhen). */
export const dutiesPolicySchema = z
  .object({
    regulation: z
      .object({
        /** After a local regulation has been in force this long, its report is requested: 24 months (Changzhou; elsewhere 12). */
        reportAfterInForce: windowSchema,
        /** The government reports in writing within: 30 calendar days. */
        reportWindow: windowSchema,
        /** Committee staff review the filed report within: 1 month. */
        reviewWindow: windowSchema,
        /** Times a report may be returned for a new one before the case closes as returned: 1. */
        maxReturns: z.number().int().min(0).max(5),
      })
      .strict(),
    appointee: z
      .object({
        /** A term (一届): 60 months; each appointed head reports once in it. */
        termLength: windowSchema,
        /** Flag a head who has not reported this long before the term ends: 12 months. */
        flagBeforeTermEnd: windowSchema,
        /** Committee members vote satisfaction on the report within: 7 calendar days. */
        voteWindow: windowSchema,
        /** Share of the roster that must vote for the result to count (percent): 50. */
        quorumPercent: percent,
        /** Satisfied + basically satisfied votes needed, as a percent of votes cast, to pass: more than 50. */
        passPercent: percent,
      })
      .strict(),
    group: z
      .object({
        /** Research reports (调研报告) each deputy professional group files a year: 1. */
        researchReports: z.number().int().min(0).max(20),
        /** Suggestions each group supervises (督办) a year: 1. */
        supervisedSuggestions: z.number().int().min(0).max(20),
        /** Flag what is missing this long before the year ends: 1 month (so on 1 December). */
        flagBeforeYearEnd: windowSchema,
      })
      .strict(),
  })
  .strict();
export type DutiesPolicy = z.infer<typeof dutiesPolicySchema>;

export const policySchema = z
  .object({
    suggestion: suggestionPolicySchema,
    escalation: escalationPolicySchema,
    scores: scoresPolicySchema,
    oversight: oversightPolicySchema,
    citizen: citizenPolicySchema,
    duties: dutiesPolicySchema,
    livelihood: livelihoodPolicySchema,
  })
  .strict();
export type Policy = z.infer<typeof policySchema>;

export const LEVELS = ['national', 'province', 'city', 'county'] as const;

/** A stored policy document: the national one is complete, the others override parts of it. */
export const policyDocumentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id like "cn-zj-jinhua"'),
    name: z.string().min(1).max(200),
    level: z.enum(LEVELS),
    parent: z.string().optional(),
    /** A drill jurisdiction (演练): only its policy may count windows in seconds. */
    drill: z.boolean().optional(),
    settings: z.record(z.string(), z.unknown()),
  })
  .strict();
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** The policy in force for a jurisdiction, as carried in a case's input. */
export interface EffectivePolicy {
  jurisdiction: string;
  /** The jurisdiction's level (its own document's), e.g. for the inquiry's signers. */
  level?: (typeof LEVELS)[number];
  /** The chain it was resolved from, national first, with versions. */
  sources: { id: string; version: number }[];
  /** Set when the jurisdiction's own document says it is a drill. */
  drill?: boolean;
  policy: Policy;
}

export class PolicyError extends Error {
  constructor(
    message: string,
    public readonly problems: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where `over` wins; arrays are replaced, not merged. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** Validates a complete policy; throws PolicyError naming each field at fault. */
export function validatePolicy(settings: unknown, label: string): Policy {
  const parsed = policySchema.safeParse(settings);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new PolicyError(
      `policy ${label} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return parsed.data;
}

/**
 * Resolves the effective policy from a chain of documents, national first.
 * Each document's settings override its parent's; the result is validated as a whole.
 */
export function resolvePolicy(chain: { doc: PolicyDocument; version: number }[]): EffectivePolicy {
  if (chain.length === 0) throw new PolicyError('empty policy chain');
  if (chain[0].doc.level !== 'national' || chain[0].doc.parent)
    throw new PolicyError(`policy chain must start at a national document, not "${chain[0].doc.id}"`);
  let merged: unknown = {};
  for (const { doc } of chain) merged = deepMerge(merged, doc.settings);
  const last = chain[chain.length - 1].doc;
  const policy = validatePolicy(merged, `"${last.id}"`);
  if (!last.drill) {
    const inSeconds = secondWindows(policy);
    if (inSeconds.length)
      throw new PolicyError(
        `policy "${last.id}" counts windows in seconds, which only a drill jurisdiction may ("drill": true): ${inSeconds.join(', ')}`,
        inSeconds.map((path) => ({ path, message: 'seconds are allowed only where the document says "drill": true' })),
      );
  }
  return {
    jurisdiction: last.id,
    level: last.level,
    sources: chain.map(({ doc, version }) => ({ id: doc.id, version })),
    ...(last.drill ? { drill: true } : {}),
    policy,
  };
}

/** The paths of every window counted in seconds. */
function secondWindows(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => secondWindows(x, `${path}.${i}`));
  if (!isPlainObject(v)) return [];
  if (v.unit === 'seconds' && typeof v.amount === 'number') return [path.slice(1)];
  return Object.entries(v).flatMap(([k, x]) => secondWindows(x, `${path}.${k}`));
}

/** The lead unit for a suggestion's category, per the routing rule. */
export function routeSuggestion(policy: Policy, category: string): string {
  return policy.suggestion.routing.byCategory[category] ?? policy.suggestion.routing.defaultUnit;
}

/** Fewest signers of an inquiry (质询案) in a jurisdiction of this policy's level. */
export function minInquirySigners(eff: EffectivePolicy): number {
  return eff.policy.oversight.inquiry.minSignersByLevel[eff.level ?? 'national'];
}
