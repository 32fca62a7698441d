// Where the project's own scripts put things.
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const INFRA = path.join(ROOT, 'deploy/local/infra.sh');
export const TEST_SERVER = process.env.TEMPORAL_TEST_SERVER_PATH ?? path.join(ROOT, '.tools/bin/temporal-test-server');
