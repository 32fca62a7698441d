// The console's API alone over HTTP with its session cookie, over a real registry and case index
// (fed events on Kafka); the other services are down. Sign-in, the session, the stations from the
// registry, a case from the index; an unknown person or a bad id refused naming it; no session
// 401; a service that is down 502, never a hang or a 500.
import { randomInt } from 'node:crypto';
import { SuggestionSubmittedSchema, create, timestampFromDate } from '@duban/proto';
import { call, testEvent } from '../../../../tests/support/system';
import { eventually, expectRefused, startConsoleOver, useComponent } from '../../../../tests/support/component';

const index = useComponent('case-index');
let konsole: { url: string; close(): Promise<void> };
beforeAll(async () => {
  konsole = await startConsoleOver(index);
});
afterAll(async () => {
  await konsole?.close();
});

/** Signs in as a demo person; the session cookie. */
async function signIn(personId: string): Promise<string> {
  const res = await fetch(`${konsole.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ personId }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/^duban_session=[^;]+;.*HttpOnly/i);
  return cookie.split(';')[0];
}
const api = (path: string, cookie?: string, init: { method?: string; body?: unknown } = {}) =>
  call(init.method ?? 'GET', `${konsole.url}${path}`, {
    ...(cookie ? { headers: { cookie } } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
  });

it('signs a demo person in and out, and reads through the session', async () => {
  const people = await api('/api/people');
  expect(people.body.people.map((p: { sub: string }) => p.sub)).toEqual(
    expect.arrayContaining(['clerk-1', 'deputy-001']),
  );
  const cookie = await signIn('clerk-1');
  const me = await api('/api/session', cookie);
  expect(me.status).toBe(200);
  expect(me.body.principal).toMatchObject({ sub: 'clerk-1', role: 'staff' });

  // The stations come from the registry, with the caller's token.
  const stations = await api('/api/stations', cookie);
  expect(stations.status).toBe(200);
  expect(stations.body.items).toContainEqual({
    id: 'station-riverside',
    name: '滨江街道代表联络站',
    jurisdiction: 'cn-zj-demo-city',
    deputies: ['deputy-001', 'deputy-002'],
  });

  // A case the index has, as the console lists it.
  const caseId = `suggestion-2026-${randomInt(500_000, 999_999)}`;
  await index.publish(
    testEvent(caseId, 'submitted', {
      case: 'suggestionSubmitted',
      value: create(SuggestionSubmittedSchema, {
        deputyId: 'deputy-001',
        title: '关于完善社区养老服务的建议',
        category: 'elderly-care',
        submittedAt: timestampFromDate(new Date()),
      }),
    }),
  );
  const listed = await eventually(async () => {
    const r = await api('/api/cases?kind=suggestion', cookie);
    return r.status === 200 && r.body.items.find((v: { caseId: string }) => v.caseId === caseId);
  }, 'the console to list the case');
  expect(listed).toMatchObject({ title: '关于完善社区养老服务的建议', deputyId: 'deputy-001' });

  const out = await fetch(`${konsole.url}/api/session`, { method: 'DELETE', headers: { cookie } });
  expect(out.status).toBe(204);
  expect(out.headers.get('set-cookie')).toMatch(/^duban_session=;/);
});

it('refuses an unknown person, a bad id and a bad filter naming what is wrong', async () => {
  const nobody = await api('/api/session', undefined, { method: 'POST', body: { personId: 'nobody' } });
  expectRefused(nobody, 400, /personId/, 'bad_request');
  const cookie = await signIn('clerk-1');
  expectRefused(await api('/api/cases/Not_A_Case', cookie), 400, /Not_A_Case/);
  expectRefused(await api('/api/opinions/opinion-x', cookie), 400, /opinion-x/);
  expectRefused(await api('/api/cases?kind=wish', cookie), 400, /kind/);
  expectRefused(await api('/api/nothing-here', cookie), 404, /nothing-here/);
});

it('answers 401 without a session or with a forged one, and 502 for a service that is down', async () => {
  expectRefused(await api('/api/session'), 401, /not signed in/, 'unauthenticated');
  expect((await api('/api/cases')).status).toBe(401);
  expect((await api('/api/stations', 'duban_session=forged.token.value')).status).toBe(401);
  const cookie = await signIn('citizen-001');
  // The citizen service is not running: the console says so instead of hanging or failing.
  expectRefused(await api('/api/opinions', cookie), 502, /./, 'upstream_unavailable');
});
