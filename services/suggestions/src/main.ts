// The suggestions process.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createSuggestionsApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createSuggestionsApp(cfg, createLogger('suggestions', cfg.LOG_LEVEL));
});
