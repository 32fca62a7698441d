// What the duties service does besides one Update: a registration stored once (the same again
// changes nothing, other details are a 409), and the running duty cases a visibility query finds.
import type { Client } from '@temporalio/client';
import { HttpError, isDuplicateKey } from '@duban/platform';

/** Stores a registration once (unique _id); the same body again is a no-op, another body a 409. */
export async function registerOnce<D extends { _id: string }>(
  model: { create(d: D): Promise<unknown>; findById(id: string): { lean(): PromiseLike<unknown> } },
  doc: D,
  same: (stored: D) => boolean,
): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const stored = (await model.findById(doc._id).lean()) as D;
    if (!same(stored)) throw new HttpError(409, 'conflict', `${doc._id} is already registered with other details`);
    return false;
  }
}

/** Visibility: running duty and case workflows matching a query, for staff views. */
export async function listDutyCases(temporal: Pick<Client, 'workflow'>, queryText: string, limit = 500) {
  const items: Record<string, unknown>[] = [];
  for await (const wf of temporal.workflow.list({ query: queryText })) {
    const sa = wf.searchAttributes as Record<string, unknown[] | undefined>;
    items.push({
      caseId: wf.workflowId,
      kind: sa.CaseKind?.[0] ?? null,
      stage: sa.Stage?.[0] ?? null,
      unit: sa.Unit?.[0] ?? null,
      jurisdiction: sa.Jurisdiction?.[0] ?? null,
      dueAt: sa.DueAt?.[0] ?? null,
      overdue: sa.Overdue?.[0] ?? false,
      atRisk: sa.AtRisk?.[0] ?? false,
    });
    if (items.length >= limit) break;
  }
  return items;
}
/** A value quoted for a visibility query (quotes dropped). */
export const quote = (v: string) => `'${v.replace(/'/g, '')}'`;
