// The registry client reuses a jurisdiction's effective policy for a few seconds instead of
// asking the registry on every intake; failures are never reused; refusals say what is wrong.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyToken } from '@duban/platform';
import { createRegistryClient, serviceAuthorization } from '../../src/client';

let server: Server;
let base: string;
let asked: string[] = [];
let answer = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url!);
    if (req.url!.startsWith('/v1/units/')) {
      // Units whose id starts with "u-" are registered.
      const known = decodeURIComponent(req.url!.slice('/v1/units/'.length)).startsWith('u-');
      res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(known ? { id: req.url, jurisdiction: 'cn-a' } : { error: 'x' }));
      return;
    }
    res.writeHead(answer, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer === 200 ? { sources: [req.url], policy: {} } : { error: 'x' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  asked = [];
  answer = 200;
});

it('asks the registry once per jurisdiction within the cache time', async () => {
  const client = createRegistryClient(base, { policyCacheMs: 60_000 });
  const [a, b] = await Promise.all([
    client.effectivePolicy('cn-a', 'Bearer t'),
    client.effectivePolicy('cn-a', 'Bearer t'),
  ]);
  await client.effectivePolicy('cn-b', 'Bearer t');
  expect(a).toEqual(b);
  expect(asked).toEqual(['/v1/jurisdictions/cn-a/policy', '/v1/jurisdictions/cn-b/policy']);
});

it('asks again once the cache time has passed', async () => {
  const client = createRegistryClient(base, { policyCacheMs: 0 });
  await client.effectivePolicy('cn-a', 'Bearer t');
  await new Promise((r) => setTimeout(r, 5));
  await client.effectivePolicy('cn-a', 'Bearer t');
  expect(asked).toHaveLength(2);
});

it('does not keep a failure: the next request asks again', async () => {
  const client = createRegistryClient(base, { policyCacheMs: 60_000 });
  answer = 404;
  await expect(client.effectivePolicy('cn-new', 'Bearer t')).rejects.toMatchObject({ status: 422 });
  answer = 200;
  await expect(client.effectivePolicy('cn-new', 'Bearer t')).resolves.toMatchObject({ policy: {} });
  expect(asked).toHaveLength(2);
});

it('refuses an unknown station as 422 unknown_station, and a registry error as 502', async () => {
  const client = createRegistryClient(base);
  answer = 404;
  await expect(client.station('st-nowhere', 'Bearer t')).rejects.toMatchObject({
    status: 422,
    code: 'unknown_station',
    message: 'liaison station "st-nowhere" is not registered',
  });
  answer = 500;
  await expect(client.deputies('cn-a', 'Bearer t')).rejects.toMatchObject({ status: 502, code: 'registry_error' });
  expect(asked).toEqual(['/v1/stations/st-nowhere', '/v1/deputies?jurisdiction=cn-a']);
});

it('answers 503 registry_unavailable when nothing listens', async () => {
  const client = createRegistryClient('http://127.0.0.1:1');
  await expect(client.effectivePolicy('cn-a', 'Bearer t')).rejects.toMatchObject({
    status: 503,
    code: 'registry_unavailable',
  });
});

it('refuses units the registry does not know as 422 unknown_unit, naming each once, in request order', async () => {
  const client = createRegistryClient(base);
  await expect(
    client.requireUnits('cn-a', ['u-1', 'x-2', 'u-1', 'x-3', 'x-2'], 'Bearer t', 'items'),
  ).rejects.toMatchObject({
    status: 422,
    code: 'unknown_unit',
    details: [
      { path: 'items', message: 'unit "x-2" is not in the registry' },
      { path: 'items', message: 'unit "x-3" is not in the registry' },
    ],
  });
  await expect(client.requireUnits('cn-a', ['u-1', 'u-2'], 'Bearer t')).resolves.toBeUndefined();
  // One read per distinct unit.
  expect(asked.filter((u) => u === '/v1/units/u-1')).toHaveLength(2);
  await expect(client.unit('x-9', 'Bearer t')).resolves.toBeUndefined();
});

it("signs a service's own operator token once and reuses it", async () => {
  const secret = 'a-test-secret-of-at-least-32-characters';
  const authorization = serviceAuthorization({ sub: 'scores', secret, issuer: 'duban' });
  const first = await authorization();
  expect(await authorization()).toBe(first);
  expect(first).toMatch(/^Bearer /);
  await expect(verifyToken(first.slice('Bearer '.length), { secret, issuer: 'duban' })).resolves.toMatchObject({
    role: 'operator',
    sub: 'scores',
  });
});
