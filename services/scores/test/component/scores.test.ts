// The scores service alone over HTTP, on its own database and consumer group, with a real
// registry, fed events on the stack's Kafka as the workflows publish them: a deputy's submitted
// suggestions earn the policy's points (2 each) and are on their record, once however often an
// event is delivered; bad periods refused naming the field; who may read what; 401/403/404.
import { randomInt, randomUUID } from 'node:crypto';
import { SuggestionSubmittedSchema, create, timestampFromDate } from '@duban/proto';
import { testEvent } from '../../../../tests/support/system';
import { eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('scores');

/** The year in Beijing, the scores' periods' time zone. */
const YEAR = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
const newCaseId = () => `suggestion-2026-${randomInt(500_000, 999_999)}`;
const submitted = (caseId: string, deputyId: string) =>
  testEvent(caseId, 'submitted', {
    case: 'suggestionSubmitted',
    value: create(SuggestionSubmittedSchema, {
      deputyId,
      title: '关于增设学校周边交通设施的建议',
      category: 'education',
      submittedAt: timestampFromDate(new Date()),
    }),
  });

// The service's consumer group begins at the topics' ends (tests/support/component.ts): it folds
// this test's events only, not those earlier tests of the run left on the topics.
async function recordOf(deputy: string, count: number) {
  return eventually(
    async () => {
      const r = await c.http('GET', `/v1/scores/deputies/${deputy}?period=${YEAR}`);
      return r.status === 200 && r.body.suggestionsSubmitted === count && r.body;
    },
    `${deputy} to have ${count} suggestions`,
    60_000,
  );
}

it("counts a deputy's submitted suggestions once each, however often an event is delivered", async () => {
  const deputy = `deputy-${randomUUID().slice(0, 8)}`;
  const [a, b] = [newCaseId(), newCaseId()];
  await c.publish(submitted(a, deputy), submitted(a, deputy));
  const one = await recordOf(deputy, 1);
  expect(one).toMatchObject({ deputy, jurisdiction: 'cn-zj-demo-city', points: 2, period: YEAR });
  expect(one.record.map((r: { caseId: string }) => r.caseId)).toEqual([a]);

  // The duplicate again with a new case: two cases, four points, no third entry.
  await c.publish(submitted(a, deputy), submitted(b, deputy));
  const two = await recordOf(deputy, 2);
  expect(two.points).toBe(4);
  expect(two.record.map((r: { caseId: string }) => r.caseId).sort()).toEqual([a, b].sort());

  // The deputy reads their own record and the ranking, where they stand with their points.
  expect((await c.http('GET', `/v1/scores/deputies/${deputy}`, { as: { role: 'deputy', sub: deputy } })).status).toBe(
    200,
  );
  const ranking = await c.http('GET', `/v1/scores/deputies?period=${YEAR}`, { as: 'deputy' });
  expect(ranking.status).toBe(200);
  expect(ranking.body.items.find((d: { deputy: string }) => d.deputy === deputy)).toMatchObject({ points: 4 });
});

it('refuses bad periods and queries, naming the field', async () => {
  expectRefused(await c.http('GET', '/v1/scores/units?period=last-year'), 400, /period/, 'validation_failed');
  expectRefused(await c.http('GET', '/v1/scores/deputies?format=xlsx'), 400, /format/, 'validation_failed');
  expectRefused(await c.http('GET', '/v1/scores/overdue-by-month?year=26'), 400, /year/, 'validation_failed');
  expectRefused(await c.http('GET', '/v1/scores/units?unit=edu-bureau'), 400, /unit/, 'validation_failed');
});

it('refuses a role not allowed (403), no token (401), and answers 404 where nothing is', async () => {
  expect((await c.http('GET', '/v1/scores/units', { as: null })).status).toBe(401);
  expectRefused(await c.http('GET', '/v1/scores/units', { as: 'deputy' }), 403, /./, 'forbidden');
  expect((await c.http('GET', '/v1/scores/stations', { as: 'unit' })).status).toBe(403);
  // A deputy reads only their own record; a handler only their own unit's figures.
  expectRefused(await c.http('GET', '/v1/scores/deputies/deputy-002', { as: 'deputy' }), 403, /only their own/);
  expectRefused(await c.http('GET', '/v1/scores/units/transport-bureau', { as: 'unit' }), 403, /transport-bureau/);
  // Other tests' events may give edu-bureau figures in other jurisdictions: name this one.
  expect((await c.http('GET', '/v1/scores/units/edu-bureau?jurisdiction=cn-zj-demo-city', { as: 'unit' })).status).toBe(
    200,
  );
  expect((await c.http('POST', '/v1/admin/rebuild', { as: 'staff' })).status).toBe(403);
  // No rebuild has run in this process: nothing to show.
  expectRefused(await c.http('GET', '/v1/admin/rebuild', { as: 'operator' }), 404, /no rebuild/);
});
