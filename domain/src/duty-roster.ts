// Who is on duty at a liaison station on a day, from its roster. Pure and free of zod: the
// workflows ask it at the workflow's time (the schema of a roster line is in duty.ts).
import { localDateOf } from './local-date';

/** One roster line: a deputy on duty over a date range, optionally on some weekdays only. */
export interface RosterLine {
  deputy: string;
  /** First local day on duty (inclusive); open if absent. */
  from?: string;
  /** Last local day on duty (inclusive); open if absent. */
  to?: string;
  /** ISO weekdays on duty, 1 = Monday … 7 = Sunday; every day if absent. */
  weekdays?: number[];
}

/** ISO weekday (1 = Monday) of a local date. */
function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * The deputies on duty at a station at an instant (local day, Beijing time). A station with
 * no roster has every one of its deputies on duty.
 */
export function deputiesOnDuty(station: { deputies: string[]; duty?: RosterLine[] }, at: Date): string[] {
  if (!station.duty || station.duty.length === 0) return [...station.deputies];
  const day = localDateOf(at);
  const on = station.duty.filter(
    (e) =>
      (!e.from || e.from <= day) &&
      (!e.to || day <= e.to) &&
      (!e.weekdays?.length || e.weekdays.includes(isoWeekday(day))),
  );
  return [...new Set(on.map((e) => e.deputy))];
}
