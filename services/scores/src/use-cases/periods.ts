// Reporting periods: the year "2026", the quarter "2026-Q4" and the month "2026-11" an event
// falls in, by its occurred_at in Beijing time (UTC+08:00, no daylight saving).
import { z } from 'zod';

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

export const periodSchema = z
  .string()
  .regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, 'must be a year "2026", a quarter "2026-Q4" or a month "2026-11"');

/** The year, quarter and month (Beijing time) of an instant. */
export function periodsOf(at: Date): [year: string, quarter: string, month: string] {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const year = String(local.getUTCFullYear()).padStart(4, '0');
  const month = local.getUTCMonth() + 1;
  return [year, `${year}-Q${Math.ceil(month / 3)}`, `${year}-${String(month).padStart(2, '0')}`];
}

/** The year of now in Beijing: the default period. */
export function currentYear(now = new Date()): string {
  return periodsOf(now)[0];
}
