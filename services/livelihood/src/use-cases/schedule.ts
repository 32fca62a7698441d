// The Temporal Schedule that starts a jurisdiction's annual cycle on the policy's date: one run a
// year, overlapping years skipped, visible and pausable in the Temporal UI. Created or updated at
// service start (idempotent): a changed policy reaches the next year's run; a pause stays.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  MONTHS,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { DEFAULT_UTC_OFFSET_MINUTES, type EffectivePolicy } from '@duban/domain';
import { caseMetadata } from '@duban/platform';
import {
  CaseKind,
  Jurisdiction,
  LIVELIHOOD_CYCLE_WORKFLOW,
  cycleScheduleIdOf,
  type livelihoodCycleWorkflow,
} from '@duban/workflows';

/** The schedule's calendar in UTC: the policy's local hour (8–23) stays on the same UTC day. */
export function cycleScheduleSpec(policy: EffectivePolicy): ScheduleSpec {
  const { month, day, hour } = policy.policy.livelihood.cycleStart;
  return {
    calendars: [
      {
        month: MONTHS[month - 1],
        dayOfMonth: day,
        hour: hour - DEFAULT_UTC_OFFSET_MINUTES / 60,
        minute: 0,
        comment: `the livelihood cycle of ${policy.jurisdiction}: ${month}/${day} ${hour}:00 local time`,
      },
    ],
  };
}

export async function ensureCycleSchedule(
  client: Client,
  opts: { policy: EffectivePolicy; taskQueue: string },
): Promise<'created' | 'updated'> {
  const jurisdiction = opts.policy.jurisdiction;
  const scheduleId = cycleScheduleIdOf(jurisdiction);
  const spec = cycleScheduleSpec(opts.policy);
  const action: ScheduleOptionsStartWorkflowAction<typeof livelihoodCycleWorkflow> = {
    type: 'startWorkflow',
    workflowType: LIVELIHOOD_CYCLE_WORKFLOW,
    // Temporal appends the scheduled time; the cycle names itself livelihood-<jurisdiction>-<year>.
    workflowId: scheduleId,
    taskQueue: opts.taskQueue,
    args: [{ jurisdiction, policy: opts.policy }],
    // Each year's run names itself livelihood-<jurisdiction>-<year>: the link goes to the kind's list.
    ...caseMetadata({
      caseId: scheduleId,
      kind: 'livelihood_cycle',
      title: '年度民生实事项目票决（计划启动）',
      jurisdiction,
      policy: opts.policy,
      consolePath: '/cases?kind=livelihood_cycle',
    }),
    typedSearchAttributes: new TypedSearchAttributes([
      { key: CaseKind, value: 'livelihood_cycle' },
      { key: Jurisdiction, value: jurisdiction },
    ]),
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: `民生实事项目票决 annual cycle of ${jurisdiction}` },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  // Already there: bring its calendar and policy up to date; its paused state is kept.
  await client.schedule.getHandle(scheduleId).update((prev) => ({
    ...prev,
    spec,
    action,
    policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP },
  }));
  return 'updated';
}
