// The oversight process.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createOversightApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createOversightApp(cfg, createLogger('oversight', cfg.LOG_LEVEL));
});
