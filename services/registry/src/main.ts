// The registry process. With --seed-demo it loads the demo jurisdiction first.
import { z } from 'zod';
import { common, createLogger, loadConfig, runMain } from '@duban/platform';
import { createRegistryApp } from './app';
import { seedDemo } from './seed';

const configSchema = z.object({
  LOG_LEVEL: common.LOG_LEVEL,
  MONGO_URL: common.MONGO_URL,
  MONGO_DB: z.string().min(1).default('duban_registry'),
  AUTH_JWT_SECRET: common.AUTH_JWT_SECRET,
  AUTH_ISSUER: common.AUTH_ISSUER,
  HTTP_PORT: common.http.HTTP_PORT.default(4001),
  HTTP_HOST: common.http.HTTP_HOST,
});

runMain(() => {
  const cfg = loadConfig(configSchema);
  const logger = createLogger('registry', cfg.LOG_LEVEL);
  const app = createRegistryApp(cfg, logger);
  return {
    async start() {
      await app.start();
      if (process.argv.includes('--seed-demo')) logger.info(await seedDemo(app.models!), 'demo jurisdiction loaded');
    },
    stop: () => app.stop(),
  };
});
