// Activities of the livelihood workflows: a project's calendar of report deadlines, and starting
// each elected project as its own workflow (linked by id, like the escalation ladder).
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { deadlineAfter, type LivelihoodPolicy } from '@duban/domain';
import { caseMetadata } from '@duban/platform';
import type { ActivityDeps } from '../activities';
import { calendarOf } from '../calendar-source';
import { CaseKind, CycleYear, Jurisdiction, Unit, stageAttributes } from '../search-attributes';
import { LIVELIHOOD_PROJECT_WORKFLOW, type ProjectInput } from './definitions';

export interface ProjectPlan {
  /** Progress report due dates, from the start until the evaluation. */
  reportDueAts: string[];
  midYearDueAt: string;
  evaluationAt: string;
}

/** Report periods at most, so that a minute-long test window cannot plan thousands. */
const MAX_PERIODS = 60;

export function createLivelihoodActivities(deps: ActivityDeps) {
  return {
    /**
     * A project's deadlines on the legal calendar: a progress report every `progressReportEvery`
     * (n × the window from the start) until the evaluation, the mid-year report, the evaluation.
     * With `from` = a carried-over project's last evaluation, only the next year's are planned.
     */
    async planProjectSchedule(args: {
      policy: LivelihoodPolicy;
      startedAt: string;
      /** Periods already planned (a carry-over continues the numbering's spacing). */
      from?: string;
    }): Promise<ProjectPlan> {
      const p = args.policy;
      const start = new Date(args.from ?? args.startedAt);
      const cal = await calendarOf(deps);
      const evaluationAt = deadlineAfter(start, p.evaluationAfter, cal);
      const reportDueAts: string[] = [];
      for (let n = 1; n <= MAX_PERIODS; n++) {
        const w = { ...p.progressReportEvery, amount: p.progressReportEvery.amount * n };
        const due = deadlineAfter(start, w, cal);
        if (due.getTime() > evaluationAt.getTime()) break;
        reportDueAts.push(due.toISOString());
      }
      return {
        reportDueAts,
        midYearDueAt: deadlineAfter(start, p.midYearReportAfter, cal).toISOString(),
        evaluationAt: evaluationAt.toISOString(),
      };
    },

    /** Starts an elected project's workflow; starting it again is harmless. */
    async startLivelihoodProject(input: ProjectInput): Promise<void> {
      if (!deps.temporal)
        throw new Error('startLivelihoodProject needs a Temporal client in the activity dependencies');
      try {
        await deps.temporal.workflow.start(LIVELIHOOD_PROJECT_WORKFLOW, {
          workflowId: input.projectId,
          taskQueue: deps.taskQueue ?? 'duban-cases',
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          memo: { title: input.title, cycleId: input.cycleId },
          ...caseMetadata({
            caseId: input.projectId,
            kind: 'livelihood_project',
            title: input.title,
            unit: input.leadUnit,
            jurisdiction: input.jurisdiction,
            policy: input.policy,
            links: [{ label: '票决周期', path: `/cases/${encodeURIComponent(input.cycleId)}` }],
            facts: { 年度: input.year, 类别: input.category, 预算: `${input.budget} 元` },
          }),
          typedSearchAttributes: new TypedSearchAttributes([
            { key: CaseKind, value: 'livelihood_project' },
            ...stageAttributes('implementation'),
            { key: Unit, value: input.leadUnit },
            { key: Jurisdiction, value: input.jurisdiction },
            { key: CycleYear, value: input.year },
          ]),
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
  };
}
