// An Express service built from route specs: the same zod schemas validate requests and
// generate the OpenAPI document. Every request gets an id, a log context, auth and metrics.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { verifyToken, AuthError, type JwtAuth, type Principal, type Role } from '../auth';
import { withContext } from '../context';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { HttpError, requiredFieldError, validationError } from './errors';
import { fixedWindowLimiter, securityHeaders, writesPerMinute, type HttpSecuritySettings } from './security';

export interface RouteContext<B, Q> {
  req: Request;
  principal: Principal;
  body: B;
  query: Q;
  params: Record<string, string>;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. "/v1/suggestions/:id". */
  path: string;
  summary: string;
  /** Roles allowed to call it. */
  roles: readonly Role[];
  body?: B;
  query?: Q;
  /** Documented responses: status → description. */
  responses?: Record<number, string>;
  handler: (ctx: RouteContext<z.infer<B>, z.infer<Q>>) => Promise<RouteResult>;
}

/** Helps TypeScript infer B and Q per route. */
export function route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<B, Q>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

export interface HttpServiceOptions {
  name: string;
  version?: string;
  logger: Logger;
  metrics: Metrics;
  auth: Omit<JwtAuth, 'kid'>;
  /** The write limit and production (for HSTS): usually the process's config. */
  security?: HttpSecuritySettings;
  routes: RouteSpec[];
  /** Dependency checks for /healthz: name → resolves true when healthy. */
  health?: Record<string, () => Promise<boolean>>;
  /** Warnings for /healthz that need a person, not a restart (e.g. a missing calendar): listed, status unchanged. */
  warnings?: () => Promise<string[]>;
  /** Largest JSON body accepted. */
  bodyLimit?: string;
}

export interface HttpService {
  app: express.Express;
  openapi: Record<string, unknown>;
  listen(port: number, host?: string): Promise<{ port: number; close: () => Promise<void> }>;
}

/** The body of every error answer (see sendError). */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const writes = (r: RouteSpec) => r.method !== 'get';
/**
 * Responses the service layer gives on its own, documented on the routes it gives them for:
 * 400 (a body, query or path parameter at fault), 401 and 403 (the gate), 404 (a path naming
 * something that is not there), 409 (a write that conflicts with the current state: a repeat
 * with other contents, an action out of turn), 413 and 415 (the JSON body parser), 429 (the write
 * limit per person), 422 (a body
 * whose fields are well-formed but name something unknown, e.g. a jurisdiction not registered),
 * 503 (a case's workflow did not answer in time).
 */
const GENERATED_RESPONSES: [string, string, (r: RouteSpec) => boolean][] = [
  ['400', 'The request is malformed; the body names the problem', () => true],
  ['401', 'Missing, malformed or expired token', () => true],
  ['403', 'The role or subject may not do this', () => true],
  [
    '404',
    "Not found: the path names something that does not exist (or is not the caller's to see)",
    (r) => r.path.includes(':'),
  ],
  ['409', 'Conflicts with the current state (a repeat with other contents, an action out of turn)', writes],
  ['413', 'The body is larger than the service accepts', writes],
  ['429', 'Too many writes by this person (or address) this minute; Retry-After says how many seconds to wait', writes],
  [
    '422',
    'A field names something that does not exist or cannot be used here (the body names the field)',
    (r) => !!r.body,
  ],
  ['415', 'The body is not JSON (Content-Type: application/json)', (r) => !!r.body],
  [
    '503',
    'A case did not answer in time (its workflow has no worker now); nothing was changed, try again',
    (r) => r.path.includes(':'),
  ],
];

export function buildOpenApi(opts: HttpServiceOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of opts.routes) {
    const p = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryParams =
      r.query instanceof z.ZodObject
        ? Object.entries((z.toJSONSchema(r.query, { io: 'input' }) as { properties?: object }).properties ?? {}).map(
            ([name, schema]) => ({ name, in: 'query', required: false, schema }),
          )
        : [];
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(r.responses ?? { 200: 'OK' }))
      responses[status] = Number(status) >= 400 ? errorResponse(description) : { description };
    // What every route can answer besides its own responses, from what the service layer does.
    for (const [status, description, applies] of GENERATED_RESPONSES)
      if (applies(r)) responses[status] ??= errorResponse(description);
    paths[p] ??= {};
    paths[p][r.method] = {
      summary: r.summary,
      'x-roles': r.roles,
      security: [{ bearer: [] }],
      parameters: [...params, ...queryParams],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input' }) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `duban ${opts.name}`, version: opts.version ?? '0.1.0' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

function sendError(res: Response, err: HttpError): void {
  res.status(err.status).json({
    error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
  });
}

export function createHttpService(opts: HttpServiceOptions): HttpService {
  const { logger, metrics } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const openapi = buildOpenApi(opts);
  app.use(securityHeaders(opts.security ?? {}));
  const writeLimit = fixedWindowLimiter(writesPerMinute(opts.security ?? {}));

  // Request id and log context for everything below.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const headerId = req.header('x-request-id');
    const requestId = headerId && /^[\w.-]{1,100}$/.test(headerId) ? headerId : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ method: req.method, route: routePath, status: res.statusCode });
      metrics.httpDuration.observe({ method: req.method, route: routePath }, seconds);
      withContext({ requestId }, () =>
        logger.info(
          { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(seconds * 1000) },
          'request',
        ),
      );
    });
    withContext({ requestId }, () => next());
  });

  app.get('/healthz', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ok = true;
    for (const [name, check] of Object.entries(opts.health ?? {})) {
      const up = await check().catch(() => false);
      checks[name] = up ? 'up' : 'down';
      ok &&= up;
    }
    const warnings = opts.warnings
      ? await opts.warnings().catch((err: Error) => [`warnings unavailable: ${err.message}`])
      : [];
    res
      .status(ok ? 200 : 503)
      .json({ status: ok ? 'ok' : 'degraded', service: opts.name, checks, ...(warnings.length ? { warnings } : {}) });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  /** Throws 429 (with Retry-After) when `key` has used up this minute's writes. */
  const limitWrites = (res: Response, key: string) => {
    const wait = writeLimit.take(key);
    if (!wait) return;
    res.setHeader('retry-after', String(wait));
    throw new HttpError(429, 'too_many_requests', `too many writes this minute; try again in ${wait} s`);
  };

  const json = express.json({ limit: opts.bodyLimit ?? '64kb', strict: true });

  for (const spec of opts.routes) {
    // Who is calling comes first: the token and the role are checked before the body is read,
    // so an unauthenticated or unauthorised caller learns nothing from how its body is judged
    // (a 2 MB body without a token is a 401, not a 413) and costs no parsing.
    const gate = async (req: Request, res: Response, next: NextFunction) => {
      try {
        const principal = await authenticate(req, opts.auth).catch((err: unknown) => {
          if (writes(spec)) limitWrites(res, `ip:${req.ip}`);
          throw err;
        });
        if (writes(spec)) limitWrites(res, `sub:${principal.sub}`);
        if (!spec.roles.includes(principal.role))
          throw new HttpError(
            403,
            'forbidden',
            `role "${principal.role}" may not ${spec.method.toUpperCase()} ${spec.path}; allowed: ${spec.roles.join(', ')}`,
          );
        res.locals.principal = principal;
        next();
      } catch (err) {
        if (err instanceof HttpError) return sendError(res, err);
        next(err);
      }
    };
    app[spec.method](spec.path, gate, json, async (req: Request, res: Response) => {
      try {
        const principal = res.locals.principal as Principal;
        let body: unknown = undefined;
        if (spec.body) {
          if (!req.is('application/json'))
            throw new HttpError(
              415,
              'unsupported_media_type',
              'the body must be JSON (Content-Type: application/json)',
            );
          const parsed = spec.body.safeParse(req.body, { error: requiredFieldError });
          if (!parsed.success) throw validationError('body', parsed.error);
          body = parsed.data;
        }
        let query: unknown = undefined;
        if (spec.query) {
          const parsed = spec.query.safeParse({ ...(req.query as object) }, { error: requiredFieldError });
          if (!parsed.success) throw validationError('query', parsed.error);
          query = parsed.data;
        }
        const result = await spec.handler({
          req,
          principal,
          body,
          query,
          params: req.params as Record<string, string>,
        });
        for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
        res.status(result.status ?? 200).json(result.body);
      } catch (err) {
        if (err instanceof HttpError) return sendError(res, err);
        logger.error({ err }, 'unhandled error in route');
        sendError(res, new HttpError(500, 'internal', 'internal error; see the service log with this request id'));
      }
    });
  }

  app.use((req: Request, res: Response) =>
    sendError(res, new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`)),
  );
  // Body parser failures (malformed JSON, oversize bodies) arrive here.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    if (e.type === 'entity.parse.failed')
      return sendError(res, new HttpError(400, 'malformed_json', `malformed JSON body: ${e.message}`));
    if (e.type === 'entity.too.large')
      return sendError(res, new HttpError(413, 'body_too_large', `body exceeds the limit of ${e.limit} bytes`));
    if (e.status && e.status >= 400 && e.status < 500)
      return sendError(res, new HttpError(e.status, 'bad_request', e.message ?? 'bad request'));
    logger.error({ err }, 'unhandled error');
    sendError(res, new HttpError(500, 'internal', 'internal error; see the service log with this request id'));
  });

  return {
    app,
    openapi,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const server: Server = app.listen(port, host, (err?: Error) => {
          if (err) return reject(err);
          const addr = server.address();
          const actual = typeof addr === 'object' && addr ? addr.port : port;
          resolve({
            port: actual,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                server.closeIdleConnections();
              }),
          });
        });
        server.on('error', reject);
      });
    },
  };
}

async function authenticate(req: Request, auth: HttpServiceOptions['auth']): Promise<Principal> {
  const header = req.header('authorization');
  if (!header) throw new HttpError(401, 'unauthenticated', 'missing Authorization: Bearer <token> header');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new HttpError(401, 'unauthenticated', 'Authorization header must be "Bearer <token>"');
  try {
    return await verifyToken(m[1], auth);
  } catch (err) {
    if (err instanceof AuthError) throw new HttpError(401, 'unauthenticated', err.message);
    throw err;
  }
}

/** Creates the service, listens on host:port (0 for any free port) and logs where. */
export async function startHttpService(
  opts: HttpServiceOptions & { port: number; host: string },
): Promise<{ port: number; close: () => Promise<void> }> {
  const listening = await createHttpService(opts).listen(opts.port, opts.host);
  opts.logger.info({ port: listening.port }, `${opts.name} listening`);
  return listening;
}
