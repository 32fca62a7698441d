// make simulate: a what-if year for a clerk who is about to change a jurisdiction's policy.
//
//   node --import tsx workflows/scripts/simulate/cli.ts --load LOAD.json --policy A.json [--policy B.json] [--out report.html]
//
// Each policy is a jurisdiction policy document (as PUT to the registry) laid over the shipped
// national defaults; the same planned load runs under each, on the time-skipping test server.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import national from '@duban/domain/data/policy-national.json';
import { resolvePolicy, type PolicyDocument } from '@duban/domain';
import { parseLoad, planCases } from './load';
import { renderReport } from './report';
import { simulateYear, type YearResult } from './run';

const HELP = `make simulate POLICY=a.json[,b.json] LOAD=load.json [OUT=report.html]

Runs a year of suggestions under one or two policies with the real workflows on the
time-skipping Temporal server, and writes a self-contained HTML report: overdue cases per
month, escalation steps and unit scores, side by side.

  --load FILE     the load profile (cases, units' reply times, ratings mix); sample:
                  workflows/scripts/simulate/samples/demo-city-load.json
  --policy FILE   a jurisdiction policy document over the national defaults; give it twice
                  to compare two policies
  --out FILE      where to write the report (default .data/simulate/report.html)
  --cases N       override the load's number of suggestions
  --help          this text`;

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n`);
  process.exit(2);
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return fail(`cannot read the ${what} ${file}: ${(err as Error).message}`);
  }
}

function bar(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r  ${label.slice(0, 24).padEnd(24)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] day ${done}/${total}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      load: { type: 'string' },
      policy: { type: 'string', multiple: true },
      out: { type: 'string' },
      cases: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.load) fail('--load is required (see --help)');
  const policies = (values.policy ?? []).flatMap((p) => p.split(',')).filter(Boolean);
  if (policies.length < 1 || policies.length > 2) fail('give one or two --policy files (see --help)');
  const load = parseLoad(readJson(values.load, 'load profile'), values.load);
  if (values.cases) {
    const n = Number(values.cases);
    if (!Number.isInteger(n) || n < 1) fail('--cases must be a whole number of at least 1');
    load.cases.suggestion = n;
  }
  const resolved = policies.map((file) => {
    const doc = readJson(file, 'policy') as PolicyDocument;
    try {
      return {
        file,
        eff: resolvePolicy([
          { doc: national as PolicyDocument, version: 1 },
          { doc, version: 1 },
        ]),
        name: doc.name ?? path.basename(file),
      };
    } catch (err) {
      return fail(`the policy ${file} is not valid: ${(err as Error).message}`);
    }
  });
  const out = values.out ?? path.join(process.cwd(), '.data/simulate/report.html');
  const testServer =
    process.env.TEMPORAL_TEST_SERVER_PATH ?? path.resolve(__dirname, '../../../.tools/bin/temporal-test-server');
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const year = String(new Date().getFullYear());
  const plan = planCases(load, year);
  const results: YearResult[] = [];
  for (const { eff, name } of resolved) {
    process.stderr.write(`simulate: ${plan.length} suggestions under "${name}"\n`);
    const r = await simulateYear({
      testServer,
      policy: eff,
      policyName: name,
      jurisdiction: load.jurisdiction,
      plan,
      progress: bar,
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    results.push(r);
    console.log(
      `  ${name}: ${r.overdueCases} overdue, ${r.veryOverdueCases} very overdue, ${r.laddersStarted} ladders, ` +
        `${r.refusedActions.length} refused actions; ${(r.wallMs / 1000).toFixed(1)} s wall, ${(plan.length / (r.wallMs / 1000)).toFixed(1)} cases/s`,
    );
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, renderReport(load, results, new Date()));
  console.log(`simulate: report written to ${out}`);
}

main().then(
  () => process.exit(0),
  (err) => fail(err instanceof Error ? err.message : String(err)),
);
