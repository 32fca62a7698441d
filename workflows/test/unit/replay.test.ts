// Every recorded history (workflows/test/histories) must replay on the current workflow code:
// a change that would break running cases fails here with a DeterminismViolationError.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';

const dir = path.join(__dirname, '../histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.pb'));
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
});

it('has recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(2);
});

it.each(files)('replays %s without a determinism error', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file)));
  await Worker.runReplayHistory({ workflowBundle: bundle }, history, file);
});
