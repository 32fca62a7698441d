// The citizen service (民情快递): citizens send opinions at a liaison station or online; the
// deputies on duty there answer them, take them up as suggestions (through the suggestions
// service, linked both ways) or send liaison letters (代表联系函) to departments, which reply;
// the citizen and the deputy rate. It owns the opinion documents, the only place a citizen's
// contact details are kept; each case's process is its workflow, reached by Updates.
import { createCaseService, type Logger } from '@duban/platform';
import { createRegistryClient } from '@duban/registry';
import type { CitizenConfig } from './config';
import { createSuggestionsClient, type SuggestionsClient } from './clients/suggestions';
import { citizenModels } from './data/models';
import { citizenRoutes } from './http/routes';

export { citizenRoutes };

export function createCitizenApp(
  cfg: Omit<CitizenConfig, 'LOG_LEVEL'>,
  logger: Logger,
  overrides: { suggestions?: SuggestionsClient } = {},
) {
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
        registry: createRegistryClient(cfg.REGISTRY_URL),
        suggestions: overrides.suggestions ?? createSuggestionsClient(cfg.SUGGESTIONS_URL),
      }),
  });
}
