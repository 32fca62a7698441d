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

// The negative control: the same replay must fail when a history no longer matches the code.
// Renaming the first scheduled activity in a recorded history is what a code change that replaces
// or reorders a step looks like to a running case.
describe('a mutated history', () => {
  function mutated(): { name: string; history: temporal.api.history.v1.IHistory } {
    for (const file of files) {
      const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file)));
      const activity = (history.events ?? []).find((e) => e.activityTaskScheduledEventAttributes?.activityType);
      if (activity?.activityTaskScheduledEventAttributes?.activityType) {
        activity.activityTaskScheduledEventAttributes.activityType.name = 'notAnActivityOfThisCode';
        return { name: file, history };
      }
    }
    throw new Error('no recorded history has a scheduled activity to mutate');
  }

  it('fails to replay with a DeterminismViolationError', async () => {
    const { name, history } = mutated();
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, `${name}-mutated`)).rejects.toMatchObject(
      { name: 'DeterminismViolationError' },
    );
  });
});
