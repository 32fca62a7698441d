// The suggestions service: deputies submit suggestions, units reply, everyone concerned reads
// the case. It owns the suggestion documents; the case's process lives in its workflow.
import { z } from 'zod';
import type { Connection } from 'mongoose';
import {
  Connection as TemporalConnection,
  Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  HttpError,
  addContext,
  connectMongo,
  createHttpService,
  createMetrics,
  forbidden,
  mongoHealthy,
  notFound,
  route,
  type Logger,
  type Principal,
} from '@duban/platform';
import { GRADES, REJECTION, replyUpdate, stateQuery, type SuggestionState } from '@duban/workflows';
import { suggestionModels, type SuggestionModels, type SuggestionDoc } from './models';
import { submitSuggestion } from './intake';
import { createRegistryClient, type RegistryClient } from './registry-client';

export interface SuggestionsConfig {
  MONGO_URL: string;
  MONGO_DB: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  REGISTRY_URL: string;
  AUTH_JWT_SECRET: string;
  AUTH_ISSUER: string;
  HTTP_PORT: number;
  HTTP_HOST: string;
}

const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
const caseIdParam = z.string().regex(/^suggestion-\d{4}-\d{4,}$/, 'must look like suggestion-2026-0001');

const suggestionBody = z
  .object({
    title: z.string().trim().min(4, 'must be at least 4 characters').max(200),
    content: z.string().trim().min(10, 'must be at least 10 characters').max(20000),
    category: lowerId,
    jurisdiction: lowerId,
  })
  .strict();
const replyBody = z
  .object({
    grade: z.enum(GRADES),
    summary: z.string().trim().min(10, 'must be at least 10 characters').max(20000),
  })
  .strict();
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'must be 8–128 letters, digits or _.:-');

function parseCaseId(raw: string | undefined): string {
  const parsed = caseIdParam.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `case id "${raw}": ${parsed.error.issues[0].message}`);
  addContext({ caseId: parsed.data, workflowId: parsed.data });
  return parsed.data;
}

/** May this principal read this suggestion? Its deputy, staff, operators, and its lead unit. */
function canRead(p: Principal, doc: SuggestionDoc, state?: SuggestionState): boolean {
  if (p.role === 'staff' || p.role === 'operator') return true;
  if (p.role === 'deputy') return p.sub === doc.deputyId;
  if (p.role === 'unit') return !!state && state.leadUnit === p.unit;
  return false;
}

function view(doc: SuggestionDoc, state?: SuggestionState) {
  return {
    caseId: doc._id,
    deputyId: doc.deputyId,
    jurisdiction: doc.jurisdiction,
    title: doc.title,
    content: doc.content,
    category: doc.category,
    submittedAt: doc.submittedAt,
    policySources: doc.policySources,
    state: state ?? null,
  };
}

export function suggestionRoutes(deps: {
  models: SuggestionModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
}) {
  const { models, temporal } = deps;

  async function queryState(caseId: string): Promise<SuggestionState | undefined> {
    try {
      return await temporal.workflow.getHandle(caseId).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  return [
    route({
      method: 'post',
      path: '/v1/suggestions',
      summary:
        'A deputy submits a suggestion (提交代表建议); starts its case. Send Idempotency-Key to make retries safe.',
      roles: ['deputy'],
      body: suggestionBody,
      responses: {
        201: 'Created',
        200: 'Already created by an earlier request with this Idempotency-Key',
        409: 'Idempotency-Key reused for another body',
        422: 'Unknown jurisdiction',
      },
      handler: async ({ req, principal, body }) => {
        const rawKey = req.header('idempotency-key');
        let key: string | undefined;
        if (rawKey !== undefined) {
          const parsed = idempotencyKey.safeParse(rawKey);
          if (!parsed.success)
            throw new HttpError(400, 'bad_request', `Idempotency-Key header ${parsed.error.issues[0].message}`);
          key = parsed.data;
        }
        const policy = await deps.registry.effectivePolicy(body.jurisdiction, req.header('authorization')!);
        const { caseId, created } = await submitSuggestion(deps, principal.sub, body, policy, key);
        addContext({ caseId, workflowId: caseId });
        return {
          status: created ? 201 : 200,
          headers: { location: `/v1/suggestions/${caseId}` },
          body: { caseId, workflowId: caseId, created },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/suggestions',
      summary: 'A deputy lists their own suggestions; staff and operators list the latest',
      roles: ['deputy', 'staff', 'operator'],
      query: listQuery,
      handler: async ({ principal, query }) => {
        const filter = principal.role === 'deputy' ? { deputyId: principal.sub } : {};
        const docs = await models.Suggestion.find(filter).sort({ submittedAt: -1 }).limit(query.limit).lean();
        return { body: { items: docs.map((d) => view(d)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/suggestions/:id',
      summary: 'One suggestion with its live case state (from the workflow query)',
      roles: ['deputy', 'unit', 'staff', 'operator'],
      responses: { 200: 'The suggestion', 404: 'No such suggestion, or not yours' },
      handler: async ({ principal, params }) => {
        const caseId = parseCaseId(params.id);
        const doc = await models.Suggestion.findById(caseId).lean();
        if (!doc) throw notFound(`suggestion ${caseId}`);
        const state = await queryState(caseId);
        if (!canRead(principal, doc, state)) throw notFound(`suggestion ${caseId}`);
        return { body: view(doc, state) };
      },
    }),
    route({
      method: 'post',
      path: '/v1/suggestions/:id/reply',
      summary: 'The lead unit replies (答复) with an outcome grade A/B/C/D',
      roles: ['unit'],
      body: replyBody,
      responses: {
        200: 'Accepted; the case state after the reply',
        403: 'Assigned to another unit',
        404: 'No such suggestion',
        409: 'Not in a stage that takes a reply',
      },
      handler: async ({ principal, params, body }) => {
        const caseId = parseCaseId(params.id);
        const doc = await models.Suggestion.findById(caseId).lean();
        if (!doc) throw notFound(`suggestion ${caseId}`);
        try {
          const state = await temporal.workflow.getHandle(caseId).executeUpdate(replyUpdate, {
            args: [{ unit: principal.unit!, grade: body.grade, summary: body.summary }],
          });
          return { body: view(doc, state) };
        } catch (err) {
          throw await updateRejection(err, caseId, () => temporal.workflow.getHandle(caseId).describe());
        }
      },
    }),
  ];
}

/** Maps a rejected Update to an HTTP error; the case is unchanged. */
async function updateRejection(
  err: unknown,
  caseId: string,
  describe: () => Promise<{ status: { name: string } }>,
): Promise<unknown> {
  if (err instanceof WorkflowNotFoundError) {
    // An Update to a case whose workflow has ended: the case is closed, not missing.
    const status = await describe().then(
      (d) => d.status.name,
      () => undefined,
    );
    if (status && status !== 'RUNNING')
      return new HttpError(
        409,
        'case_closed',
        `${caseId} is closed (${status.toLowerCase()}); it takes no more actions`,
      );
    return notFound(`case ${caseId}`);
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const { type, message } = err.cause;
    if (type === REJECTION.forbidden) return forbidden(message);
    if (type === REJECTION.conflict) return new HttpError(409, 'stage_conflict', message);
    if (type === REJECTION.invalid) return new HttpError(400, 'bad_request', message);
  }
  return err;
}

export function createSuggestionsApp(cfg: SuggestionsConfig, logger: Logger) {
  let conn: Connection | undefined;
  let temporalConn: TemporalConnection | undefined;
  let close: (() => Promise<void>) | undefined;
  return {
    port: 0,
    async start() {
      conn = await connectMongo(cfg.MONGO_URL, cfg.MONGO_DB);
      const models = suggestionModels(conn);
      await Promise.all(Object.values(models).map((m) => m.init()));
      temporalConn = await TemporalConnection.connect({ address: cfg.TEMPORAL_ADDRESS });
      const temporal = new Client({ connection: temporalConn, namespace: cfg.TEMPORAL_NAMESPACE });
      const http = createHttpService({
        name: 'suggestions',
        logger,
        metrics: createMetrics('suggestions'),
        auth: { secret: cfg.AUTH_JWT_SECRET, issuer: cfg.AUTH_ISSUER },
        routes: suggestionRoutes({
          models,
          temporal,
          taskQueue: cfg.TEMPORAL_TASK_QUEUE,
          registry: createRegistryClient(cfg.REGISTRY_URL),
        }),
        health: {
          mongo: () => mongoHealthy(conn!),
          temporal: async () => (await temporalConn!.healthService.check({})).status === 1,
        },
      });
      const listening = await http.listen(cfg.HTTP_PORT, cfg.HTTP_HOST);
      close = listening.close;
      this.port = listening.port;
      logger.info({ port: listening.port }, 'suggestions listening');
      return listening.port;
    },
    async stop() {
      await close?.();
      await temporalConn?.close();
      await conn?.close();
    },
  };
}
