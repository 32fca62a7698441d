// The console's case page (GET /api/cases/:id) takes every case id the case index takes — one
// definition of a case id in @duban/platform — and refuses anything else with 400 before it calls
// any service. The services behind it are a stand-in HTTP server that records what it is asked.
import { createServer, type Server } from 'node:http';
import { CASE_ID_MAX_LENGTH, caseIdSchema, createLogger, signToken } from '@duban/platform';
import { COOKIE, createConsoleApp, listen } from '../../src/http/app';
import type { TokenSource } from '../../src/use-cases/token-source';
import { ownerOf } from '../../src/use-cases/kinds';

const auth = { secret: 's'.repeat(32), issuer: 'duban' };
const asked: string[] = [];
let upstream: Server;
let base = '';
let close: () => Promise<void>;
let cookie = '';

beforeAll(async () => {
  upstream = createServer((req, res) => {
    asked.push(req.url ?? '');
    const id = /^\/v1\/(?:cases|suggestions)\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
    res.setHeader('content-type', 'application/json');
    if (req.url?.endsWith('/timeline')) res.end(JSON.stringify({ caseId: id, events: [{ type: 'Opened' }] }));
    else if (req.url?.endsWith('/actions')) res.end(JSON.stringify({ actions: [] }));
    else res.end(JSON.stringify({ caseId: id, kind: 'any' }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as { port: number }).port;
  const up = `http://127.0.0.1:${port}`;
  const tokens: TokenSource = { kind: 'test', listPeople: () => [], signIn: async () => undefined };
  const app = createConsoleApp({
    logger: createLogger('console-test', 'silent'),
    tokens,
    auth,
    suggestionsUrl: up,
    caseIndexUrl: up,
    citizenUrl: up,
    registryUrl: up,
    oversightUrl: up,
    dutiesUrl: up,
    livelihoodUrl: up,
    cookieSecure: false,
  });
  const listening = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${listening.port}`;
  close = listening.close;
  cookie = `${COOKIE}=${await signToken({ role: 'staff', sub: 'clerk-1' }, auth)}`;
});
afterAll(async () => {
  await close();
  await new Promise((resolve) => upstream.close(resolve));
});

const page = async (id: string) => {
  const res = await fetch(`${base}/api/cases/${encodeURIComponent(id)}`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as any };
};

// One id of every kind, as the services make them.
const EVERY_KIND = [
  'suggestion-2026-0001',
  'opinion-2026-000003',
  'opinion-2026-000003-letter-1',
  'review-opinion-2026-0001',
  'resolution-2026-0001',
  'inquiry-2026-0001',
  'investigation-2026-0001',
  'supervision-plan-cn-zj-demo-city-2027',
  'regulation-report-reg-river',
  'appointee-report-appt-a-1f2e3d',
  'group-duty-livelihood-group-2026',
  'livelihood-cn-zj-demo-city-2027',
  'livelihood-cn-zj-demo-city-2027-p01',
];

it('opens the case page of every kind, with its view and timeline from the case index', async () => {
  for (const id of EVERY_KIND) {
    asked.length = 0;
    const r = await page(id);
    expect([id, r.status]).toEqual([id, 200]);
    expect(r.body).toMatchObject({ caseId: id, view: { caseId: id }, timeline: [{ type: 'Opened' }] });
    expect(asked).toEqual(expect.arrayContaining([`/v1/cases/${id}`, `/v1/cases/${id}/timeline`]));
    // Only a suggestion has live state and actions in the suggestions service; another kind's
    // live state and actions come from the service that owns it (kinds.ts).
    expect(asked.some((u) => u.startsWith('/v1/suggestions/'))).toBe(id.startsWith('suggestion-'));
    const owner = ownerOf(id);
    if (owner) expect(asked).toEqual(expect.arrayContaining([owner.read, owner.actions]));
  }
});

it('refuses what is not a case id with 400, naming it, and asks no service', async () => {
  for (const id of [
    'DROP TABLE',
    'Suggestion-2026-0001',
    'review-opinion-2026-0001.edu-bureau',
    '2026-0001',
    'suggestion-2026-0001-',
    `a${'b'.repeat(CASE_ID_MAX_LENGTH)}`,
  ]) {
    asked.length = 0;
    const r = await page(id);
    expect([id, r.status]).toEqual([id, 400]);
    expect(r.body.error.message).toContain(`case id "${id}"`);
    expect(asked).toEqual([]);
  }
});

it('shares its definition with the case index: the same ids pass and fail', () => {
  for (const id of EVERY_KIND) expect(caseIdSchema.safeParse(id).success).toBe(true);
  expect(caseIdSchema.safeParse('review-opinion-2026-0001.edu-bureau').success).toBe(false);
});
