// Deadlines counted as a rule says: calendar days, working days, months, minutes (drills and
// tests) or seconds (only in a drill jurisdiction's policy, see policy.ts). Day-based deadlines end at the end of the local day; a calendar-day or month
// deadline that ends on a rest day moves to the next working day (期间届满日为休息日的顺延).
import { z } from 'zod';
import { addDays, type LocalDate, type WorkingCalendar } from './calendar';
import { DEFAULT_UTC_OFFSET_MINUTES, endOfLocalDay, localDateOf } from './local-date';

export const WINDOW_UNITS = ['calendarDays', 'workingDays', 'months', 'minutes', 'seconds'] as const;

/** Units counted on the clock, not on the calendar. */
export function isClockWindow(window: Window): boolean {
  return window.unit === 'minutes' || window.unit === 'seconds';
}

export const windowSchema = z
  .object({
    amount: z.number().int().positive().max(10000),
    unit: z.enum(WINDOW_UNITS),
  })
  .strict();
export type Window = z.infer<typeof windowSchema>;

export { DEFAULT_UTC_OFFSET_MINUTES, endOfLocalDay, localDateOf } from './local-date';

function addMonths(date: LocalDate, n: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + n, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

function nextWorkingDay(date: LocalDate, cal: WorkingCalendar): LocalDate {
  let d = date;
  while (!cal.isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** The instant a window that starts at `start` ends. */
export function deadlineAfter(
  start: Date,
  window: Window,
  cal: WorkingCalendar,
  offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): Date {
  const day = localDateOf(start, offsetMinutes);
  switch (window.unit) {
    case 'minutes':
      return new Date(start.getTime() + window.amount * 60000);
    case 'seconds':
      return new Date(start.getTime() + window.amount * 1000);
    case 'calendarDays':
      return endOfLocalDay(nextWorkingDay(addDays(day, window.amount), cal), offsetMinutes);
    case 'months':
      return endOfLocalDay(nextWorkingDay(addMonths(day, window.amount), cal), offsetMinutes);
    case 'workingDays': {
      let d = day;
      for (let left = window.amount; left > 0;) {
        d = addDays(d, 1);
        if (cal.isWorkingDay(d)) left--;
      }
      return endOfLocalDay(d, offsetMinutes);
    }
  }
}

/** Reminders go out at the start of office hours (09:00 local) on their day. */
const REMINDER_HOUR = 9;

function startOfOfficeDay(date: LocalDate, offsetMinutes: number): Date {
  return new Date(Date.parse(`${date}T${String(REMINDER_HOUR).padStart(2, '0')}:00:00.000Z`) - offsetMinutes * 60000);
}

/**
 * When a reminder `before` a deadline goes out: that many calendar days, working days or months
 * earlier, at 09:00 local on a working day (moved back to the previous working day if needed);
 * or exactly that many minutes or seconds earlier.
 */
export function reminderAt(
  due: Date,
  before: Window,
  cal: WorkingCalendar,
  offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES,
): Date {
  if (before.unit === 'minutes') return new Date(due.getTime() - before.amount * 60000);
  if (before.unit === 'seconds') return new Date(due.getTime() - before.amount * 1000);
  const dueDay = localDateOf(due, offsetMinutes);
  let d: LocalDate;
  if (before.unit === 'workingDays') {
    d = dueDay;
    for (let left = before.amount; left > 0;) {
      d = addDays(d, -1);
      if (cal.isWorkingDay(d)) left--;
    }
  } else {
    d = before.unit === 'months' ? addMonths(dueDay, -before.amount) : addDays(dueDay, -before.amount);
    while (!cal.isWorkingDay(d)) d = addDays(d, -1);
  }
  return startOfOfficeDay(d, offsetMinutes);
}
