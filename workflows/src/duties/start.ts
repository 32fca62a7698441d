// How every duty case starts, from the duties service or from the year before: one workflow
// per business id, so a repeated registration or a retried activity starts nothing twice.
// Not workflow code (uses the Temporal client).
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { caseMetadata } from '@duban/platform';
import { CaseKind, CycleYear, Jurisdiction, Overdue, Unit, stageAttributes } from '../search-attributes';
import {
  APPOINTEE_REPORT_WORKFLOW,
  GROUP_DUTY_WORKFLOW,
  REGULATION_REPORT_WORKFLOW,
  type AppointeeReportInput,
  type GroupDutyInput,
  type RegulationReportInput,
} from './definitions';

export type DutyStart =
  | { kind: 'regulation_report'; input: RegulationReportInput }
  | { kind: 'appointee_report'; input: AppointeeReportInput }
  | { kind: 'group_duty'; input: GroupDutyInput };

const TYPES = {
  regulation_report: { workflow: REGULATION_REPORT_WORKFLOW, stage: 'inForce' },
  appointee_report: { workflow: APPOINTEE_REPORT_WORKFLOW, stage: 'due' },
  group_duty: { workflow: GROUP_DUTY_WORKFLOW, stage: 'open' },
} as const;

/** Starts a duty's workflow unless it already runs or ran; returns whether this call started it. */
export async function startDutyCase(
  temporal: Pick<Client, 'workflow'>,
  taskQueue: string,
  s: DutyStart,
): Promise<boolean> {
  const t = TYPES[s.kind];
  const unit = s.kind === 'group_duty' ? s.input.groupId : s.input.unit;
  const facts =
    s.kind === 'regulation_report'
      ? { 规范性文件: s.input.regulationId, 施行日期: s.input.inForceOn }
      : s.kind === 'appointee_report'
        ? { 任命: s.input.appointmentId, 任职日期: s.input.termStart }
        : { 年度: s.input.year, 成员数: s.input.members.length };
  try {
    await temporal.workflow.start(t.workflow, {
      workflowId: s.input.caseId,
      taskQueue,
      args: [s.input],
      // Running or ended, the same id is refused: registering twice starts nothing new.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...caseMetadata({
        caseId: s.input.caseId,
        kind: s.kind,
        unit,
        jurisdiction: s.input.jurisdiction,
        policy: s.input.policy,
        facts,
      }),
      typedSearchAttributes: new TypedSearchAttributes([
        { key: CaseKind, value: s.kind },
        ...stageAttributes(t.stage),
        { key: Unit, value: unit },
        { key: Jurisdiction, value: s.input.jurisdiction },
        { key: Overdue, value: false },
        ...(s.kind === 'group_duty' ? [{ key: CycleYear, value: s.input.year }] : []),
      ]),
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
