// The notifications service: tells the people a case concerns what happened (email), and other
// systems too (signed webhooks), from the case events on Kafka. Each message goes out once per
// event, recipient and channel; failures are retried with backoff, then parked for operators.
// This file is the composition root and the process entry.
import type { Connection } from 'mongoose';
import { Counter } from 'prom-client';
import {
  CASE_EVENT_TOPICS,
  connectModels,
  createEventConsumer,
  createKafka,
  createMetrics,
  ensureTopicsWith,
  jwtAuth,
  runIfMain,
  readServiceHttp,
  type EventConsumer,
  type Logger,
} from '@duban/platform';
import { createEmailChannel } from './clients/channels';
import { createRegistryClient } from './clients/registry';
import { configSchema, type NotificationsConfig } from './config';
import { notificationModels, type NotificationModels } from './data/models';
import { notificationRoutes } from './http/routes';
import { createDispatcher, type Dispatcher } from './use-cases/dispatcher';
import { ingestEvent } from './use-cases/ingest';

export { notificationRoutes } from './http/routes';

export type NotificationsAppConfig = Omit<NotificationsConfig, 'LOG_LEVEL'>;

/** Every case topic. */
export const CASE_TOPICS = CASE_EVENT_TOPICS;

export function createNotificationsApp(cfg: NotificationsAppConfig, logger: Logger) {
  let conn: Connection | undefined;
  let consumer: EventConsumer | undefined;
  let dispatcher: Dispatcher | undefined;
  let emailClose: (() => void) | undefined;
  const metrics = createMetrics('notifications');
  const http = readServiceHttp({ name: 'notifications', cfg, logger, metrics });
  const recorded = new Counter({
    name: 'duban_notification_deliveries_recorded_total',
    help: 'Deliveries recorded from events (duplicate: a redelivered event found them recorded)',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  return {
    port: 0,
    models: undefined as NotificationModels | undefined,
    async start() {
      let models: NotificationModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, notificationModels, cfg, logger));
      this.models = models;
      const email = createEmailChannel({
        host: cfg.SMTP_HOST,
        port: cfg.SMTP_PORT,
        from: cfg.SMTP_FROM,
        user: cfg.SMTP_USER,
        password: cfg.SMTP_PASSWORD,
      });
      emailClose = email.close;
      const d = createDispatcher({
        models,
        logger,
        registry: createRegistryClient({
          baseUrl: cfg.REGISTRY_URL,
          ...jwtAuth(cfg),
        }),
        email,
        language: cfg.NOTIFY_LANGUAGE,
        staffEmail: cfg.NOTIFY_STAFF_EMAIL,
        retry: { maxAttempts: cfg.NOTIFY_MAX_ATTEMPTS, baseDelayMs: cfg.NOTIFY_RETRY_BASE_MS },
        webhookTimeoutMs: cfg.NOTIFY_WEBHOOK_TIMEOUT_MS,
      });
      dispatcher = d;
      d.start();

      const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, security: cfg, clientId: 'duban-notifications', logger });
      await ensureTopicsWith(kafka);
      consumer = createEventConsumer({
        kafka,
        groupId: cfg.KAFKA_GROUP_ID,
        topics: CASE_TOPICS,
        logger,
        handle: async (env) => {
          const { recorded: n, duplicates } = await ingestEvent(models, env);
          if (n) recorded.inc({ outcome: 'recorded' }, n);
          if (duplicates) recorded.inc({ outcome: 'duplicate' }, duplicates);
          if (n) d.kick();
        },
      });
      await consumer.start();
      http.consuming = true;

      this.port = await http.listen(notificationRoutes(models, d), conn);
      return this.port;
    },
    async stop() {
      await http.close();
      // The consumer finishes the event in hand (and commits it) before it leaves; then the
      // sends in flight finish and the retry loop stops.
      await consumer?.stop();
      await dispatcher?.stop();
      emailClose?.();
      await conn?.close();
    },
  };
}

runIfMain(module, 'notifications', configSchema, createNotificationsApp);
