// The case-index process.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createCaseIndexApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createCaseIndexApp(cfg, createLogger('case-index', cfg.LOG_LEVEL));
});
