// Duty rosters of liaison stations (代表联络站值班表): which deputies are on duty on a day.
// Pure, so the workflows check "is this deputy on duty now" deterministically at the workflow's
// time, and the registry and services answer the same question the same way.
import { z } from 'zod';

const localDate = z.iso.date({ error: 'must be a local date YYYY-MM-DD' });

/** One roster line: a deputy on duty over a date range, optionally on some weekdays only. */
export const dutyEntrySchema = z
  .object({
    deputy: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a deputy id'),
    /** First local day on duty (inclusive); open if absent. */
    from: localDate.optional(),
    /** Last local day on duty (inclusive); open if absent. */
    to: localDate.optional(),
    /** ISO weekdays on duty, 1 = Monday … 7 = Sunday; every day if absent. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  })
  .strict()
  .refine((e) => !e.from || !e.to || e.from <= e.to, { message: 'from must not be after to', path: ['to'] });
export type DutyEntry = z.infer<typeof dutyEntrySchema>;

export { deputiesOnDuty } from './duty-roster';
