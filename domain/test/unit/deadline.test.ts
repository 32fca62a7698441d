import {
  deadlineAfter,
  localDateOf,
  reminderAt,
  shippedCalendar,
  WorkingCalendar,
  workingDaysBetween,
} from '../../src';

const cal = shippedCalendar();
const at = (iso: string) => new Date(iso);
const local = (d: Date) => localDateOf(d);

describe('working-day calendar (2026 official schedule)', () => {
  it('treats holidays as rest days and make-up weekends as working days', () => {
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, make-up working day
    expect(cal.isWorkingDay('2026-10-11')).toBe(false); // ordinary Sunday
    expect(cal.isWorkingDay('2026-10-12')).toBe(true);
    expect(cal.warnings).toEqual([]);
  });

  it('never guesses an unpublished year: weekends only, and says so', () => {
    const c = new WorkingCalendar([]);
    expect(c.isWorkingDay('2027-01-01')).toBe(true); // a Friday; holidays unknown
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/no official holiday schedule for 2027/);
  });
});

describe('deadlineAfter', () => {
  it("counts a drill's seconds on the clock, holidays or not", () => {
    const start = at('2026-10-01T02:00:00Z'); // National Day
    const due = deadlineAfter(start, { amount: 20, unit: 'seconds' }, cal);
    expect(due.toISOString()).toBe('2026-10-01T02:00:20.000Z');
    expect(reminderAt(due, { amount: 5, unit: 'seconds' }, cal).toISOString()).toBe('2026-10-01T02:00:15.000Z');
  });

  it('counts working days across the National Day holiday and its make-up Saturday', () => {
    // Assigned Tue 2026-09-29 (Beijing). Working days after: 9-30, 10-8, 10-9, 10-10 (Sat, make-up), 10-12.
    const due = deadlineAfter(at('2026-09-29T02:00:00Z'), { amount: 5, unit: 'workingDays' }, cal);
    expect(local(due)).toBe('2026-10-12');
    expect(due.toISOString()).toBe('2026-10-12T15:59:59.999Z'); // end of the local day, +08:00
  });

  it('counts calendar days and moves an end on a holiday to the next working day', () => {
    const due = deadlineAfter(at('2026-09-20T04:00:00Z'), { amount: 11, unit: 'calendarDays' }, cal);
    expect(local(due)).toBe('2026-10-08'); // 10-01 is a holiday through 10-07
  });

  it('counts months, clamped to the month end', () => {
    expect(local(deadlineAfter(at('2026-03-10T04:00:00Z'), { amount: 3, unit: 'months' }, cal))).toBe('2026-06-10');
    // 2026-08-31 + 1 month → 09-30 (clamped), a working day
    expect(local(deadlineAfter(at('2026-08-31T04:00:00Z'), { amount: 1, unit: 'months' }, cal))).toBe('2026-09-30');
  });

  it('uses the local (Beijing) date, not the UTC date', () => {
    // 2026-03-09T20:00Z is already 03-10 in Beijing.
    expect(local(deadlineAfter(at('2026-03-09T20:00:00Z'), { amount: 1, unit: 'months' }, cal))).toBe('2026-04-10');
  });

  it('counts minutes exactly (drills and tests)', () => {
    expect(deadlineAfter(at('2026-03-10T04:00:00Z'), { amount: 5, unit: 'minutes' }, cal).toISOString()).toBe(
      '2026-03-10T04:05:00.000Z',
    );
  });
});

describe('workingDaysBetween (the countdown beside a deadline)', () => {
  it('counts the working days left across National Day and its make-up Saturday', () => {
    // After Tue 9-29: 9-30, 10-8, 10-9, 10-10 (Sat, make-up), 10-12.
    expect(workingDaysBetween(cal, '2026-09-29', '2026-10-12')).toBe(5);
    // Calendar days would say 13.
    expect(workingDaysBetween(cal, '2026-09-30', '2026-10-07')).toBe(0);
  });
  it('is 0 on the day itself and negative once the deadline has passed', () => {
    expect(workingDaysBetween(cal, '2026-10-12', '2026-10-12')).toBe(0);
    expect(workingDaysBetween(cal, '2026-10-14', '2026-10-12')).toBe(-2);
    // Past across the holiday: only working days count.
    expect(workingDaysBetween(cal, '2026-10-08', '2026-09-30')).toBe(-1);
  });
});
