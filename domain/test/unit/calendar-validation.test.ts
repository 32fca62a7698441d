import {
  WorkingCalendar,
  calendarProblems,
  canonicalCalendar,
  missingCalendarYear,
  type CalendarYear,
} from '../../src';
import cn2026 from '../../data/cn-2026.json';

const y2027: CalendarYear = {
  country: 'CN',
  year: 2027,
  holidays: [{ name: '春节', days: ['2027-02-06', '2027-02-05'] }],
  makeUpWorkingDays: ['2027-02-20'],
};

describe('calendarProblems', () => {
  it('accepts the shipped 2026 schedule and a valid 2027 one', () => {
    expect(calendarProblems(cn2026, 2026)).toEqual([]);
    expect(calendarProblems(y2027, 2027)).toEqual([]);
  });

  it('names each problem and where it is', () => {
    const bad = {
      country: 'CN',
      year: 2027,
      holidays: [
        { name: ' ', days: ['2026-12-31'] },
        { name: '春节', days: ['2027-02-06'] },
      ],
      makeUpWorkingDays: ['2027-02-06', '2027-03-03', '2028-01-01'],
    };
    const problems = calendarProblems(bad, 2027);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'holidays.0.name', message: 'every holiday must be named' },
        { path: 'holidays.0.days.0', message: '2026-12-31 is not a date in 2027' },
        { path: 'makeUpWorkingDays.0', message: '2027-02-06 is both a make-up working day and a day of "春节"' },
        {
          path: 'makeUpWorkingDays.1',
          message: '2027-03-03 is a weekday: a make-up working day must be a Saturday or Sunday',
        },
        { path: 'makeUpWorkingDays.2', message: '2028-01-01 is not a date in 2027' },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('refuses a date that does not exist', () => {
    const bad = { ...y2027, holidays: [{ name: '春节', days: ['2027-02-30'] }] };
    expect(calendarProblems(bad, 2027)).toEqual([
      { path: 'holidays.0.days.0', message: expect.stringMatching(/date/i) },
    ]);
  });

  it('refuses a document whose year is not the one it is published for', () => {
    expect(calendarProblems(y2027, 2028)).toContainEqual({
      path: 'year',
      message: 'is 2027, but the calendar is published for 2028',
    });
  });

  it('compares content regardless of the order of days', () => {
    const shuffled = { ...y2027, holidays: [{ name: '春节', days: ['2027-02-05', '2027-02-06'] }] };
    expect(JSON.stringify(canonicalCalendar(shuffled))).toBe(JSON.stringify(canonicalCalendar(y2027)));
  });
});

describe('WorkingCalendar.covers', () => {
  it('is true only when every year of the span is published', () => {
    const cal = new WorkingCalendar([cn2026 as CalendarYear]);
    expect(cal.covers('2026-03-01', '2026-12-31')).toBe(true);
    expect(cal.covers('2026-12-01', '2027-03-01')).toBe(false);
  });
});

describe('missingCalendarYear', () => {
  it('flags the next year from 1 November (Beijing time) while it is missing', () => {
    expect(missingCalendarYear([2026], new Date('2026-10-31T15:59:00Z'))).toBeUndefined();
    expect(missingCalendarYear([2026], new Date('2026-10-31T16:00:00Z'))).toBe(2027); // 1 Nov 00:00 +08:00
    expect(missingCalendarYear([2026, 2027], new Date('2026-12-02T00:00:00Z'))).toBeUndefined();
    expect(missingCalendarYear([2026], new Date('2027-01-05T00:00:00Z'))).toBe(2027);
  });
});
