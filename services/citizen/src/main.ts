// The citizen process: citizens' opinions through liaison stations and liaison letters.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createCitizenApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createCitizenApp(cfg, createLogger('citizen', cfg.LOG_LEVEL));
});
