// Bad input gets a 4xx whose body names the problem; nothing is stored, no workflow started.
import { call, startSystem, token, type System } from '../support/system';
import { signToken } from '@duban/platform';

let sys: System;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.stop();
});

const good = {
  title: '关于加强社区养老服务的建议',
  content: '建议在各街道增设日间照料中心，并完善助餐服务。',
  category: 'health',
  jurisdiction: 'cn-zj-demo-city',
};

async function workflowsOnQueue(): Promise<number> {
  const { count } = await sys.temporal.workflow.count(`TaskQueue = '${sys.taskQueue}'`);
  return count;
}

describe('bad input to POST /v1/suggestions', () => {
  let deputy: string;
  let before: { status: number; body: any };
  beforeAll(async () => {
    deputy = await token({ role: 'deputy', sub: 'deputy-bad-input' });
    before = await call('GET', `${sys.suggestionsUrl}/v1/suggestions`, { token: deputy });
    expect(before.status).toBe(200);
  });

  const cases: [string, () => Promise<{ status: number; body: any }>, number, RegExp][] = [
    [
      'malformed JSON',
      () => call('POST', `${sys.suggestionsUrl}/v1/suggestions`, { token: deputy, raw: '{"title": "x",' }),
      400,
      /malformed JSON/,
    ],
    [
      'an unknown field',
      () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, { token: deputy, body: { ...good, priority: 'high' } }),
      400,
      /priority/,
    ],
    [
      'a missing field',
      () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, { token: deputy, body: { ...good, content: undefined } }),
      400,
      /content/,
    ],
    [
      'a wrong type',
      () => call('POST', `${sys.suggestionsUrl}/v1/suggestions`, { token: deputy, body: { ...good, title: 42 } }),
      400,
      /title/,
    ],
    [
      'a JSON array',
      () => call('POST', `${sys.suggestionsUrl}/v1/suggestions`, { token: deputy, raw: '[1,2]' }),
      400,
      /body/,
    ],
    [
      'an oversize body',
      () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
          token: deputy,
          body: { ...good, content: 'x'.repeat(100_000) },
        }),
      413,
      /exceeds the limit/,
    ],
    [
      'a non-JSON content type',
      () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
          token: deputy,
          raw: 'title=x',
          headers: { 'content-type': 'text/plain' },
        }),
      415,
      /must be JSON/,
    ],
    [
      'no token',
      () => call('POST', `${sys.suggestionsUrl}/v1/suggestions`, { body: good }),
      401,
      /missing Authorization/,
    ],
    [
      'a garbage token',
      () => call('POST', `${sys.suggestionsUrl}/v1/suggestions`, { token: 'not.a.jwt', body: good }),
      401,
      /malformed/,
    ],
    [
      'a token signed with another secret',
      async () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
          token: await signToken(
            { role: 'deputy', sub: 'd' },
            { secret: 'another-secret-of-32-characters-xx', issuer: 'duban' },
          ),
          body: good,
        }),
      401,
      /signature/,
    ],
    [
      'an expired token',
      async () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
          token: await token({ role: 'deputy', sub: 'deputy-bad-input' }, Math.floor(Date.now() / 1000) - 60),
          body: good,
        }),
      401,
      /expired/,
    ],
    [
      'the wrong role',
      async () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
          token: await token({ role: 'citizen', sub: 'c-1' }),
          body: good,
        }),
      403,
      /role "citizen"/,
    ],
    [
      'an unknown jurisdiction',
      () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
          token: deputy,
          body: { ...good, jurisdiction: 'cn-nowhere' },
        }),
      422,
      /cn-nowhere/,
    ],
    [
      'a malformed Idempotency-Key',
      () =>
        call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
          token: deputy,
          body: good,
          headers: { 'idempotency-key': 'a b' },
        }),
      400,
      /Idempotency-Key/,
    ],
  ];

  it.each(cases)('refuses %s with a clear error', async (_name, send, status, message) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('stored nothing and started no workflow', async () => {
    const after = await call('GET', `${sys.suggestionsUrl}/v1/suggestions`, { token: deputy });
    expect(after.body.items).toEqual(before.body.items);
    expect(await workflowsOnQueue()).toBe(0);
  });
});

describe('bad input elsewhere', () => {
  it('refuses a policy that would be invalid, and keeps the stored one', async () => {
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    const url = `${sys.registryUrl}/v1/jurisdictions/cn-zj-demo-city/policy`;
    const before = await call('GET', url, { token: staff });
    const res = await call('PUT', url, {
      token: staff,
      body: {
        name: 'x',
        level: 'city',
        parent: 'cn-zj',
        settings: { suggestion: { replyWindow: { amount: 0, unit: 'weeks' } } },
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/suggestion\.replyWindow\.amount/);
    expect(res.body.error.message).toMatch(/suggestion\.replyWindow\.unit/);
    expect((await call('GET', url, { token: staff })).body).toEqual(before.body);
  });

  it('refuses windows of seconds unless the jurisdiction is a drill', async () => {
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    const url = `${sys.registryUrl}/v1/jurisdictions/cn-bad-input-seconds/policy`;
    const doc = {
      name: 'Seconds without a drill',
      level: 'county',
      parent: 'cn-zj-demo-city',
      settings: { suggestion: { replyWindow: { amount: 30, unit: 'seconds' } } },
    };
    const refused = await call('PUT', url, { token: staff, body: doc });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(
      /only a drill jurisdiction may \("drill": true\): suggestion\.replyWindow/,
    );
    expect((await call('GET', url, { token: staff })).status).toBe(404);
    const drill = await call('PUT', url, { token: staff, body: { ...doc, drill: true } });
    expect(drill.status).toBe(200);
    expect((await call('GET', url, { token: staff })).body.policy.suggestion.replyWindow).toEqual({
      amount: 30,
      unit: 'seconds',
    });
  });

  it('refuses a registry entry naming a jurisdiction or deputy that does not exist, and keeps every change with who made it', async () => {
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    const operator = await token({ role: 'operator', sub: 'ops-1' });
    const url = `${sys.registryUrl}/v1/stations/station-bad-input-${Date.now().toString(36)}`;
    const good = { name: '测试联络站', jurisdiction: 'cn-zj-demo-city', deputies: ['deputy-001'] };
    expect((await call('PUT', url, { token: staff, body: good })).status).toBe(200);
    // Again, unchanged: no second change in the history.
    expect((await call('PUT', url, { token: staff, body: good })).status).toBe(200);

    const moved = await call('PUT', url, { token: staff, body: { ...good, jurisdiction: '9r33dob6' } });
    expect(moved.status).toBe(422);
    expect(moved.body.error.details).toEqual([
      { path: 'jurisdiction', message: 'jurisdiction "9r33dob6" is not registered' },
    ]);
    const stranger = await call('PUT', url, { token: staff, body: { ...good, deputies: ['deputy-001', 'nobody-1'] } });
    expect(stranger.status).toBe(422);
    expect(stranger.body.error.message).toMatch(/deputies\.1: deputy "nobody-1" is not registered/);
    const unit = await call('PUT', `${sys.registryUrl}/v1/units/unit-bad-input`, {
      token: staff,
      body: { name: '不存在的单位', kind: 'government', jurisdiction: 'cn-nowhere' },
    });
    expect(unit.status).toBe(422);
    expect(unit.body.error.details[0].path).toBe('jurisdiction');
    expect((await call('GET', `${sys.registryUrl}/v1/units/unit-bad-input`, { token: staff })).status).toBe(404);
    expect((await call('GET', url, { token: staff })).body).toEqual({ id: url.split('/').pop(), ...good });

    const renamed = { ...good, name: '测试联络站（更名）' };
    expect((await call('PUT', url, { token: operator, body: renamed })).status).toBe(200);
    const history = await call('GET', `${url}/history`, { token: staff });
    expect(history.status).toBe(200);
    expect(history.body.items.map(({ at: _at, ...c }: { at: string }) => c)).toEqual([
      { by: 'staff:clerk-1', before: null, after: good },
      { by: 'operator:ops-1', before: good, after: renamed },
    ]);
    const deputy = await token({ role: 'deputy', sub: 'deputy-001' });
    expect((await call('GET', `${url}/history`, { token: deputy })).status).toBe(403);
  });

  it('refuses a malformed case id and an unknown route', async () => {
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    const bad = await call('GET', `${sys.caseIndexUrl}/v1/cases/DROP TABLE`, { token: staff });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/case id/);
    expect((await call('GET', `${sys.caseIndexUrl}/v1/nothing`, { token: staff })).status).toBe(404);
  });
});
