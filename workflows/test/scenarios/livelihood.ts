// Livelihood steps shared by the workflow tests and the history recorder
// (workflows/scripts/livelihood-history-scenarios.ts), so both drive the cycle the same way.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mergeCandidatesUpdate, proposeUpdate, submitReReportUpdate, type livelihoodCycleWorkflow } from '../../src';
import { dept, projectState, staff, waitFor } from '../support/livelihood-driver';

type Cycle = WorkflowHandle<typeof livelihoodCycleWorkflow>;

/** `count` deputies each propose one project, one update after another; returns the candidate ids. */
export async function proposeFromDeputies(cycle: Cycle, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await cycle.executeUpdate(proposeUpdate, {
      args: [
        {
          by: { role: 'deputy', sub: `deputy-${i}` },
          proposer: { kind: 'deputy', id: `deputy-${i}` },
          title: `项目 ${i}`,
          category: 'public-service',
        },
      ],
    });
    ids.push(r.candidateId);
  }
  return ids;
}

/** Staff merge the last proposal into the first (across runs when continue-as-new came between). */
export async function mergeLastIntoFirst(cycle: Cycle, ids: string[]) {
  return cycle.executeUpdate(mergeCandidatesUpdate, {
    args: [{ by: staff, into: ids[0], merge: [ids[ids.length - 1]], reason: '重复' }],
  });
}

/** A project rated unsatisfactory re-reports from `unit`, then waits for its second evaluation. */
export async function reReportUntilEvaluation(
  env: TestWorkflowEnvironment,
  projectId: string,
  unit: string,
  { summary = '再报告', label = '' }: { summary?: string; label?: string } = {},
) {
  const name = (what: string) => (label ? `${label} ${what}` : what);
  await waitFor(
    env,
    () => projectState(env, projectId),
    (x) => x.stage === 'reReport',
    name('re-report'),
  );
  await env.client.workflow
    .getHandle(projectId)
    .executeUpdate(submitReReportUpdate, { args: [{ by: dept(unit), summary }] });
  return waitFor(
    env,
    () => projectState(env, projectId),
    (x) => x.stage === 'evaluation',
    name('second evaluation'),
  );
}
