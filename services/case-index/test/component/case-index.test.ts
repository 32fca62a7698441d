// The case index alone over HTTP, on its own database and consumer group, fed events on the
// stack's Kafka as the workflows publish them: a suggestion's case appears, then follows its
// assignment; a duplicate event changes nothing; bad filters refused naming the field; who may
// see a case; 401/403/404.
import { randomInt } from 'node:crypto';
import { SuggestionAssignedSchema, SuggestionSubmittedSchema, create, timestampFromDate } from '@duban/proto';
import { testEvent } from '../../../../tests/support/system';
import { eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('case-index');

/** A case id no other test makes (their numbers count from 1). */
const newCaseId = () => `suggestion-2026-${randomInt(500_000, 999_999)}`;
const submitted = (caseId: string) =>
  testEvent(caseId, 'submitted', {
    case: 'suggestionSubmitted',
    value: create(SuggestionSubmittedSchema, {
      deputyId: 'deputy-001',
      title: '关于增设学校周边交通设施的建议',
      category: 'education',
      submittedAt: timestampFromDate(new Date()),
    }),
  });
const assigned = (caseId: string, due: Date) =>
  testEvent(caseId, 'assigned-1', {
    case: 'suggestionAssigned',
    value: create(SuggestionAssignedSchema, {
      leadUnit: 'edu-bureau',
      assignedAt: timestampFromDate(new Date()),
      replyDueAt: timestampFromDate(due),
      assignmentNo: 1,
    }),
  });

async function viewOf(caseId: string, ready: (v: any) => boolean) {
  return eventually(async () => {
    const r = await c.http('GET', `/v1/cases/${caseId}`);
    return r.status === 200 && ready(r.body) && r.body;
  }, `the index to show ${caseId}`);
}

it('shows a case from its events and follows it to its assignment', async () => {
  const id = newCaseId();
  await c.publish(submitted(id));
  const view = await viewOf(id, () => true);
  expect(view).toMatchObject({
    caseId: id,
    kind: 'suggestion',
    jurisdiction: 'cn-zj-demo-city',
    title: '关于增设学校周边交通设施的建议',
    deputyId: 'deputy-001',
    closed: false,
  });
  // Not assigned yet: the unit it will go to does not see it; its deputy does.
  expect((await c.http('GET', `/v1/cases/${id}`, { as: 'unit' })).status).toBe(404);
  expect((await c.http('GET', `/v1/cases/${id}`, { as: 'deputy' })).status).toBe(200);

  const due = new Date(Date.now() + 30 * 86_400_000);
  await c.publish(assigned(id, due));
  const after = await viewOf(id, (v) => v.stage === 'assigned');
  expect(after).toMatchObject({ leadUnit: 'edu-bureau', dueAt: due.toISOString(), overdue: false });
  expect((await c.http('GET', `/v1/cases/${id}`, { as: 'unit' })).status).toBe(200);
  const timeline = await c.http('GET', `/v1/cases/${id}/timeline`, { as: 'unit' });
  expect(timeline.body.events.map((e: { type: string }) => e.type)).toEqual([
    'SuggestionSubmitted',
    'SuggestionAssigned',
  ]);
});

it('keeps one event of a duplicate delivery', async () => {
  const id = newCaseId();
  const event = submitted(id);
  await c.publish(event, event);
  await viewOf(id, () => true);
  // A later event is seen after both copies were offered, so the duplicate had its chance.
  await c.publish(event, assigned(id, new Date(Date.now() + 86_400_000)));
  await viewOf(id, (v) => v.stage === 'assigned');
  const timeline = await c.http('GET', `/v1/cases/${id}/timeline`);
  expect(timeline.body.events.map((e: { eventId: string }) => e.eventId)).toEqual([
    `${id}/submitted`,
    `${id}/assigned-1`,
  ]);
});

it('refuses bad filters and ids, naming what is wrong', async () => {
  expectRefused(await c.http('GET', '/v1/cases?kind=wish'), 400, /kind/, 'validation_failed');
  expectRefused(await c.http('GET', '/v1/cases?overdue=maybe'), 400, /overdue/, 'validation_failed');
  expectRefused(await c.http('GET', '/v1/cases?limit=0'), 400, /limit/);
  expectRefused(await c.http('GET', '/v1/cases/Not_A_Case'), 400, /Not_A_Case/);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown case', async () => {
  expect((await c.http('GET', '/v1/cases', { as: null })).status).toBe(401);
  expect((await c.http('GET', '/v1/cases/suggestion-2026-0001', { as: null })).status).toBe(401);
  expectRefused(await c.http('GET', '/v1/admin/boards', { as: 'deputy' }), 403, /./, 'forbidden');
  expect((await c.http('GET', '/v1/admin/boards', { as: 'operator' })).status).toBe(200);
  const unknown = newCaseId();
  expectRefused(await c.http('GET', `/v1/cases/${unknown}`), 404, new RegExp(unknown));
  expect((await c.http('GET', `/v1/cases/${unknown}/timeline`)).status).toBe(404);
});
