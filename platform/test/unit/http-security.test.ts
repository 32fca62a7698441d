// Security of every HTTP answer over a real socket: the headers, HSTS only in production, and
// the per-person limit on writes (429 with Retry-After and the error body; reads and other
// people unaffected; an IP limit for callers without a valid token).
import { z } from 'zod';
import { createHttpService, createLogger, createMetrics, fixedWindowLimiter, route, signToken } from '../../src';

const auth = { secret: 's'.repeat(32), issuer: 'duban' };

async function serve(security: Record<string, unknown>) {
  const svc = createHttpService({
    name: 'sec-test',
    logger: createLogger('sec-test', 'silent'),
    metrics: createMetrics('sec_test'),
    auth,
    security,
    routes: [
      route({
        method: 'post',
        path: '/v1/things',
        summary: 'make a thing',
        roles: ['staff'],
        body: z.object({ title: z.string() }),
        handler: async ({ body }) => ({ status: 201, body }),
      }),
      route({
        method: 'get',
        path: '/v1/things',
        summary: 'list things',
        roles: ['staff'],
        handler: async () => ({ body: [] }),
      }),
    ],
  });
  const listening = await svc.listen(0);
  return { base: `http://127.0.0.1:${listening.port}`, close: listening.close };
}

const post = (base: string, token?: string) =>
  fetch(`${base}/v1/things`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ title: 't' }),
  });

describe('security headers', () => {
  it('are on every answer (a route, an error, /healthz); no X-Powered-By; no HSTS in development', async () => {
    const s = await serve({});
    try {
      for (const res of [await fetch(`${s.base}/healthz`), await fetch(`${s.base}/nowhere`), await post(s.base)]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
        expect(res.headers.get('x-powered-by')).toBeNull();
        expect(res.headers.get('strict-transport-security')).toBeNull();
      }
    } finally {
      await s.close();
    }
  });

  it('include Strict-Transport-Security in production', async () => {
    const s = await serve({ DUBAN_ENV: 'production', RATE_LIMIT_WRITES_PER_MINUTE: 5 });
    try {
      expect((await fetch(`${s.base}/healthz`)).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    } finally {
      await s.close();
    }
  });
});

describe('the write limit', () => {
  it('answers 429 with Retry-After past the limit, per person; reads are not limited', async () => {
    const s = await serve({ RATE_LIMIT_WRITES_PER_MINUTE: 3 });
    try {
      const clerk = await signToken({ role: 'staff', sub: 'clerk-1' }, auth);
      const other = await signToken({ role: 'staff', sub: 'clerk-2' }, auth);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await post(s.base, clerk)).status);
      // The window is one minute: at a minute boundary the count restarts, so allow one more.
      if (!statuses.includes(429)) statuses.push((await post(s.base, clerk)).status);
      expect(statuses.slice(0, 3)).toEqual([201, 201, 201]);
      const limited = await post(s.base, clerk);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
      expect((await post(s.base, other)).status).toBe(201);
      const read = await fetch(`${s.base}/v1/things`, { headers: { authorization: `Bearer ${clerk}` } });
      expect(read.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('limits writes without a valid token by address', async () => {
    const s = await serve({ RATE_LIMIT_WRITES_PER_MINUTE: 2 });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(s.base, 'not-a-token')).status);
      expect(statuses.slice(0, 2)).toEqual([401, 401]);
      expect(statuses).toContain(429);
    } finally {
      await s.close();
    }
  });

  it('counts in one-minute windows and is off at 0', () => {
    let t = 60_000 * 1000 + 15_000;
    const limiter = fixedWindowLimiter(2, () => t);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(45);
    t += 45_000;
    expect(limiter.take('a')).toBe(0);
    const off = fixedWindowLimiter(0);
    expect(Array.from({ length: 1000 }, () => off.take('a')).every((w) => w === 0)).toBe(true);
  });
});
