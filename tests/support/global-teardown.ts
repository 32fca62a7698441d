// Stops the test stack (set KEEP_TEST_STACK=1 to leave it running for a look).
import { execFileSync } from 'node:child_process';
import { INFRA } from './paths';
import { TEST_STACK_ENV } from './test-stack';

export default async function teardown(): Promise<void> {
  if (process.env.KEEP_TEST_STACK === '1') return;
  execFileSync(INFRA, ['down'], { env: { ...process.env, ...TEST_STACK_ENV }, stdio: 'inherit' });
}
