// The official working-day calendar (工作日历), as data per year: public holidays and make-up
// working weekends (调休). A year with no published schedule is never guessed: it falls back to
// weekends only, and the calendar says so in `warnings`.
import { z } from 'zod';
import { DEFAULT_UTC_OFFSET_MINUTES } from './local-date';

export const calendarYearSchema = z.object({
  country: z.string(),
  year: z.number().int().min(2000).max(2100),
  source: z.string().optional(),
  holidays: z.array(z.object({ name: z.string(), days: z.array(z.iso.date()) })),
  makeUpWorkingDays: z.array(z.iso.date()),
  rule: z.string().optional(),
});
export type CalendarYear = z.infer<typeof calendarYearSchema>;

/** A local calendar date "YYYY-MM-DD". */
export type LocalDate = string;

export class WorkingCalendar {
  private readonly holidays = new Set<string>();
  private readonly makeUp = new Set<string>();
  private readonly years = new Set<number>();
  private readonly warned = new Set<number>();
  /** Years asked about that have no published schedule (weekends only was used). */
  readonly warnings: string[] = [];

  constructor(years: CalendarYear[]) {
    for (const y of years) {
      const parsed = calendarYearSchema.parse(y);
      this.years.add(parsed.year);
      for (const h of parsed.holidays) for (const d of h.days) this.holidays.add(d);
      for (const d of parsed.makeUpWorkingDays) this.makeUp.add(d);
    }
  }

  knownYears(): number[] {
    return [...this.years].sort();
  }

  /** Whether every year from `from` to `to` (local dates, inclusive) has a published schedule. */
  covers(from: LocalDate, to: LocalDate): boolean {
    const a = Number(from.slice(0, 4));
    const b = Number(to.slice(0, 4));
    for (let y = Math.min(a, b); y <= Math.max(a, b); y++) if (!this.years.has(y)) return false;
    return true;
  }

  isWorkingDay(date: LocalDate): boolean {
    const year = Number(date.slice(0, 4));
    if (!this.years.has(year) && !this.warned.has(year)) {
      this.warned.add(year);
      this.warnings.push(`no official holiday schedule for ${year}: counting Monday–Friday only until it is published`);
    }
    if (this.makeUp.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    return dow !== 0 && dow !== 6;
  }
}

export function addDays(date: LocalDate, n: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Working days from one local date to another: the working days after `from` up to and
 * including `to` (due tomorrow, a working day: 1; due today: 0); negative when `to` is before
 * `from` (a deadline passed two working days ago: -2). The countdown a person sees beside a
 * deadline, on the same calendar the deadline was counted on.
 */
export function workingDaysBetween(cal: WorkingCalendar, from: LocalDate, to: LocalDate): number {
  const sign = to >= from ? 1 : -1;
  const [lo, hi] = sign === 1 ? [from, to] : [to, from];
  let n = 0;
  for (let d = addDays(lo, 1); d <= hi; d = addDays(d, 1)) if (cal.isWorkingDay(d)) n++;
  return sign * n;
}

/** One problem with a calendar document: where, and what is wrong. */
export interface CalendarProblem {
  path: string;
  message: string;
}

const isWeekend = (date: LocalDate) => {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
};

/**
 * The problems with a year's official schedule, none when it can be published: the shape, every
 * date real and within `year`, holidays named, no day both a holiday and a make-up working day,
 * make-up working days on weekends, no day listed twice.
 */
export function calendarProblems(doc: unknown, year: number): CalendarProblem[] {
  const parsed = calendarYearSchema.safeParse(doc);
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message }));
  const cal = parsed.data;
  const problems: CalendarProblem[] = [];
  if (cal.year !== year)
    problems.push({ path: 'year', message: `is ${cal.year}, but the calendar is published for ${year}` });
  const inYear = (d: string) => d.startsWith(`${year}-`) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  const holidayDays = new Map<string, string>();
  cal.holidays.forEach((h, i) => {
    if (!h.name.trim()) problems.push({ path: `holidays.${i}.name`, message: 'every holiday must be named' });
    if (h.days.length === 0) problems.push({ path: `holidays.${i}.days`, message: `holiday "${h.name}" has no days` });
    h.days.forEach((d, j) => {
      if (!inYear(d)) problems.push({ path: `holidays.${i}.days.${j}`, message: `${d} is not a date in ${year}` });
      const other = holidayDays.get(d);
      if (other !== undefined)
        problems.push({ path: `holidays.${i}.days.${j}`, message: `${d} is listed twice (also in "${other}")` });
      holidayDays.set(d, h.name);
    });
  });
  const seen = new Set<string>();
  cal.makeUpWorkingDays.forEach((d, j) => {
    const path = `makeUpWorkingDays.${j}`;
    if (!inYear(d)) problems.push({ path, message: `${d} is not a date in ${year}` });
    else if (!isWeekend(d))
      problems.push({ path, message: `${d} is a weekday: a make-up working day must be a Saturday or Sunday` });
    if (holidayDays.has(d))
      problems.push({ path, message: `${d} is both a make-up working day and a day of "${holidayDays.get(d)}"` });
    if (seen.has(d)) problems.push({ path, message: `${d} is listed twice` });
    seen.add(d);
  });
  return problems;
}

/** The schedule in a canonical form (days sorted), so two publications of the same content compare equal. */
export function canonicalCalendar(cal: CalendarYear): CalendarYear {
  return {
    country: cal.country,
    year: cal.year,
    ...(cal.source !== undefined ? { source: cal.source } : {}),
    holidays: cal.holidays.map((h) => ({ name: h.name, days: [...h.days].sort() })),
    makeUpWorkingDays: [...cal.makeUpWorkingDays].sort(),
    ...(cal.rule !== undefined ? { rule: cal.rule } : {}),
  };
}

/**
 * The year whose schedule should be published by now but is missing: from 1 November (local
 * time) the next year's, and at any time the current year's. Undefined when none is missing.
 */
export function missingCalendarYear(
  knownYears: number[],
  now: Date,
  offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): number | undefined {
  const local = new Date(now.getTime() + offsetMinutes * 60000);
  const year = local.getUTCFullYear();
  if (!knownYears.includes(year)) return year;
  if (local.getUTCMonth() >= 10 && !knownYears.includes(year + 1)) return year + 1;
  return undefined;
}
