// The worker process: runs the case workflows and their activities; serves /healthz and
// /metrics. Stops cleanly on SIGINT / SIGTERM (in-flight activities finish first).
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import {
  createEventPublisher,
  createKafka,
  createLogger,
  createMetrics,
  ensureTopicsWith,
  exitOnConfigError,
  loadConfig,
  jwtAuth,
  temporalConnectionOptions,
} from '@duban/platform';
import { Counter, Gauge } from 'prom-client';
import { followPublishedCalendars, registryCalendarSource } from './calendar-source';
import { createCaseWorker, installTemporalLogging } from './worker-factory';
import { configSchema } from './config';

async function main(): Promise<void> {
  const cfg = loadConfig(configSchema);
  const logger = createLogger('worker', cfg.LOG_LEVEL);
  installTemporalLogging(logger);
  const metrics = createMetrics('worker');
  const published = new Counter({
    name: 'duban_events_published_total',
    help: 'Case events published to Kafka by activities',
    registers: [metrics.registry],
  });

  const calendars = await registryCalendarSource({
    baseUrl: cfg.REGISTRY_URL,
    ...jwtAuth(cfg),
    logger,
    ttlMs: cfg.CALENDAR_REFRESH_MS,
  });
  new Gauge({
    name: 'duban_calendar_missing',
    help: 'The year whose official working-day calendar is due (the next year from 1 November) and not known to the worker: 1 while missing',
    labelNames: ['year'] as const,
    registers: [metrics.registry],
    async collect() {
      await calendars.current();
      this.reset();
      const missing = calendars.missingYear();
      if (missing !== undefined) this.set({ year: String(missing) }, 1);
    },
  });

  const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, security: cfg, clientId: 'duban-worker', logger });
  await ensureTopicsWith(kafka);
  const publisher = await createEventPublisher(kafka);
  const connection = await NativeConnection.connect(temporalConnectionOptions(cfg));
  const clientConnection = await Connection.connect(temporalConnectionOptions(cfg));
  const client = new Client({ connection: clientConnection, namespace: cfg.TEMPORAL_NAMESPACE });
  const stopFollowing = followPublishedCalendars({ calendars, client, logger, everyMs: cfg.CALENDAR_REFRESH_MS });
  const worker = await createCaseWorker({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    publisher,
    client,
    calendars,
    onPublished: () => published.inc(),
  });

  const server = http.createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.setHeader('content-type', metrics.registry.contentType);
      res.end(await metrics.registry.metrics());
    } else if (req.url === '/healthz') {
      const ok = worker.getState() === 'RUNNING';
      await calendars.current();
      const missing = calendars.missingYear();
      const warnings = [
        ...(missing !== undefined
          ? [
              `no official holiday schedule for ${missing}: deadlines in ${missing} count Monday–Friday only until it is published`,
            ]
          : []),
        ...(calendars.origin() === 'shipped'
          ? ['calendars: the registry was unreachable at start; using the shipped files']
          : []),
      ];
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: ok ? 'ok' : 'degraded',
          service: 'worker',
          state: worker.getState(),
          ...(warnings.length ? { warnings } : {}),
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(cfg.WORKER_METRICS_PORT, cfg.HTTP_HOST);

  const stop = () => {
    logger.info('shutting down');
    worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE, metricsPort: cfg.WORKER_METRICS_PORT }, 'worker running');
  await worker.run();
  stopFollowing();
  server.close();
  await publisher.disconnect();
  await connection.close();
  await clientConnection.close();
  logger.info('stopped');
}

main().catch((err: unknown) => {
  exitOnConfigError(err);
});
