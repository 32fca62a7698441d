// The HTTP service over a real socket: who is calling is settled before the body is read, and
// a missing field is reported as required.
import { z } from 'zod';
import { buildOpenApi, createHttpService, createLogger, createMetrics, route, signToken } from '../../src';

const auth = { secret: 's'.repeat(32), issuer: 'duban' };
let base = '';
let close: () => Promise<void>;
let staff = '';
let deputy = '';

beforeAll(async () => {
  const svc = createHttpService({
    name: 'http-test',
    logger: createLogger('http-test', 'silent'),
    metrics: createMetrics('http_test'),
    auth,
    routes: [
      route({
        method: 'post',
        path: '/v1/things',
        summary: 'make a thing',
        roles: ['staff'],
        body: z.object({ title: z.string().min(1), count: z.number().int(), note: z.string().optional() }).strict(),
        handler: async ({ body }) => ({ status: 201, body }),
      }),
    ],
  });
  const listening = await svc.listen(0);
  base = `http://127.0.0.1:${listening.port}`;
  close = listening.close;
  staff = await signToken({ role: 'staff', sub: 'clerk-1' }, auth);
  deputy = await signToken({ role: 'deputy', sub: 'deputy-001' }, auth);
});
afterAll(() => close());

async function post(body: string, token?: string) {
  const res = await fetch(`${base}/v1/things`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

const big = JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024), count: 1 });

it('answers 401 to a caller without a token, whatever the size or shape of its body', async () => {
  expect((await post(big)).status).toBe(401);
  expect((await post('{not json')).status).toBe(401);
  expect((await post(big, 'not-a-token')).status).toBe(401);
});

it('answers 403 to a role that may not call the route before reading its body', async () => {
  const r = await post(big, deputy);
  expect(r.status).toBe(403);
  expect(r.body.error?.code).toBe('forbidden');
});

it('judges the body of an allowed caller: too large, malformed, then accepted', async () => {
  expect((await post(big, staff)).status).toBe(413);
  expect((await post('{not json', staff)).status).toBe(400);
  expect(await post(JSON.stringify({ title: 't', count: 2 }), staff)).toEqual({
    status: 201,
    body: { title: 't', count: 2 },
  });
});

it('says that a missing field is required, and keeps the type message for a wrong one', async () => {
  const missing = await post(JSON.stringify({ count: 1 }), staff);
  expect(missing.status).toBe(400);
  expect(missing.body.error?.message).toBe('invalid body: title: is required');
  const wrong = await post(JSON.stringify({ title: 5, count: 1 }), staff);
  expect(wrong.status).toBe(400);
  expect(wrong.body.error?.message).toMatch(/^invalid body: title: .*expected string, received number/);
});

describe('the generated OpenAPI document', () => {
  const routes = [
    route({
      method: 'get',
      path: '/v1/things',
      summary: 'list',
      roles: ['staff'],
      handler: async () => ({ body: [] }),
    }),
    route({
      method: 'get',
      path: '/v1/things/:id',
      summary: 'one',
      roles: ['staff'],
      responses: { 200: 'The thing', 404: 'No such thing' },
      handler: async () => ({ body: {} }),
    }),
    route({
      method: 'post',
      path: '/v1/things/:id/close',
      summary: 'close it',
      roles: ['staff'],
      body: z.object({ reason: z.string() }),
      handler: async () => ({ body: {} }),
    }),
  ];
  const doc = buildOpenApi({
    name: 'doc-test',
    logger: createLogger('doc-test', 'silent'),
    metrics: createMetrics('doc_test'),
    auth,
    routes,
  }) as { paths: Record<string, Record<string, { responses: Record<string, any> }>> };
  const statuses = (p: string, m: string) => Object.keys(doc.paths[p][m].responses).sort();

  it('documents what the service layer answers on its own, on the routes it answers it for', () => {
    expect(statuses('/v1/things', 'get')).toEqual(['200', '400', '401', '403']);
    expect(statuses('/v1/things/{id}', 'get')).toEqual(['200', '400', '401', '403', '404', '503']);
    expect(statuses('/v1/things/{id}/close', 'post')).toEqual(
      ['200', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503'].sort(),
    );
  });

  it("keeps a route's own description and gives every error the error body's schema", () => {
    const one = doc.paths['/v1/things/{id}'].get.responses;
    expect(one['404'].description).toBe('No such thing');
    for (const [status, r] of Object.entries(one))
      if (Number(status) >= 400)
        expect(r.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(one['200'].content).toBeUndefined();
  });
});
