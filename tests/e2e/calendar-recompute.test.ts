// A running suggestion whose reply deadline falls in 2027 was counted Monday–Friday only (2027
// has no official calendar yet, and the case says so: calendarProvisional). Staff publish 2027
// with holidays before that deadline: the worker picks it up without a restart, signals the case,
// and the deadline moves later, with a DeadlineRecomputed event, the DueAt search attribute, the
// case index and the case response following it.
import { randomUUID } from 'node:crypto';
import { SHIPPED_CALENDARS, WorkingCalendar, deadlineAfter } from '@duban/domain';
import { DueAt } from '@duban/workflows';
import demo from '@duban/registry/data/demo.json';
import { call, eventually, startSystem, token, type System } from '../support/system';
import { TEST_CALENDAR_2027 } from '../support/calendar-2027';

const REPLY_WINDOW = { amount: 60, unit: 'workingDays' as const };
let sys: System;
beforeAll(async () => {
  sys = await startSystem({
    registryDb: `duban_registry_recount_${randomUUID().slice(0, 8)}`,
    calendarsFromRegistry: true,
  });
});
afterAll(async () => {
  await sys?.registry.models?.Calendar.db.dropDatabase();
  await sys?.stop();
});

it('moves a running case’s provisional deadline when the 2027 calendar is published', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  // This registry's demo city counts the reply in working days, so holidays before the deadline count.
  const city = demo.policies.find((p) => p.id === 'cn-zj-demo-city')!;
  const { id: _id, ...doc } = city;
  void _id;
  const put = await call('PUT', `${sys.registryUrl}/v1/jurisdictions/cn-zj-demo-city/policy`, {
    token: staff,
    body: {
      ...doc,
      settings: { ...doc.settings, suggestion: { ...doc.settings.suggestion, replyWindow: REPLY_WINDOW } },
    },
  });
  expect(put.status).toBe(200);

  const deputy = await token({ role: 'deputy', sub: 'deputy-001' });
  const created = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
    token: deputy,
    body: {
      title: '关于春节期间加强城区供暖保障的建议',
      content: '建议供暖企业在春节假期安排值守，确保老旧小区供暖正常。',
      category: 'education',
      jurisdiction: 'cn-zj-demo-city',
    },
  });
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const reviewed = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/review`, {
    token: staff,
    body: { decision: 'accept' },
  });
  expect(reviewed.status).toBe(200);

  const before = await eventually(async () => {
    const r = await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${caseId}`, { token: staff });
    return r.body.state?.stage === 'assigned' ? r.body : undefined;
  }, 'the assignment');
  const assignedAt = new Date(before.state.assignedAt);
  const weekendsOnly = deadlineAfter(assignedAt, REPLY_WINDOW, new WorkingCalendar(SHIPPED_CALENDARS)).toISOString();
  const official = deadlineAfter(
    assignedAt,
    REPLY_WINDOW,
    new WorkingCalendar([...SHIPPED_CALENDARS, TEST_CALENDAR_2027]),
  ).toISOString();
  expect(weekendsOnly.slice(0, 4)).toBe('2027');
  expect(Date.parse(official)).toBeGreaterThan(Date.parse(weekendsOnly));
  expect(before.state.replyDueAt).toBe(weekendsOnly);
  expect(before.calendarProvisional).toBe(true);
  // The visibility query the worker will run finds the case.
  await eventually(async () => {
    for await (const wf of sys.temporal.workflow.list({
      query: `WorkflowId = '${caseId}' AND DueAt >= '2026-12-31T16:00:00Z'`,
    }))
      return wf;
    return undefined;
  }, 'the case in visibility');

  const published = await call('PUT', `${sys.registryUrl}/v1/calendars/2027`, {
    token: staff,
    body: TEST_CALENDAR_2027,
  });
  expect(published.status).toBe(200);
  expect(published.body.changed).toBe(true);

  const after = await eventually(async () => {
    const r = await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${caseId}`, { token: staff });
    return r.body.state?.replyDueAt === official ? r.body : undefined;
  }, 'the deadline to move to the official count');
  expect(after.calendarProvisional).toBe(false);
  expect(after.state.events).toContain(`${caseId}/deadline-recomputed/1/2027`);
  const desc = await sys.temporal.workflow.getHandle(caseId).describe();
  expect(desc.typedSearchAttributes.get(DueAt)?.toISOString()).toBe(official);

  // The event went out with the old and new date; the read model follows it.
  const timeline = await eventually(async () => {
    const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}/timeline`, { token: staff });
    return r.body.events?.some((e: { type: string }) => e.type === 'DeadlineRecomputed') ? r.body : undefined;
  }, 'DeadlineRecomputed in the case index');
  const event = timeline.events.find((e: { type: string }) => e.type === 'DeadlineRecomputed');
  expect(JSON.stringify(event)).toContain(official.slice(0, 10));
  const view = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}`, { token: staff });
  expect(new Date(view.body.dueAt).toISOString()).toBe(official);

  // Told again (another worker, a restart): nothing changes, no second event.
  await sys.temporal.workflow.getHandle(caseId).signal('calendarPublished', { year: 2027 });
  await new Promise((r) => setTimeout(r, 1500));
  const again = await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${caseId}`, { token: staff });
  expect(again.body.state.replyDueAt).toBe(official);
  expect(again.body.state.events.filter((e: string) => e.includes('deadline-recomputed'))).toHaveLength(1);
});
