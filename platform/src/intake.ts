// What every case intake shares: the stored (caller, Idempotency-Key) → case of the first
// request, so that a retry answers the case it made instead of making another, and the answer
// of a route that starts a case.
import { Schema, type Connection, type Model } from 'mongoose';
import { addContext } from './context';
import { conflict } from './http/errors';
import type { RouteResult } from './http/service';
import { isDuplicateKey } from './mongo';

/** Idempotency: (caller, Idempotency-Key) → the case it created. */
export interface IntakeKeyDoc {
  _id: string;
  caseId: string;
  requestHash: string;
  createdAt: Date;
}

/** A service's intake keys: one document per (caller, Idempotency-Key), in `intake_keys`. */
export function intakeKeyModel(conn: Connection, modelName: string): Model<IntakeKeyDoc> {
  return conn.model<IntakeKeyDoc>(
    modelName,
    new Schema<IntakeKeyDoc>(
      {
        _id: String,
        caseId: { type: String, required: true },
        requestHash: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
      { collection: 'intake_keys', versionKey: false },
    ),
  );
}

/**
 * Stores a new case once per intake key. The key's first request allocates the case and records
 * the key; a retry with the same request (its hash) answers that case, another request is a 409
 * (`reused` says why). Without a key every request allocates a case.
 */
export async function storeOncePerKey(
  keys: Model<IntakeKeyDoc>,
  key: { keyId: string; hash: string; createdAt: Date } | undefined,
  store: { allocate: () => Promise<string>; drop: (caseId: string) => Promise<unknown>; reused: string },
): Promise<{ caseId: string; created: boolean }> {
  if (!key) return { caseId: await store.allocate(), created: true };
  const existing = await keys.findById(key.keyId).lean();
  if (existing) {
    if (existing.requestHash !== key.hash) throw conflict(store.reused);
    return { caseId: existing.caseId, created: false };
  }
  const caseId = await store.allocate();
  try {
    await keys.create({ _id: key.keyId, caseId, requestHash: key.hash, createdAt: key.createdAt });
    return { caseId, created: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A concurrent double submit won the race: drop this request's case, use the winner's.
    await store.drop(caseId);
    const winner = await keys.findById(key.keyId).lean();
    if (!winner || winner.requestHash !== key.hash) throw conflict(store.reused);
    return { caseId: winner.caseId, created: false };
  }
}

/** The OpenAPI responses of a route that starts a case once per Idempotency-Key; `unprocessable` says when it answers 422. */
export function intakeResponses(unprocessable: string) {
  return {
    201: 'Created',
    200: 'Already created by an earlier request with this Idempotency-Key',
    409: 'Idempotency-Key reused for another body',
    422: unprocessable,
  };
}

/** The answer of a case intake: 201 for a new case, 200 for the one an earlier request with its key made. */
export function caseCreated(caseId: string, created: boolean, location: string): RouteResult {
  addContext({ caseId, workflowId: caseId });
  return { status: created ? 201 : 200, headers: { location }, body: { caseId, workflowId: caseId, created } };
}
