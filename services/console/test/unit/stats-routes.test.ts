// The console API of the charts and the operator pages: forwarded to the scores and
// notifications services with the caller's token, the jurisdiction filled in when none is
// asked for, refused with 403 (before any call) for a role the page is not for, bad input
// refused with 400 naming the field. The services are a stand-in HTTP server that records what
// it is asked and answers as they would.
import { createServer, type Server } from 'node:http';
import { createLogger, signToken, type Principal } from '@duban/platform';
import { COOKIE, createConsoleApp, listen } from '../../src/http/app';
import type { TokenSource } from '../../src/use-cases/token-source';

const auth = { secret: 's'.repeat(32), issuer: 'duban' };
interface Asked {
  method: string;
  url: string;
  authorization?: string;
}
const asked: Asked[] = [];
/** What the stand-in answers next to a path prefix (method and path), else a default. */
const answers = new Map<string, { status: number; body: unknown }>();
let upstream: Server;
let base = '';
let bare = '';
const closers: (() => Promise<void>)[] = [];

const UNITS = [
  { id: 'edu-bureau', jurisdiction: 'cn-zj-demo-city' },
  { id: 'transport-bureau', jurisdiction: 'cn-zj-demo-city' },
  { id: 'county-edu', jurisdiction: 'cn-zj-demo-county' },
];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    asked.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    const path = (req.url ?? '').split('?')[0];
    const canned = answers.get(`${req.method} ${path}`);
    if (canned) {
      res.statusCode = canned.status;
      return res.end(JSON.stringify(canned.body));
    }
    if (path === '/v1/admin/rebuild') {
      res.statusCode = 404;
      return res.end(JSON.stringify({ error: { code: 'not_found', message: 'no rebuild has run' } }));
    }
    if (path === '/v1/units') return res.end(JSON.stringify({ items: UNITS }));
    if (path === '/v1/deliveries') {
      const status = new URL(req.url!, 'http://x').searchParams.get('status');
      return res.end(
        JSON.stringify({
          items:
            status === 'parked'
              ? [{ id: 'e1|unit:edu-bureau|email', status: 'parked', updatedAt: '2026-11-02T00:00:00.000Z' }]
              : [{ id: 'e2|staff|email', status: 'failed', updatedAt: '2026-11-03T00:00:00.000Z' }],
        }),
      );
    }
    res.end(JSON.stringify({ period: '2026', items: [{ rank: 1 }] }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const up = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  const tokens: TokenSource = { kind: 'test', listPeople: () => [], signIn: async () => undefined };
  const common = {
    logger: createLogger('console-test', 'silent'),
    tokens,
    auth,
    suggestionsUrl: up,
    caseIndexUrl: up,
    citizenUrl: up,
    registryUrl: up,
    cookieSecure: false,
  };
  const full = await listen(createConsoleApp({ ...common, scoresUrl: up, notificationsUrl: up }), 0, '127.0.0.1');
  const none = await listen(createConsoleApp(common), 0, '127.0.0.1');
  base = `http://127.0.0.1:${full.port}`;
  bare = `http://127.0.0.1:${none.port}`;
  closers.push(full.close, none.close);
});
afterAll(async () => {
  for (const c of closers) await c();
  await new Promise((resolve) => upstream.close(resolve));
});
beforeEach(() => {
  asked.length = 0;
  answers.clear();
});

const tokenOf = (p: Principal) => signToken(p, auth);
const STAFF: Principal = { role: 'staff', sub: 'clerk-1' };
const OPERATOR: Principal = { role: 'operator', sub: 'operator-1' };
const HANDLER: Principal = { role: 'unit', sub: 'handler-county-edu', unit: 'county-edu' };
const DEPUTY: Principal = { role: 'deputy', sub: 'deputy-001' };

async function as(p: Principal, path: string, init: { method?: string; at?: string } = {}) {
  const token = await tokenOf(p);
  const res = await fetch(`${init.at ?? base}/api${path}`, {
    method: init.method ?? 'GET',
    headers: {
      cookie: `${COOKIE}=${token}`,
      ...(init.method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.method === 'POST' ? { body: '{}' } : {}),
  });
  return { status: res.status, body: (await res.json()) as any, token };
}
const scoresAsked = () => asked.filter((a) => a.url.startsWith('/v1/scores') || a.url.startsWith('/v1/admin'));

describe('charts (统计分析)', () => {
  it('forwards the rankings with the caller’s token, in the jurisdiction most units are in', async () => {
    for (const list of ['units', 'deputies', 'stations']) {
      asked.length = 0;
      const r = await as(STAFF, `/stats/${list}?period=2026-Q4`);
      expect([list, r.status]).toEqual([list, 200]);
      expect(r.body).toEqual({ period: '2026', items: [{ rank: 1 }] });
      expect(scoresAsked()).toEqual([
        {
          method: 'GET',
          url: `/v1/scores/${list}?period=2026-Q4&jurisdiction=cn-zj-demo-city`,
          authorization: `Bearer ${r.token}`,
        },
      ]);
    }
    asked.length = 0;
    const o = await as(OPERATOR, '/stats/overdue-by-month?year=2026&jurisdiction=cn-zj-demo-county');
    expect(o.status).toBe(200);
    expect(scoresAsked().map((a) => a.url)).toEqual([
      '/v1/scores/overdue-by-month?year=2026&jurisdiction=cn-zj-demo-county',
    ]);
    // Asked for a jurisdiction, the console does not look one up.
    expect(asked.some((a) => a.url === '/v1/units')).toBe(false);
  });

  it('shows a handler the unit ranking of its own unit’s jurisdiction, and a deputy the points ranking', async () => {
    const h = await as(HANDLER, '/stats/units');
    expect(h.status).toBe(200);
    expect(scoresAsked().map((a) => a.url)).toEqual(['/v1/scores/units?jurisdiction=cn-zj-demo-county']);
    asked.length = 0;
    expect((await as(DEPUTY, '/stats/deputies?period=2026')).status).toBe(200);
    expect(scoresAsked().map((a) => a.url)).toEqual(['/v1/scores/deputies?period=2026&jurisdiction=cn-zj-demo-city']);
  });

  it('refuses a role a chart is not for with 403, asking no service', async () => {
    for (const [who, path] of [
      [HANDLER, '/stats/deputies'],
      [HANDLER, '/stats/stations'],
      [HANDLER, '/stats/overdue-by-month'],
      [DEPUTY, '/stats/units'],
      [DEPUTY, '/stats/overdue-by-month'],
      [{ role: 'citizen', sub: 'citizen-001' } as Principal, '/stats/units'],
    ] as [Principal, string][]) {
      asked.length = 0;
      const r = await as(who, path);
      expect([who.role, path, r.status]).toEqual([who.role, path, 403]);
      expect(asked).toEqual([]);
    }
  });

  it('refuses bad input with 400 naming the field, before any call', async () => {
    const p = await as(STAFF, '/stats/units?period=2026-13');
    expect(p.status).toBe(400);
    expect(p.body.error.message).toMatch(/^period: /);
    const y = await as(STAFF, '/stats/overdue-by-month?year=26');
    expect(y.status).toBe(400);
    expect(y.body.error.message).toMatch(/^year: /);
    const j = await as(STAFF, '/stats/units?jurisdiction=Bad%20Id');
    expect(j.body.error.message).toMatch(/^jurisdiction: /);
    const extra = await as(STAFF, '/stats/stations?format=csv');
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/format/);
    expect(asked).toEqual([]);
  });

  it('answers 503 when the scores service is not configured', async () => {
    const r = await as(STAFF, '/stats/units?jurisdiction=cn-zj-demo-city', { at: bare });
    expect(r.status).toBe(503);
    expect(r.body.error.message).toMatch(/scores/);
  });
});

describe('operator pages (运维)', () => {
  it('refuses everyone but operators with 403, asking no service', async () => {
    for (const who of [STAFF, HANDLER, DEPUTY])
      for (const [method, path] of [
        ['GET', '/ops/deliveries'],
        ['POST', '/ops/deliveries/e1%7Cstaff%7Cemail/resend'],
        ['GET', '/ops/rebuild'],
        ['POST', '/ops/rebuild'],
      ]) {
        asked.length = 0;
        const r = await as(who, path, { method });
        expect([who.role, method, path, r.status]).toEqual([who.role, method, path, 403]);
        expect(asked).toEqual([]);
      }
  });

  it('lists parked and failed deliveries together, the latest change first', async () => {
    const r = await as(OPERATOR, '/ops/deliveries');
    expect(r.status).toBe(200);
    expect(r.body.items.map((d: any) => [d.id, d.status])).toEqual([
      ['e2|staff|email', 'failed'],
      ['e1|unit:edu-bureau|email', 'parked'],
    ]);
    expect(asked.map((a) => a.url).sort()).toEqual([
      '/v1/deliveries?status=failed&limit=200',
      '/v1/deliveries?status=parked&limit=200',
    ]);
    expect(asked.every((a) => a.authorization === `Bearer ${r.token}`)).toBe(true);
  });

  it('resends one delivery by its id, and passes a refusal (409: sent or being sent) on as it is', async () => {
    const id = 'suggestion-2026-0001/replyReminderSent/1|unit:edu-bureau|email';
    const path = `/v1/deliveries/${encodeURIComponent(id)}/resend`;
    answers.set(`POST ${path}`, { status: 200, body: { id, status: 'sent', attempts: 1 } });
    const ok = await as(OPERATOR, `/ops/deliveries/${encodeURIComponent(id)}/resend`, { method: 'POST' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id, status: 'sent', attempts: 1 });
    expect(asked).toEqual([{ method: 'POST', url: path, authorization: `Bearer ${ok.token}` }]);

    answers.set(`POST ${path}`, {
      status: 409,
      body: { error: { code: 'conflict', message: `delivery "${id}" was already sent` } },
    });
    const again = await as(OPERATOR, `/ops/deliveries/${encodeURIComponent(id)}/resend`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already sent/);

    asked.length = 0;
    const bad = await as(OPERATOR, `/ops/deliveries/${encodeURIComponent('a b')}/resend`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(asked).toEqual([]);
  });

  it('starts the scores rebuild and reads its progress; none yet reads as null; a second start’s 409 is passed on', async () => {
    const none = await as(OPERATOR, '/ops/rebuild');
    expect(none).toMatchObject({ status: 200, body: { scores: null } });
    expect(asked.map((a) => `${a.method} ${a.url}`)).toEqual(['GET /v1/admin/rebuild']);

    const state = { groupId: 'g-rebuild-1', status: 'running', total: 10, processed: 0, progress: 0 };
    answers.set('POST /v1/admin/rebuild', { status: 202, body: state });
    const started = await as(OPERATOR, '/ops/rebuild', { method: 'POST' });
    expect(started).toMatchObject({ status: 202, body: { scores: state } });

    answers.set('GET /v1/admin/rebuild', {
      status: 200,
      body: { ...state, status: 'done', processed: 10, progress: 1 },
    });
    expect((await as(OPERATOR, '/ops/rebuild')).body.scores).toMatchObject({ status: 'done', progress: 1 });

    answers.set('POST /v1/admin/rebuild', {
      status: 409,
      body: { error: { code: 'conflict', message: 'a rebuild into g-rebuild-1 is running' } },
    });
    const twice = await as(OPERATOR, '/ops/rebuild', { method: 'POST' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/is running/);
  });
});
