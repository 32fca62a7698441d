// The duties service alone over HTTP, on its own database, with a real registry and worker: a
// regulation registered, its report requested, filed and reviewed; an appointee's report filed
// and voted on once per member; bad input refused with nothing stored; a repeated registration
// and a retried report harmless; who may not call it.
import { randomUUID } from 'node:crypto';
import { countIn, eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('duties');

const J = 'cn-zj-demo-city';
const tag = () => randomUUID().slice(0, 8);
/** In force for over three years: past the report period, so the report is requested at once. */
const regulation = (regulationId: string) => ({
  regulationId,
  title: '示范市物业管理条例',
  jurisdiction: J,
  unit: 'edu-bureau',
  inForceOn: '2023-03-01',
});

async function regulationAt(id: string, stage: string) {
  return eventually(async () => {
    const r = await c.http('GET', `/v1/regulations/${id}`);
    return r.status === 200 && r.body.state?.stage === stage && r.body;
  }, `regulation ${id} at ${stage}`);
}

it('registers a regulation, asks for its report, takes it from its unit and closes on review', async () => {
  const id = `reg-${tag()}`;
  const created = await c.http('POST', '/v1/regulations', { body: regulation(id) });
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ regulationId: id, caseId: `regulation-report-${id}`, created: true });

  const requested = await regulationAt(id, 'requested');
  expect(requested).toMatchObject({ _id: id, unit: 'edu-bureau', jurisdiction: J, inForceOn: '2023-03-01' });
  expect(typeof requested.state.reportDueAt).toBe('string');
  // The unit reads its own regulation; another unit sees nothing.
  expect((await c.http('GET', `/v1/regulations/${id}`, { as: 'unit' })).status).toBe(200);
  const transport = { role: 'unit' as const, sub: 'handler-tr', unit: 'transport-bureau' };
  expect((await c.http('GET', `/v1/regulations/${id}`, { as: transport })).status).toBe(404);
  expect(
    (await c.http('POST', `/v1/regulations/${id}/report`, { as: transport, body: { summary: '不是我们的。' } })).status,
  ).toBe(403);

  const filed = await c.http('POST', `/v1/regulations/${id}/report`, {
    as: 'unit',
    body: { summary: '条例实施情况报告。' },
  });
  expect(filed.status).toBe(200);
  expect(filed.body.stage).toBe('underReview');
  expect(filed.body.reports.map((r: { summary: string }) => r.summary)).toEqual(['条例实施情况报告。']);
  const reviewed = await c.http('POST', `/v1/regulations/${id}/review`, {
    body: { decision: 'accepted', note: '报告完整。' },
  });
  expect(reviewed.status).toBe(200);
  const closed = await regulationAt(id, 'closed');
  expect(closed.state.closedOutcome).toBe('accepted');
});

it('counts one vote per committee member on an appointee report', async () => {
  const id = `appt-${tag()}`;
  const body = {
    appointmentId: id,
    officialId: `official-${id}`,
    unit: 'edu-bureau',
    jurisdiction: J,
    termStart: '2026-01-15',
  };
  expect((await c.http('POST', '/v1/appointments', { body })).status).toBe(201);
  const reported = await eventually(async () => {
    const r = await c.http('POST', `/v1/appointments/${id}/report`, {
      as: 'unit',
      body: { summary: '任期履职报告。' },
    });
    return r.status === 200 && r;
  }, 'the appointee report to be taken');
  expect(reported.body.electorate).toContain('member-01');

  const member = { role: 'deputy' as const, sub: 'member-01' };
  const vote = await c.http('POST', `/v1/appointments/${id}/votes`, { as: member, body: { choice: 'satisfied' } });
  expect(vote.status).toBe(200);
  const again = await c.http('POST', `/v1/appointments/${id}/votes`, { as: member, body: { choice: 'unsatisfied' } });
  expectRefused(again, 409, /already voted/, 'already_voted');
  // A deputy who is not on the committee roster is refused, and no vote of theirs is kept.
  const outsider = await c.http('POST', `/v1/appointments/${id}/votes`, {
    as: 'deputy',
    body: { choice: 'satisfied' },
  });
  expect(outsider.status).toBe(403);
  expect(await countIn(c, 'votes', { _id: `appointee-report-${id}/deputy-001` })).toBe(0);

  const read = await c.http('GET', `/v1/appointments/${id}`);
  expect(read.body.state.votes).toEqual({ 'member-01': 'satisfied' });
});

it('refuses bad input with the field named and stores nothing', async () => {
  const id = `reg-${tag()}`;
  const badDate = await c.http('POST', '/v1/regulations', { body: { ...regulation(id), inForceOn: '1 March 2023' } });
  expectRefused(badDate, 400, /inForceOn/, 'validation_failed');
  const badId = await c.http('POST', '/v1/regulations', { body: regulation('Reg With Spaces') });
  expectRefused(badId, 400, /regulationId/, 'validation_failed');
  const nowhere = await c.http('POST', '/v1/regulations', { body: { ...regulation(id), jurisdiction: 'cn-nowhere' } });
  expectRefused(nowhere, 422, /cn-nowhere/, 'unknown_jurisdiction');
  expect((await c.http('GET', `/v1/regulations/${id}`)).status).toBe(404);

  const appt = `appt-${tag()}`;
  const backwards = await c.http('POST', '/v1/appointments', {
    body: {
      appointmentId: appt,
      officialId: 'o-1',
      unit: 'edu-bureau',
      jurisdiction: J,
      termStart: '2026-01-15',
      termEnd: '2025-01-15',
    },
  });
  expectRefused(backwards, 400, /termEnd/);
  expect((await c.http('GET', `/v1/appointments/${appt}`)).status).toBe(404);
  expect(await countIn(c, 'regulations', { _id: id })).toBe(0);
  expect(await countIn(c, 'appointments', { _id: appt })).toBe(0);
});

it('keeps one registration and one report however often they are repeated', async () => {
  const id = `reg-${tag()}`;
  const first = await c.http('POST', '/v1/regulations', { body: regulation(id) });
  const again = await c.http('POST', '/v1/regulations', { body: regulation(id) });
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(again.body).toEqual({ ...first.body, created: false });
  const other = await c.http('POST', '/v1/regulations', { body: { ...regulation(id), inForceOn: '2024-03-01' } });
  expectRefused(other, 409, new RegExp(id));
  expect(await countIn(c, 'regulations', { _id: id })).toBe(1);
  expect((await c.http('GET', `/v1/regulations/${id}`)).body.inForceOn).toBe('2023-03-01');

  await regulationAt(id, 'requested');
  const key = { 'idempotency-key': `report-${randomUUID()}` };
  const filed = await c.http('POST', `/v1/regulations/${id}/report`, {
    as: 'unit',
    body: { summary: '条例实施情况报告。' },
    headers: key,
  });
  const retried = await c.http('POST', `/v1/regulations/${id}/report`, {
    as: 'unit',
    body: { summary: '条例实施情况报告。' },
    headers: key,
  });
  expect([filed.status, retried.status]).toEqual([200, 200]);
  expect(retried.body.stage).toBe('underReview');
  expect(retried.body.reports).toEqual(filed.body.reports);
  expect(retried.body.reports).toHaveLength(1);
  // Without the key, a second report is a conflict: it was filed once.
  const twice = await c.http('POST', `/v1/regulations/${id}/report`, { as: 'unit', body: { summary: '再报一次。' } });
  expect(twice.status).toBe(409);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown id', async () => {
  const body = regulation(`reg-${tag()}`);
  expectRefused(await c.http('POST', '/v1/regulations', { as: 'deputy', body }), 403, /./, 'forbidden');
  expect((await c.http('POST', '/v1/regulations', { as: 'operator', body })).status).toBe(403);
  expect((await c.http('POST', '/v1/regulations', { as: null, body })).status).toBe(401);
  expect((await c.http('GET', '/v1/overdue', { as: 'unit' })).status).toBe(403);
  expect(await countIn(c, 'regulations', { _id: body.regulationId })).toBe(0);

  expectRefused(await c.http('GET', '/v1/regulations/no-such-regulation'), 404, /no-such-regulation/);
  expect((await c.http('GET', '/v1/appointments/no-such-appointment')).status).toBe(404);
  expect(
    (await c.http('POST', '/v1/appointments/no-such-appointment/report', { as: 'unit', body: { summary: '报告。' } }))
      .status,
  ).toBe(404);
});
