// The citizen service alone over HTTP, on its own database, with a real registry and worker:
// an opinion sent, read back, answered and rated; a liaison letter sent and replied to; bad
// input refused with nothing stored; a retried intake one case; who may not call it.
import { randomUUID } from 'node:crypto';
import { countIn, eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('citizen');

const STATION = 'station-riverside';
const opinion = (content: string) => ({ stationId: STATION, channel: 'online', category: 'transport', content });
const citizen = () => ({ role: 'citizen' as const, sub: `citizen-${randomUUID().slice(0, 8)}` });

async function stageOf(id: string, stage: string) {
  return eventually(async () => {
    const r = await c.http('GET', `/v1/citizen-opinions/${id}`);
    return r.status === 200 && r.body.state?.stage === stage && r.body;
  }, `${id} to be ${stage}`);
}

it('takes an opinion, reads it back, and a deputy on duty answers it and the citizen rates the answer', async () => {
  const me = citizen();
  const contact = { name: '陈小明', phone: '13800138000' };
  const sent = await c.http('POST', '/v1/citizen-opinions', {
    as: me,
    body: { ...opinion('滨江路公交站台没有遮雨棚，希望增设。'), contact },
  });
  expect(sent.status).toBe(201);
  const id: string = sent.body.caseId;
  expect(id).toMatch(/^opinion-\d{4}-\d{6}$/);

  const mine = await c.http('GET', `/v1/citizen-opinions/${id}`, { as: me });
  expect(mine.status).toBe(200);
  expect(mine.body).toMatchObject({
    caseId: id,
    citizenId: me.sub,
    jurisdiction: 'cn-zj-demo-city',
    stationId: STATION,
    content: '滨江路公交站台没有遮雨棚，希望增设。',
    contact,
  });
  await stageOf(id, 'submitted');

  const answered = await c.http('POST', `/v1/citizen-opinions/${id}/answer`, {
    as: 'deputy',
    body: { text: '已转交交通部门，将在下月增设。' },
  });
  expect(answered.status).toBe(200);
  expect(answered.body.state).toMatchObject({ stage: 'awaitingRating', handledBy: 'deputy-001' });
  expect(answered.body.state.answer.text).toBe('已转交交通部门，将在下月增设。');

  // Only the citizen who sent it rates, once.
  const byOther = await c.http('POST', `/v1/citizen-opinions/${id}/rating`, {
    as: citizen(),
    body: { rating: 'satisfied' },
  });
  expect(byOther.status).toBe(403);
  const rated = await c.http('POST', `/v1/citizen-opinions/${id}/rating`, { as: me, body: { rating: 'satisfied' } });
  expect(rated.status).toBe(200);
  const closed = await stageOf(id, 'closed');
  expect(closed.state).toMatchObject({ closedOutcome: 'answered', rating: { rating: 'satisfied', assumed: false } });
});

it('sends a liaison letter to a department, which replies; a letter to an unknown department is refused', async () => {
  const me = citizen();
  const sent = await c.http('POST', '/v1/citizen-opinions', {
    as: me,
    body: opinion('学校门口早晚拥堵，需要交通疏导。'),
  });
  expect(sent.status).toBe(201);
  const id: string = sent.body.caseId;
  await stageOf(id, 'submitted');

  const unknown = await c.http('POST', `/v1/citizen-opinions/${id}/letter`, {
    as: 'deputy',
    body: { unit: 'no-such-bureau', content: '请研究学校门口交通疏导。' },
  });
  expectRefused(unknown, 422, /no-such-bureau/);
  expect((await c.http('GET', `/v1/citizen-opinions/${id}`)).body.letter).toBeNull();

  const letter = await c.http('POST', `/v1/citizen-opinions/${id}/letter`, {
    as: 'deputy',
    body: { unit: 'edu-bureau', content: '请研究学校门口交通疏导。' },
  });
  expect(letter.status).toBe(200);
  const letterId = `${id}-letter-1`;
  expect(letter.body.letter).toEqual({
    letterId,
    unit: 'edu-bureau',
    content: '请研究学校门口交通疏导。',
    deputyId: 'deputy-001',
  });

  // Another department may not read or answer it; the department it went to replies.
  const transport = { role: 'unit' as const, sub: 'handler-tr', unit: 'transport-bureau' };
  expect((await c.http('GET', `/v1/liaison-letters/${letterId}`, { as: transport })).status).toBe(404);
  const replied = await eventually(async () => {
    const r = await c.http('POST', `/v1/liaison-letters/${letterId}/reply`, {
      as: 'unit',
      body: { text: '已安排交警早晚疏导。' },
    });
    return r.status === 200 && r;
  }, 'the letter to take a reply');
  expect(replied.body).toMatchObject({ letterId, unit: 'edu-bureau', state: { stage: 'awaitingRating' } });
  const read = await c.http('GET', `/v1/liaison-letters/${letterId}`, { as: 'unit' });
  expect(read.status).toBe(200);
  expect(read.body.state.stage).toBe('awaitingRating');
  // What a department sees: the opinion's text, never the citizen's contact details.
  expect(read.body).not.toHaveProperty('contact');
});

it('refuses bad input with the field named and stores nothing', async () => {
  const me = citizen();
  const before = await countIn(c, 'opinions');
  const short = await c.http('POST', '/v1/citizen-opinions', { as: me, body: opinion('雨') });
  expectRefused(short, 400, /content/, 'validation_failed');
  const extra = await c.http('POST', '/v1/citizen-opinions', {
    as: me,
    body: { ...opinion('公交站台需要遮雨棚。'), idCard: '330102' },
  });
  expectRefused(extra, 400, /idCard/, 'validation_failed');
  const badPhone = await c.http('POST', '/v1/citizen-opinions', {
    as: me,
    body: { ...opinion('公交站台需要遮雨棚。'), contact: { phone: 'call me' } },
  });
  expectRefused(badPhone, 400, /contact\.phone/);
  const noStation = await c.http('POST', '/v1/citizen-opinions', {
    as: me,
    body: { ...opinion('公交站台需要遮雨棚。'), stationId: 'station-nowhere' },
  });
  expect(noStation.status).toBe(422);
  expect(noStation.body.error.message).toMatch(/station-nowhere/);

  expect((await c.http('GET', '/v1/citizen-opinions', { as: me })).body.items).toEqual([]);
  expect(await countIn(c, 'opinions')).toBe(before);
});

it('makes one case of a retried intake, and refuses the key for another body', async () => {
  const me = citizen();
  const key = `intake-${randomUUID()}`;
  const body = opinion('路灯坏了两个星期没人修。');
  const first = await c.http('POST', '/v1/citizen-opinions', { as: me, body, headers: { 'idempotency-key': key } });
  const again = await c.http('POST', '/v1/citizen-opinions', { as: me, body, headers: { 'idempotency-key': key } });
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(again.body).toEqual({ ...first.body, created: false });
  const other = await c.http('POST', '/v1/citizen-opinions', {
    as: me,
    body: opinion('另一件事：垃圾桶不够。'),
    headers: { 'idempotency-key': key },
  });
  expect(other.status).toBe(409);
  const listed = await c.http('GET', '/v1/citizen-opinions', { as: me });
  expect(listed.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([first.body.caseId]);
  expect(await countIn(c, 'opinions', { citizenId: me.sub })).toBe(1);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown or foreign opinion', async () => {
  const body = opinion('公交站台需要遮雨棚。');
  expectRefused(await c.http('POST', '/v1/citizen-opinions', { as: 'unit', body }), 403, /./, 'forbidden');
  expect((await c.http('POST', '/v1/citizen-opinions', { as: 'deputy', body })).status).toBe(403);
  expect((await c.http('POST', '/v1/citizen-opinions', { as: null, body })).status).toBe(401);
  expect((await c.http('GET', '/v1/citizen-opinions', { as: null })).status).toBe(401);

  const unknown = await c.http('GET', '/v1/citizen-opinions/opinion-2026-999999');
  expectRefused(unknown, 404, /opinion-2026-999999/);
  expect(
    (
      await c.http('POST', '/v1/citizen-opinions/opinion-2026-999999/answer', {
        as: 'deputy',
        body: { text: '答复。' },
      })
    ).status,
  ).toBe(404);

  // Someone else's opinion is as good as unknown to another citizen.
  const me = citizen();
  const sent = await c.http('POST', '/v1/citizen-opinions', { as: me, body });
  expect((await c.http('GET', `/v1/citizen-opinions/${sent.body.caseId}`, { as: citizen() })).status).toBe(404);
});
