// The registry's routes: each one's schema, the roles that may call it, and the use case it runs.
import { z } from 'zod';
import { LEVELS, PolicyError, calendarYearSchema, dutyEntrySchema } from '@duban/domain';
import { HttpError, notFound, route, type Role } from '@duban/platform';
import type { RegistryModels } from '../data/models';
import { currentCalendar, listCalendars, publishCalendar } from '../use-cases/calendars';
import { entryHistory, findEntry, listEntries, putEntry } from '../use-cases/entries';
import { effectivePolicy, putPolicy } from '../use-cases/policies';

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

export function registryRoutes(models: RegistryModels) {
  return [
    route({
      method: 'get',
      path: '/v1/calendars',
      summary: 'The current official working-day calendar of every published year',
      roles: ANYONE,
      handler: async () => ({ body: { items: await listCalendars(models) } }),
    }),
    route({
      method: 'get',
      path: '/v1/calendars/:year',
      summary: "A year's official working-day calendar (holidays and make-up working days), current version",
      roles: ANYONE,
      responses: { 200: 'The current version', 404: 'Not published yet' },
      handler: async ({ params }) => {
        const year = yearParam(params.year);
        const calendar = await currentCalendar(models, year);
        if (!calendar) throw notFound(`the ${year} calendar`);
        return { body: calendar };
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
        ['units', unitBody, 'handling unit (承办单位)'],
        ['deputies', deputyBody, 'deputy (人大代表)'],
        ['stations', stationBody, 'liaison station (代表联络站)'],
        ['committee-members', memberBody, 'standing-committee member (常委会组成人员)'],
      ] as const
    ).flatMap(([plural, body, label]) => [
      route({
        method: 'get',
        path: `/v1/${plural}`,
        summary: `List each ${label}, optionally of one jurisdiction`,
        roles: ANYONE,
        query: byJurisdiction,
        handler: async ({ query }) => ({ body: { items: await listEntries(models, plural, query.jurisdiction) } }),
      }),
      route({
        method: 'get',
        path: `/v1/${plural}/:id`,
        summary: `One ${label}`,
        roles: ANYONE,
        handler: async ({ params }) => {
          const key = idParam(params.id, label);
          const entry = await findEntry(models, plural, key);
          if (!entry) throw notFound(`${label} "${key}"`);
          return { body: entry };
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
          const stored = await putEntry(models, plural, key, doc, `${principal.role}:${principal.sub}`);
          return { body: stored };
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
          return { body: { id: key, items: await entryHistory(models, plural, key) } };
        },
      }),
    ]),
  ];
}
