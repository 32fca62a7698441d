// Stops the test stack (set KEEP_TEST_STACK=1 to leave it running for a look).
import { stopStack } from './stack-control';
import { TEST_STACK_ENV } from './test-stack';

export default async function teardown(): Promise<void> {
  if (process.env.KEEP_TEST_STACK === '1') return;
  stopStack(TEST_STACK_ENV);
}
