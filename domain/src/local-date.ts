// Local dates of instants, in the policy's timezone. Plain TypeScript, no zod: workflows
// import it (see workflows/test/unit/bundle.test.ts).
import type { LocalDate } from './calendar';

/** Offset of local time from UTC; the policy's timezone (China: +08:00). */
export const DEFAULT_UTC_OFFSET_MINUTES = 480;

export function localDateOf(instant: Date, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): LocalDate {
  return new Date(instant.getTime() + offsetMinutes * 60000).toISOString().slice(0, 10);
}

export function endOfLocalDay(date: LocalDate, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): Date {
  return new Date(Date.parse(`${date}T23:59:59.999Z`) - offsetMinutes * 60000);
}
