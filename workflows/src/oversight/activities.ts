// Activities of the oversight workflows: starting the next year's supervision plan. Merged into
// createActivities' result; the dependencies are the same.
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { caseMetadata } from '@duban/platform';
import type { ActivityDeps } from '../activities';
import { CaseKind, CycleYear, Jurisdiction, Overdue, stageAttributes } from '../search-attributes';
import { SUPERVISION_PLAN_WORKFLOW, type SupervisionPlanInput } from './definitions';

export function createOversightActivities(deps: ActivityDeps) {
  return {
    /** Starts a year's supervision plan linked by id; starting it again is harmless. */
    async startSupervisionPlan(input: SupervisionPlanInput): Promise<void> {
      if (!deps.temporal) throw new Error('startSupervisionPlan needs a Temporal client in the activity dependencies');
      try {
        await deps.temporal.workflow.start(SUPERVISION_PLAN_WORKFLOW, {
          workflowId: input.caseId,
          taskQueue: deps.taskQueue ?? 'duban-cases',
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          ...caseMetadata({
            caseId: input.caseId,
            kind: 'supervision_plan',
            title: `${input.year} 年度监督计划`,
            jurisdiction: input.jurisdiction,
            policy: input.policy,
            facts: { 年度: input.year, 结转议题数: input.carriedTopics?.length },
          }),
          typedSearchAttributes: new TypedSearchAttributes([
            { key: CaseKind, value: 'supervision_plan' },
            ...stageAttributes('collecting'),
            { key: Jurisdiction, value: input.jurisdiction },
            { key: Overdue, value: false },
            { key: CycleYear, value: input.year },
          ]),
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
  };
}
