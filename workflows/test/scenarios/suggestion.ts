// Suggestion steps shared by the workflow tests and the history recorder
// (workflows/scripts/history-scenarios.ts), so both drive the case the same way.
import type { WorkflowHandle } from '@temporalio/client';
import { localDateOf } from '@duban/domain';
import { replyUpdate, type Actor, type suggestionWorkflow } from '../../src';

type Case = WorkflowHandle<typeof suggestionWorkflow>;
const DAY = 86_400_000;

/** The lead unit replies B ("in progress") with two commitments, due 30 and 60 days after `now`. */
export function replyWithCommitments(wf: Case, by: Actor, now: number) {
  const inDays = (n: number) => localDateOf(new Date(now + n * DAY));
  return wf.executeUpdate(replyUpdate, {
    args: [
      {
        by,
        grade: 'B',
        summary: '推进中。',
        commitments: [
          { description: '安装信号灯', dueDate: inDays(30) },
          { description: '铺设减速带', dueDate: inDays(60) },
        ],
      },
    ],
  });
}
