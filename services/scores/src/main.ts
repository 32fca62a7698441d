// The scores service (docs/domain.md §7): rankings and indexes of handling units, deputies and
// liaison stations, built only from the events on Kafka (every events topic: suggestions,
// citizens' opinions and letters, oversight and duties, livelihood), per period (year, quarter,
// month, Beijing time).
//
// Design (simplest that stays exact under redelivery, reordering and rebuild):
//   1. each event is stored once, keyed by its event id (a duplicate key = already processed);
//   2. its case is re-folded from all the case's stored events, by the fold of its kind, into
//      rows "what this case contributes to this unit / deputy / station in this period",
//      replacing the case's previous rows (never incrementing anything);
//   3. the figures are sums of the period's rows, computed at read time with the jurisdiction's
//      policy (`scores` section, read from the registry and cached), so a policy change applies
//      to the next read and no shared counter is ever updated concurrently.
// A rebuild empties the collections and replays every topic from its beginning into a new
// consumer group; the same events give the same rows, so the same figures.
// The rebuild runs in the process that receives the POST: run the service as ONE consumer
// replica while rebuilding (another replica still in the old group would keep re-folding cases
// from a half-replayed store; its rows converge only at that case's next event).
// This file is the composition root and the process entry.
import type { Connection } from 'mongoose';
import type { Admin } from 'kafkajs';
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
import { scoresModels, type ScoresModels } from './data/models';
import { ingestEvent } from './use-cases/ingest';
import { createRegistryReader } from './clients/registry';
import { scoresRoutes } from './http/routes';
import { configSchema, type ScoresAppConfig } from './config';
import { createRebuildControl, partitionKey, type HandledOffsets } from './use-cases/rebuild-control';

export { scoresRoutes } from './http/routes';
export type { RebuildControl, RebuildState } from './use-cases/rebuild-control';

/** Every topic of case events: the scores count every kind. */
export const SCORED_TOPICS: string[] = CASE_EVENT_TOPICS;

export function createScoresApp(cfg: ScoresAppConfig, logger: Logger) {
  let conn: Connection | undefined;
  let consumer: EventConsumer | undefined;
  let admin: Admin | undefined;
  const metrics = createMetrics('scores');
  const http = readServiceHttp({ name: 'scores', cfg, logger, metrics });
  const ingested = new Counter({
    name: 'duban_events_ingested_total',
    help: 'Events taken into the scores read model, by outcome',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  /** Highest offset handled per topic partition by the current consumer (rebuild progress). */
  const handled: HandledOffsets = new Map();
  let models: ScoresModels;

  const app = {
    port: 0,
    models: undefined as ScoresModels | undefined,
    /** The consumer group in use: KAFKA_GROUP_ID, or the latest rebuild's. */
    groupId: cfg.KAFKA_GROUP_ID,
    async start() {
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, scoresModels, cfg, logger));
      this.models = models;
      const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, security: cfg, clientId: 'duban-scores', logger });
      await ensureTopicsWith(kafka);
      admin = kafka.admin();
      await admin.connect();
      const startConsumer = async (groupId: string) => {
        consumer = createEventConsumer({
          kafka,
          groupId,
          topics: SCORED_TOPICS,
          logger,
          fromBeginning: true,
          handle: async (env, at) => {
            ingested.inc({ outcome: await ingestEvent(models, env, at) });
            const key = partitionKey(at.topic, at.partition);
            handled.set(key, Math.max(handled.get(key) ?? -1, Number(at.offset)));
          },
        });
        await consumer.start();
        http.consuming = true;
        app.groupId = groupId;
      };
      await startConsumer(cfg.KAFKA_GROUP_ID);

      const rebuild = createRebuildControl({
        admin,
        topics: SCORED_TOPICS,
        models,
        groupPrefix: cfg.KAFKA_GROUP_ID,
        handled,
        logger,
        stopConsumer: async () => {
          http.consuming = false;
          await consumer?.stop();
        },
        startConsumer,
      });
      const registry = createRegistryReader({
        baseUrl: cfg.REGISTRY_URL,
        ...jwtAuth(cfg),
        cacheSeconds: cfg.POLICY_CACHE_SECONDS,
        logger,
      });
      this.port = await http.listen(scoresRoutes(models, registry, rebuild), conn);
      return this.port;
    },
    async stop() {
      await http.close();
      await consumer?.stop();
      await admin?.disconnect();
      await conn?.close();
    },
  };
  return app;
}

runIfMain(module, 'scores', configSchema, createScoresApp);
