// A 2027 calendar for tests (not the official one, which the State Council has not published in
// this story): New Year's Day, and a Spring Festival week with two make-up Saturdays/Sundays.
import type { CalendarYear } from '@duban/domain';

export const TEST_CALENDAR_2027: CalendarYear = {
  country: 'CN',
  year: 2027,
  source: 'test fixture',
  holidays: [
    { name: '元旦 New Year', days: ['2027-01-01', '2027-01-02', '2027-01-03'] },
    {
      name: '春节 Spring Festival',
      days: [
        '2027-02-05',
        '2027-02-06',
        '2027-02-07',
        '2027-02-08',
        '2027-02-09',
        '2027-02-10',
        '2027-02-11',
        '2027-02-12',
      ],
    },
  ],
  makeUpWorkingDays: ['2027-01-30', '2027-02-20'],
};
