// The console API of the charts (统计分析) and the operator pages (运维): the scores service's
// rankings and overdue-by-month, the notifications service's parked and failed deliveries with
// resend, and the scores rebuild. Forwarded with the signed-in person's token; the console
// refuses a role a page is not for with 403 before it calls anything (the services check again).
import type { Express, Request } from 'express';
import { z } from 'zod';
import { HttpError, type Principal } from '@duban/platform';
import { forward, parseQuery, type RouteHelpers } from './route-helpers';

export interface StatsRouteHelpers extends RouteHelpers {
  urls: { scoresUrl?: string; notificationsUrl?: string; registryUrl: string };
}

type Role = Principal['role'];

/** Who may open each chart: the scores service answers the same roles. */
export const STATS_ROLES: Record<'units' | 'deputies' | 'stations' | 'overdue', Role[]> = {
  units: ['staff', 'operator', 'unit'],
  deputies: ['staff', 'operator', 'deputy'],
  stations: ['staff', 'operator'],
  overdue: ['staff', 'operator'],
};

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id like "cn-zj-demo-city"');
const listQuery = z
  .object({
    period: z
      .string()
      .regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, 'must be a year "2026", a quarter "2026-Q4" or a month "2026-11"')
      .optional(),
    jurisdiction: id.optional(),
  })
  .strict();
const overdueQuery = z
  .object({
    year: z
      .string()
      .regex(/^\d{4}$/, 'must be a year like "2026"')
      .optional(),
    jurisdiction: id.optional(),
  })
  .strict();
/** A delivery id as the notifications service makes it: `${eventId}|${recipient}|${channel}`. */
const deliveryId = z
  .string()
  .min(1)
  .max(600)
  .regex(/^[\x21-\x7e]+$/, 'must be a delivery id as listed');

const parse = parseQuery;

function allow(principal: Principal, roles: Role[], what: string): void {
  if (!roles.includes(principal.role))
    throw new HttpError(403, 'forbidden', `${what}: 无权查看 (not for role ${principal.role})`);
}

export function statsRoutes(app: Express, h: StatsRouteHelpers): void {
  const { urls, session, call, handle, json } = h;
  const base = (service: 'scoresUrl' | 'notificationsUrl') => {
    const url = urls[service];
    if (!url) throw new HttpError(503, 'upstream_unavailable', `服务未配置 (${service.replace('Url', '')})`);
    return url;
  };

  /**
   * The jurisdiction a chart shows when none is asked for: a handler's unit's, else the one most
   * of the registry's units are in (a ranking names the registered units with no figures only
   * within one jurisdiction).
   */
  async function jurisdictionOf(principal: Principal, token: string, asked?: string): Promise<string | undefined> {
    if (asked) return asked;
    const up = await call(token, urls.registryUrl, '/v1/units');
    if (up.status !== 200) return undefined;
    const units = (up.body.items ?? []) as { id: string; jurisdiction: string }[];
    const own = principal.role === 'unit' ? units.find((u) => u.id === principal.unit) : undefined;
    if (own) return own.jurisdiction;
    const counts = new Map<string, number>();
    for (const u of units) counts.set(u.jurisdiction, (counts.get(u.jurisdiction) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  }
  const withJurisdiction = async (principal: Principal, token: string, q: Record<string, string | undefined>) => {
    const jurisdiction = await jurisdictionOf(principal, token, q.jurisdiction);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...q, jurisdiction })) if (v) params.set(k, v);
    return params;
  };

  for (const list of ['units', 'deputies', 'stations'] as const)
    app.get(
      `/api/stats/${list}`,
      handle(async (req, res) => {
        const { principal, token } = await session(req);
        allow(principal, STATS_ROLES[list], list);
        const q = parse(listQuery, { ...(req.query as object) });
        const params = await withJurisdiction(principal, token, q);
        const up = await call(token, base('scoresUrl'), `/v1/scores/${list}?${params}`);
        forward(res, up);
      }),
    );
  app.get(
    '/api/stats/overdue-by-month',
    handle(async (req, res) => {
      const { principal, token } = await session(req);
      allow(principal, STATS_ROLES.overdue, 'overdue-by-month');
      const q = parse(overdueQuery, { ...(req.query as object) });
      const params = await withJurisdiction(principal, token, q);
      forward(res, await call(token, base('scoresUrl'), `/v1/scores/overdue-by-month?${params}`));
    }),
  );

  // 运维: operators only.
  const operator = async (req: Request) => {
    const s = await session(req);
    if (s.principal.role !== 'operator') throw new HttpError(403, 'forbidden', '仅运维人员可用 (operators only)');
    return s;
  };

  // Parked and failed deliveries (failed ones are still being retried), newest change first.
  app.get(
    '/api/ops/deliveries',
    handle(async (req, res) => {
      const { token } = await operator(req);
      parse(z.object({}).strict(), { ...(req.query as object) });
      const url = base('notificationsUrl');
      const lists = await Promise.all(
        ['parked', 'failed'].map((status) => call(token, url, `/v1/deliveries?status=${status}&limit=200`)),
      );
      const refused = lists.find((l) => l.status !== 200);
      if (refused) return forward(res, refused);
      const items = lists
        .flatMap((l) => l.body.items as { updatedAt?: string }[])
        .sort((a, b) => String(b.updatedAt ?? '').localeCompare(String(a.updatedAt ?? '')));
      res.json({ items });
    }),
  );
  // Resend: the service answers 409 when the delivery was sent meanwhile or is being sent, so a
  // second click sends nothing more.
  app.post(
    '/api/ops/deliveries/:id/resend',
    json,
    handle(async (req, res) => {
      const { token } = await operator(req);
      const idv = parse(deliveryId, req.params.id);
      forward(
        res,
        await call(token, base('notificationsUrl'), `/v1/deliveries/${encodeURIComponent(idv)}/resend`, {
          method: 'POST',
        }),
      );
    }),
  );

  // The rebuild of the scores read model (the case index has none): its progress, or start one.
  // A second start while one runs answers 409 with nothing started.
  app.get(
    '/api/ops/rebuild',
    handle(async (req, res) => {
      const { token } = await operator(req);
      const up = await call(token, base('scoresUrl'), '/v1/admin/rebuild');
      if (up.status === 404) return void res.json({ scores: null });
      if (up.status !== 200) return forward(res, up);
      res.json({ scores: up.body });
    }),
  );
  app.post(
    '/api/ops/rebuild',
    json,
    handle(async (req, res) => {
      const { token } = await operator(req);
      const up = await call(token, base('scoresUrl'), '/v1/admin/rebuild', { method: 'POST' });
      if (up.status !== 202) return forward(res, up);
      res.status(202).json({ scores: up.body });
    }),
  );
}
