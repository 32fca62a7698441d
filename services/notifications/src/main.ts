// The notifications process.
import { createLogger, loadConfig, runMain } from '@duban/platform';
import { configSchema } from './config';
import { createNotificationsApp } from './app';

runMain(() => {
  const cfg = loadConfig(configSchema);
  return createNotificationsApp(cfg, createLogger('notifications', cfg.LOG_LEVEL));
});
