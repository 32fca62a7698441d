// A working-day window across the year-end holiday (元旦), at the next year end from today.
// In a file of its own: the time-skipping server's clock only moves forward, so this runs on a
// fresh server that starts at today. Where the next year's schedule is not published yet, a
// TEST FIXTURE declares 1–3 January as holidays (the project itself ships only official ones).
import { SHIPPED_CALENDARS, addDays, localDateOf, type CalendarYear } from '@duban/domain';
import { reviewUpdate } from '../src';
import { testPolicy } from '../../tests/support/policy';
import { createHarness, staff, until, type Harness } from './support/case-driver';

const today = localDateOf(new Date());
const year = Number(today.slice(0, 4)) + (today.slice(5) >= '12-29' ? 1 : 0);
const nextYear = year + 1;
const shipped = SHIPPED_CALENDARS.find((c) => c.year === nextYear);
const newYear: CalendarYear = shipped ?? {
  country: 'CN',
  year: nextYear,
  source: 'test fixture',
  holidays: [{ name: '元旦 (test fixture)', days: [1, 2, 3].map((d) => `${nextYear}-01-0${d}`) }],
  makeUpWorkingDays: [],
};
const holidays = new Set(newYear.holidays.flatMap((h) => h.days));
const makeUp = new Set(newYear.makeUpWorkingDays);

/** The oracle: the n-th working day after `from`, skipping weekends and the holidays above. */
function nthWorkingDay(from: string, n: number, withHolidays: boolean): string {
  let d = from;
  while (n > 0) {
    d = addDays(d, 1);
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    const working = makeUp.has(d) || (!(withHolidays && holidays.has(d)) && dow !== 0 && dow !== 6);
    if (working) n--;
  }
  return d;
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ extraCalendars: shipped ? [] : [newYear] });
});
afterAll(async () => {
  await h?.teardown();
});

it('counts the objection window in working days across the New Year holiday', async () => {
  // Move the server's clock to 29 December, 10:00 Beijing time.
  const target = Date.parse(`${year}-12-29T02:00:00Z`);
  await h.env.sleep(target - (await h.env.currentTimeMs()));
  const wf = await h.start(testPolicy());
  await until(h.env, wf, 'submitted', '1 second');
  const s = await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
  const assignedDay = localDateOf(new Date(s.assignedAt!));
  expect(assignedDay).toBe(`${year}-12-29`);
  const due = localDateOf(new Date(s.objectionDueAt!));
  // The national default: 10 working days. The holiday pushes the end later.
  expect(due).toBe(nthWorkingDay(assignedDay, 10, true));
  expect(due > nthWorkingDay(assignedDay, 10, false)).toBe(true);
  await wf.terminate('test done');
});
