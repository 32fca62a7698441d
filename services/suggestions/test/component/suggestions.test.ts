// The suggestions service alone over HTTP, on its own database, with a real registry and worker:
// a suggestion submitted, read back and assigned by staff to the unit its category routes to;
// bad input refused with nothing stored; a retried submission one case; who may not call it.
import { randomUUID } from 'node:crypto';
import { countIn, eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('suggestions');

const suggestion = (title = '关于在学校周边增设交通安全设施的建议') => ({
  title,
  content: '多所小学周边上下学高峰拥堵，建议增设信号灯、减速带和护学岗。',
  category: 'education',
  jurisdiction: 'cn-zj-demo-city',
});
const deputy = () => ({ role: 'deputy' as const, sub: `deputy-${randomUUID().slice(0, 8)}` });

it('takes a suggestion, reads it back, and staff assign it to the unit its category routes to', async () => {
  const me = deputy();
  const sent = await c.http('POST', '/v1/suggestions', { as: me, body: suggestion() });
  expect(sent.status).toBe(201);
  const id: string = sent.body.caseId;
  expect(id).toMatch(/^suggestion-\d{4}-\d{4,}$/);
  const submitted = await eventually(async () => {
    const r = await c.http('GET', `/v1/suggestions/${id}`, { as: me });
    return r.status === 200 && r.body.state?.stage === 'submitted' && r.body;
  }, 'the suggestion to be submitted');
  expect(submitted).toMatchObject({ caseId: id, deputyId: me.sub, title: suggestion().title, category: 'education' });

  const reviewed = await c.http('POST', `/v1/suggestions/${id}/review`, { body: { decision: 'accept' } });
  expect(reviewed.status).toBe(200);
  const assigned = await eventually(async () => {
    const r = await c.http('GET', `/v1/suggestions/${id}`);
    return r.body.state?.stage === 'assigned' && r.body;
  }, 'the suggestion to be assigned');
  expect(assigned.state.leadUnit).toBe('edu-bureau');
  // Now the education bureau reads it; the transport bureau does not.
  expect((await c.http('GET', `/v1/suggestions/${id}`, { as: 'unit' })).status).toBe(200);
  const transport = { role: 'unit' as const, sub: 'handler-tr', unit: 'transport-bureau' };
  expect((await c.http('GET', `/v1/suggestions/${id}`, { as: transport })).status).toBe(404);
});

it('refuses bad input with the field named and stores nothing', async () => {
  const me = deputy();
  expectRefused(
    await c.http('POST', '/v1/suggestions', { as: me, body: suggestion('建议') }),
    400,
    /title/,
    'validation_failed',
  );
  expectRefused(
    await c.http('POST', '/v1/suggestions', { as: me, body: { ...suggestion(), category: 'Education!' } }),
    400,
    /category/,
  );
  expectRefused(
    await c.http('POST', '/v1/suggestions', { as: me, body: { ...suggestion(), jurisdiction: 'cn-nowhere' } }),
    422,
    /cn-nowhere/,
    'unknown_jurisdiction',
  );
  expect((await c.http('GET', '/v1/suggestions', { as: me })).body.items).toEqual([]);
  expect(await countIn(c, 'suggestions', { deputyId: me.sub })).toBe(0);
});

it('makes one case of a retried submission, and refuses the key for another body', async () => {
  const me = deputy();
  const headers = { 'idempotency-key': `click-${randomUUID()}` };
  const first = await c.http('POST', '/v1/suggestions', { as: me, body: suggestion(), headers });
  const again = await c.http('POST', '/v1/suggestions', { as: me, body: suggestion(), headers });
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(again.body).toEqual({ ...first.body, created: false });
  const other = await c.http('POST', '/v1/suggestions', { as: me, body: suggestion('另一条不同的建议标题'), headers });
  expect(other.status).toBe(409);
  const listed = await c.http('GET', '/v1/suggestions', { as: me });
  expect(listed.body.items.map((s: { caseId: string }) => s.caseId)).toEqual([first.body.caseId]);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown id', async () => {
  expectRefused(await c.http('POST', '/v1/suggestions', { as: 'unit', body: suggestion() }), 403, /./, 'forbidden');
  expect((await c.http('POST', '/v1/suggestions', { as: 'staff', body: suggestion() })).status).toBe(403);
  expect((await c.http('POST', '/v1/suggestions', { as: null, body: suggestion() })).status).toBe(401);
  expect((await c.http('GET', '/v1/suggestions', { as: 'citizen' })).status).toBe(403);
  expectRefused(await c.http('GET', '/v1/suggestions/suggestion-2026-9999'), 404, /suggestion-2026-9999/);
  expect(
    (await c.http('POST', '/v1/suggestions/suggestion-2026-9999/review', { body: { decision: 'accept' } })).status,
  ).toBe(404);
});
