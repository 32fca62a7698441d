// The suggestions service: deputies submit and revise suggestions, staff review and assign
// them, units reply and report on their commitments, deputies rate the replies. It owns the
// suggestion documents; the case's process lives in its workflow, which every action reaches
// as an Update (validated there: role, ownership and stage).
import { createCaseService, type Logger } from '@duban/platform';
import { createRegistryClient } from '@duban/registry';
import { suggestionModels } from './data/models';
import type { SuggestionsConfig } from './config';
import { suggestionRoutes } from './http/routes';

export { suggestionRoutes };

export function createSuggestionsApp(cfg: Omit<SuggestionsConfig, 'LOG_LEVEL'>, logger: Logger) {
  return createCaseService({
    name: 'suggestions',
    cfg,
    logger,
    models: suggestionModels,
    routes: ({ models, temporal }) =>
      suggestionRoutes({
        models,
        temporal,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        registry: createRegistryClient(cfg.REGISTRY_URL),
      }),
  });
}
