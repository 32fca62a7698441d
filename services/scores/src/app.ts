// The scores service (DOMAIN.md §7): rankings and indexes of handling units, deputies and
// liaison stations, built only from the events on Kafka, per period (year, quarter, month,
// Beijing time).
//
// Design (simplest that stays exact under redelivery, reordering and rebuild):
//   1. each event is stored once, keyed by its event id (a duplicate key = already processed);
//   2. its case is re-folded from all the case's stored events into rows "what this case
//      contributes to this unit / deputy / station in this period", replacing the case's
//      previous rows (never incrementing anything);
//   3. the figures are sums of the period's rows, computed at read time with the jurisdiction's
//      policy (`scores` section, read from the registry and cached), so a policy change applies
//      to the next read and no shared counter is ever updated concurrently.
// A rebuild empties the collections and replays the topic from its beginning into a new
// consumer group; the same events give the same rows, so the same figures.
// The rebuild runs in the process that receives the POST: run the service as ONE consumer
// replica while rebuilding (another replica still in the old group would keep re-folding cases
// from a half-replayed store; its rows converge only at that case's next event).
import { z } from 'zod';
import type { Connection } from 'mongoose';
import type { Admin } from 'kafkajs';
import type { Request } from 'express';
import { Counter } from 'prom-client';
import {
  HttpError,
  TOPICS,
  connectModels,
  createEventConsumer,
  createKafka,
  createMetrics,
  ensureTopicsWith,
  mongoHealthy,
  route,
  startHttpService,
  type EventConsumer,
  type Logger,
  type RouteResult,
} from '@duban/platform';
import { scoresModels, type EntityKind, type ScoresModels } from './models';
import { ingestEvent } from './ingest';
import { currentYear, periodSchema } from './periods';
import { deputyFigures, emptyTotals, rank, stationFigures, sumRows, unitFigures, type EntityTotals } from './figures';
import { toCsv, type Cell } from './csv';
import {
  createRegistryReader,
  NATIONAL_SCORES,
  type NamedEntry,
  type RegistryReader,
  type ScoresRules,
} from './registry-client';

export interface ScoresAppConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  KAFKA_BROKERS: string[];
  KAFKA_GROUP_ID: string;
  REGISTRY_URL: string;
  AUTH_JWT_SECRET: string;
  AUTH_ISSUER: string;
  HTTP_PORT: number;
  HTTP_HOST: string;
  POLICY_CACHE_SECONDS: number;
}

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id like "edu-bureau"');
const listQuery = z
  .object({
    period: periodSchema.optional(),
    jurisdiction: id.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
const oneQuery = z.object({ period: periodSchema.optional(), jurisdiction: id.optional() }).strict();

function idParam(value: string | undefined, what: string): string {
  const parsed = id.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `${what} id "${value}" must be a lowercase id`);
  return parsed.data;
}

/**
 * Answers CSV text. The platform's route() answers with res.json(body); for this one response
 * res.json sends the text as it is, with a CSV content type.
 */
function csvResult(req: Request, filename: string, csv: string): RouteResult {
  const res = req.res!;
  res.json = ((body: unknown) => res.type('text/csv; charset=utf-8').send(String(body))) as typeof res.json;
  return { body: csv, headers: { 'content-disposition': `attachment; filename="${filename}"` } };
}

/** Reads the period's rows of one kind and sums them by (jurisdiction, entity). */
async function totalsOf(
  models: ScoresModels,
  kind: EntityKind,
  period: string,
  filter: { jurisdiction?: string; entity?: string },
): Promise<EntityTotals[]> {
  const rows = await models.ScoreRow.find({
    kind,
    period,
    ...(filter.jurisdiction ? { jurisdiction: filter.jurisdiction } : {}),
    ...(filter.entity ? { entity: filter.entity } : {}),
  }).lean();
  return sumRows(rows);
}

/** Adds the registered entities of the jurisdiction that have no rows, with zero counters. */
function withRegistered(kind: EntityKind, totals: EntityTotals[], registered: NamedEntry[], jurisdiction?: string) {
  if (!jurisdiction) return totals;
  const have = new Set(totals.map((t) => t.entity));
  const extra = registered.filter((r) => !have.has(r.id)).map((r) => emptyTotals(kind, r.id, jurisdiction));
  return [...totals, ...extra];
}

async function rulesFor(registry: RegistryReader, jurisdictions: string[]): Promise<Map<string, ScoresRules>> {
  const out = new Map<string, ScoresRules>();
  for (const j of new Set(jurisdictions)) out.set(j, j ? await registry.scoresRules(j) : NATIONAL_SCORES);
  return out;
}

const policySourcesOf = (rules: Map<string, ScoresRules>) =>
  Object.fromEntries([...rules].map(([j, r]) => [j, r.sources]));

/** The single (jurisdiction) total of one entity; zero if it has none in the period. */
function single(kind: EntityKind, entity: string, totals: EntityTotals[], jurisdiction?: string): EntityTotals {
  if (totals.length > 1)
    throw new HttpError(
      400,
      'ambiguous',
      `${kind} "${entity}" has figures in several jurisdictions (${totals.map((t) => t.jurisdiction).join(', ')}); name one with ?jurisdiction=`,
    );
  return totals[0] ?? emptyTotals(kind, entity, jurisdiction ?? '');
}

export function scoresRoutes(models: ScoresModels, registry: RegistryReader, rebuild: RebuildControl) {
  const nameMap = async (kind: 'units' | 'deputies' | 'stations', jurisdiction?: string) =>
    new Map((await registry.list(kind, jurisdiction)).map((e) => [e.id, e]));

  /** Totals of one kind of entity for a period, registered ones included, figured and ranked. */
  async function rankedList<F extends { jurisdiction: string }>(
    kind: 'unit' | 'deputy',
    period: string,
    jurisdiction: string | undefined,
    figure: (t: Awaited<ReturnType<typeof totalsOf>>[number], rules: ScoresRules['rules']) => F,
    scoreOf: (f: F) => number | null,
    idOf: (f: F) => string,
  ) {
    const names = await nameMap(kind === 'unit' ? 'units' : 'deputies', jurisdiction);
    const totals = withRegistered(
      kind,
      await totalsOf(models, kind, period, { jurisdiction }),
      [...names.values()],
      jurisdiction,
    );
    const rules = await rulesFor(
      registry,
      totals.map((t) => t.jurisdiction),
    );
    const items = rank(
      totals.map((t) => ({ ...figure(t, rules.get(t.jurisdiction)!.rules), name: names.get(t.entity)?.name })),
      scoreOf,
      (f) => `${idOf(f)}\u0000${f.jurisdiction}`,
    );
    return { items, policySources: policySourcesOf(rules) };
  }

  const unitList = (period: string, jurisdiction?: string) =>
    rankedList(
      'unit',
      period,
      jurisdiction,
      (t, rules) => unitFigures(t, rules.unitIndex),
      (f) => f.index,
      (f) => f.unit,
    );

  const deputyList = (period: string, jurisdiction?: string) =>
    rankedList(
      'deputy',
      period,
      jurisdiction,
      (t, rules) => deputyFigures(t, rules.deputyPoints),
      (f) => f.points,
      (f) => f.deputy,
    );

  async function stationList(period: string, jurisdiction?: string) {
    const registered = await registry.list('stations', jurisdiction);
    const names = new Map(registered.map((e) => [e.id, e]));
    // No station rows exist until the citizen-opinion events do; the registered stations are
    // listed with zero figures so the ranking and its stars are there from the start.
    const totals = await totalsOf(models, 'station', period, { jurisdiction });
    const have = new Set(totals.map((t) => `${t.jurisdiction}\u0000${t.entity}`));
    for (const s of registered)
      if (s.jurisdiction && !have.has(`${s.jurisdiction}\u0000${s.id}`))
        totals.push(emptyTotals('station', s.id, s.jurisdiction));
    const rules = await rulesFor(
      registry,
      totals.map((t) => t.jurisdiction),
    );
    const items = rank(
      totals.map((t) => ({ ...stationFigures(t, rules.get(t.jurisdiction)!.rules), name: names.get(t.entity)?.name })),
      (f) => f.vitality,
      (f) => `${f.station}\u0000${f.jurisdiction}`,
    );
    return { items, policySources: policySourcesOf(rules) };
  }

  return [
    route({
      method: 'get',
      path: '/v1/scores/units',
      summary:
        'Handling units ranked by the implementation-quality index (部门落实质效指数); ?format=csv for a spreadsheet',
      roles: ['staff', 'operator'],
      query: listQuery,
      handler: async ({ req, query }) => {
        const period = query.period ?? currentYear();
        const { items, policySources } = await unitList(period, query.jurisdiction);
        if (query.format === 'csv') {
          const header = [
            'rank',
            'unit',
            'name',
            'jurisdiction',
            'index',
            'onTimeRate',
            'averageScore',
            'satisfactionRate',
            'casesAssigned',
            'replies',
            'firstReplies',
            'onTimeFirstReplies',
            'scoredCases',
            'satisfied',
            'basicallySatisfied',
            'unsatisfied',
            'assumedRatings',
            'reReports',
            'ladderSteps',
            'maxLadderStep',
            'overdue',
            'veryOverdue',
          ];
          const rows: Cell[][] = items.map((f) => [
            f.rank,
            f.unit,
            f.name,
            f.jurisdiction,
            f.index,
            f.onTimeRate,
            f.averageScore,
            f.satisfactionRate,
            f.casesAssigned,
            f.replies,
            f.firstReplies,
            f.onTimeFirstReplies,
            f.scoredCases,
            f.ratings.satisfied,
            f.ratings.basicallySatisfied,
            f.ratings.unsatisfied,
            f.ratings.assumed,
            f.reReports,
            f.ladderSteps,
            f.maxLadderStep,
            f.overdue,
            f.veryOverdue,
          ]);
          return csvResult(req, `units-${period}.csv`, toCsv(header, rows));
        }
        return { body: { period, jurisdiction: query.jurisdiction, policySources, items } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/scores/units/:unit',
      summary: 'One handling unit’s figures in a period (a unit sees its own)',
      roles: ['staff', 'operator', 'unit'],
      query: oneQuery,
      handler: async ({ principal, params, query }) => {
        const unit = idParam(params.unit, 'unit');
        if (principal.role === 'unit' && principal.unit !== unit)
          throw new HttpError(403, 'forbidden', `a handler of ${principal.unit} may not read the figures of ${unit}`);
        const period = query.period ?? currentYear();
        const t = single(
          'unit',
          unit,
          await totalsOf(models, 'unit', period, { jurisdiction: query.jurisdiction, entity: unit }),
          query.jurisdiction,
        );
        const rules = t.jurisdiction ? await registry.scoresRules(t.jurisdiction) : NATIONAL_SCORES;
        const name = (await registry.list('units')).find((u) => u.id === unit)?.name;
        return {
          body: {
            period,
            ...unitFigures(t, rules.rules.unitIndex),
            name,
            cases: t.cases,
            policySources: rules.sources,
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/scores/deputies',
      summary: 'Deputies ranked by performance points (履职积分); ?format=csv for a spreadsheet',
      roles: ['staff', 'operator'],
      query: listQuery,
      handler: async ({ req, query }) => {
        const period = query.period ?? currentYear();
        const { items, policySources } = await deputyList(period, query.jurisdiction);
        if (query.format === 'csv') {
          const header = [
            'rank',
            'deputy',
            'name',
            'jurisdiction',
            'points',
            'suggestionsSubmitted',
            'ratingsGiven',
            'inspections',
            'votes',
            'stationDuty',
          ];
          const rows: Cell[][] = items.map((f) => [
            f.rank,
            f.deputy,
            f.name,
            f.jurisdiction,
            f.points,
            f.suggestionsSubmitted,
            f.ratingsGiven,
            f.inspections,
            f.votes,
            f.stationDuty,
          ]);
          return csvResult(req, `deputies-${period}.csv`, toCsv(header, rows));
        }
        return { body: { period, jurisdiction: query.jurisdiction, policySources, items } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/scores/deputies/:id',
      summary: 'A deputy’s performance points and record (履职档案) in a period: the deputy themself, staff, operators',
      roles: ['deputy', 'staff', 'operator'],
      query: oneQuery,
      handler: async ({ principal, params, query }) => {
        const deputy = idParam(params.id, 'deputy');
        if (principal.role === 'deputy' && principal.sub !== deputy)
          throw new HttpError(403, 'forbidden', 'a deputy may read only their own performance record');
        const period = query.period ?? currentYear();
        const t = single(
          'deputy',
          deputy,
          await totalsOf(models, 'deputy', period, { jurisdiction: query.jurisdiction, entity: deputy }),
          query.jurisdiction,
        );
        const rules = t.jurisdiction ? await registry.scoresRules(t.jurisdiction) : NATIONAL_SCORES;
        const name = (await registry.list('deputies')).find((d) => d.id === deputy)?.name;
        return {
          body: {
            period,
            ...deputyFigures(t, rules.rules.deputyPoints),
            name,
            record: t.records.map((r) => ({ type: r.type, caseId: r.caseId, eventId: r.eventId, at: r.at })),
            policySources: rules.sources,
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/scores/stations',
      summary: 'Liaison stations by vitality (联络站运行活力指数) and stars; zero until citizen-opinion events exist',
      roles: ['staff', 'operator'],
      query: listQuery,
      handler: async ({ req, query }) => {
        const period = query.period ?? currentYear();
        const { items, policySources } = await stationList(period, query.jurisdiction);
        if (query.format === 'csv') {
          const header = [
            'rank',
            'station',
            'name',
            'jurisdiction',
            'vitality',
            'stars',
            'opinionsReceived',
            'answeredInWindow',
            'ratings',
            'satisfiedRatings',
          ];
          const rows: Cell[][] = items.map((f) => [
            f.rank,
            f.station,
            f.name,
            f.jurisdiction,
            f.vitality,
            f.stars,
            f.opinionsReceived,
            f.answeredInWindow,
            f.ratings,
            f.satisfiedRatings,
          ]);
          return csvResult(req, `stations-${period}.csv`, toCsv(header, rows));
        }
        return { body: { period, jurisdiction: query.jurisdiction, policySources, items } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/admin/rebuild',
      summary: 'Empty the read model and replay the topic from its beginning into a new consumer group',
      roles: ['operator'],
      responses: { 202: 'Rebuild started; GET for its progress', 409: 'A rebuild is already running' },
      handler: async () => ({ status: 202, body: await rebuild.start() }),
    }),
    route({
      method: 'get',
      path: '/v1/admin/rebuild',
      summary: 'Progress of the latest rebuild',
      roles: ['operator'],
      handler: async () => {
        const state = await rebuild.status();
        if (!state) throw new HttpError(404, 'not_found', 'no rebuild has run since this process started');
        return { body: state };
      },
    }),
  ];
}

export interface RebuildState {
  groupId: string;
  status: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** Messages of the topic up to its end offsets at the start, and how many are processed. */
  total: number;
  processed: number;
  progress: number;
  partitions: { partition: number; low: number; high: number; reached: number }[];
}

export interface RebuildControl {
  start(): Promise<RebuildState>;
  status(): Promise<RebuildState | undefined>;
}

export function createScoresApp(cfg: ScoresAppConfig, logger: Logger) {
  let conn: Connection | undefined;
  let consumer: EventConsumer | undefined;
  let admin: Admin | undefined;
  let close: (() => Promise<void>) | undefined;
  let consuming = false;
  const topic = TOPICS.suggestionEvents.name;
  const metrics = createMetrics('scores');
  const ingested = new Counter({
    name: 'duban_events_ingested_total',
    help: 'Events taken into the scores read model, by outcome',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  /** Highest offset handled per partition by the current consumer (rebuild progress). */
  const handled = new Map<number, number>();
  let rebuildState: RebuildState | undefined;
  let models: ScoresModels;

  const app = {
    port: 0,
    models: undefined as ScoresModels | undefined,
    /** The consumer group in use: KAFKA_GROUP_ID, or the latest rebuild's. */
    groupId: cfg.KAFKA_GROUP_ID,
    async start() {
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, scoresModels));
      this.models = models;
      const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, clientId: 'duban-scores', logger });
      await ensureTopicsWith(kafka);
      admin = kafka.admin();
      await admin.connect();
      const consumerFor = (groupId: string) =>
        createEventConsumer({
          kafka,
          groupId,
          topics: [topic],
          logger,
          fromBeginning: true,
          handle: async (env, at) => {
            ingested.inc({ outcome: await ingestEvent(models, env, at) });
            handled.set(at.partition, Math.max(handled.get(at.partition) ?? -1, Number(at.offset)));
          },
        });
      consumer = consumerFor(cfg.KAFKA_GROUP_ID);
      await consumer.start();
      consuming = true;

      const rebuild: RebuildControl = {
        start: async () => {
          if (rebuildState?.status === 'running')
            throw new HttpError(409, 'conflict', `a rebuild into ${rebuildState.groupId} is running`);
          const groupId = `${cfg.KAFKA_GROUP_ID}-rebuild-${Date.now()}`;
          rebuildState = {
            groupId,
            status: 'running',
            startedAt: new Date().toISOString(),
            total: 0,
            processed: 0,
            progress: 0,
            partitions: [],
          };
          const state = rebuildState;
          try {
            consuming = false;
            await consumer?.stop();
            for (const m of Object.values(models)) await (m as ScoresModels['ScoreRow']).deleteMany({});
            const offsets = await admin!.fetchTopicOffsets(topic);
            state.partitions = offsets
              .map((o) => ({
                partition: o.partition,
                low: Number(o.low),
                high: Number(o.high),
                reached: Number(o.low),
              }))
              .sort((a, b) => a.partition - b.partition);
            state.total = state.partitions.reduce((s, p) => s + p.high - p.low, 0);
            handled.clear();
            consumer = consumerFor(groupId);
            await consumer.start();
            consuming = true;
            app.groupId = groupId;
            logger.info({ groupId, total: state.total }, 'rebuild started: replaying the topic from its beginning');
          } catch (err) {
            state.status = 'failed';
            state.error = (err as Error).message;
            state.finishedAt = new Date().toISOString();
            logger.error({ err }, 'rebuild failed to start');
            throw err;
          }
          return { ...state };
        },
        status: async () => {
          const state = rebuildState;
          if (!state) return undefined;
          if (state.status === 'running') {
            const committed = new Map<number, number>();
            const [fetched] = await admin!.fetchOffsets({ groupId: state.groupId, topics: [topic] });
            for (const p of fetched?.partitions ?? []) committed.set(p.partition, Number(p.offset));
            for (const p of state.partitions) {
              const c = committed.get(p.partition) ?? -1;
              const h = (handled.get(p.partition) ?? -2) + 1;
              p.reached = Math.min(p.high, Math.max(p.low, c, h));
            }
            state.processed = state.partitions.reduce((s, p) => s + p.reached - p.low, 0);
            state.progress = state.total ? Math.round((state.processed / state.total) * 1000) / 1000 : 1;
            if (state.partitions.every((p) => p.reached >= p.high)) {
              state.status = 'done';
              state.progress = 1;
              state.finishedAt = new Date().toISOString();
              logger.info({ groupId: state.groupId, processed: state.processed }, 'rebuild done');
            }
          }
          return { ...state, partitions: state.partitions.map((p) => ({ ...p })) };
        },
      };

      const registry = createRegistryReader({
        baseUrl: cfg.REGISTRY_URL,
        secret: cfg.AUTH_JWT_SECRET,
        issuer: cfg.AUTH_ISSUER,
        cacheSeconds: cfg.POLICY_CACHE_SECONDS,
        logger,
      });
      const listening = await startHttpService({
        name: 'scores',
        logger,
        metrics,
        auth: { secret: cfg.AUTH_JWT_SECRET, issuer: cfg.AUTH_ISSUER },
        routes: scoresRoutes(models, registry, rebuild),
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
      await admin?.disconnect();
      await conn?.close();
    },
  };
  return app;
}
