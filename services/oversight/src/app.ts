// The oversight service: committee staff record review opinions (审议意见) as items assigned to
// units; units give item-by-item feedback and their handling report; staff confirm closure
// (销号) and assess reports; members vote on them; failing units report again and climb the
// escalation ladder, whose top steps are inquiry (质询案) and investigation (特定问题调查),
// filed here too; the annual supervision plan (年度监督计划) collects topics and starts review
// opinions from its items. It owns the case documents; each process lives in its workflow,
// which every action reaches as an Update validated there (role, ownership, stage).
import { createCaseService, jwtAuth, reconcileEvery, type Logger } from '@duban/platform';
import { createRegistryClient, serviceAuthorization } from '@duban/registry';
import type { OversightConfig } from './config';
import { oversightModels } from './data/models';
import { type Deps } from './use-cases/opinions';
import { caseRoutes } from './http/cases';
import { actionRoutes } from './http/actions';
import { reviewOpinionRoutes } from './http/review-opinions';
import { reconcileCases } from './use-cases/intake';

export { reviewOpinionRoutes };

/** How often the service looks for cases stored without started workflows, and how old they must be. */
const RECONCILE_EVERY_MS = 10_000;
const RECONCILE_GRACE_MS = 30_000;

export function createOversightApp(cfg: OversightConfig, logger: Logger) {
  const registry = createRegistryClient(cfg.REGISTRY_URL);
  // The reconciler asks the registry for a policy in the service's own name (no caller's token).
  const authorization = serviceAuthorization({ sub: 'oversight', ...jwtAuth(cfg) });
  return createCaseService({
    name: 'oversight',
    cfg,
    logger,
    models: oversightModels,
    routes: ({ models, temporal }) => {
      const deps: Deps = {
        models,
        temporal,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        registry,
      };
      const routes = [...reviewOpinionRoutes(deps), ...caseRoutes(deps)];
      // First: /v1/review-opinions/waiting must not be taken for a case id.
      return [...actionRoutes(deps, routes, temporal), ...routes];
    },
    afterStart: async ({ models, temporal }) =>
      reconcileEvery(
        logger,
        'oversight cases',
        () =>
          reconcileCases(
            { models, temporal, taskQueue: cfg.TEMPORAL_TASK_QUEUE },
            async (j) => registry.effectivePolicy(j, await authorization()),
            RECONCILE_GRACE_MS,
          ),
        RECONCILE_EVERY_MS,
      ),
  });
}
