// The console: the web app and its API (督办台). This file is the composition root and the
// process entry.
import path from 'node:path';
import { createLogger, jwtAuth, loadConfig, runMain } from '@duban/platform';
import demo from '../../registry/data/demo.json';
import { configSchema } from './config';
import { createConsoleApp, listen } from './http/app';
import { demoPeople, devTokenSource } from './use-cases/token-source';

export { createConsoleApp, listen, COOKIE, type ConsoleDeps } from './http/app';
export { demoPeople, devTokenSource } from './use-cases/token-source';

export function startConsole() {
  const cfg = loadConfig(configSchema);
  const logger = createLogger('console', cfg.LOG_LEVEL);
  const auth = jwtAuth(cfg);
  const tokens = devTokenSource(demoPeople(demo), { ...auth, ttl: cfg.CONSOLE_SESSION_TTL });
  let close: (() => Promise<void>) | undefined;
  return {
    async start() {
      const app = createConsoleApp({
        logger,
        tokens,
        auth,
        security: cfg,
        suggestionsUrl: cfg.SUGGESTIONS_URL,
        caseIndexUrl: cfg.CASE_INDEX_URL,
        citizenUrl: cfg.CITIZEN_URL,
        registryUrl: cfg.REGISTRY_URL,
        oversightUrl: cfg.OVERSIGHT_URL,
        dutiesUrl: cfg.DUTIES_URL,
        livelihoodUrl: cfg.LIVELIHOOD_URL,
        scoresUrl: cfg.SCORES_URL,
        notificationsUrl: cfg.NOTIFICATIONS_URL,
        webDir: cfg.CONSOLE_WEB_DIR ?? path.resolve(__dirname, '../dist'),
        cookieSecure: cfg.CONSOLE_COOKIE_SECURE === 'true',
      });
      const listening = await listen(app, cfg.HTTP_PORT, cfg.HTTP_HOST);
      close = listening.close;
      logger.info(
        { port: listening.port, tokenSource: tokens.kind },
        `console listening on http://${cfg.HTTP_HOST}:${listening.port}`,
      );
      return listening.port;
    },
    async stop() {
      await close?.();
    },
  };
}

if (require.main === module) runMain(startConsole);
