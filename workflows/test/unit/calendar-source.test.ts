// The worker's calendars follow the registry: fetched at start, refreshed after the TTL without
// a restart, the shipped files only when the registry is unreachable at start; and a deadline
// counted on a year with no official schedule says so (calendarProvisional).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SHIPPED_CALENDARS,
  WorkingCalendar,
  resolvePolicy,
  type CalendarYear,
  type PolicyDocument,
} from '@duban/domain';
import { createLogger } from '@duban/platform';
import { MockActivityEnvironment } from '@temporalio/testing';
import nationalPolicy from '@duban/domain/data/policy-national.json';
import { registryCalendarSource, staticCalendarSource } from '../../src/calendar-source';
import { createActivities, type AssignmentPlan } from '../../src/activities';

const logger = createLogger('test', 'silent');
const SECRET = 'test-secret-that-is-at-least-32-characters';
const y2027: CalendarYear = {
  country: 'CN',
  year: 2027,
  holidays: [
    { name: '春节', days: ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'] },
  ],
  makeUpWorkingDays: ['2027-02-20'],
};

let server: http.Server;
let baseUrl: string;
let published: CalendarYear[];
let up = true;
let auth: string | undefined;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    auth = req.headers.authorization;
    if (!up || req.url !== '/v1/calendars') return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        items: published.map((c) => ({ version: 1, publishedBy: 'x', publishedAt: '2026-01-01T00:00:00Z', ...c })),
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  published = [...SHIPPED_CALENDARS];
  up = true;
});

describe('registryCalendarSource', () => {
  it('uses the published calendars and picks up a new year after the TTL, without a restart', async () => {
    // A TTL the steps before the second read fit in even on a loaded machine (50 ms did not, once).
    const src = await registryCalendarSource({ baseUrl, secret: SECRET, issuer: 'duban', logger, ttlMs: 1500 });
    expect(auth).toMatch(/^Bearer ey/);
    expect(src.origin()).toBe('registry');
    expect((await src.current()).knownYears()).toEqual([2026]);
    expect(src.missingYear(new Date('2026-12-02T00:00:00Z'))).toBe(2027);
    published.push(y2027);
    expect((await src.current()).knownYears()).toEqual([2026]); // still cached
    await new Promise((r) => setTimeout(r, 1600));
    const cal = await src.current();
    expect(cal.knownYears()).toEqual([2026, 2027]);
    expect(cal.isWorkingDay('2027-02-08')).toBe(false);
    expect(src.missingYear(new Date('2026-12-02T00:00:00Z'))).toBeUndefined();
  });

  it('tells listeners of a year that appears, once; at start, of the years published lately', async () => {
    const src = await registryCalendarSource({
      baseUrl,
      secret: SECRET,
      issuer: 'duban',
      logger,
      ttlMs: 10,
      recentMs: 0,
    });
    const heard: number[][] = [];
    src.onNewYears((y) => heard.push(y));
    published.push(y2027);
    await new Promise((r) => setTimeout(r, 20));
    await src.current();
    await new Promise((r) => setTimeout(r, 20));
    await src.current();
    expect(heard).toEqual([[2027]]);
    // Published "now": a worker starting now recounts it (it may have been down when it came out).
    published = published.map((c) => ({ ...c, publishedAt: new Date().toISOString() }) as CalendarYear);
    const restarted = await registryCalendarSource({ baseUrl, secret: SECRET, issuer: 'duban', logger });
    const atStart: number[][] = [];
    restarted.onNewYears((y) => atStart.push(y));
    expect(atStart).toEqual([[2026, 2027]]);
  });

  it('keeps the calendars last fetched when a refresh fails', async () => {
    published.push(y2027);
    const src = await registryCalendarSource({ baseUrl, secret: SECRET, issuer: 'duban', logger, ttlMs: 10 });
    up = false;
    await new Promise((r) => setTimeout(r, 20));
    expect((await src.current()).knownYears()).toEqual([2026, 2027]);
    expect(src.origin()).toBe('registry');
  });

  it('falls back to the shipped files only when the registry is unreachable at start, then follows it', async () => {
    up = false;
    published.push(y2027);
    const src = await registryCalendarSource({ baseUrl, secret: SECRET, issuer: 'duban', logger, ttlMs: 10 });
    expect(src.origin()).toBe('shipped');
    expect((await src.current()).knownYears()).toEqual([2026]);
    up = true;
    await new Promise((r) => setTimeout(r, 20));
    expect((await src.current()).knownYears()).toEqual([2026, 2027]);
    expect(src.origin()).toBe('registry');
  });
});

describe('planAssignment on a year without an official schedule', () => {
  const policy = resolvePolicy([{ doc: nationalPolicy as PolicyDocument, version: 1 }]).policy;
  const plan = (calendar: WorkingCalendar, assignedAt: string): Promise<AssignmentPlan> => {
    const acts = createActivities({ calendar: staticCalendarSource(calendar), producer: 't', publish: async () => {} });
    return new MockActivityEnvironment().run(acts.planAssignment, {
      policy,
      category: 'education',
      assignedAt,
    }) as Promise<AssignmentPlan>;
  };

  it('marks a deadline that spans 2027 provisional, and not once 2027 is published', async () => {
    const a = await plan(new WorkingCalendar(SHIPPED_CALENDARS), '2026-12-01T02:00:00Z');
    expect(a.replyDueAt.slice(0, 4)).toBe('2027');
    expect(a.calendarProvisional).toBe(true);
    const b = await plan(new WorkingCalendar([...SHIPPED_CALENDARS, y2027]), '2026-12-01T02:00:00Z');
    expect(b.calendarProvisional).toBeUndefined();
  });

  it('does not mark a deadline within a published year', async () => {
    const a = await plan(new WorkingCalendar(SHIPPED_CALENDARS), '2026-03-02T02:00:00Z');
    expect(a.replyDueAt.slice(0, 4)).toBe('2026');
    expect(a.calendarProvisional).toBeUndefined();
  });
});
