// The livelihood service alone over HTTP, on its own database, with a real registry and worker: a
// year's cycle started, candidates proposed and screened, the collection closed; bad input
// refused with nothing stored; a repeated start and a retried proposal harmless; who may not
// call it.
import { randomUUID } from 'node:crypto';
import { countIn, eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('livelihood');
/** A city of this run's own, so no other test's cycle can have its id. */
const J = `cn-lhc-${randomUUID().slice(0, 8)}`;
let year = 2100;
/** A new year's cycle of J, started; its id. */
async function startCycle(): Promise<string> {
  const r = await c.http('POST', '/v1/livelihood/cycles', { body: { jurisdiction: J, year: ++year } });
  expect(r.status).toBe(201);
  return r.body.cycleId;
}
const cycle = (id: string) => c.http('GET', `/v1/livelihood/cycles/${id}`);
const propose = (id: string, body: object, opts: { as?: any; headers?: Record<string, string> } = {}) =>
  c.http('POST', `/v1/livelihood/cycles/${id}/candidates`, { as: 'citizen', body, ...opts });

beforeAll(async () => {
  const put = await c.http('PUT', `/v1/jurisdictions/${J}/policy`, {
    base: c.registryUrl,
    body: { name: 'Livelihood component city', level: 'city', parent: 'cn-zj', settings: {} },
  });
  expect(put.status).toBe(200);
});

it('starts a cycle, takes proposals, screens them and closes the collection', async () => {
  const id = await startCycle();
  expect(id).toBe(`livelihood-${J}-${year}`);
  const started = await eventually(async () => {
    const r = await cycle(id);
    return r.status === 200 && r.body;
  }, 'the cycle to start');
  expect(started).toMatchObject({ cycleId: id, jurisdiction: J, year, stage: 'collecting', candidates: [] });

  const byCitizen = await propose(id, { title: '老旧小区加装电梯', category: 'public-service' });
  expect(byCitizen.status).toBe(200);
  const c1: string = byCitizen.body.result.candidateId;
  const byUnit = await propose(id, { title: '社区卫生服务站', category: 'health' }, { as: 'unit' });
  const c2: string = byUnit.body.result.candidateId;
  const read = await cycle(id);
  expect(read.body.candidates.map((x: any) => [x.candidateId, x.title, x.status])).toEqual([
    [c1, '老旧小区加装电梯', 'proposed'],
    [c2, '社区卫生服务站', 'proposed'],
  ]);
  // Staff see who proposed; others only of what kind.
  expect(read.body.candidates[1].proposers).toEqual([{ kind: 'unit', id: 'edu-bureau' }]);
  const asDeputy = await c.http('GET', `/v1/livelihood/cycles/${id}`, { as: 'deputy' });
  expect(asDeputy.body.candidates[1].proposers).toEqual([{ kind: 'unit' }]);

  const screen = (cid: string, body: object) =>
    c.http('POST', `/v1/livelihood/cycles/${id}/candidates/${cid}/screening`, { body });
  expectRefused(await screen(c2, { decision: 'reject' }), 400, /reason: a rejection needs a reason/);
  expect((await screen(c1, { decision: 'accept' })).status).toBe(200);
  expect((await screen(c2, { decision: 'reject', reason: '已列入部门年度计划' })).status).toBe(200);
  const screened = await cycle(id);
  expect(screened.body.candidates.map((x: any) => [x.status, x.screenReason])).toEqual([
    ['accepted', null],
    ['rejected', '已列入部门年度计划'],
  ]);

  expect((await c.http('POST', `/v1/livelihood/cycles/${id}/collection/close`, { body: {} })).status).toBe(200);
  await eventually(async () => (await cycle(id)).body.stage === 'feasibility', 'the cycle to reach feasibility');
  // Collection closed: a new proposal is refused, and the candidates stay as they were.
  const late = await propose(id, { title: '迟到的项目', category: 'public-service' });
  expect(late.status).toBe(409);
  expect((await cycle(id)).body.candidates).toHaveLength(2);
});

it('refuses bad input with the field named and stores nothing', async () => {
  const badYear = await c.http('POST', '/v1/livelihood/cycles', { body: { jurisdiction: J, year: 1999 } });
  expectRefused(badYear, 400, /year/, 'validation_failed');
  const nowhere = await c.http('POST', '/v1/livelihood/cycles', { body: { jurisdiction: 'cn-nowhere', year: 2101 } });
  expectRefused(nowhere, 422, /cn-nowhere/, 'unknown_jurisdiction');
  expect(await countIn(c, 'cycles', { jurisdiction: { $in: ['cn-nowhere'] } })).toBe(0);
  expect((await cycle('livelihood-cn-nowhere-2101')).status).toBe(404);

  const id = await startCycle();
  await eventually(async () => (await cycle(id)).status === 200, 'the cycle to start');
  expectRefused(await propose(id, { title: '梯', category: 'public-service' }), 400, /title/, 'validation_failed');
  expectRefused(await propose(id, { title: '城区公厕改造', category: 'Public Service' }), 400, /category/);
  expectRefused(
    await propose(id, { title: '社区老年食堂', category: 'elderly-care' }, { as: 'staff' }),
    400,
    /stationId/,
  );
  expect((await cycle(id)).body.candidates).toEqual([]);
});

it('keeps one cycle and one candidate however often they are repeated', async () => {
  const id = await startCycle();
  const again = await c.http('POST', '/v1/livelihood/cycles', { body: { jurisdiction: J, year } });
  expect(again.status).toBe(200);
  expect(again.body).toEqual({ cycleId: id, workflowId: id, created: false });
  expect(await countIn(c, 'cycles', { _id: id })).toBe(1);
  await eventually(async () => (await cycle(id)).status === 200, 'the cycle to start');

  const headers = { 'idempotency-key': `propose-${randomUUID()}` };
  const body = { title: '城区公厕改造提升', category: 'public-service' };
  const first = await propose(id, body, { headers });
  const retried = await propose(id, body, { headers });
  expect([first.status, retried.status]).toEqual([200, 200]);
  expect(retried.body.result.candidateId).toBe(first.body.result.candidateId);
  expect((await cycle(id)).body.candidates.map((x: any) => x.candidateId)).toEqual([first.body.result.candidateId]);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown cycle', async () => {
  const body = { jurisdiction: J, year: 2900 };
  expectRefused(await c.http('POST', '/v1/livelihood/cycles', { as: 'deputy', body }), 403, /./, 'forbidden');
  expect((await c.http('POST', '/v1/livelihood/cycles', { as: 'unit', body })).status).toBe(403);
  expect((await c.http('POST', '/v1/livelihood/cycles', { as: null, body })).status).toBe(401);
  expect(await countIn(c, 'cycles', { year: 2900 })).toBe(0);
  expect((await cycle(`livelihood-${J}-2900`)).status).toBe(404);

  const id = await startCycle();
  await eventually(async () => (await cycle(id)).status === 200, 'the cycle to start');
  const asOperator = await propose(id, { title: '运维提的项目', category: 'public-service' }, { as: 'operator' });
  expect(asOperator.status).toBe(403);
  expect((await c.http('GET', `/v1/livelihood/cycles/${id}`, { as: null })).status).toBe(401);
  expect((await c.http('POST', `/v1/livelihood/cycles/${id}/collection/close`, { as: 'unit', body: {} })).status).toBe(
    403,
  );
  expect((await cycle(id)).body).toMatchObject({ stage: 'collecting', candidates: [] });

  expectRefused(await cycle(`livelihood-${J}-2999`), 404, new RegExp(`livelihood-${J}-2999`));
  expect((await c.http('GET', `/v1/livelihood/projects/livelihood-${J}-2999-p01`)).status).toBe(404);
});
