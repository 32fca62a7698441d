// The console (督办台): serves the built web app and a small API for it. The API calls the
// other services with the signed-in person's token, kept in an httpOnly SameSite=Strict
// cookie; it reads no database of its own or of another service.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  HttpError,
  verifyToken,
  AuthError,
  caseIdSchema,
  createMetrics,
  type Logger,
  type Principal,
  APP_CSP,
  securityHeaders,
  type HttpSecuritySettings,
  type JwtAuth,
} from '@duban/platform';
import type { TokenSource } from '../use-cases/token-source';
import { callService } from '../clients/services';
import { ownerOf } from '../use-cases/kinds';
import { kindRoutes, kindTodoLists } from './kind-routes';
import { livelihoodTodo, mountLivelihoodApi } from './livelihood';
import { statsRoutes } from './stats-routes';
import { forward } from './route-helpers';

export interface ConsoleDeps {
  logger: Logger;
  tokens: TokenSource;
  auth: Omit<JwtAuth, 'kid'>;
  /** Production (HSTS): the process's config. */
  security?: HttpSecuritySettings;
  suggestionsUrl: string;
  caseIndexUrl: string;
  citizenUrl: string;
  registryUrl: string;
  /** The services owning the other case kinds (review opinions …, duties); their pages answer 503 without. */
  oversightUrl?: string;
  dutiesUrl?: string;
  livelihoodUrl?: string;
  /** The charts and the rebuild (scores), the deliveries (notifications); their pages answer 503 without. */
  scoresUrl?: string;
  notificationsUrl?: string;
  webDir?: string;
  cookieSecure: boolean;
}

export const COOKIE = 'duban_session';

/** The to-do lists (待办) of each role: a title and the case-index filter behind it. */
export const TODO: Record<Principal['role'], { key: string; title: string; query: Record<string, string> }[]> = {
  staff: [
    { key: 'review', title: '待审核交办的建议', query: { kind: 'suggestion', stage: 'submitted' } },
    { key: 'objected', title: '承办单位退回错交，待重新交办', query: { kind: 'suggestion', stage: 'objected' } },
    { key: 'overdue', title: '已超期的案件', query: { overdue: 'true' } },
  ],
  unit: [
    { key: 'reply', title: '待答复的建议', query: { kind: 'suggestion', stage: 'assigned' } },
    { key: 'overdue', title: '已超期，尽快答复', query: { kind: 'suggestion', stage: 'overdue' } },
    { key: 'secondReply', title: '代表不满意，待再次答复', query: { kind: 'suggestion', stage: 'secondReply' } },
  ],
  deputy: [
    { key: 'rating', title: '待测评的答复', query: { kind: 'suggestion', stage: 'awaitingRating' } },
    { key: 'returned', title: '退回修改的建议', query: { kind: 'suggestion', stage: 'returned' } },
  ],
  citizen: [],
  operator: [{ key: 'overdue', title: '已超期的案件', query: { overdue: 'true' } }],
};

const listQuery = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    stage: z
      .string()
      .regex(/^[A-Za-z_]+$/)
      .optional(),
    unit: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
    overdue: z.enum(['true', 'false']).optional(),
  })
  .strict();

/**
 * A case in unit parts (a review opinion's): the timeline keeps the events of the parts the
 * owning service showed the caller (a unit sees its own part only), and those of the whole case.
 */
function ownParts(caseId: string, events: { eventId?: string }[], live: { tracks?: { unit: string }[] } | undefined) {
  if (!live?.tracks) return events;
  const shown = new Set(live.tracks.map((t) => `${caseId}.${t.unit}/`));
  return events.filter((e) => {
    const id = e.eventId ?? '';
    if (!id.startsWith(`${caseId}.`)) return true;
    return [...shown].some((p) => id.startsWith(p));
  });
}

function sendError(res: Response, err: HttpError): void {
  res.status(err.status).json({
    error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
  });
}

export function createConsoleApp(deps: ConsoleDeps) {
  const { logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders(deps.security ?? {}, APP_CSP));
  const json = express.json({ limit: '256kb', strict: true });
  const urls = {
    caseIndexUrl: deps.caseIndexUrl,
    registryUrl: deps.registryUrl,
    citizenUrl: deps.citizenUrl,
    oversightUrl: deps.oversightUrl,
    dutiesUrl: deps.dutiesUrl,
  };

  function cookieOf(req: Request): string | undefined {
    const header = req.header('cookie') ?? '';
    for (const part of header.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === COOKIE) return decodeURIComponent(v.join('='));
    }
    return undefined;
  }

  async function session(req: Request): Promise<{ principal: Principal; token: string }> {
    const token = cookieOf(req);
    if (!token) throw new HttpError(401, 'unauthenticated', '请先登录 (not signed in)');
    try {
      return { principal: await verifyToken(token, deps.auth), token };
    } catch (err) {
      if (err instanceof AuthError) throw new HttpError(401, 'unauthenticated', `请重新登录 (${err.message})`);
      throw err;
    }
  }

  const call = callService;

  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, _next: NextFunction) =>
      fn(req, res).catch((err: unknown) => {
        if (err instanceof HttpError) return sendError(res, err);
        logger.error({ err }, 'console api error');
        sendError(res, new HttpError(502, 'upstream_unavailable', '服务暂时不可用 (a service did not answer)'));
      });

  const setCookie = (res: Response, token: string | undefined) => {
    const attrs = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(deps.cookieSecure ? ['Secure'] : [])];
    res.setHeader(
      'set-cookie',
      token
        ? `${COOKIE}=${encodeURIComponent(token)}; ${attrs.join('; ')}`
        : `${COOKIE}=; ${attrs.join('; ')}; Max-Age=0`,
    );
  };

  const metrics = createMetrics('console');
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.path.startsWith('/api/') ? req.path.split('/').slice(0, 3).join('/') : 'web';
      metrics.httpRequests.inc({ method: req.method, route, status: res.statusCode });
      metrics.httpDuration.observe({ method: req.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'console', tokenSource: deps.tokens.kind });
  });

  app.get('/api/people', (_req, res) => {
    const people = deps.tokens.listPeople();
    if (!people) return sendError(res, new HttpError(404, 'not_found', 'sign in through the identity provider'));
    res.json({ tokenSource: deps.tokens.kind, people });
  });

  app.post(
    '/api/session',
    json,
    handle(async (req, res) => {
      const signed = await deps.tokens.signIn((req.body ?? {}) as Record<string, unknown>);
      if (!signed) throw new HttpError(400, 'bad_request', 'personId: 没有这个人 (no such person)');
      setCookie(res, signed.token);
      res.json({ principal: signed.principal });
    }),
  );
  app.get(
    '/api/session',
    handle(async (req, res) => {
      res.json({ principal: (await session(req)).principal });
    }),
  );
  app.delete('/api/session', (_req, res) => {
    setCookie(res, undefined);
    res.status(204).end();
  });

  // 待办: the to-do lists of the caller's role, each with its cases (one call per page).
  app.get(
    '/api/todo',
    handle(async (req, res) => {
      const { principal, token } = await session(req);
      // The other kinds' lists, asked at the same time.
      const kindLists = kindTodoLists({ urls, call }, principal, token);
      kindLists.catch(() => undefined); // awaited below; never an unhandled rejection if the others fail first
      const livelihood = livelihoodTodo({ ...deps, call }, principal, token);
      livelihood.catch(() => undefined);
      const lists = await Promise.all(
        TODO[principal.role].map(async (t) => {
          const up = await call(
            token,
            deps.caseIndexUrl,
            `/v1/cases?${new URLSearchParams({ ...t.query, limit: '100' })}`,
          );
          if (up.status !== 200)
            throw new HttpError(up.status, 'upstream', up.body?.error?.message ?? 'case index refused');
          return { key: t.key, title: t.title, items: up.body.items ?? [] };
        }),
      );
      lists.push(...(await kindLists), ...(await livelihood));
      res.json({ principal, lists });
    }),
  );

  app.get(
    '/api/cases',
    handle(async (req, res) => {
      const { token } = await session(req);
      const q = listQuery.safeParse({ ...(req.query as object) });
      if (!q.success)
        throw new HttpError(
          400,
          'bad_request',
          q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      const params = new URLSearchParams({ ...(q.data as Record<string, string>), limit: '200' });
      const up = await call(token, deps.caseIndexUrl, `/v1/cases?${params}`);
      res.status(up.status).json(up.body);
    }),
  );

  // One case page in one call: the case as the read model tells it, its timeline, and — for a
  // suggestion — its live state and the actions open to the caller now.
  app.get(
    '/api/cases/:id',
    handle(async (req, res) => {
      const { token } = await session(req);
      const id = caseIdSchema.safeParse(req.params.id);
      if (!id.success)
        throw new HttpError(400, 'bad_request', `case id "${req.params.id}": ${id.error.issues[0].message}`);
      const caseId = id.data;
      const isSuggestion = caseId.startsWith('suggestion-');
      // Another kind: the service that owns it (kinds.ts) answers its live document and actions.
      const kind = isSuggestion ? undefined : ownerOf(caseId);
      const kindBase = kind ? urls[kind.service] : undefined;
      if (kind && !kindBase) throw new HttpError(503, 'upstream_unavailable', `服务未配置 (${kind.service})`);
      const [view, timeline, live, actions] = await Promise.all([
        call(token, deps.caseIndexUrl, `/v1/cases/${caseId}`),
        call(token, deps.caseIndexUrl, `/v1/cases/${caseId}/timeline`),
        isSuggestion
          ? call(token, deps.suggestionsUrl, `/v1/suggestions/${caseId}`)
          : kind && call(token, kindBase!, kind.read),
        isSuggestion
          ? call(token, deps.suggestionsUrl, `/v1/suggestions/${caseId}/actions`)
          : kind && call(token, kindBase!, kind.actions),
      ]);
      // The owning service decides who may read; the read model may lag behind it.
      const owner = live || view;
      if (owner.status === 404 || owner.status === 403)
        throw new HttpError(404, 'not_found', `案件 ${caseId} 不存在或无权查看 (case ${caseId} not found)`);
      if (owner.status !== 200) throw new HttpError(owner.status, 'upstream', owner.body?.error?.message ?? 'refused');
      res.json({
        caseId,
        view: view.status === 200 ? view.body : null,
        timeline: timeline.status === 200 ? ownParts(caseId, timeline.body.events, kind && live?.body) : [],
        suggestion: isSuggestion && live?.status === 200 ? live.body : null,
        live: kind && live?.status === 200 ? live.body : null,
        actions: actions && actions.status === 200 ? actions.body.actions : [],
      });
    }),
  );

  // Actions: the browser posts to a route an actions answer gave it; forwarded with the caller's
  // token and Idempotency-Key. Only suggestion routes are forwarded.
  app.post(
    /^\/api\/suggestions(\/[A-Za-z0-9_.:/-]*)?$/,
    json,
    handle(async (req, res) => {
      const { token } = await session(req);
      if (!req.is('application/json'))
        throw new HttpError(415, 'unsupported_media_type', 'the body must be JSON (Content-Type: application/json)');
      const rest = req.path.slice('/api/suggestions'.length);
      const key = req.header('idempotency-key');
      const up = await call(token, deps.suggestionsUrl, `/v1/suggestions${rest}`, {
        method: 'POST',
        body: req.body ?? {},
        ...(key ? { key } : {}),
      });
      res.status(up.status).json(up.body);
    }),
  );

  // 民情 (citizen opinions): a citizen sends one to a station, follows it and rates the answer;
  // the deputies of the station answer. The citizen service decides who may see and do what.
  const opinionId = z.string().regex(/^opinion-\d{4}-\d{4,}$/, 'must look like opinion-2026-000001');
  const opinionQuery = z
    .object({
      station: z
        .string()
        .regex(/^[a-z0-9-]+$/)
        .optional(),
    })
    .strict();

  app.get(
    '/api/stations',
    handle(async (req, res) => {
      const { token } = await session(req);
      const up = await call(token, deps.registryUrl, '/v1/stations');
      if (up.status !== 200) return forward(res, up);
      const items = (up.body.items as { id: string; name: string; jurisdiction: string; deputies?: string[] }[]).map(
        (st) => ({ id: st.id, name: st.name, jurisdiction: st.jurisdiction, deputies: st.deputies ?? [] }),
      );
      res.json({ items });
    }),
  );
  app.get(
    '/api/opinions',
    handle(async (req, res) => {
      const { token } = await session(req);
      const q = opinionQuery.safeParse({ ...(req.query as object) });
      if (!q.success) throw new HttpError(400, 'bad_request', `station: ${q.error.issues[0].message}`);
      const params = new URLSearchParams({ ...(q.data.station ? { station: q.data.station } : {}), limit: '200' });
      forward(res, await call(token, deps.citizenUrl, `/v1/citizen-opinions?${params}`));
    }),
  );
  app.get(
    '/api/opinions/:id',
    handle(async (req, res) => {
      const { token } = await session(req);
      const id = opinionId.safeParse(req.params.id);
      if (!id.success)
        throw new HttpError(400, 'bad_request', `opinion id "${req.params.id}": ${id.error.issues[0].message}`);
      const up = await call(token, deps.citizenUrl, `/v1/citizen-opinions/${id.data}`);
      if (up.status === 403 || up.status === 404)
        throw new HttpError(404, 'not_found', `民情 ${id.data} 不存在或无权查看 (opinion ${id.data} not found)`);
      forward(res, up);
    }),
  );
  app.post(
    /^\/api\/opinions(\/opinion-\d{4}-\d{4,}\/(answer|rating|letter|suggestion))?$/,
    json,
    handle(async (req, res) => {
      const { token } = await session(req);
      if (!req.is('application/json'))
        throw new HttpError(415, 'unsupported_media_type', 'the body must be JSON (Content-Type: application/json)');
      const rest = req.path.slice('/api/opinions'.length);
      const key = req.header('idempotency-key');
      const up = await call(token, deps.citizenUrl, `/v1/citizen-opinions${rest}`, {
        method: 'POST',
        body: req.body ?? {},
        ...(key ? { key } : {}),
      });
      forward(res, up);
    }),
  );

  kindRoutes(app, { urls, session, call, handle, json });
  // 民生实事 (livelihood cycles, the vote, projects): ./livelihood.ts.
  mountLivelihoodApi(app, { ...deps, session, call, handle, json });
  statsRoutes(app, {
    urls: { scoresUrl: deps.scoresUrl, notificationsUrl: deps.notificationsUrl, registryUrl: deps.registryUrl },
    session,
    call,
    handle,
    json,
  });

  app.use('/api', (req, res) =>
    sendError(res, new HttpError(404, 'not_found', `no route ${req.method} ${req.originalUrl}`)),
  );

  if (deps.webDir && existsSync(path.join(deps.webDir, 'index.html'))) {
    const webDir = deps.webDir;
    app.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '1y' }));
    app.use(express.static(webDir, { index: false }));
    // The app routes in the browser: every other GET is the app.
    app.get(/.*/, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(path.join(webDir, 'index.html'));
    });
  } else {
    app.get(/.*/, (_req, res) =>
      res
        .status(503)
        .type('text/plain')
        .send('the web app is not built: run `make install` (npm run -w @duban/console build)'),
    );
  }
  // Malformed JSON bodies and the like.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; message?: string; status?: number };
    if (e.type === 'entity.parse.failed')
      return sendError(res, new HttpError(400, 'malformed_json', `malformed JSON body: ${e.message}`));
    if (e.status && e.status < 500)
      return sendError(res, new HttpError(e.status, 'bad_request', e.message ?? 'bad request'));
    logger.error({ err }, 'unhandled error');
    sendError(res, new HttpError(500, 'internal', 'internal error'));
  });
  return app;
}

export function listen(
  app: express.Express,
  port: number,
  host: string,
): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
    server.on('error', reject);
  });
}
