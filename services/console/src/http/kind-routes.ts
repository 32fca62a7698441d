// The console API for the case kinds beyond suggestions and citizen opinions (see kinds.ts):
// actions forwarded to the service that owns their route, "my cases" by due date with the
// working days left, what a person may start, and the options forms offer (units, members).
import type { Express } from 'express';
import { z } from 'zod';
import { HttpError, type Principal } from '@duban/platform';
import type { CalendarYear } from '@duban/domain';
import { parseQuery, type RouteHelpers } from './route-helpers';
import type { Upstream } from '../clients/services';
import { actionService, calendarCache, KIND_TODO, PART_TODO, workingDaysLeft, type KindUrls } from '../use-cases/kinds';

export interface KindRouteHelpers extends RouteHelpers {
  urls: KindUrls & { caseIndexUrl: string; registryUrl: string };
}

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const myCasesQuery = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    overdue: z.enum(['true', 'false']).optional(),
    closed: z.enum(['true', 'false']).optional(),
    unit: id.optional(),
    q: z.string().trim().min(1).max(100).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();
const jurisdictionQuery = z.object({ jurisdiction: id.optional() }).strict();

const parse = parseQuery;

export function kindRoutes(app: Express, h: KindRouteHelpers): void {
  const { urls, session, call, handle } = h;
  const base = (service: keyof KindUrls) => {
    const url = urls[service];
    if (!url) throw new HttpError(503, 'upstream_unavailable', `服务未配置 (${service} is not configured)`);
    return url;
  };
  const ok = (up: Upstream, what: string) => {
    if (up.status !== 200) throw new HttpError(up.status, 'upstream', up.body?.error?.message ?? `${what} refused`);
    return up.body;
  };

  // The official calendars, read with the caller's token (the registry needs one) and reused a minute.
  const calendars = calendarCache(async (token) => {
    const up = await call(token, urls.registryUrl, '/v1/calendars');
    return ok(up, 'calendars').items as CalendarYear[];
  });

  /** The jurisdiction a person works in: the one asked for, else the registry's units' own. */
  async function jurisdictionOf(token: string, asked: string | undefined): Promise<string> {
    if (asked) return asked;
    const units = ok(await call(token, urls.registryUrl, '/v1/units'), 'units').items as { jurisdiction: string }[];
    const counts = new Map<string, number>();
    for (const u of units) counts.set(u.jurisdiction, (counts.get(u.jurisdiction) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    if (!top) throw new HttpError(422, 'unknown_jurisdiction', 'no jurisdiction has units in the registry');
    return top[0];
  }

  // Actions of these kinds: the browser posts to a route an actions answer gave it (/v1/...);
  // forwarded to the service that owns it with the caller's token and Idempotency-Key.
  app.post(
    /^\/api(\/v1\/[A-Za-z0-9_.:/-]+)$/,
    h.json,
    handle(async (req, res) => {
      const { token } = await session(req);
      if (!req.is('application/json'))
        throw new HttpError(415, 'unsupported_media_type', 'the body must be JSON (Content-Type: application/json)');
      const path = req.path.slice('/api'.length);
      const service = actionService(path);
      if (!service) throw new HttpError(404, 'not_found', `no action route ${path}`);
      const key = req.header('idempotency-key');
      const up = await call(token, base(service), path, {
        method: 'POST',
        body: req.body ?? {},
        ...(key ? { key } : {}),
      });
      res.status(up.status).json(up.body);
    }),
  );

  // 我的案件: the caller's cases of every kind, soonest due first, with the working days left.
  app.get(
    '/api/my-cases',
    handle(async (req, res) => {
      const { principal, token } = await session(req);
      const q = parse(myCasesQuery, { ...(req.query as object) });
      const params = new URLSearchParams({
        sort: 'due',
        limit: '50',
        ...(q as Record<string, string>),
        ...(principal.role === 'unit' ? { unit: principal.unit ?? '' } : {}),
        ...(principal.role === 'deputy' ? { deputy: principal.sub } : {}),
      });
      if (!q.closed && !q.overdue) params.set('closed', 'false');
      const [up, cal] = await Promise.all([call(token, urls.caseIndexUrl, `/v1/cases?${params}`), calendars(token)]);
      const page = ok(up, 'case index');
      const now = new Date();
      res.json({
        items: (page.items ?? []).map((c: { dueAt?: string; closed?: boolean }) => ({
          ...c,
          workingDaysLeft: c.closed ? null : workingDaysLeft(cal, c.dueAt, now),
        })),
        next: page.next ?? null,
        calendarYears: cal.knownYears(),
        calendarWarnings: cal.warnings.map((w) => {
          const year = /\b(\d{4})\b/.exec(w)?.[1];
          return year ? `${year} 年的法定节假日安排尚未发布，暂按周一至周五计算工作日` : w;
        }),
      });
    }),
  );

  // What the person may start here: review opinions, inquiries, investigations, the plan; regulations, appointees, groups.
  app.get(
    '/api/start',
    handle(async (req, res) => {
      const { token } = await session(req);
      const q = parse(jurisdictionQuery, { ...(req.query as object) });
      const jurisdiction = await jurisdictionOf(token, q.jurisdiction);
      const qs = `?jurisdiction=${encodeURIComponent(jurisdiction)}`;
      const answers = await Promise.all(
        (['oversightUrl', 'dutiesUrl'] as const).map(async (s) => {
          if (!urls[s]) return [];
          const up = await call(
            token,
            urls[s]!,
            `${s === 'oversightUrl' ? '/v1/oversight/actions' : '/v1/duties/actions'}${qs}`,
          );
          return up.status === 200 ? (up.body.actions ?? []) : [];
        }),
      );
      res.json({ jurisdiction, actions: answers.flat() });
    }),
  );

  // What forms offer to pick from: the jurisdiction's units and its standing committee's members.
  app.get(
    '/api/options',
    handle(async (req, res) => {
      const { token } = await session(req);
      const q = parse(jurisdictionQuery, { ...(req.query as object) });
      const jurisdiction = await jurisdictionOf(token, q.jurisdiction);
      const qs = `?jurisdiction=${encodeURIComponent(jurisdiction)}`;
      const [units, members] = await Promise.all([
        call(token, urls.registryUrl, `/v1/units${qs}`),
        call(token, urls.registryUrl, `/v1/committee-members${qs}`),
      ]);
      const pick = (up: Upstream) =>
        up.status === 200
          ? (up.body.items as { id: string; name?: string }[]).map((x) => ({ value: x.id, label: x.name ?? x.id }))
          : [];
      res.json({ jurisdiction, units: pick(units), members: pick(members) });
    }),
  );
}

/** The to-do lists (待办) of the other kinds for the caller: case-index lists and waiting unit parts. */
export async function kindTodoLists(
  h: Pick<KindRouteHelpers, 'urls' | 'call'>,
  principal: Principal,
  token: string,
): Promise<{ key: string; title: string; items: unknown[] }[]> {
  const { urls, call } = h;
  const fromIndex = (KIND_TODO[principal.role] ?? []).map(async (t) => {
    const up = await call(token, urls.caseIndexUrl, `/v1/cases?${new URLSearchParams({ ...t.query, limit: '100' })}`);
    if (up.status !== 200) throw new HttpError(up.status, 'upstream', up.body?.error?.message ?? 'case index refused');
    const items = (up.body.items ?? []) as Record<string, unknown>[];
    return { key: t.key, title: t.title, items: t.keep ? items.filter(t.keep) : items };
  });
  const partLists = PART_TODO[principal.role] ?? [];
  const fromParts = async () => {
    if (!partLists.length || !urls.oversightUrl) return [];
    const up = await call(token, urls.oversightUrl, '/v1/review-opinions/waiting');
    const waiting = (up.status === 200 ? up.body.items : []) as {
      caseId: string;
      kind: string;
      title: string;
      unit: string;
      stage: string;
      dueAt?: string;
      actions: { action: string; title: string }[];
    }[];
    return partLists.map((l) => ({
      key: l.key,
      title: l.title,
      items: waiting
        .filter((w) => w.actions.some((a) => l.actions.test(a.action)))
        .map((w) => ({
          caseId: w.caseId,
          kind: w.kind,
          stage: w.stage,
          title: w.title,
          units: [w.unit],
          leadUnit: w.unit,
          dueAt: w.dueAt,
          waitingFor: w.actions.filter((a) => l.actions.test(a.action)).map((a) => a.title),
        })),
    }));
  };
  const [index, parts] = await Promise.all([Promise.all(fromIndex), fromParts()]);
  return [...parts, ...index];
}
