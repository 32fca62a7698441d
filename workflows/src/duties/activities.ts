// Activities of the duty workflows: a group's next year starts from the year before.
import type { ActivityDeps } from '../activities';
import { startDutyCase } from './start';
import type { GroupDutyInput } from './definitions';

export function createDutyActivities(deps: Pick<ActivityDeps, 'temporal' | 'taskQueue'>) {
  return {
    async startGroupDutyYear(input: GroupDutyInput): Promise<void> {
      if (!deps.temporal) throw new Error('startGroupDutyYear needs a Temporal client in the activity dependencies');
      await startDutyCase(deps.temporal, deps.taskQueue ?? 'duban-cases', { kind: 'group_duty', input });
    },
  };
}
