// The duties process: regulations, appointments and professional groups, and their duties.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createDutiesApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createDutiesApp(cfg, createLogger('duties', cfg.LOG_LEVEL));
});
