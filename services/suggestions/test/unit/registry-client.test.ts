// The suggestions service reuses a jurisdiction's effective policy for a few seconds instead of
// asking the registry on every submission; failures are never reused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistryClient } from '../../src/registry-client';

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
  const client = createRegistryClient(base, 60_000);
  const [a, b] = await Promise.all([
    client.effectivePolicy('cn-a', 'Bearer t'),
    client.effectivePolicy('cn-a', 'Bearer t'),
  ]);
  await client.effectivePolicy('cn-b', 'Bearer t');
  expect(a).toEqual(b);
  expect(asked).toEqual(['/v1/jurisdictions/cn-a/policy', '/v1/jurisdictions/cn-b/policy']);
});

it('asks again once the cache time has passed', async () => {
  const client = createRegistryClient(base, 0);
  await client.effectivePolicy('cn-a', 'Bearer t');
  await new Promise((r) => setTimeout(r, 5));
  await client.effectivePolicy('cn-a', 'Bearer t');
  expect(asked).toHaveLength(2);
});

it('does not keep a failure: the next request asks again', async () => {
  const client = createRegistryClient(base, 60_000);
  answer = 404;
  await expect(client.effectivePolicy('cn-new', 'Bearer t')).rejects.toMatchObject({ status: 422 });
  answer = 200;
  await expect(client.effectivePolicy('cn-new', 'Bearer t')).resolves.toMatchObject({ policy: {} });
  expect(asked).toHaveLength(2);
});
