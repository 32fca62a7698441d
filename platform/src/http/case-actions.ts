// The HTTP → Temporal glue every case service shares: the caller as the workflow's actor, the
// Idempotency-Key as the Update id (a retry or a double click returns the first result), a
// refused Update mapped to its HTTP status with the case unchanged, and queries that answer
// "no such workflow" as undefined; and the start of a case's workflow, once, with the search
// attributes every case carries.
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  ApplicationFailure,
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
  type QueryDefinition,
  type UpdateDefinition,
  type Workflow,
} from '@temporalio/common';
import { z } from 'zod';
import { REJECTION } from '@duban/domain/pure';
import type { Principal, Role } from '../auth';
import { caseMetadata, type CaseMetadataInput } from '../case-metadata';
import { addContext } from '../context';
import { HttpError, forbidden, notFound } from './errors';
import { route, type RouteSpec } from './service';

/** The verified caller, as the workflows' validators see it (`Actor` in the workflows package). */
export interface CaseActor {
  role: Principal['role'];
  sub: string;
  unit?: string;
}

export function actorOf(p: Principal): CaseActor {
  return { role: p.role, sub: p.sub, ...(p.unit ? { unit: p.unit } : {}) };
}

/** Parses a path or header value; a bad one is a 400 that quotes it and says what it must be. */
export function parseParam<T>(schema: z.ZodType<T>, raw: string | undefined, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `${what} "${raw}": ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'must be 8–128 letters, digits or _.:-');

export function idempotencyKeyOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : parseParam(idempotencyKeySchema, header, 'Idempotency-Key header');
}

/** The OpenAPI responses of an action on a case. */
export const ACTION_RESPONSES = {
  200: 'Accepted; the case after the action',
  400: 'Malformed body, or input the case refuses',
  403: 'Not your case, or not your role in it',
  404: 'No such case',
  409: 'Not in a stage that takes this action, already rated or voted, or the case is closed',
} as const;

/** Maps a refused Update to an HTTP error (the case is unchanged); other errors pass through. */
export async function updateRejection(
  err: unknown,
  workflowId: string,
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
        `${workflowId} is closed (${status.toLowerCase()}); it takes no more actions`,
      );
    return notFound(`case ${workflowId}`);
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const { type, message } = err.cause;
    if (type === REJECTION.forbidden) return forbidden(message);
    if (type === REJECTION.conflict) return new HttpError(409, 'stage_conflict', message);
    if (type === REJECTION.invalid) return new HttpError(400, 'bad_request', message);
    if (type === REJECTION.alreadyRated) return new HttpError(409, 'already_rated', message);
    if (type === REJECTION.alreadyVoted) return new HttpError(409, 'already_voted', message);
  }
  return err;
}

/**
 * Sends one Update to a case's workflow. With an Idempotency-Key the Update id is
 * (caller, action, key), so the same request sent again returns the first result and does
 * nothing twice, while the same key on another action is another request.
 */
export async function sendUpdate<A, R>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<R, [A]>,
  args: A,
  caller: Pick<Principal, 'sub'>,
  key?: string,
): Promise<R> {
  const handle: WorkflowHandle = temporal.workflow.getHandle(workflowId);
  try {
    return await handle.executeUpdate(update, {
      args: [args],
      ...(key ? { updateId: `${caller.sub}:${update.name}:${key}` } : {}),
    });
  } catch (err) {
    throw await updateRejection(err, workflowId, () => handle.describe());
  }
}

/** A workflow query; undefined when the workflow does not exist (e.g. not started yet). */
export async function queryOrUndefined<S>(
  temporal: Client,
  workflowId: string,
  query: QueryDefinition<S> | string,
): Promise<S | undefined> {
  try {
    return (await temporal.workflow.getHandle(workflowId).query(query as QueryDefinition<S>)) as S;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * A POST route that is one action on one case: the path names the case, the body is checked
 * against its schema, the caller becomes the workflow's actor, the Idempotency-Key (if sent)
 * makes a retry return the first answer, and a refusal comes back with its HTTP status.
 * `load` parses the path and reads what the action needs (404 when the case does not exist)
 * and names the workflow; `respond` shapes the answer from the Update's result.
 */
export interface CaseActionSpec<B extends z.ZodType, A, R, C extends { workflowId: string }> {
  temporal: Client;
  path: string;
  summary: string;
  roles: readonly Role[];
  body: B;
  update: UpdateDefinition<R, [A]>;
  load: (params: Record<string, string>, principal: Principal, body: z.infer<B>) => Promise<C>;
  /** Checks that need the caller's token (e.g. a unit exists in the registry); throw to refuse. */
  check?: (ctx: C, body: z.infer<B>, principal: Principal, authorization: string) => Promise<void>;
  args: (body: z.infer<B>, by: CaseActor, ctx: C, params: Record<string, string>) => A;
  respond: (result: R, ctx: C, principal: Principal, body: z.infer<B>) => unknown;
}

/** What a service's own action helper takes from each route: the rest it fills in once. */
export type CaseActionOf<B extends z.ZodType, A, R, C extends { workflowId: string }> = Pick<
  CaseActionSpec<B, A, R, C>,
  'path' | 'summary' | 'roles' | 'body' | 'update' | 'args' | 'check'
>;

export function caseActionRoute<B extends z.ZodType, A, R, C extends { workflowId: string }>(
  spec: CaseActionSpec<B, A, R, C>,
): RouteSpec {
  return route({
    method: 'post',
    path: spec.path,
    summary: `${spec.summary}. Send Idempotency-Key to make retries safe.`,
    roles: spec.roles,
    body: spec.body,
    responses: ACTION_RESPONSES,
    handler: async ({ req, principal, params, body }) => {
      const key = idempotencyKeyOf(req.header('idempotency-key'));
      const ctx = await spec.load(params, principal, body);
      addContext({ workflowId: ctx.workflowId });
      await spec.check?.(ctx, body, principal, req.header('authorization') ?? '');
      const args = spec.args(body, actorOf(principal), ctx, params);
      const result = await sendUpdate(spec.temporal, ctx.workflowId, spec.update, args, principal, key);
      return { body: await spec.respond(result, ctx, principal, body) };
    },
  });
}

/**
 * The search attributes a case starts with, by the names the workers and deploy/local/infra.sh
 * register (the workflows package defines the same keys for workflow code).
 */
const START_KEYS = {
  kind: defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD),
  stageSince: defineSearchAttributeKey('StageSince', SearchAttributeType.DATETIME),
  unit: defineSearchAttributeKey('Unit', SearchAttributeType.KEYWORD),
  jurisdiction: defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD),
  overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
  cycleYear: defineSearchAttributeKey('CycleYear', SearchAttributeType.INT),
};

export interface CaseWorkflowStart<W extends Workflow> {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: Parameters<W>;
  kind: string;
  jurisdiction: string;
  /** The first stage (since now), and with it Overdue false; a case without stages names none. */
  stage?: string;
  /** Who answers the case: the unit an overdue query names. */
  unit?: string;
  cycleYear?: number;
  memo?: Record<string, unknown>;
  /** What else the Temporal UI shows of the case (see caseMetadata). */
  ui: Omit<CaseMetadataInput, 'caseId' | 'kind' | 'unit' | 'jurisdiction'>;
  /**
   * A start while the case runs: joins it (default, so a retried intake finishes its work) or is
   * refused. Either way a case that ran to its end is not started again.
   */
  whenRunning?: 'use-existing' | 'fail';
}

/** Starts a case's workflow unless it already runs or ran; true when this call started it. */
export async function startCaseWorkflow<W extends Workflow>(
  temporal: Pick<Client, 'workflow'>,
  s: CaseWorkflowStart<W>,
): Promise<boolean> {
  const attrs = new TypedSearchAttributes([
    { key: START_KEYS.kind, value: s.kind },
    ...(s.stage !== undefined
      ? [
          { key: START_KEYS.stage, value: s.stage },
          { key: START_KEYS.stageSince, value: new Date() },
          { key: START_KEYS.overdue, value: false },
        ]
      : []),
    ...(s.unit ? [{ key: START_KEYS.unit, value: s.unit }] : []),
    { key: START_KEYS.jurisdiction, value: s.jurisdiction },
    ...(s.cycleYear !== undefined ? [{ key: START_KEYS.cycleYear, value: s.cycleYear }] : []),
  ]);
  try {
    await temporal.workflow.start(s.workflowType, {
      workflowId: s.workflowId,
      taskQueue: s.taskQueue,
      args: s.args as unknown[],
      ...(s.whenRunning === 'fail' ? {} : { workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING }),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(s.memo ? { memo: s.memo } : {}),
      ...caseMetadata({
        caseId: s.workflowId,
        kind: s.kind,
        ...(s.unit ? { unit: s.unit } : {}),
        jurisdiction: s.jurisdiction,
        ...s.ui,
      }),
      typedSearchAttributes: attrs,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}
