// The official working-day calendar (工作日历), as data per year: public holidays and make-up
// working weekends (调休). A year with no published schedule is never guessed: it falls back to
// weekends only, and the calendar says so in `warnings`.
import { z } from 'zod';

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
