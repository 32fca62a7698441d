// The case index: a read model of every case, built only from the events on Kafka, readable
// over HTTP by the people each case concerns.
import { z } from 'zod';
import type { Connection } from 'mongoose';
import {
  HttpError,
  TOPICS,
  addContext,
  connectModels,
  createEventConsumer,
  startHttpService,
  createKafka,
  createMetrics,
  ensureTopicsWith,
  mongoHealthy,
  notFound,
  route,
  type EventConsumer,
  type Logger,
  type Principal,
} from '@duban/platform';
import { Counter } from 'prom-client';
import { RATINGS } from '@duban/domain';
import { caseIndexModels, type CaseIndexModels, type CaseViewDoc } from './models';
import { ingestEvent, ingestEvents } from './ingest';

export interface CaseIndexConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  KAFKA_BROKERS: string[];
  KAFKA_GROUP_ID: string;
  AUTH_JWT_SECRET: string;
  AUTH_ISSUER: string;
  HTTP_PORT: number;
  HTTP_HOST: string;
}

const caseId = z.string().regex(/^[a-z][a-z-]*-\d{4}-\d{4,}$/, 'must look like suggestion-2026-0001');
const listQuery = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    stage: z
      .string()
      .regex(/^[A-Za-z_]+$/, 'must be a stage, e.g. assigned or awaitingRating')
      .optional(),
    unit: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
    overdue: z.enum(['true', 'false']).optional(),
    satisfaction: z.enum(RATINGS).optional(),
    key: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

function canRead(p: Principal, v: CaseViewDoc): boolean {
  if (p.role === 'staff' || p.role === 'operator') return true;
  if (p.role === 'deputy') return v.deputyId === p.sub;
  if (p.role === 'unit') return v.leadUnit === p.unit || v.coHandlers.includes(p.unit!);
  return false;
}

function parseCaseId(raw: string | undefined): string {
  const parsed = caseId.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `case id "${raw}": ${parsed.error.issues[0].message}`);
  addContext({ caseId: parsed.data });
  return parsed.data;
}

const present = ({ _id, ...rest }: CaseViewDoc) => ({ caseId: _id, ...rest });

export function caseIndexRoutes(models: CaseIndexModels) {
  async function readable(principal: Principal, id: string): Promise<CaseViewDoc> {
    const v = await models.CaseView.findById(id).lean();
    if (!v || !canRead(principal, v)) throw notFound(`case ${id}`);
    return v;
  }
  return [
    route({
      method: 'get',
      path: '/v1/cases',
      summary: 'Search cases. Staff and operators see all; a unit sees its own; a deputy sees their own',
      roles: ['staff', 'operator', 'unit', 'deputy'],
      query: listQuery,
      handler: async ({ principal, query }) => {
        const filter: Record<string, unknown> = {};
        if (query.kind) filter.kind = query.kind;
        if (query.stage) filter.stage = query.stage;
        if (query.overdue) filter.overdue = query.overdue === 'true';
        if (query.satisfaction) filter.satisfaction = query.satisfaction;
        if (query.key) filter.key = query.key === 'true';
        if (query.unit) filter.leadUnit = query.unit;
        if (principal.role === 'unit') {
          if (query.unit && query.unit !== principal.unit)
            throw new HttpError(
              403,
              'forbidden',
              `a handler of ${principal.unit} may not list the cases of ${query.unit}`,
            );
          filter.leadUnit = principal.unit;
        }
        if (principal.role === 'deputy') filter.deputyId = principal.sub;
        const items = await models.CaseView.find(filter).sort({ lastEventAt: -1 }).limit(query.limit).lean();
        return { body: { items: items.map(present) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/:id',
      summary: 'One case as the events tell it',
      roles: ['staff', 'operator', 'unit', 'deputy'],
      handler: async ({ principal, params }) => ({ body: present(await readable(principal, parseCaseId(params.id))) }),
    }),
    route({
      method: 'get',
      path: '/v1/cases/:id/timeline',
      summary: 'Every event of a case, in order (who, what, when)',
      roles: ['staff', 'operator', 'unit', 'deputy'],
      handler: async ({ principal, params }) => {
        const id = parseCaseId(params.id);
        await readable(principal, id);
        const events = [...((await models.CaseEvents.findById(id).lean())?.events ?? [])];
        events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.offset - b.offset);
        return {
          body: {
            caseId: id,
            events: events.map((e) => ({
              eventId: e._id,
              type: e.type,
              occurredAt: e.occurredAt,
              producer: e.producer,
              actor: e.actor ?? 'system',
              body: e.body,
            })),
          },
        };
      },
    }),
  ];
}

export function createCaseIndexApp(cfg: CaseIndexConfig, logger: Logger) {
  let conn: Connection | undefined;
  let consumer: EventConsumer | undefined;
  let close: (() => Promise<void>) | undefined;
  const metrics = createMetrics('case-index');
  const ingested = new Counter({
    name: 'duban_events_ingested_total',
    help: 'Events taken into the case index, by outcome',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  let consuming = false;
  return {
    port: 0,
    models: undefined as CaseIndexModels | undefined,
    async start() {
      let models: CaseIndexModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, caseIndexModels));
      this.models = models;
      const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, clientId: 'duban-case-index', logger });
      await ensureTopicsWith(kafka);
      consumer = createEventConsumer({
        kafka,
        groupId: cfg.KAFKA_GROUP_ID,
        topics: [TOPICS.suggestionEvents.name],
        logger,
        handle: async (env, at) => {
          ingested.inc({ outcome: await ingestEvent(models, env, at) });
        },
        // A fetched batch: each case's events stored and folded once (at intake a case's
        // "submitted" and "assigned" come together).
        handleBatch: async (events) => {
          for (const outcome of await ingestEvents(models, events)) ingested.inc({ outcome });
        },
      });
      await consumer.start();
      consuming = true;
      const listening = await startHttpService({
        name: 'case-index',
        logger,
        metrics,
        auth: { secret: cfg.AUTH_JWT_SECRET, issuer: cfg.AUTH_ISSUER },
        routes: caseIndexRoutes(models),
        health: { mongo: () => mongoHealthy(conn!), consumer: async () => consuming },
        port: cfg.HTTP_PORT,
        host: cfg.HTTP_HOST,
      });
      close = listening.close;
      this.port = listening.port;
      return listening.port;
    },
    async stop() {
      await close?.();
      consuming = false;
      await consumer?.stop();
      await conn?.close();
    },
  };
}
