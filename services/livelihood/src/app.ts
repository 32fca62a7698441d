// The livelihood service (民生实事项目票决制): proposals, screening, feasibility, the ballot list and
// the vote of each year's cycle, and every elected project's reports, inspections and ratings.
// It owns the ballots (stored secretly, one per deputy by a unique key, counted here) and keeps
// each jurisdiction's yearly Schedule; the process itself lives in the workflows, which every
// action reaches as an Update (validated there: role, ownership and stage).
import { createCaseService, jwtAuth, serviceAudience, signToken, type Logger } from '@duban/platform';
import { createRegistryClient } from '@duban/registry';
import { livelihoodModels } from './data/models';
import { ensureCycleSchedule } from './use-cases/schedule';
import type { LivelihoodConfig } from './config';
import { livelihoodRoutes } from './http/routes';

export { livelihoodRoutes };

export function createLivelihoodApp(cfg: LivelihoodConfig, logger: Logger) {
  const registry = createRegistryClient(cfg.REGISTRY_URL);
  return createCaseService({
    name: 'livelihood',
    cfg,
    logger,
    models: livelihoodModels,
    routes: ({ models, temporal }) =>
      livelihoodRoutes({
        models,
        temporal,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        registry,
        tallyGraceMs: cfg.LIVELIHOOD_TALLY_GRACE_MS,
      }),
    // Keep each jurisdiction's yearly Schedule (in the background: the registry may start later).
    afterStart: async ({ temporal }) => {
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      const pending = new Set(cfg.LIVELIHOOD_JURISDICTIONS);
      const ensure = async () => {
        const authorization = `Bearer ${await signToken(
          { role: 'operator', sub: 'livelihood-service' },
          { ...jwtAuth(cfg), aud: serviceAudience('registry'), ttl: '5m' },
        )}`;
        for (const jurisdiction of [...pending]) {
          try {
            const policy = await registry.effectivePolicy(jurisdiction, authorization);
            const outcome = await ensureCycleSchedule(temporal, { policy, taskQueue: cfg.TEMPORAL_TASK_QUEUE });
            pending.delete(jurisdiction);
            logger.info({ jurisdiction, outcome }, 'livelihood cycle schedule in place');
          } catch (err) {
            logger.warn(
              { jurisdiction, err: (err as Error).message },
              'livelihood cycle schedule not in place yet; retrying',
            );
          }
        }
        if (pending.size > 0 && !stopped) retry = setTimeout(() => void ensure(), 5000);
      };
      await ensure();
      return () => {
        stopped = true;
        if (retry) clearTimeout(retry);
      };
    },
  });
}
