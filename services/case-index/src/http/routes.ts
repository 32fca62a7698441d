// The case index's routes: the query schemas, who may call each route, and the read it maps to.
import { z } from 'zod';
import { HttpError, addContext, caseIdSchema, route } from '@duban/platform';
import { RATINGS } from '@duban/domain';
import { KIND_LABEL } from '../use-cases/view';
import { caseTimeline, countCases, listCases, readCase, type CaseReader } from '../use-cases/read-cases';

const flag = z.enum(['true', 'false']).optional();
export const filters = z
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
export const listQuery = filters
  .extend({
    sort: z.enum(['recent', 'due']).default('recent'),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type Filters = z.infer<typeof filters>;
export type ListQuery = z.infer<typeof listQuery>;

function parseCaseId(raw: string | undefined): string {
  const parsed = caseIdSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `case id "${raw}": ${parsed.error.issues[0].message}`);
  addContext({ caseId: parsed.data });
  return parsed.data;
}

export function caseIndexRoutes(reader: CaseReader, boardsBehind?: () => Promise<number>) {
  const ROLES = ['staff', 'operator', 'unit', 'deputy', 'citizen'] as const;
  return [
    route({
      method: 'get',
      path: '/v1/cases',
      summary:
        'Cases of every kind, filtered, one page at a time (`next` is the cursor of the page after). Staff and operators see all; a unit the cases it answers for (lead or co-handler); a deputy their own; a citizen their opinions. sort=due puts the soonest due first (closed last)',
      roles: [...ROLES],
      query: listQuery,
      handler: async ({ principal, query }) => ({ body: await listCases(reader, principal, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/cases/counts',
      summary:
        'How many cases per kind and stage, and how many of them overdue, under the same filters and access as the list',
      roles: [...ROLES],
      query: filters,
      handler: async ({ principal, query }) => ({ body: await countCases(reader, principal, query) }),
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
      handler: async ({ principal, params }) => ({ body: await readCase(reader, principal, parseCaseId(params.id)) }),
    }),
    route({
      method: 'get',
      path: '/v1/cases/:id/timeline',
      summary: 'Every event of a case, in order (who, what, when)',
      roles: [...ROLES],
      handler: async ({ principal, params }) => ({
        body: await caseTimeline(reader, principal, parseCaseId(params.id)),
      }),
    }),
  ];
}
