// The duties service: committee staff register local regulations, appointed department heads
// and deputies' professional groups; each registration starts its duty's workflow, which
// sleeps to its date on its own (docs/domain.md §5). Units file reports, staff review, committee
// members vote once each, groups record their duties; staff see who is still due and
// everything overdue for a unit, of every kind.
import { createCaseService, type Logger } from '@duban/platform';
import { createRegistryClient } from '@duban/registry';
import type { DutiesConfig } from './config';
import { dutiesModels } from './data/models';
import { dutiesRoutes } from './http/routes';

export { dutiesRoutes };

export function createDutiesApp(cfg: Omit<DutiesConfig, 'LOG_LEVEL'>, logger: Logger) {
  return createCaseService({
    name: 'duties',
    cfg,
    logger,
    models: dutiesModels,
    routes: ({ models, temporal }) =>
      dutiesRoutes({
        models,
        temporal,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        registry: createRegistryClient(cfg.REGISTRY_URL),
      }),
  });
}
