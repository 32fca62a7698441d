// The citizen service (民情快递): citizens send opinions at a liaison station or online; the
// deputies on duty there answer them, take them up as suggestions (through the suggestions
// service, linked both ways) or send liaison letters (代表联系函) to departments, which reply;
// the citizen and the deputy rate. It owns the opinion documents, the only place a citizen's
// contact details are kept; each case's process is its workflow, reached by Updates.
import { createCaseService, jwtAuth, reconcileEvery, type Logger } from '@duban/platform';
import { createRegistryClient, serviceAuthorization } from '@duban/registry';
import type { CitizenConfig } from './config';
import { createSuggestionsClient, type SuggestionsClient } from './clients/suggestions';
import { citizenModels } from './data/models';
import { citizenRoutes } from './http/routes';
import { reconcileOpinions } from './use-cases/intake';

export { citizenRoutes };

/** How often the service looks for opinions stored without a started workflow, and how old they must be. */
const RECONCILE_EVERY_MS = 10_000;
const RECONCILE_GRACE_MS = 30_000;

export function createCitizenApp(
  cfg: Omit<CitizenConfig, 'LOG_LEVEL'>,
  logger: Logger,
  overrides: { suggestions?: SuggestionsClient } = {},
) {
  const registry = createRegistryClient(cfg.REGISTRY_URL);
  // The reconciler asks the registry in the service's own name (no caller's token).
  const authorization = serviceAuthorization({ sub: 'citizen', ...jwtAuth(cfg) });
  return createCaseService({
    name: 'citizen',
    cfg,
    logger,
    models: citizenModels,
    routes: ({ models, temporal }) =>
      citizenRoutes({
        models,
        temporal,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        registry,
        suggestions: overrides.suggestions ?? createSuggestionsClient(cfg.SUGGESTIONS_URL),
      }),
    afterStart: async ({ models, temporal }) =>
      reconcileEvery(
        logger,
        'citizen opinions',
        () =>
          reconcileOpinions(
            { models, temporal, taskQueue: cfg.TEMPORAL_TASK_QUEUE },
            {
              station: async (id) => registry.station(id, await authorization()),
              policyOf: async (j) => registry.effectivePolicy(j, await authorization()),
            },
            RECONCILE_GRACE_MS,
          ),
        RECONCILE_EVERY_MS,
      ),
  });
}
