// What the oversight service's routes share: request schemas, parameters, the caller as the
// workflows see it, Updates with refusals mapped to HTTP, and opening a review opinion.
import { z } from 'zod';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { EffectivePolicy } from '@duban/domain';
import { HttpError, type Principal } from '@duban/platform';
import { updateRejection, type Actor } from '@duban/workflows';
import type { OversightCaseDoc, OversightModels } from './models';
import { startTracks, storeCase } from './intake';
import type { RegistryClient } from './registry-client';

export const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
export const memberId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a member id from the roster');
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'must be 8–128 letters, digits or _.:-');
export const text = (min = 2, max = 4000) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);
export const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' });

export const itemsBody = z
  .array(
    z
      .object({
        list: z.enum(['issue', 'supervision']),
        description: text(2, 4000),
        unit: lowerId,
        dueAt: instant.optional(),
      })
      .strict(),
  )
  .min(1, 'list at least one item')
  .max(200, 'at most 200 items');

export function parseParam<T>(schema: z.ZodType<T>, raw: string | undefined, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `${what} "${raw}": ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return parseParam(idempotencyKey, header, 'Idempotency-Key header');
}

export function actorOf(p: Principal): Actor {
  return { role: p.role, sub: p.sub, ...(p.unit ? { unit: p.unit } : {}) };
}
export const actorString = (p: Principal) => `${p.role}:${p.sub}${p.unit ? `/${p.unit}` : ''}`;

export interface Deps {
  models: OversightModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
}

export const ACTION_RESPONSES = {
  200: 'Accepted; the case after the action',
  400: 'Malformed body, or input the case refuses',
  403: 'Not your case, or not your role in it',
  404: 'No such case',
  409: 'Not in a stage that takes this action, a repeated vote, or the case is closed',
};

/** Sends one Update; the Update id is (caller, Idempotency-Key) so a retry does nothing twice. */
export async function sendUpdate<A, R>(
  deps: Deps,
  workflowId: string,
  update: UpdateDefinition<R, [A]>,
  args: A,
  principal: Principal,
  key: string | undefined,
): Promise<R> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  try {
    return await handle.executeUpdate(update, {
      args: [args],
      ...(key ? { updateId: `${principal.sub}:${key}` } : {}),
    });
  } catch (err) {
    throw await updateRejection(err, workflowId, () => handle.describe());
  }
}

export async function queryOrUndefined<T>(
  deps: Deps,
  workflowId: string,
  query: Parameters<ReturnType<Client['workflow']['getHandle']>['query']>[0],
): Promise<T | undefined> {
  try {
    return (await deps.temporal.workflow.getHandle(workflowId).query(query as never)) as T;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Stores a review opinion or resolution and starts its unit parts. */
export async function openOpinion(
  deps: Deps,
  args: {
    kind: 'review_opinion' | 'resolution';
    body: { jurisdiction: string; title: string; content?: string; items: z.infer<typeof itemsBody> };
    principal: Principal;
    /** The caller's Authorization header, to check the units against the registry. */
    authorization: string;
    policy: EffectivePolicy;
    source?: { caseId: string; itemId?: string };
    idempotency?: { keyId: string; hash: string };
  },
): Promise<{ doc: OversightCaseDoc; created: boolean }> {
  const { body } = args;
  // Every unit an item is addressed to must exist: nobody could ever answer for another.
  await deps.registry.requireUnits(
    body.jurisdiction,
    body.items.map((i) => i.unit),
    args.authorization,
    'items.unit',
  );
  const items = body.items.map((i, n) => ({
    itemId: String(n + 1),
    list: i.list,
    description: i.description,
    unit: i.unit,
    ...(i.dueAt ? { dueAt: new Date(i.dueAt).toISOString() } : {}),
  }));
  const { doc, created } = await storeCase(
    deps.models,
    {
      kind: args.kind,
      jurisdiction: body.jurisdiction,
      title: body.title,
      ...(body.content ? { content: body.content } : {}),
      openedAt: new Date(),
      openedBy: actorString(args.principal),
      items,
      units: [...new Set(items.map((i) => i.unit))],
      members: [],
      ...(args.source ? { source: args.source } : {}),
      policySources: args.policy.sources,
    },
    args.idempotency,
  );
  await startTracks(deps.temporal, deps.taskQueue, doc, args.policy, actorOf(args.principal));
  return { doc, created };
}
