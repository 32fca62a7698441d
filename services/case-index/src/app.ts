// The case index: a read model of every case, built only from the events on Kafka, readable
// over HTTP by the people each case concerns.
import { z } from 'zod';
import type { Connection } from 'mongoose';
import {
  HttpError,
  TOPICS,
  addContext,
  caseIdSchema,
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
  jwtAuth,
  type AuthConfig,
  type SecurityConfig,
} from '@duban/platform';
import { Counter } from 'prom-client';
import type { Admin, Producer } from 'kafkajs';
import { RATINGS } from '@duban/domain';
import { caseIndexModels, type CaseIndexModels, type CaseViewDoc } from './models';
import { KIND_LABEL } from './view';
import { ingestEvent, ingestEvents } from './ingest';
import { boardModels, type BoardModels } from './board-store';
import { ViewCache } from './view-cache';
import { boardPublisher, createBoardConsumer } from './board-consumer';
import { AT_RISK_DAYS, countsFromBoards, decodeCursor, encodeCursor, isAtRisk, listFromBoards } from './lists';

export interface CaseIndexConfig extends AuthConfig, SecurityConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  KAFKA_BROKERS: string[];
  KAFKA_GROUP_ID: string;
  HTTP_PORT: number;
  HTTP_HOST: string;
  /** Where the lists are read: the boards (fast on any MongoDB API) or a query of the views (needs MongoDB's indexes). */
  CASE_INDEX_LISTS?: 'boards' | 'views';
  /** How many views the lists keep in memory (see view-cache.ts). */
  CASE_INDEX_VIEW_CACHE?: number;
}

const flag = z.enum(['true', 'false']).optional();
const filters = z
  .object({
    kind: z
      .enum(Object.keys(KIND_LABEL) as [string, ...string[]], {
        message: `must be one of ${Object.keys(KIND_LABEL).join(', ')}`,
      })
      .optional(),
    stage: z
      .string()
      .regex(/^[A-Za-z_]+$/, 'must be a stage, e.g. assigned or awaitingRating')
      .optional(),
    jurisdiction: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a jurisdiction id, e.g. cn-zj-demo-city')
      .optional(),
    unit: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a unit id, e.g. edu-bureau')
      .optional(),
    deputy: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a deputy id, e.g. deputy-001')
      .optional(),
    station: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a station id, e.g. station-riverside')
      .optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    overdue: flag,
    atRisk: flag,
    /** Overdue or at risk: the supervision board. */
    flagged: flag,
    closed: flag,
    satisfaction: z.enum(RATINGS).optional(),
    key: flag,
    q: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
const listQuery = filters
  .extend({
    sort: z.enum(['recent', 'due']).default('recent'),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
type Filters = z.infer<typeof filters>;

export { AT_RISK_DAYS } from './lists';

/**
 * At risk (临期): open, not overdue, and due between now and AT_RISK_DAYS ahead. One rule
 * (isAtRisk in lists.ts) for the lists' filter and the flag each view is shown with (a stored
 * flag would go stale as time passes).
 */
export function atRiskAt(now: Date) {
  const soon = new Date(now.getTime() + AT_RISK_DAYS * 86_400_000);
  return {
    filter: { closed: false, overdue: false, sortDue: { $gte: now, $lte: soon } },
    holds: (v: Pick<CaseViewDoc, 'closed' | 'overdue' | 'sortDue'>) =>
      isAtRisk({ closed: v.closed, overdue: v.overdue, due: v.sortDue.getTime() }, now.getTime()),
  };
}

function canRead(p: Principal, v: CaseViewDoc): boolean {
  if (p.role === 'staff' || p.role === 'operator') return true;
  if (p.role === 'deputy') return v.deputies.includes(p.sub);
  if (p.role === 'unit') return v.units.includes(p.unit!);
  if (p.role === 'citizen') return v.kind === 'citizen_opinion' && v.citizenId === p.sub;
  return false;
}

/** What the caller may see, as a filter: staff all, a unit its own, a deputy theirs, a citizen their opinions. */
function scope(p: Principal, q: Filters): Record<string, unknown> {
  if (p.role === 'unit') {
    if (q.unit && q.unit !== p.unit)
      throw new HttpError(403, 'forbidden', `a handler of ${p.unit} may not list the cases of ${q.unit}`);
    return { units: p.unit };
  }
  if (p.role === 'deputy') {
    if (q.deputy && q.deputy !== p.sub)
      throw new HttpError(403, 'forbidden', `a deputy lists their own cases, not those of ${q.deputy}`);
    return { deputies: p.sub };
  }
  if (p.role === 'citizen') return { kind: 'citizen_opinion', citizenId: p.sub };
  return {};
}

function filterOf(p: Principal, q: Filters, now: Date): Record<string, unknown>[] {
  const and: Record<string, unknown>[] = [scope(p, q)];
  const atRisk = atRiskAt(now).filter;
  if (q.kind) and.push({ kind: q.kind });
  if (q.stage) and.push({ stage: q.stage });
  if (q.jurisdiction) and.push({ jurisdiction: q.jurisdiction });
  if (q.unit) and.push({ units: q.unit });
  if (q.deputy) and.push({ deputies: q.deputy });
  if (q.station) and.push({ stationId: q.station });
  if (q.year) and.push({ year: q.year });
  if (q.overdue) and.push({ overdue: q.overdue === 'true' });
  if (q.closed) and.push({ closed: q.closed === 'true' });
  if (q.satisfaction) and.push({ satisfaction: q.satisfaction });
  if (q.key) and.push({ key: q.key === 'true' });
  if (q.atRisk === 'true') and.push(atRisk);
  if (q.atRisk === 'false') and.push({ $nor: [atRisk] });
  if (q.flagged === 'true') and.push({ $or: [{ overdue: true }, atRisk] });
  if (q.q) {
    const text = q.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    and.push({ $or: [{ _id: q.q }, { title: { $regex: text, $options: 'i' } }] });
  }
  return and.filter((f) => Object.keys(f).length > 0);
}

/** The next page starts after the last row's sort value and id (opaque to the caller). */
const SORTS = {
  recent: { field: 'lastEventAt', dir: -1 },
  due: { field: 'sortDue', dir: 1 },
} as const;

function cursorAfter(v: CaseViewDoc, sort: keyof typeof SORTS): string {
  return encodeCursor(sort, (v[SORTS[sort].field] as Date).getTime(), v._id);
}

function afterCursor(cursor: string, sort: keyof typeof SORTS): Record<string, unknown> {
  const { at, id } = decodeCursor(cursor, sort);
  const { field, dir } = SORTS[sort];
  const op = dir === 1 ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: new Date(at) } }, { [field]: new Date(at), _id: { [op]: id } }] };
}

function parseCaseId(raw: string | undefined): string {
  const parsed = caseIdSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `case id "${raw}": ${parsed.error.issues[0].message}`);
  addContext({ caseId: parsed.data });
  return parsed.data;
}

function present(v: CaseViewDoc, now = new Date()) {
  const { _id, caseOverdue: _c, sortDue: _s, boardChunks: _b, ...rest } = v;
  return { ...rest, caseId: _id, atRisk: atRiskAt(now).holds(v) };
}

export function caseIndexRoutes(
  models: CaseIndexModels,
  boards?: BoardModels,
  cache?: ViewCache,
  boardsBehind?: () => Promise<number>,
) {
  /** A listed case's view: from the cache when it is at least the board row's version, else the store. */
  async function viewAt(id: string, v: number): Promise<CaseViewDoc | null> {
    const cached = cache?.get(id);
    if (cached && cached.eventCount >= v) return cached;
    const stored = await models.CaseView.findById(id).lean<CaseViewDoc>();
    if (stored) cache?.set(stored);
    return stored as CaseViewDoc | null;
  }
  async function readable(principal: Principal, id: string): Promise<CaseViewDoc> {
    const v = await models.CaseView.findById(id).lean();
    if (!v || !canRead(principal, v)) throw notFound(`case ${id}`);
    return v;
  }
  const ROLES = ['staff', 'operator', 'unit', 'deputy', 'citizen'] as const;
  return [
    route({
      method: 'get',
      path: '/v1/cases',
      summary:
        'Cases of every kind, filtered, one page at a time (`next` is the cursor of the page after). Staff and operators see all; a unit the cases it answers for (lead or co-handler); a deputy their own; a citizen their opinions. sort=due puts the soonest due first (closed last)',
      roles: [...ROLES],
      query: listQuery,
      handler: async ({ principal, query }) => {
        const now = new Date();
        const and = filterOf(principal, query, now);
        if (boards) {
          const { page, next } = await listFromBoards(boards, principal, query, now.getTime());
          const views = await Promise.all(page.map(({ id, v }) => viewAt(id, v)));
          // A board follows the views by a moment: a case that no longer fits the filters is left out.
          const fits = views.filter((v): v is CaseViewDoc => !!v && canRead(principal, v));
          return { body: { items: fits.map((v) => present(v, now)), ...(next ? { next } : {}) } };
        }
        if (query.cursor) and.push(afterCursor(query.cursor, query.sort));
        const { field, dir } = SORTS[query.sort];
        const rows = await models.CaseView.find(and.length ? { $and: and } : {})
          .sort({ [field]: dir, _id: dir })
          .limit(query.limit + 1)
          .lean();
        const page = rows.slice(0, query.limit);
        const next = rows.length > query.limit ? cursorAfter(page[page.length - 1], query.sort) : undefined;
        return { body: { items: page.map((v) => present(v, now)), ...(next ? { next } : {}) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/counts',
      summary:
        'How many cases per kind and stage, and how many of them overdue, under the same filters and access as the list',
      roles: [...ROLES],
      query: filters,
      handler: async ({ principal, query }) => {
        const and = filterOf(principal, query, new Date());
        if (boards) {
          const items = await countsFromBoards(boards, principal, query, Date.now());
          return {
            body: {
              items,
              total: items.reduce((n, r) => n + r.count, 0),
              overdue: items.reduce((n, r) => n + r.overdue, 0),
            },
          };
        }
        const groups = (await models.CaseView.aggregate([
          { $match: and.length ? { $and: and } : {} },
          { $group: { _id: { kind: '$kind', stage: '$stage', overdue: '$overdue' }, count: { $sum: 1 } } },
        ])) as { _id: { kind: string; stage: string; overdue: boolean }; count: number }[];
        const byStage = new Map<string, { kind: string; stage: string; count: number; overdue: number }>();
        for (const g of groups) {
          const k = `${g._id.kind}/${g._id.stage}`;
          const row = byStage.get(k) ?? { kind: g._id.kind, stage: g._id.stage, count: 0, overdue: 0 };
          row.count += g.count;
          if (g._id.overdue) row.overdue += g.count;
          byStage.set(k, row);
        }
        const items = [...byStage.values()].sort(
          (a, b) => a.kind.localeCompare(b.kind) || a.stage.localeCompare(b.stage),
        );
        return {
          body: {
            items,
            total: items.reduce((n, r) => n + r.count, 0),
            overdue: items.reduce((n, r) => n + r.overdue, 0),
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/admin/boards',
      summary:
        'How far the lists (the boards) are behind the views: board changes sent and not yet applied (0: every change is in the lists)',
      roles: ['staff', 'operator'],
      handler: async () => ({ body: { behind: boardsBehind ? await boardsBehind() : 0 } }),
    }),
    route({
      method: 'get',
      path: '/v1/cases/:id',
      summary: 'One case as the events tell it',
      roles: [...ROLES],
      handler: async ({ principal, params }) => ({ body: present(await readable(principal, parseCaseId(params.id))) }),
    }),
    route({
      method: 'get',
      path: '/v1/cases/:id/timeline',
      summary: 'Every event of a case, in order (who, what, when)',
      roles: [...ROLES],
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
  let boardConsumer: ReturnType<typeof createBoardConsumer> | undefined;
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  let close: (() => Promise<void>) | undefined;
  const metrics = createMetrics('case-index');
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
  let consuming = false;
  return {
    port: 0,
    models: undefined as CaseIndexModels | undefined,
    async start() {
      let models: CaseIndexModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, caseIndexModels, cfg));
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
      consuming = true;
      const listening = await startHttpService({
        name: 'case-index',
        logger,
        metrics,
        auth: jwtAuth(cfg),
        security: cfg,
        routes: caseIndexRoutes(
          models,
          (cfg.CASE_INDEX_LISTS ?? 'boards') === 'boards' ? boards : undefined,
          cache,
          async () => {
            const [ends, [group]] = await Promise.all([
              admin!.fetchTopicOffsets(TOPICS.caseIndexBoards.name),
              admin!.fetchOffsets({ groupId: `${cfg.KAFKA_GROUP_ID}-boards`, topics: [TOPICS.caseIndexBoards.name] }),
            ]);
            const done = new Map(group.partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
            return ends.reduce((n, e) => n + Math.max(0, Number(e.high) - (done.get(e.partition) ?? 0)), 0);
          },
        ),
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
      await boardConsumer?.stop();
      await producer?.disconnect();
      await admin?.disconnect();
      await conn?.close();
    },
  };
}
