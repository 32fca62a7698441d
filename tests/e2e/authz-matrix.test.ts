// The authorisation matrix (tests/authz/matrix.ts) against every service on the real stack, in
// databases of this run: every route of every /openapi.json has a declared rule and its own
// roles are those; each route is called without a token (401), with a token of each role not
// allowed (403 from the gate, whatever the body) and of each role allowed (let in: the route
// may answer 400/404/409/422 for the dummy path and body, but not 401 or the gate's 403).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Principal, Role } from '@duban/platform';
import { MATRIX } from '../authz/matrix';
import { API_REFERENCE_FILE, renderApiReference, type OpenApiDoc } from '../support/api-reference';
import { API_SERVICES, startAllServices, type AllServices } from '../support/all-services';
import { call, token } from '../support/system';

jest.setTimeout(300_000);

const PEOPLE: Record<Role, Principal> = {
  staff: { role: 'staff', sub: 'clerk-1' },
  unit: { role: 'unit', sub: 'handler-edu-bureau', unit: 'edu-bureau' },
  deputy: { role: 'deputy', sub: 'deputy-001' },
  citizen: { role: 'citizen', sub: 'citizen-authz' },
  operator: { role: 'operator', sub: 'ops-1' },
};
const ROLES = Object.keys(PEOPLE) as Role[];

interface Operation {
  service: string;
  key: string;
  method: string;
  path: string;
  roles: string[];
  hasBody: boolean;
}

let all: AllServices;
const operations: Operation[] = [];
const documents: Record<string, OpenApiDoc> = {};
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  all = await startAllServices({ dbPrefix: `authz_${randomUUID().slice(0, 8)}`, worker: false });
  for (const service of API_SERVICES) {
    const doc = (await (await fetch(`${all.urls[service]}/openapi.json`)).json()) as OpenApiDoc;
    documents[service] = doc;
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        operations.push({
          service,
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          roles: op['x-roles'],
          hasBody: !!op.requestBody,
        });
  }
  for (const r of ROLES) tokens[r] = await token(PEOPLE[r]);
});
afterAll(async () => {
  await all?.stop();
});

test('every route of every service has a declared rule, and nothing is declared that is not there', () => {
  const served = operations.map((o) => `${o.service} ${o.key}`).sort();
  const declared = Object.entries(MATRIX)
    .flatMap(([service, routes]) => Object.keys(routes).map((k) => `${service} ${k}`))
    .sort();
  expect(served).toEqual(declared);
});

test('docs/api-reference.md is what the services document (UPDATE_DOCS=1, or make docs, rewrites it)', () => {
  const rendered = renderApiReference(documents);
  if (process.env.UPDATE_DOCS === '1') writeFileSync(API_REFERENCE_FILE, rendered);
  expect(readFileSync(API_REFERENCE_FILE, 'utf8')).toBe(rendered);
});

test("each route's own roles are the declared ones", () => {
  const differing = operations
    .filter((o) => {
      const declared = MATRIX[o.service as keyof typeof MATRIX]?.[o.key];
      return declared && [...declared].sort().join() !== [...o.roles].sort().join();
    })
    .map(
      (o) =>
        `${o.service} ${o.key}: route allows ${o.roles.join(', ')}; declared ${MATRIX[o.service as keyof typeof MATRIX][o.key].join(', ')}`,
    );
  expect(differing).toEqual([]);
});

/** The gate's refusal of a role (platform/src/http/service.ts), as opposed to a route's own check of the subject. */
const gateRefusal = (r: { status: number; body: any }) =>
  r.status === 403 && /^role "/.test(String(r.body?.error?.message ?? ''));

test('no token: 401; a role not allowed: 403; an allowed role: let in', async () => {
  const wrong: string[] = [];
  for (const o of operations) {
    const declared = MATRIX[o.service as keyof typeof MATRIX]?.[o.key] ?? [];
    const url = `${all.urls[o.service as keyof typeof all.urls]}${o.path.replace(/\{[^}]+\}/g, 'authz-dummy')}`;
    const send = (tok?: string) =>
      call(o.method, url, { ...(tok ? { token: tok } : {}), ...(o.hasBody || o.method !== 'GET' ? { body: {} } : {}) });
    const anonymous = await send();
    if (anonymous.status !== 401) wrong.push(`${o.service} ${o.key} without a token: ${anonymous.status}`);
    for (const role of ROLES) {
      const r = await send(tokens[role]);
      if (declared.includes(role)) {
        if (r.status === 401 || gateRefusal(r))
          wrong.push(`${o.service} ${o.key} as ${role} (allowed): ${r.status} ${JSON.stringify(r.body)}`);
        if (r.status >= 500) wrong.push(`${o.service} ${o.key} as ${role}: ${r.status} ${JSON.stringify(r.body)}`);
      } else if (r.status !== 403) {
        wrong.push(
          `${o.service} ${o.key} as ${role} (not allowed): ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`,
        );
      }
    }
  }
  expect(wrong).toEqual([]);
});
