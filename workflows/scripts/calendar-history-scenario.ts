// The recorded case for the calendar-recompute patch: assigned in December with a working-day
// window, so its reply deadline falls in 2027 and is counted Monday–Friday only; then the 2027
// calendar is published, the case is signalled, its deadline moves later, and it is replied to
// and rated. Its history proves that later code still replays a recount.
import type { WorkflowHandle } from '@temporalio/client';
import { SHIPPED_CALENDARS, WorkingCalendar } from '@duban/domain';
import { testPolicy } from '../../tests/support/policy';
import { TEST_CALENDAR_2027 } from '../../tests/support/calendar-2027';
import { staticCalendarSource, type CalendarSource } from '../src/calendar-source';
import { calendarPublishedSignal, rateUpdate, replyUpdate, reviewUpdate } from '../src';
import { createHarness, deputy, staff, stateOf, unit, until } from '../test/support/case-driver';

export async function recordCalendarRecount(
  save: (handle: WorkflowHandle, name: string) => Promise<void>,
  prefix: string,
): Promise<void> {
  let current = staticCalendarSource(new WorkingCalendar(SHIPPED_CALENDARS));
  const calendar: CalendarSource = {
    current: (need) => current.current(need),
    onNewYears: () => {},
    origin: () => 'registry',
    missingYear: (now) => current.missingYear(now),
  };
  const h = await createHarness({ calendar });
  try {
    const wf = await h.start(testPolicy({ replyWindow: { amount: 60, unit: 'workingDays' } }), {
      submittedAt: '2026-12-01T02:00:00.000Z',
    });
    await until(h.env, wf, 'submitted', '1 second');
    await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
    const before = await stateOf(wf);
    if (!before.calendarProvisional) throw new Error(`expected a provisional deadline, got ${before.replyDueAt}`);
    current = staticCalendarSource(new WorkingCalendar([...SHIPPED_CALENDARS, TEST_CALENDAR_2027]));
    await wf.signal(calendarPublishedSignal, { year: 2027 });
    for (let i = 0; i < 50 && (await stateOf(wf)).replyDueAt === before.replyDueAt; i++)
      await new Promise((r) => setTimeout(r, 100));
    const after = await stateOf(wf);
    if (after.replyDueAt === before.replyDueAt) throw new Error('the deadline did not move');
    process.stdout.write(`reply deadline moved ${before.replyDueAt} → ${after.replyDueAt}\n`);
    await h.env.sleep('20 days');
    await wf.executeUpdate(replyUpdate, { args: [{ by: unit('edu-bureau'), grade: 'A', summary: '已解决。' }] });
    await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'satisfied' }] });
    await wf.result();
    await save(wf, `${prefix}-calendar-recomputed`);
  } finally {
    await h.teardown();
  }
}
