// The registry's calendars over real HTTP: the shipped 2026 file seeds a fresh store, a 2027
// calendar is published, validated, versioned, and a repeated PUT changes nothing; while 2027 is
// missing (it is December 2026) /healthz and /metrics say so.
import { randomUUID } from 'node:crypto';
import { createRegistryApp } from '@duban/registry/src/main';
import { ISSUER, SECRET, call, logger, stackEnv, token } from '../support/system';
import { TEST_CALENDAR_2027 } from '../support/calendar-2027';

let registry: ReturnType<typeof createRegistryApp>;
let url: string;
let staff: string;
beforeAll(async () => {
  registry = createRegistryApp(
    {
      MONGO_URL: stackEnv().MONGO_URL,
      MONGO_DB: `duban_registry_cal_${randomUUID().slice(0, 8)}`,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
    },
    logger,
  );
  await registry.start();
  url = `http://127.0.0.1:${registry.port}`;
  staff = await token({ role: 'staff', sub: 'clerk-1' });
});
afterAll(async () => {
  await registry?.models?.Calendar.db.dropDatabase();
  await registry?.stop();
});

describe('calendars in the registry', () => {
  it('is seeded with the shipped 2026 calendar, and 2027 is not published', async () => {
    const got = await call('GET', `${url}/v1/calendars/2026`, { token: staff });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ year: 2026, version: 1, publishedBy: 'shipped' });
    expect(got.body.makeUpWorkingDays).toContain('2026-10-10');
    expect((await call('GET', `${url}/v1/calendars/2027`, { token: staff })).status).toBe(404);
  });

  it('warns on /healthz and /metrics while the next year is missing, without failing the health check', async () => {
    // Today is in December: from 1 November the next year's calendar is due.
    const health = await call('GET', `${url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body.warnings).toEqual([expect.stringMatching(/no official holiday schedule for 2027/)]);
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/duban_calendar_missing\{year="2027",service="registry"\} 1/);
  });

  it('refuses a calendar a unit or deputy tries to publish', async () => {
    const unit = await token({ role: 'unit', sub: 'h1', unit: 'edu-bureau' });
    const res = await call('PUT', `${url}/v1/calendars/2027`, { token: unit, body: TEST_CALENDAR_2027 });
    expect(res.status).toBe(403);
  });

  it('refuses an invalid calendar with 422 naming each problem, and stores nothing', async () => {
    const bad = {
      ...TEST_CALENDAR_2027,
      holidays: [...TEST_CALENDAR_2027.holidays, { name: '', days: ['2028-01-01'] }],
      makeUpWorkingDays: ['2027-02-08', '2027-03-03'],
    };
    const res = await call('PUT', `${url}/v1/calendars/2027`, { token: staff, body: bad });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/2028-01-01 is not a date in 2027/);
    const messages = res.body.error.details.map((d: { message: string }) => d.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'every holiday must be named',
        '2027-02-08 is a weekday: a make-up working day must be a Saturday or Sunday',
        '2027-02-08 is both a make-up working day and a day of "春节 Spring Festival"',
        '2027-03-03 is a weekday: a make-up working day must be a Saturday or Sunday',
      ]),
    );
    expect((await call('GET', `${url}/v1/calendars/2027`, { token: staff })).status).toBe(404);
  });

  it('refuses a malformed year and a body for another year', async () => {
    const a = await call('PUT', `${url}/v1/calendars/27`, { token: staff, body: TEST_CALENDAR_2027 });
    expect(a.status).toBe(400);
    expect(a.body.error.message).toMatch(/year "27"/);
    const b = await call('PUT', `${url}/v1/calendars/2028`, { token: staff, body: TEST_CALENDAR_2027 });
    expect(b.status).toBe(422);
    expect(b.body.error.message).toMatch(/is 2027, but the calendar is published for 2028/);
    const c = await call('PUT', `${url}/v1/calendars/2027`, {
      token: staff,
      body: { ...TEST_CALENDAR_2027, holiday: [] },
    });
    expect(c.status).toBe(400);
  });

  it('publishes 2027 as version 1 with who and when; the same PUT again is a no-op; a change is version 2', async () => {
    const first = await call('PUT', `${url}/v1/calendars/2027`, { token: staff, body: TEST_CALENDAR_2027 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ year: 2027, version: 1, publishedBy: 'staff:clerk-1', changed: true });
    expect(Date.now() - Date.parse(first.body.publishedAt)).toBeLessThan(60_000);

    const again = await call('PUT', `${url}/v1/calendars/2027`, { token: staff, body: TEST_CALENDAR_2027 });
    expect(again.body).toMatchObject({ version: 1, changed: false, publishedAt: first.body.publishedAt });

    const operator = await token({ role: 'operator', sub: 'ops-1' });
    const changed = {
      ...TEST_CALENDAR_2027,
      year: undefined,
      makeUpWorkingDays: [...TEST_CALENDAR_2027.makeUpWorkingDays, '2027-02-21'],
    };
    const second = await call('PUT', `${url}/v1/calendars/2027`, { token: operator, body: changed });
    expect(second.body).toMatchObject({ year: 2027, version: 2, publishedBy: 'operator:ops-1', changed: true });

    const got = await call('GET', `${url}/v1/calendars/2027`, { token: staff });
    expect(got.body).toMatchObject({ version: 2, makeUpWorkingDays: ['2027-01-30', '2027-02-20', '2027-02-21'] });
    const versions = await registry.models!.CalendarVersion.find({ year: 2027 }).sort({ version: 1 }).lean();
    expect(versions.map((v) => [v._id, v.publishedBy])).toEqual([
      ['2027/v1', 'staff:clerk-1'],
      ['2027/v2', 'operator:ops-1'],
    ]);

    const list = await call('GET', `${url}/v1/calendars`, { token: staff });
    expect(list.body.items.map((c: { year: number }) => c.year)).toEqual([2026, 2027]);
    const health = await call('GET', `${url}/healthz`);
    expect(health.body.warnings).toBeUndefined();
  });
});
