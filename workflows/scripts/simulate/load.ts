// The load profile of a what-if year: how many suggestions, how each unit answers, how deputies
// rate. Validated with a message that names the field, so a clerk's typo is caught before the
// minutes of simulation start.
import { z } from 'zod';

const days = z
  .object({
    median: z.number().positive({ message: 'median must be a positive number of days' }),
    spread: z.number().min(0, { message: 'spread must be 0 or more days' }),
  })
  .strict();

const ratings = z
  .object({
    satisfied: z.number().min(0),
    basicallySatisfied: z.number().min(0),
    unsatisfied: z.number().min(0),
  })
  .strict()
  .refine((r) => r.satisfied + r.basicallySatisfied + r.unsatisfied > 0, { message: 'the ratings mix adds up to 0' });

export const loadSchema = z
  .object({
    name: z.string().min(1),
    /** The jurisdiction the cases belong to (ids only, no personal data). */
    jurisdiction: z.string().min(1),
    seed: z.number().int().default(1),
    /** Cases of each kind; the simulator runs the suggestion workflow. */
    cases: z.object({ suggestion: z.number().int().min(1).max(20_000) }).strict(),
    /** Submissions spread evenly over the first this many days. */
    intakeDays: z.number().int().min(1).max(365).default(60),
    /** Per lead unit: its share of the cases and how many days after assignment it replies. */
    units: z
      .record(z.string().min(1), z.object({ share: z.number().positive(), replyDays: days }).strict())
      .refine((u) => Object.keys(u).length > 0, { message: 'name at least one unit' }),
    /** How many days after an unsatisfied rating the unit sends its second reply. */
    secondReplyDays: days,
    /** Share of first and second ratings; a second "unsatisfied" starts the escalation ladder. */
    ratings,
    /** Share of deputies who never rate (the policy's noRatingCountsAs applies). */
    noRatingPercent: z.number().min(0).max(100).default(0),
  })
  .strict();

export type Load = z.infer<typeof loadSchema>;

/** Parses a load profile; throws an Error whose message lists every problem by field. */
export function parseLoad(json: unknown, file: string): Load {
  const parsed = loadSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new Error(`the load profile ${file} is not valid:\n${problems.join('\n')}`);
}

/** A small seeded generator, so a load gives the same cases on every run. */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number of days around the median, uniform within ± spread, at least 1. */
export function drawDays(d: { median: number; spread: number }, random: () => number): number {
  return Math.max(1, Math.round(d.median + (random() * 2 - 1) * d.spread));
}

/** Picks a key by weight. */
export function pick<K extends string>(weights: Record<K, number>, random: () => number): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = random() * total;
  for (const [k, w] of entries) {
    if ((x -= w) < 0) return k;
  }
  return entries[entries.length - 1][0];
}

/** One planned case: who leads it, when it is submitted, replied to and rated. */
export interface PlannedCase {
  id: string;
  unit: string;
  submitDay: number;
  replyDay: number;
  firstRating?: 'satisfied' | 'basicallySatisfied' | 'unsatisfied';
  secondReplyDay?: number;
  secondRating?: 'satisfied' | 'basicallySatisfied' | 'unsatisfied';
}

/** The year's cases, the same for every policy compared, so differences come from the policy. */
export function planCases(load: Load, year: string): PlannedCase[] {
  const random = seeded(load.seed);
  const unitShares = Object.fromEntries(Object.entries(load.units).map(([u, v]) => [u, v.share]));
  const n = load.cases.suggestion;
  return Array.from({ length: n }, (_, i) => {
    const unit = pick(unitShares, random);
    const submitDay = Math.floor((i * load.intakeDays) / n);
    const replyDay = submitDay + drawDays(load.units[unit].replyDays, random);
    const rates = random() * 100 >= load.noRatingPercent;
    const firstRating = rates ? pick(load.ratings, random) : undefined;
    const c: PlannedCase = {
      id: `suggestion-${year}-${String(i + 1).padStart(5, '0')}`,
      unit,
      submitDay,
      replyDay,
      firstRating,
    };
    if (firstRating === 'unsatisfied') {
      c.secondReplyDay = replyDay + drawDays(load.secondReplyDays, random);
      c.secondRating = pick(load.ratings, random);
    }
    return c;
  });
}
