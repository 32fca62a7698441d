// The scores service's HTTP routes (docs/domain.md §7): ranked lists of units, deputies and
// stations per period (JSON, or CSV for a spreadsheet), one unit's and one deputy's figures,
// and the rebuild. Bad input answers 400 naming the field; a unit or deputy reading another's
// figures 403.
import { z } from 'zod';
import type { Request } from 'express';
import { HttpError, route, type RouteResult } from '@duban/platform';
import type { ScoresModels } from '../data/models';
import { currentYear, periodSchema } from '../use-cases/periods';
import { deputyFigures, emptyTotals, rank, stationFigures, unitFigures } from '../use-cases/figures';
import { toCsv } from './csv';
import { policySourcesOf, rulesFor, single, totalsOf, withRegistered } from '../use-cases/read-figures';
import { DEPUTY_COLUMNS, STATION_COLUMNS, UNIT_COLUMNS, tableOf } from './columns';
import { NATIONAL_SCORES, type RegistryReader, type ScoresRules } from '../clients/registry';
import type { RebuildControl } from '../use-cases/rebuild-control';
import { overdueByMonth, yearRange } from '../use-cases/overdue';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id like "edu-bureau"');
const listQuery = z
  .object({
    period: periodSchema.optional(),
    jurisdiction: id.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
const oneQuery = z.object({ period: periodSchema.optional(), jurisdiction: id.optional() }).strict();
const overdueQuery = z
  .object({
    year: z
      .string()
      .regex(/^\d{4}$/, 'must be a year like "2026"')
      .optional(),
    jurisdiction: id.optional(),
  })
  .strict();

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
    // A station with no citizen opinion in the period has no rows; the registered stations are
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
        'Handling units ranked by the implementation-quality index (部门落实质效指数) over every case kind; units with no index yet (null: nothing to measure in the period) are listed last, all at the last place (rank = number of units listed); ?format=csv for a spreadsheet. Handlers read it too: the ranking is published to the units (通报)',
      roles: ['staff', 'operator', 'unit'],
      query: listQuery,
      handler: async ({ req, query }) => {
        const period = query.period ?? currentYear();
        const { items, policySources } = await unitList(period, query.jurisdiction);
        if (query.format === 'csv') {
          const { header, rows } = tableOf(UNIT_COLUMNS, items);
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
      summary:
        'Deputies ranked by performance points (履职积分); ?format=csv for a spreadsheet. Deputies read the ranking too (totals only; a record is its deputy’s alone)',
      roles: ['staff', 'operator', 'deputy'],
      query: listQuery,
      handler: async ({ req, query }) => {
        const period = query.period ?? currentYear();
        const { items, policySources } = await deputyList(period, query.jurisdiction);
        if (query.format === 'csv') {
          const { header, rows } = tableOf(DEPUTY_COLUMNS, items);
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
      summary:
        'Liaison stations by vitality (联络站运行活力指数) and stars, from the citizen opinions they received in the period; ?format=csv for a spreadsheet',
      roles: ['staff', 'operator'],
      query: listQuery,
      handler: async ({ req, query }) => {
        const period = query.period ?? currentYear();
        const { items, policySources } = await stationList(period, query.jurisdiction);
        if (query.format === 'csv') {
          const { header, rows } = tableOf(STATION_COLUMNS, items);
          return csvResult(req, `stations-${period}.csv`, toCsv(header, rows));
        }
        return { body: { period, jurisdiction: query.jurisdiction, policySources, items } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/scores/overdue-by-month',
      summary:
        'Cases that became overdue (逐月超期), per month of the year (Beijing time) and per case kind: each case counted once, in the month of its first overdue event (a type ending in Overdue or Missing)',
      roles: ['staff', 'operator'],
      query: overdueQuery,
      handler: async ({ query }) => {
        const year = query.year ?? currentYear();
        const { from, to } = yearRange(Number(year));
        const facts = await models.CaseFacts.find(
          {
            overdueAt: { $gte: from, $lt: to },
            ...(query.jurisdiction ? { jurisdiction: query.jurisdiction } : {}),
          },
          { kind: 1, overdueAt: 1 },
        ).lean();
        return { body: { ...overdueByMonth(Number(year), facts), jurisdiction: query.jurisdiction } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/admin/rebuild',
      summary: 'Empty the read model and replay every events topic from its beginning into a new consumer group',
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
