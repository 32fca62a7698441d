// The oversight service alone over HTTP, on its own database, with a real registry and worker: a
// review opinion opened for two units, read back, an item reported done and closed by staff; an
// inquiry filed by committee members; bad input refused with nothing stored; a retried intake one
// case; who may not call it.
import { randomUUID } from 'node:crypto';
import { countIn, eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('oversight');

const J = 'cn-zj-demo-city';
const opinion = (title = '关于义务教育均衡发展情况报告的审议意见') => ({
  jurisdiction: J,
  title,
  items: [
    { list: 'issue', description: '城乡学校师资配置不均衡', unit: 'edu-bureau' },
    { list: 'supervision', description: '学校周边交通拥堵治理', unit: 'transport-bureau' },
  ],
});
const transport = { role: 'unit' as const, sub: 'handler-tr', unit: 'transport-bureau' };

async function partOf(caseId: string, unit: string, ready: (s: any) => boolean) {
  return eventually(async () => {
    const r = await c.http('GET', `/v1/review-opinions/${caseId}`);
    const s = r.body.tracks?.find((t: { unit: string }) => t.unit === unit)?.state;
    return s && ready(s) && s;
  }, `${unit}'s part of ${caseId}`);
}

it('opens a review opinion per unit, takes an item done from its unit and closes it on staff confirmation', async () => {
  const created = await c.http('POST', '/v1/review-opinions', { body: opinion() });
  expect(created.status).toBe(201);
  const id: string = created.body.caseId;
  expect(id).toMatch(/^review-opinion-\d{4}-\d{4,}$/);
  expect(created.body.units).toEqual(['edu-bureau', 'transport-bureau']);

  await partOf(id, 'edu-bureau', (s) => s.items.length === 1);
  // A unit sees only its own part.
  const asEdu = await c.http('GET', `/v1/review-opinions/${id}`, { as: 'unit' });
  expect(asEdu.status).toBe(200);
  expect(asEdu.body.tracks.map((t: { unit: string }) => t.unit)).toEqual(['edu-bureau']);
  expect(asEdu.body).toMatchObject({ caseId: id, jurisdiction: J, title: opinion().title });

  const feedback = await c.http('POST', `/v1/review-opinions/${id}/items/1/feedback`, {
    as: 'unit',
    body: { progress: '已完成整改并提交佐证材料', done: true, evidence: ['教育局整改报告'] },
  });
  expect(feedback.status).toBe(200);
  // Another unit may not act on it; a unit may not close its own item.
  expect(
    (
      await c.http('POST', `/v1/review-opinions/${id}/items/1/feedback`, {
        as: transport,
        body: { progress: '不是我们的', done: false },
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await c.http('POST', `/v1/review-opinions/${id}/items/1/confirmation`, {
        as: 'unit',
        body: { confirm: true, note: '已完成' },
      })
    ).status,
  ).toBe(403);
  const confirmed = await c.http('POST', `/v1/review-opinions/${id}/items/1/confirmation`, {
    body: { confirm: true, note: '经核查同意销号', evidence: ['现场核查记录'] },
  });
  expect(confirmed.status).toBe(200);
  const item = confirmed.body.state.items.find((i: { itemId: string }) => i.itemId === '1');
  expect(item.closure.evidence).toEqual(['教育局整改报告', '现场核查记录']);
  // An item still open cannot be closed by staff.
  expect(
    (
      await c.http('POST', `/v1/review-opinions/${id}/items/2/confirmation`, {
        body: { confirm: true, note: '直接销号' },
      })
    ).status,
  ).toBe(409);
});

it('files an inquiry signed by enough committee members, and refuses one with too few', async () => {
  const filer = { role: 'deputy' as const, sub: 'member-01' };
  const body = {
    jurisdiction: J,
    unit: 'transport-bureau',
    subject: '关于学校周边交通拥堵的质询',
    content: '学校周边交通拥堵多年未解决，请说明原因和措施。',
    coSigners: [
      'member-02',
      'member-03',
      'member-04',
      'member-05',
      'member-06',
      'member-07',
      'member-08',
      'member-09',
      'member-10',
    ],
  };
  const before = await countIn(c, 'oversight_cases');
  const tooFew = await c.http('POST', '/v1/inquiries', { as: filer, body: { ...body, coSigners: ['member-02'] } });
  expect(tooFew.status).toBe(422);
  expect(tooFew.body.error.code).toBe('inquiry_refused');
  const outsider = await c.http('POST', '/v1/inquiries', {
    as: filer,
    body: { ...body, coSigners: [...body.coSigners.slice(1), 'deputy-009'] },
  });
  expect(outsider.status).toBe(422);
  expect(outsider.body.error.message).toMatch(/deputy-009/);
  expect(await countIn(c, 'oversight_cases')).toBe(before);

  const filed = await c.http('POST', '/v1/inquiries', { as: filer, body });
  expect(filed.status).toBe(201);
  const id: string = filed.body.caseId;
  expect(filed.body.signers).toEqual(['member-01', ...body.coSigners]);
  const read = await eventually(async () => {
    const r = await c.http('GET', `/v1/inquiries/${id}`);
    return r.status === 200 && r.body.state && r.body;
  }, 'the inquiry to start');
  expect(read).toMatchObject({ caseId: id, kind: 'inquiry', units: ['transport-bureau'], title: body.subject });
  expect((await c.http('GET', `/v1/inquiries/${id}`, { as: 'unit' })).status).toBe(404);
  expect((await c.http('GET', `/v1/inquiries/${id}`, { as: transport })).status).toBe(200);

  const decided = await c.http('POST', `/v1/inquiries/${id}/decision`, { body: { mode: 'written' } });
  expect(decided.status).toBe(200);
  const replied = await c.http('POST', `/v1/inquiries/${id}/reply`, {
    as: transport,
    body: { summary: '已制定错峰放学和交警疏导方案。' },
  });
  expect(replied.status).toBe(200);
  expect(replied.body.caseId).toBe(id);
});

it('refuses bad input with the field named and stores nothing', async () => {
  const before = await countIn(c, 'oversight_cases');
  const noItems = await c.http('POST', '/v1/review-opinions', { body: { ...opinion(), items: [] } });
  expectRefused(noItems, 400, /items: list at least one item/, 'validation_failed');
  const badList = await c.http('POST', '/v1/review-opinions', {
    body: { ...opinion(), items: [{ list: 'wish', description: '愿望清单', unit: 'edu-bureau' }] },
  });
  expectRefused(badList, 400, /items\.0\.list/, 'validation_failed');
  const unknownUnit = await c.http('POST', '/v1/review-opinions', {
    body: {
      ...opinion(),
      items: [...opinion().items, { list: 'issue', description: '无人可答', unit: 'no-such-bureau' }],
    },
  });
  expectRefused(unknownUnit, 422, /"no-such-bureau"/, 'unknown_unit');
  const nowhere = await c.http('POST', '/v1/review-opinions', { body: { ...opinion(), jurisdiction: 'cn-nowhere' } });
  expectRefused(nowhere, 422, /cn-nowhere/, 'unknown_jurisdiction');
  expect(await countIn(c, 'oversight_cases')).toBe(before);
});

it('makes one case of a retried intake, and refuses the key for another body', async () => {
  const title = `关于审议意见的重复提交 ${randomUUID().slice(0, 6)}`;
  const headers = { 'idempotency-key': `opinion-${randomUUID()}` };
  const first = await c.http('POST', '/v1/review-opinions', { body: opinion(title), headers });
  const again = await c.http('POST', '/v1/review-opinions', { body: opinion(title), headers });
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(again.body).toEqual({ ...first.body, created: false });
  const other = await c.http('POST', '/v1/review-opinions', { body: opinion(`${title}（另一份）`), headers });
  expect(other.status).toBe(409);
  expect(await countIn(c, 'oversight_cases', { title })).toBe(1);
  expect(await countIn(c, 'oversight_cases', { title: `${title}（另一份）` })).toBe(0);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown id', async () => {
  const before = await countIn(c, 'oversight_cases');
  expectRefused(await c.http('POST', '/v1/review-opinions', { as: 'unit', body: opinion() }), 403, /./, 'forbidden');
  expect((await c.http('POST', '/v1/review-opinions', { as: 'operator', body: opinion() })).status).toBe(403);
  expect((await c.http('POST', '/v1/review-opinions', { as: null, body: opinion() })).status).toBe(401);
  expect((await c.http('GET', '/v1/review-opinions/review-opinion-2026-9999', { as: 'citizen' })).status).toBe(403);
  expect(await countIn(c, 'oversight_cases')).toBe(before);

  expectRefused(await c.http('GET', '/v1/review-opinions/review-opinion-2026-9999'), 404, /review-opinion-2026-9999/);
  expect((await c.http('GET', '/v1/inquiries/inquiry-2026-9999')).status).toBe(404);
  expect(
    (
      await c.http('POST', '/v1/review-opinions/review-opinion-2026-9999/items/1/feedback', {
        as: 'unit',
        body: { progress: '进展', done: false },
      })
    ).status,
  ).toBe(404);
});
