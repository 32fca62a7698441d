// Waits for a workflow to close by stepping the test server's clock, then reads its final state
// by query. Not result(): it unlocks time skipping, and once the workflow closes with nothing
// else pending the test server jumps ten years ahead, which every later test would inherit.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';

export async function closedState<S>(
  env: TestWorkflowEnvironment,
  wf: WorkflowHandle,
  step: Duration = '1 day',
): Promise<S> {
  for (let i = 0; i < 500; i++) {
    if ((await wf.describe()).status.name !== 'RUNNING') return (await wf.query('state')) as S;
    await env.sleep(step);
  }
  throw new Error(`${wf.workflowId} did not close`);
}
