// The jurisdiction registry: policies (validated as they resolve), handling units, deputies,
// liaison stations. Other services read them over this HTTP API.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Connection } from 'mongoose';
import { Gauge } from 'prom-client';
import { LEVELS, PolicyError, calendarYearSchema, dutyEntrySchema, missingCalendarYear } from '@duban/domain';
import {
  HttpError,
  connectModels,
  startHttpService,
  createMetrics,
  mongoHealthy,
  notFound,
  route,
  type Logger,
  type Role,
  jwtAuth,
  type AuthConfig,
  type SecurityConfig,
} from '@duban/platform';
import { registryModels, type RegistryModels } from './models';
import { effectivePolicy, putPolicy } from './policies';
import { calendarView, missingCalendarWarning, publishCalendar, publishedYears, seedCalendars } from './calendars';

export interface RegistryConfig extends AuthConfig, SecurityConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  HTTP_PORT: number;
  HTTP_HOST: string;
}

const ANYONE: Role[] = ['deputy', 'unit', 'staff', 'citizen', 'operator'];
const ADMINS: Role[] = ['staff', 'operator'];
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id like "edu-bureau"');

const policyBody = z
  .object({
    name: z.string().min(1).max(200),
    level: z.enum(LEVELS),
    parent: id.optional(),
    drill: z.boolean().optional().describe('A drill jurisdiction: only it may count windows in seconds'),
    settings: z.record(z.string(), z.unknown()),
  })
  .strict();
/** Where notifications go (the notifications service reads it; events carry ids only). */
const email = z.email({ message: 'must be an email address, e.g. edu-bureau@demo.gov.cn' }).max(254);
const unitBody = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(['government', 'court', 'procuratorate', 'other']),
    jurisdiction: id,
    email: email.optional(),
  })
  .strict();
const deputyBody = z
  .object({
    name: z.string().min(1).max(100),
    jurisdiction: id,
    groups: z.array(id).max(20).default([]),
    email: email.optional(),
  })
  .strict();
const stationBody = z
  .object({
    name: z.string().min(1).max(200),
    jurisdiction: id,
    deputies: z.array(id).max(500).default([]),
    /** Duty roster (值班表): deputy + date range and/or weekdays; without one, every deputy is on duty. */
    duty: z.array(dutyEntrySchema).max(2000).optional(),
  })
  .strict()
  .refine((st) => (st.duty ?? []).every((e) => st.deputies.includes(e.deputy)), {
    message: 'every deputy on the duty roster must be one of the station deputies',
    path: ['duty'],
  });
const memberBody = z
  .object({
    name: z.string().min(1).max(100),
    jurisdiction: id,
    position: z.enum(['chair', 'viceChair', 'secretaryGeneral', 'member']).default('member'),
    active: z.boolean().default(true),
  })
  .strict();
const byJurisdiction = z.object({ jurisdiction: id.optional() }).strict();

/** A calendar as published: the year may be left out (the path names it); unknown fields are refused. */
const calendarBody = calendarYearSchema.extend({ year: calendarYearSchema.shape.year.optional() }).strict();

function yearParam(value: string | undefined): number {
  if (!/^\d{4}$/.test(value ?? '') || Number(value) < 2000 || Number(value) > 2100)
    throw new HttpError(400, 'bad_request', `calendar year "${value}" must be a year from 2000 to 2100, e.g. 2027`);
  return Number(value);
}

function policyFailure(err: unknown): never {
  if (err instanceof PolicyError) throw new HttpError(422, 'invalid_policy', err.message, err.problems);
  throw err;
}

function idParam(value: string | undefined, what: string): string {
  const parsed = id.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `${what} id "${value}" must be a lowercase id`);
  return parsed.data;
}

/** The same entry, whatever the order of its fields. */
function sameEntry(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as object)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, canon(x)]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/**
 * An entry may only name what the registry has: its jurisdiction (one with a policy) and, for a
 * station, its deputies. Otherwise a 422 naming each field at fault, and nothing is stored.
 */
async function checkReferences(
  models: RegistryModels,
  doc: { jurisdiction: string; deputies?: string[] },
): Promise<void> {
  const problems: { path: string; message: string }[] = [];
  if (!(await models.Policy.exists({ _id: doc.jurisdiction })))
    problems.push({ path: 'jurisdiction', message: `jurisdiction "${doc.jurisdiction}" is not registered` });
  if (doc.deputies?.length) {
    const known = new Set(
      (await models.Deputy.find({ _id: { $in: doc.deputies } }, { _id: 1 }).lean()).map((d) => String(d._id)),
    );
    doc.deputies.forEach((d, i) => {
      if (!known.has(d)) problems.push({ path: `deputies.${i}`, message: `deputy "${d}" is not registered` });
    });
  }
  if (problems.length)
    throw new HttpError(
      422,
      'unknown_reference',
      `invalid body: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
}

export function registryRoutes(models: RegistryModels) {
  const { Unit, Deputy, Station, CommitteeMember, RegistryChange } = models;
  return [
    route({
      method: 'get',
      path: '/v1/calendars',
      summary: 'The current official working-day calendar of every published year',
      roles: ANYONE,
      handler: async () => {
        const docs = await models.Calendar.find({}).sort({ _id: 1 }).limit(200).lean();
        return { body: { items: docs.map(calendarView) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/calendars/:year',
      summary: "A year's official working-day calendar (holidays and make-up working days), current version",
      roles: ANYONE,
      responses: { 200: 'The current version', 404: 'Not published yet' },
      handler: async ({ params }) => {
        const year = yearParam(params.year);
        const doc = await models.Calendar.findById(String(year)).lean();
        if (!doc) throw notFound(`the ${year} calendar`);
        return { body: calendarView(doc) };
      },
    }),
    route({
      method: 'put',
      path: '/v1/calendars/:year',
      summary: "Publish a year's official calendar: a new version unless the content is unchanged",
      roles: ADMINS,
      body: calendarBody,
      responses: { 200: 'Published (changed: true) or unchanged (changed: false)', 422: 'Invalid; nothing stored' },
      handler: async ({ params, body, principal }) => {
        const year = yearParam(params.year);
        const result = await publishCalendar(
          models,
          year,
          { ...body, year: body.year ?? year },
          `${principal.role}:${principal.sub}`,
        );
        return { body: result };
      },
    }),
    route({
      method: 'get',
      path: '/v1/jurisdictions/:id/policy',
      summary: 'The effective policy of a jurisdiction (national defaults merged with its overrides)',
      roles: ANYONE,
      responses: { 200: 'The effective policy', 404: 'Unknown jurisdiction', 422: 'The stored chain is invalid' },
      handler: async ({ params }) => {
        const jid = idParam(params.id, 'jurisdiction');
        const eff = await effectivePolicy(models, jid).catch(policyFailure);
        if (!eff) throw notFound(`jurisdiction "${jid}"`);
        return { body: eff };
      },
    }),
    route({
      method: 'put',
      path: '/v1/jurisdictions/:id/policy',
      summary: 'Store a policy document; refused unless it resolves to a valid policy',
      roles: ADMINS,
      body: policyBody,
      responses: { 200: 'Stored (or unchanged)', 422: 'The policy would be invalid; nothing stored' },
      handler: async ({ params, body }) => {
        const jid = idParam(params.id, 'jurisdiction');
        const result = await putPolicy(models, { id: jid, ...body }).catch(policyFailure);
        return { body: result };
      },
    }),
    ...(
      [
        ['units', Unit, unitBody, 'handling unit (承办单位)'],
        ['deputies', Deputy, deputyBody, 'deputy (人大代表)'],
        ['stations', Station, stationBody, 'liaison station (代表联络站)'],
        ['committee-members', CommitteeMember, memberBody, 'standing-committee member (常委会组成人员)'],
      ] as const
    ).flatMap(([plural, model, body, label]) => [
      route({
        method: 'get',
        path: `/v1/${plural}`,
        summary: `List each ${label}, optionally of one jurisdiction`,
        roles: ANYONE,
        query: byJurisdiction,
        handler: async ({ query }) => {
          const filter = query.jurisdiction ? { jurisdiction: query.jurisdiction } : {};
          const docs = await (model as typeof Unit).find(filter).sort({ _id: 1 }).limit(1000).lean();
          return { body: { items: docs.map(({ _id, ...rest }) => ({ id: _id, ...rest })) } };
        },
      }),
      route({
        method: 'get',
        path: `/v1/${plural}/:id`,
        summary: `One ${label}`,
        roles: ANYONE,
        handler: async ({ params }) => {
          const key = idParam(params.id, label);
          const doc = await (model as typeof Unit).findById(key).lean();
          if (!doc) throw notFound(`${label} "${key}"`);
          const { _id, ...rest } = doc;
          return { body: { id: _id, ...rest } };
        },
      }),
      route({
        method: 'put',
        path: `/v1/${plural}/:id`,
        summary: `Create or replace a ${label}; the change is kept in its history`,
        roles: ADMINS,
        body,
        responses: {
          200: 'Stored (or unchanged)',
          422: 'A field names a jurisdiction (or a station a deputy) the registry does not have; nothing stored',
        },
        handler: async ({ params, body: doc, principal }) => {
          const key = idParam(params.id, label);
          await checkReferences(models, doc as { jurisdiction: string; deputies?: string[] });
          const m = model as typeof Unit;
          const before = await m.findById(key).lean();
          const { _id: _before, ...old } = before ?? { _id: key };
          const after = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
          if (before && sameEntry(old, after)) return { body: { id: key, ...after } };
          await m.replaceOne({ _id: key }, doc as never, { upsert: true });
          await RegistryChange.create({
            _id: randomUUID(),
            kind: plural,
            entityId: key,
            at: new Date(),
            by: `${principal.role}:${principal.sub}`,
            before: before ? old : null,
            after,
          });
          return { body: { id: key, ...after } };
        },
      }),
      route({
        method: 'get',
        path: `/v1/${plural}/:id/history`,
        summary: `Every change to a ${label} made over this API, oldest first: who, when, before and after`,
        roles: ADMINS,
        responses: { 200: 'The changes (none for an entry only ever seeded)' },
        handler: async ({ params }) => {
          const key = idParam(params.id, label);
          const docs = await RegistryChange.find({ kind: plural, entityId: key }).sort({ at: 1 }).limit(1000).lean();
          return {
            body: {
              id: key,
              items: docs.map((c) => ({ at: c.at.toISOString(), by: c.by, before: c.before, after: c.after })),
            },
          };
        },
      }),
    ]),
  ];
}

export function createRegistryApp(cfg: RegistryConfig, logger: Logger) {
  let conn: Connection | undefined;
  let close: (() => Promise<void>) | undefined;
  return {
    models: undefined as RegistryModels | undefined,
    port: 0,
    async start() {
      let models: RegistryModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, registryModels, cfg));
      this.models = models;
      const seeded = await seedCalendars(models);
      if (seeded.length) logger.info({ years: seeded }, 'shipped calendars seeded');
      const metrics = createMetrics('registry');
      new Gauge({
        name: 'duban_calendar_missing',
        help: 'The year whose official working-day calendar is due (the next year from 1 November) and not published: 1 while missing',
        labelNames: ['year'] as const,
        registers: [metrics.registry],
        async collect() {
          this.reset();
          const missing = missingCalendarYear(await publishedYears(models), new Date());
          if (missing !== undefined) this.set({ year: String(missing) }, 1);
        },
      });
      const listening = await startHttpService({
        name: 'registry',
        logger,
        metrics,
        warnings: async () => {
          const w = missingCalendarWarning(await publishedYears(models));
          return w ? [w] : [];
        },
        auth: jwtAuth(cfg),
        security: cfg,
        routes: registryRoutes(models),
        health: { mongo: () => mongoHealthy(conn!) },
        port: cfg.HTTP_PORT,
        host: cfg.HTTP_HOST,
      });
      close = listening.close;
      this.port = listening.port;
      return listening.port;
    },
    async stop() {
      await close?.();
      await conn?.close();
    },
  };
}
