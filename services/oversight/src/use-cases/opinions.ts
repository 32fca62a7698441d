// What the oversight service's routes share: request schemas, parameters, the caller as the
// service's dependencies, and opening a review opinion (the HTTP → Temporal glue is in platform).
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { EffectivePolicy } from '@duban/domain';
import { actorOf, type Principal } from '@duban/platform';
import { type RegistryClient } from '@duban/registry';
import type { OversightCaseDoc, OversightModels } from '../data/models';
import { startStoredCase, storeCase } from './intake';

export const lowerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a lowercase id');
export const memberId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a member id from the roster');
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

export const actorString = (p: Principal) => `${p.role}:${p.sub}${p.unit ? `/${p.unit}` : ''}`;

export interface Deps {
  models: OversightModels;
  temporal: Client;
  taskQueue: string;
  registry: RegistryClient;
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
      start: { by: actorOf(args.principal) },
    },
    args.idempotency,
  );
  await startStoredCase(deps, doc, args.policy);
  return { doc, created };
}
