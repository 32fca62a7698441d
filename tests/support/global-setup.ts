// Starts the real stack for the "stack" tests (installing what is missing), fresh each run,
// and exports its addresses to the test workers through the environment.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { INFRA } from './paths';
import { TEST_STACK_ENV } from './test-stack';

export default async function setup(): Promise<void> {
  const env = { ...process.env, ...TEST_STACK_ENV };
  // A fresh stack: stop a leftover one from an interrupted run, wipe its data.
  execFileSync(INFRA, ['down'], { env, stdio: 'inherit' });
  rmSync(TEST_STACK_ENV.DUBAN_DATA_DIR, { recursive: true, force: true });
  execFileSync(INFRA, ['up'], { env, stdio: 'inherit' });
  const exports = execFileSync(INFRA, ['env'], { env, encoding: 'utf8' });
  for (const line of exports.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
}
