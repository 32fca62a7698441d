// The scores process.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createScoresApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createScoresApp(cfg, createLogger('scores', cfg.LOG_LEVEL));
});
