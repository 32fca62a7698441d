// The livelihood process.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createLivelihoodApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createLivelihoodApp(cfg, createLogger('livelihood', cfg.LOG_LEVEL));
});
