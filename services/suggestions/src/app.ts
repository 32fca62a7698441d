// The suggestions service: deputies submit and revise suggestions, staff review and assign
// them, units reply and report on their commitments, deputies rate the replies. It owns the
// suggestion documents; the case's process lives in its workflow, which every action reaches
// as an Update (validated there: role, ownership and stage).
import { createCaseService, jwtAuth, reconcileEvery, type Logger } from '@duban/platform';
import { createRegistryClient, serviceAuthorization } from '@duban/registry';
import { suggestionModels } from './data/models';
import type { SuggestionsConfig } from './config';
import { suggestionRoutes } from './http/routes';
import { reconcileIntakes } from './use-cases/intake';

export { suggestionRoutes };

/** How often the service looks for suggestions stored without a started workflow, and how old they must be. */
const RECONCILE_EVERY_MS = 10_000;
const RECONCILE_GRACE_MS = 30_000;

export function createSuggestionsApp(cfg: Omit<SuggestionsConfig, 'LOG_LEVEL'>, logger: Logger) {
  const registry = createRegistryClient(cfg.REGISTRY_URL);
  // The reconciler asks the registry for a policy in the service's own name (no caller's token).
  const authorization = serviceAuthorization({ sub: 'suggestions', ...jwtAuth(cfg) });
  return createCaseService({
    name: 'suggestions',
    cfg,
    logger,
    models: suggestionModels,
    routes: ({ models, temporal }) =>
      suggestionRoutes({ models, temporal, taskQueue: cfg.TEMPORAL_TASK_QUEUE, registry }),
    afterStart: async ({ models, temporal }) => {
      const policyOf = async (jurisdiction: string) => registry.effectivePolicy(jurisdiction, await authorization());
      return reconcileEvery(
        logger,
        'suggestions',
        () => reconcileIntakes({ models, temporal, taskQueue: cfg.TEMPORAL_TASK_QUEUE }, policyOf, RECONCILE_GRACE_MS),
        RECONCILE_EVERY_MS,
      );
    },
  });
}
