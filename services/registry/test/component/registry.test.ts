// The registry alone over HTTP, on its own database (the demo jurisdiction seeded): stations,
// units, deputies and committee members created and updated with their history (who, when,
// before, after); a reference to an unknown jurisdiction or deputy refused with nothing stored;
// bad bodies refused naming the field; a repeated PUT no new change; who may not call it.
import { randomUUID } from 'node:crypto';
import { countIn, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('registry');

const J = 'cn-zj-demo-city';
const tag = () => randomUUID().slice(0, 8);
const history = async (kind: string, id: string) => {
  const r = await c.http('GET', `/v1/${kind}/${id}/history`);
  expect(r.status).toBe(200);
  return r.body.items as { at: string; by: string; before: any; after: any }[];
};

it('creates and updates a liaison station and its roster, keeping who changed what and when', async () => {
  const id = `station-${tag()}`;
  const first = { name: '江南街道代表联络站', jurisdiction: J, deputies: ['deputy-001'] };
  const t0 = Date.now();
  const created = await c.http('PUT', `/v1/stations/${id}`, { body: first });
  expect(created.status).toBe(200);
  expect(created.body).toEqual({ id, ...first });
  expect((await c.http('GET', `/v1/stations/${id}`, { as: 'citizen' })).body).toEqual({ id, ...first });

  // The roster: deputy-002 joins, on duty on Mondays only.
  const second = {
    ...first,
    deputies: ['deputy-001', 'deputy-002'],
    duty: [{ deputy: 'deputy-002', weekdays: [1] }],
  };
  const updated = await c.http('PUT', `/v1/stations/${id}`, { as: 'operator', body: second });
  expect(updated.status).toBe(200);
  const read = await c.http('GET', `/v1/stations/${id}`, { as: 'deputy' });
  expect(read.body).toMatchObject({
    id,
    deputies: ['deputy-001', 'deputy-002'],
    duty: [{ deputy: 'deputy-002', weekdays: [1] }],
  });
  const listed = await c.http('GET', `/v1/stations?jurisdiction=${J}`, { as: 'unit' });
  expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(id);

  const changes = await history('stations', id);
  expect(changes.map((h) => [h.by, h.before?.deputies ?? null, h.after.deputies])).toEqual([
    ['staff:clerk-1', null, ['deputy-001']],
    ['operator:ops-1', ['deputy-001'], ['deputy-001', 'deputy-002']],
  ]);
  for (const h of changes) {
    expect(Date.parse(h.at)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Date.parse(h.at)).toBeLessThanOrEqual(Date.now() + 1000);
  }
  expect(Date.parse(changes[1].at)).toBeGreaterThanOrEqual(Date.parse(changes[0].at));
});

it('creates and updates a handling unit, a deputy and a committee member with their history', async () => {
  const unit = `bureau-${tag()}`;
  expect(
    (await c.http('PUT', `/v1/units/${unit}`, { body: { name: '示范市水务局', kind: 'government', jurisdiction: J } }))
      .status,
  ).toBe(200);
  const renamed = { name: '示范市水利局', kind: 'government', jurisdiction: J, email: 'water@demo.gov.cn' };
  expect((await c.http('PUT', `/v1/units/${unit}`, { body: renamed })).status).toBe(200);
  expect((await c.http('GET', `/v1/units/${unit}`, { as: 'citizen' })).body).toEqual({ id: unit, ...renamed });
  expect((await history('units', unit)).map((h) => [h.before?.name ?? null, h.after.name])).toEqual([
    [null, '示范市水务局'],
    ['示范市水务局', '示范市水利局'],
  ]);

  const deputy = `deputy-${tag()}`;
  expect((await c.http('PUT', `/v1/deputies/${deputy}`, { body: { name: '王代表', jurisdiction: J } })).status).toBe(
    200,
  );
  // Defaults are stored as such: a deputy with no groups has an empty list.
  expect((await c.http('GET', `/v1/deputies/${deputy}`)).body).toEqual({
    id: deputy,
    name: '王代表',
    jurisdiction: J,
    groups: [],
  });
  expect(await history('deputies', deputy)).toHaveLength(1);

  const member = `member-${tag()}`;
  expect(
    (await c.http('PUT', `/v1/committee-members/${member}`, { body: { name: '李委员', jurisdiction: J } })).status,
  ).toBe(200);
  expect(
    (
      await c.http('PUT', `/v1/committee-members/${member}`, {
        body: { name: '李委员', jurisdiction: J, active: false },
      })
    ).status,
  ).toBe(200);
  expect((await c.http('GET', `/v1/committee-members/${member}`)).body).toMatchObject({
    position: 'member',
    active: false,
  });
  expect((await history('committee-members', member)).map((h) => h.after.active)).toEqual([true, false]);
});

it('refuses an unknown jurisdiction or deputy with 422 unknown_reference naming each field, and stores nothing', async () => {
  const id = `station-${tag()}`;
  const before = await countIn(c, 'stations');
  const r = await c.http('PUT', `/v1/stations/${id}`, {
    body: { name: '无主联络站', jurisdiction: 'cn-nowhere', deputies: ['deputy-001', 'deputy-404'] },
  });
  expectRefused(r, 422, /jurisdiction: jurisdiction "cn-nowhere" is not registered/, 'unknown_reference');
  expect(r.body.error.details).toEqual([
    { path: 'jurisdiction', message: 'jurisdiction "cn-nowhere" is not registered' },
    { path: 'deputies.1', message: 'deputy "deputy-404" is not registered' },
  ]);
  for (const kind of ['units', 'deputies', 'committee-members']) {
    const body =
      kind === 'units'
        ? { name: '无主单位', kind: 'other', jurisdiction: 'cn-nowhere' }
        : { name: '无主', jurisdiction: 'cn-nowhere' };
    expectRefused(await c.http('PUT', `/v1/${kind}/${id}`, { body }), 422, /cn-nowhere/, 'unknown_reference');
    expect((await c.http('GET', `/v1/${kind}/${id}`)).status).toBe(404);
    expect(await history(kind, id)).toEqual([]);
  }
  expect((await c.http('GET', `/v1/stations/${id}`)).status).toBe(404);
  expect(await history('stations', id)).toEqual([]);
  expect(await countIn(c, 'stations')).toBe(before);
});

it('refuses a malformed body naming the field, and keeps the entry as it was', async () => {
  const id = `station-${tag()}`;
  const good = { name: '城西联络站', jurisdiction: J, deputies: ['deputy-001'] };
  expect((await c.http('PUT', `/v1/stations/${id}`, { body: good })).status).toBe(200);
  const offRoster = await c.http('PUT', `/v1/stations/${id}`, {
    body: { ...good, duty: [{ deputy: 'deputy-003', from: '2026-01-01' }] },
  });
  expectRefused(
    offRoster,
    400,
    /duty: every deputy on the duty roster must be one of the station deputies/,
    'validation_failed',
  );
  const extra = await c.http('PUT', `/v1/stations/${id}`, { body: { ...good, address: '城西路1号' } });
  expectRefused(extra, 400, /address/, 'validation_failed');
  const badKind = await c.http('PUT', `/v1/units/${id}`, {
    body: { name: '某单位', kind: 'ministry', jurisdiction: J },
  });
  expectRefused(badKind, 400, /kind/, 'validation_failed');
  const badEmail = await c.http('PUT', `/v1/units/${id}`, {
    body: { name: '某单位', kind: 'other', jurisdiction: J, email: 'not-an-email' },
  });
  expectRefused(badEmail, 400, /email: must be an email address/);
  expectRefused(await c.http('PUT', '/v1/stations/Bad%20Id', { body: good }), 400, /must be a lowercase id/);

  expect((await c.http('GET', `/v1/stations/${id}`)).body).toEqual({ id, ...good });
  expect(await history('stations', id)).toHaveLength(1);
  expect((await c.http('GET', `/v1/units/${id}`)).status).toBe(404);
});

it('makes no new change of a repeated PUT, whatever the order of its fields', async () => {
  const id = `station-${tag()}`;
  const body = { name: '城东联络站', jurisdiction: J, deputies: ['deputy-001', 'deputy-002'] };
  const first = await c.http('PUT', `/v1/stations/${id}`, { body });
  const again = await c.http('PUT', `/v1/stations/${id}`, {
    body: { deputies: body.deputies, jurisdiction: J, name: body.name },
  });
  expect([first.status, again.status]).toEqual([200, 200]);
  expect(again.body).toEqual(first.body);
  expect(await history('stations', id)).toHaveLength(1);
  expect(await countIn(c, 'stations', { _id: id })).toBe(1);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown id', async () => {
  const id = `station-${tag()}`;
  const body = { name: '越权联络站', jurisdiction: J };
  for (const role of ['deputy', 'unit', 'citizen'] as const)
    expectRefused(await c.http('PUT', `/v1/stations/${id}`, { as: role, body }), 403, /./, 'forbidden');
  expect((await c.http('PUT', `/v1/stations/${id}`, { as: null, body })).status).toBe(401);
  expect((await c.http('GET', '/v1/stations/station-riverside', { as: null })).status).toBe(401);
  expect((await c.http('GET', '/v1/stations/station-riverside/history', { as: 'deputy' })).status).toBe(403);
  expect((await c.http('PUT', `/v1/jurisdictions/${id}/policy`, { as: 'unit', body: {} })).status).toBe(403);
  expect(await countIn(c, 'stations', { _id: id })).toBe(0);

  expectRefused(await c.http('GET', `/v1/stations/${id}`), 404, new RegExp(id));
  expect((await c.http('GET', '/v1/units/no-such-unit')).status).toBe(404);
  expect((await c.http('GET', '/v1/jurisdictions/cn-nowhere/policy')).status).toBe(404);
  // The seeded entries are there, with no change made over the API.
  expect((await c.http('GET', '/v1/stations/station-riverside')).body.deputies).toEqual(['deputy-001', 'deputy-002']);
  expect(await history('stations', 'station-riverside')).toEqual([]);
});

it('stores a jurisdiction policy that resolves, and refuses one that would not', async () => {
  const id = `cn-zj-county-${tag()}`;
  const ok = await c.http('PUT', `/v1/jurisdictions/${id}/policy`, {
    body: { name: '示范县', level: 'county', parent: J, settings: {} },
  });
  expect(ok.status).toBe(200);
  const eff = await c.http('GET', `/v1/jurisdictions/${id}/policy`, { as: 'citizen' });
  expect(eff.status).toBe(200);
  expect(eff.body.sources.map((s: { id: string }) => s.id)).toContain(J);
  // Now a station may name it.
  expect(
    (await c.http('PUT', `/v1/stations/station-${tag()}`, { body: { name: '县联络站', jurisdiction: id } })).status,
  ).toBe(200);

  const orphan = `cn-orphan-${tag()}`;
  const bad = await c.http('PUT', `/v1/jurisdictions/${orphan}/policy`, {
    body: { name: '孤儿县', level: 'county', parent: 'cn-nowhere', settings: {} },
  });
  expect(bad.status).toBe(422);
  expect(bad.body.error.code).toBe('invalid_policy');
  expect((await c.http('GET', `/v1/jurisdictions/${orphan}/policy`)).status).toBe(404);
});
