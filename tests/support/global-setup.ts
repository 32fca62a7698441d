// Starts the real stack for the "stack" tests (installing what is missing), fresh each run,
// and exports its addresses to the test workers through the environment.
import { startFreshStack } from './stack-control';
import { TEST_STACK_ENV } from './test-stack';

export default async function setup(): Promise<void> {
  startFreshStack(TEST_STACK_ENV);
}
