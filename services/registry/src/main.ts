// The jurisdiction registry: policies (validated as they resolve), handling units, deputies,
// liaison stations, committee members and the official calendars. Other services read them over
// this HTTP API (with the client of `@duban/registry`). This file is the composition root and the
// process entry; with --seed-demo the process loads the demo jurisdiction once started.
import type { Connection } from 'mongoose';
import { Gauge } from 'prom-client';
import { missingCalendarYear } from '@duban/domain';
import {
  connectModels,
  startHttpService,
  createMetrics,
  mongoHealthy,
  runIfMain,
  type Logger,
  jwtAuth,
} from '@duban/platform';
import { configSchema, type RegistryConfig } from './config';
import { registryModels, type RegistryModels } from './data/models';
import { registryRoutes } from './http/routes';
import { missingCalendarWarning, publishedYears, seedCalendars } from './use-cases/calendars';
import { seedDemo } from './use-cases/seed';

export { registryRoutes } from './http/routes';
export type { RegistryConfig } from './config';

export function createRegistryApp(cfg: RegistryConfig, logger: Logger) {
  let conn: Connection | undefined;
  let close: (() => Promise<void>) | undefined;
  return {
    models: undefined as RegistryModels | undefined,
    port: 0,
    async start() {
      let models: RegistryModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, registryModels, cfg, logger));
      this.models = models;
      const seeded = await seedCalendars(models);
      if (seeded.length) logger.info({ years: seeded }, 'shipped calendars seeded');
      const metrics = createMetrics('registry');
      new Gauge({
        name: 'duban_calendar_missing',
        help: 'The year whose official working-day calendar is due (the next year from 1 November) and not published: 1 while missing',
        labelNames: ['year'] as const,
        registers: [metrics.registry],
        async collect() {
          this.reset();
          const missing = missingCalendarYear(await publishedYears(models), new Date());
          if (missing !== undefined) this.set({ year: String(missing) }, 1);
        },
      });
      const listening = await startHttpService({
        name: 'registry',
        logger,
        metrics,
        warnings: async () => {
          const w = missingCalendarWarning(await publishedYears(models));
          return w ? [w] : [];
        },
        auth: jwtAuth(cfg),
        security: cfg,
        routes: registryRoutes(models),
        health: { mongo: () => mongoHealthy(conn!) },
        port: cfg.HTTP_PORT,
        host: cfg.HTTP_HOST,
      });
      close = listening.close;
      this.port = listening.port;
      return listening.port;
    },
    async stop() {
      await close?.();
      await conn?.close();
    },
  };
}

runIfMain(module, 'registry', configSchema, (cfg, logger) => {
  const app = createRegistryApp(cfg, logger);
  return {
    async start() {
      await app.start();
      if (process.argv.includes('--seed-demo')) logger.info(await seedDemo(app.models!), 'demo jurisdiction loaded');
    },
    stop: () => app.stop(),
  };
});
