// The stack the tests run against: the project's own infra.sh, on test ports and a data
// folder of its own (fresh each run), so it never touches a `make dev` stack on this machine.
import path from 'node:path';
import { ROOT } from './paths';
import type { StackEnv } from './stack-control';

export const TEST_STACK_ENV: StackEnv = {
  DUBAN_DATA_DIR: process.env.TEST_STACK_DIR ?? path.join(ROOT, '.data/test-stack'),
  TEMPORAL_PORT: process.env.TEST_TEMPORAL_PORT ?? '17233',
  TEMPORAL_UI_PORT: process.env.TEST_TEMPORAL_UI_PORT ?? '18233',
  KAFKA_PORT: process.env.TEST_KAFKA_PORT ?? '19092',
  KAFKA_CONTROLLER_PORT: process.env.TEST_KAFKA_CONTROLLER_PORT ?? '19093',
  MONGO_PORT: process.env.TEST_MONGO_PORT ?? '27117',
};
