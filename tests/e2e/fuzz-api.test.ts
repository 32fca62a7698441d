// The whole HTTP API under a fuzzer: every service runs on the real stack in databases of its
// own (the fuzzer writes at random; the demo data other tests rely on is not touched), and
// schemathesis sends generated requests — valid and invalid bodies, queries and path
// parameters — to every documented operation with a token of each role and with a bad token.
// Asserted for every response: not a 5xx, a status the operation documents, a body matching the
// documented schema. Bounded here (FUZZ_EXAMPLES per operation); `make fuzz` runs it long.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Principal } from '@duban/platform';
import { startAllServices, type AllServices } from '../support/all-services';
import { ROOT } from '../support/paths';
import { token } from '../support/system';
import { runSchemathesis, startGateway, type FuzzRun, type Gateway } from '../fuzz/gateway';

const EXAMPLES = Number(process.env.FUZZ_EXAMPLES ?? 5);
/**
 * Bounded for `make test` (about 2½ minutes on 2 cores: 148 s measured): staff, who may write the most, get the
 * coverage phase (boundary and invalid values of every field) and the stateful phase (sequences
 * following the links schemathesis infers); the other roles the random phase; a bad token, which
 * the gate refuses before anything is read, two examples. FUZZ_PHASES sets one plan for every
 * role (`make fuzz`: all the phases, many examples).
 */
const PHASES: Record<string, string> = {
  staff: 'coverage,fuzzing,stateful',
  ...Object.fromEntries(['unit', 'deputy', 'citizen', 'operator', 'bad-token'].map((who) => [who, 'fuzzing'])),
};
const phasesOf = (who: string) => process.env.FUZZ_PHASES ?? PHASES[who];
const examplesOf = (who: string) => (who === 'bad-token' && !process.env.FUZZ_EXAMPLES ? 2 : EXAMPLES);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
jest.setTimeout(Number(process.env.FUZZ_TIMEOUT_MS ?? 420_000));

const PEOPLE: Record<string, Principal> = {
  staff: { role: 'staff', sub: 'clerk-1' },
  unit: { role: 'unit', sub: 'handler-edu-bureau', unit: 'edu-bureau' },
  deputy: { role: 'deputy', sub: 'deputy-001' },
  citizen: { role: 'citizen', sub: `citizen-fuzz-${randomUUID().slice(0, 6)}` },
  operator: { role: 'operator', sub: 'ops-1' },
};

let all: AllServices;
let gateway: Gateway;
beforeAll(async () => {
  all = await startAllServices({ dbPrefix: `fuzz_${randomUUID().slice(0, 8).replace(/-/g, '')}` });
  gateway = await startGateway(all.urls);
});
afterAll(async () => {
  await gateway?.close();
  await all?.stop();
});

const OUT = path.join(ROOT, 'test-results/fuzz');

/**
 * What schemathesis found, for the assertion message: one line per operation and check (with
 * the status and body received); the whole report is kept in test-results/fuzz/<who>.txt.
 */
function failures(run: FuzzRun, file: string): string {
  const at = run.output.search(/^=+ FAILURES =+$/m);
  if (at < 0) return `${run.output.slice(-6000)}\n(all of it in ${file})`;
  const lines: string[] = [];
  let op = '';
  let check = '';
  for (const line of run.output
    .slice(at)
    .split('\n')
    .map((l) => l.trim())) {
    const o = /^_+ (.+?) _+$/.exec(line);
    if (o) op = o[1];
    else if (/^- [A-Z]+\d+ /.test(line)) check = line.slice(2);
    else if (/^\[\d{3}\]/.test(line) || /^Received:/.test(line)) lines.push(`${op}: ${check}: ${line}`);
    else if (/^`.*`$/.test(line) && lines.length) lines[lines.length - 1] += ` ${line.slice(0, 300)}`;
    else if (/^=+ (SUMMARY|WARNINGS)/.test(line)) break;
  }
  return `${[...new Set(lines)].join('\n')}\n(all of it in ${file})`;
}

test('the merged document lists every service', () => {
  const services = new Set(Object.keys(gateway.openapi.paths).map((p) => p.split('/')[1]));
  expect([...services].sort()).toEqual(Object.keys(all.urls).sort());
});

for (const who of [...Object.keys(PEOPLE), 'bad-token']) {
  test(`as ${who}: no 5xx, every status and body as documented`, async () => {
    const authorization = who === 'bad-token' ? 'Bearer not.a.token' : `Bearer ${await token(PEOPLE[who], '2h')}`;
    const run = await runSchemathesis(gateway, who, authorization, {
      maxExamples: examplesOf(who),
      phases: phasesOf(who),
      seed: SEED,
    });
    process.stdout.write(
      `fuzz as ${who} (${phasesOf(who)}, ${examplesOf(who)} examples): exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s\n`,
    );
    mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, `${who}.txt`);
    writeFileSync(file, run.output);
    if (run.code !== 0) throw new Error(`schemathesis as ${who} found problems:\n${failures(run, file)}`);
  });
}
