// Activities of the citizen workflows: starting a liaison letter's own case, linked by id.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { caseMetadata } from '@duban/platform';
import type { ActivityDeps } from '../activities';
import { CaseKind, Jurisdiction, Overdue, Unit, stageAttributes } from '../search-attributes';
import { LIAISON_LETTER_WORKFLOW, type LiaisonLetterInput } from './definitions';

export function createCitizenActivities(deps: Pick<ActivityDeps, 'temporal' | 'taskQueue'>) {
  return {
    /** Starts a liaison letter's workflow; starting it again is harmless (same id). */
    async startLiaisonLetter(input: LiaisonLetterInput): Promise<void> {
      if (!deps.temporal) throw new Error('startLiaisonLetter needs a Temporal client in the activity dependencies');
      try {
        await deps.temporal.workflow.start(LIAISON_LETTER_WORKFLOW, {
          workflowId: input.letterId,
          taskQueue: deps.taskQueue ?? 'duban-cases',
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          // Ids only: the memo and search attributes are visible to every operator.
          memo: { opinionId: input.opinionId },
          ...caseMetadata({
            caseId: input.letterId,
            kind: 'liaison_letter',
            unit: input.unit,
            jurisdiction: input.jurisdiction,
            policy: input.policy,
            consolePath: `/opinions/${encodeURIComponent(input.opinionId)}`,
            facts: { 群众意见: input.opinionId, 发函代表: input.deputyId },
          }),
          typedSearchAttributes: new TypedSearchAttributes([
            { key: CaseKind, value: 'liaison_letter' },
            ...stageAttributes('sent'),
            { key: Unit, value: input.unit },
            { key: Jurisdiction, value: input.jurisdiction },
            { key: Overdue, value: false },
          ]),
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
  };
}
