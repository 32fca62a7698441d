// The registry client reuses a jurisdiction's effective policy for a few seconds instead of
// asking the registry on every intake; failures are never reused; refusals say what is wrong.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistryClient } from '../../src/clients/registry';

let server: Server;
let base: string;
let asked: string[] = [];
let answer = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url!);
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
