// The case index: a read model of every case, built only from the events on Kafka, readable
// over HTTP by the people each case concerns. This is its composition root and process entry.
import type { Connection } from 'mongoose';
import {
  TOPICS,
  connectModels,
  createEventConsumer,
  createKafka,
  createMetrics,
  ensureTopicsWith,
  runIfMain,
  readServiceHttp,
  type EventConsumer,
  type Logger,
} from '@duban/platform';
import { Counter } from 'prom-client';
import type { Admin, Producer } from 'kafkajs';
import { configSchema, type CaseIndexConfig } from './config';
import { caseIndexModels, type CaseIndexModels, type CaseViewDoc } from './data/models';
import { boardModels } from './data/board-store';
import { ViewCache } from './data/view-cache';
import { boardPublisher, createBoardConsumer } from './data/board-consumer';
import { ingestEvent, ingestEvents } from './use-cases/ingest';
import { caseIndexRoutes } from './http/routes';

export { caseIndexRoutes } from './http/routes';
export { AT_RISK_DAYS, atRiskAt } from './use-cases/read-cases';

export function createCaseIndexApp(cfg: CaseIndexConfig, logger: Logger) {
  let conn: Connection | undefined;
  let consumer: EventConsumer | undefined;
  let boardConsumer: ReturnType<typeof createBoardConsumer> | undefined;
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  const metrics = createMetrics('case-index');
  const http = readServiceHttp({ name: 'case-index', cfg, logger, metrics });
  const ingested = new Counter({
    name: 'duban_events_ingested_total',
    help: 'Events taken into the case index, by outcome',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  const boardDeltas = new Counter({
    name: 'duban_board_deltas_applied_total',
    help: 'Changes to the case index boards (its lists) applied',
    registers: [metrics.registry],
  });
  return {
    port: 0,
    models: undefined as CaseIndexModels | undefined,
    async start() {
      let models: CaseIndexModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, caseIndexModels, cfg, logger));
      this.models = models;
      const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, security: cfg, clientId: 'duban-case-index', logger });
      await ensureTopicsWith(kafka);
      const boards = boardModels(conn);
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const publishBoards = boardPublisher(producer);
      const cache = new ViewCache(cfg.CASE_INDEX_VIEW_CACHE ?? 50_000);
      const remember = (view: CaseViewDoc) => cache.set(view);
      boardConsumer = createBoardConsumer({
        kafka,
        groupId: `${cfg.KAFKA_GROUP_ID}-boards`,
        models: boards,
        logger,
        applied: (n) => boardDeltas.inc(n),
      });
      await boardConsumer.start();
      admin = kafka.admin();
      await admin.connect();
      consumer = createEventConsumer({
        kafka,
        groupId: cfg.KAFKA_GROUP_ID,
        // Every kind's events: suggestions, livelihood, oversight and duties, citizens.
        topics: [TOPICS.suggestionEvents, TOPICS.livelihoodEvents, TOPICS.oversightEvents, TOPICS.citizenEvents].map(
          (t) => t.name,
        ),
        logger,
        handle: async (env, at) => {
          ingested.inc({ outcome: await ingestEvent(models, env, at, publishBoards, remember) });
        },
        // A fetched batch: each case's events stored and folded once (at intake a case's
        // "submitted" and "assigned" come together).
        handleBatch: async (events) => {
          for (const outcome of await ingestEvents(models, events, publishBoards, remember)) ingested.inc({ outcome });
        },
      });
      await consumer.start();
      http.consuming = true;
      this.port = await http.listen(
        caseIndexRoutes(
          { models, boards: (cfg.CASE_INDEX_LISTS ?? 'boards') === 'boards' ? boards : undefined, cache },
          async () => {
            const [ends, [group]] = await Promise.all([
              admin!.fetchTopicOffsets(TOPICS.caseIndexBoards.name),
              admin!.fetchOffsets({ groupId: `${cfg.KAFKA_GROUP_ID}-boards`, topics: [TOPICS.caseIndexBoards.name] }),
            ]);
            const done = new Map(group.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
            return ends.reduce((n, e) => n + Math.max(0, Number(e.high) - (done.get(e.partition) ?? 0)), 0);
          },
        ),
        conn,
      );
      return this.port;
    },
    async stop() {
      await http.close();
      await consumer?.stop();
      await boardConsumer?.stop();
      await producer?.disconnect();
      await admin?.disconnect();
      await conn?.close();
    },
  };
}

runIfMain(module, 'case-index', configSchema, createCaseIndexApp);
