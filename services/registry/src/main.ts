// The registry process. With --seed-demo it loads the demo jurisdiction first.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createRegistryApp } from './app';
import { seedDemo } from './seed';

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
