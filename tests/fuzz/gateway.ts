// One address for every service's API, for the fuzzer: /<service>/<path> is forwarded to that
// service as /<path>, and /openapi.json is every service's own document with its paths under
// /<service>. So one schemathesis run covers the whole API with one token.
import http from 'node:http';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ApiService } from '../support/all-services';
import { ROOT } from '../support/paths';

export interface Gateway {
  url: string;
  /** The merged document (what /openapi.json serves). */
  openapi: { paths: Record<string, Record<string, { 'x-roles': string[] }>> };
  /** Answers of 500 or more it passed on (or gave, when a service did not answer). */
  serverErrors: number;
  close(): Promise<void>;
}

/** Every service of `urls` behind one address; a subset of the services is fine. */
export async function startGateway(urls: Partial<Record<ApiService, string>>): Promise<Gateway> {
  let serverErrors = 0;
  const paths: Record<string, Record<string, any>> = {};
  let components: unknown;
  for (const [svc, base] of Object.entries(urls)) {
    const res = await fetch(`${base}/openapi.json`);
    if (res.status !== 200) throw new Error(`${svc}: GET /openapi.json answered ${res.status}`);
    const doc = (await res.json()) as { paths: Record<string, Record<string, any>>; components: unknown };
    components = doc.components;
    for (const [p, ops] of Object.entries(doc.paths)) {
      const tagged: Record<string, any> = {};
      for (const [method, op] of Object.entries(ops)) tagged[method] = { ...op, tags: [svc] };
      paths[`/${svc}${p}`] = tagged;
    }
  }
  const openapi = { openapi: '3.1.0', info: { title: 'duban (all services)', version: '0.1.0' }, components, paths };
  const body = JSON.stringify(openapi);
  const server = http.createServer((req, res) => {
    if (req.url === '/openapi.json') {
      res.setHeader('content-type', 'application/json');
      return res.end(body);
    }
    const m = /^\/([A-Za-z]+)(\/.*)?$/.exec(req.url ?? '');
    const target = m ? urls[m[1] as ApiService] : undefined;
    if (!m || !target) {
      res.statusCode = 404;
      return res.end();
    }
    const up = http.request(
      `${target}${m[2] ?? '/'}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer) => {
        if ((answer.statusCode ?? 502) >= 500) serverErrors++;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', (err) => {
      serverErrors++;
      res.statusCode = 599; // not a status any service gives: the fuzzer reports it as a failure
      res.end(`gateway: ${err.message}`);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    openapi: openapi as Gateway['openapi'],
    get serverErrors() {
      return serverErrors;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where schemathesis runs: it keeps a .schemathesis cache of its own there (git-ignored). */
const WORK_DIR = path.join(ROOT, 'test-results/fuzz');

export const SCHEMATHESIS = process.env.SCHEMATHESIS_PATH ?? path.join(ROOT, '.tools/bin/schemathesis');

export interface FuzzRun {
  who: string;
  code: number;
  output: string;
  ms: number;
}

/**
 * One schemathesis run over the gateway's document with this Authorization header (none when
 * undefined): the checks that matter here — no 5xx, the status documented, the body as documented.
 */
export function runSchemathesis(
  gateway: Gateway,
  who: string,
  authorization: string | undefined,
  opts: { maxExamples: number; phases: string; seed: number; include?: string },
): Promise<FuzzRun> {
  const args = [
    'run',
    `${gateway.url}/openapi.json`,
    '--url',
    gateway.url,
    '--checks',
    'not_a_server_error,status_code_conformance,response_schema_conformance',
    '--max-examples',
    String(opts.maxExamples),
    '--phases',
    opts.phases,
    '--seed',
    String(opts.seed),
    // One worker: two threads in one Python 3.11 sometimes break its parser inside hypothesis
    // ("AST constructor recursion depth mismatch"), a runtime error that is no finding.
    '--workers',
    '1',
    '--no-shrink',
    '--continue-on-failure',
    '--generation-database',
    'none',
    '--suppress-health-check',
    'all',
    '--request-timeout',
    '20',
    '--no-color',
    '--output-truncate',
    'true',
    '--warnings',
    'off',
    ...(authorization ? ['--header', `Authorization: ${authorization}`] : []),
    ...(opts.include ? ['--include-path-regex', opts.include] : []),
  ];
  const started = Date.now();
  mkdirSync(WORK_DIR, { recursive: true });
  return new Promise((resolve) => {
    execFile(
      SCHEMATHESIS,
      args,
      { cwd: WORK_DIR, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ who, code, output: `${stdout}${stderr}`, ms: Date.now() - started });
      },
    );
  });
}
