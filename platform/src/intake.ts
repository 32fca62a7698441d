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

/**
 * The marks an intake leaves on a case document it stores before starting the case's workflow:
 * `startPending` until the start is confirmed, and the (caller, Idempotency-Key) it came under.
 */
export interface PendingStart {
  _id: string;
  startPending?: boolean;
  intakeKey?: string;
}

/** The schema paths of the marks, for a model's schema. */
export const pendingStartPaths = { startPending: { type: Boolean, index: true }, intakeKey: String } as const;

/** Clears a document's mark once its workflow is known to run (a running or finished one counts). */
export async function startConfirmed(cases: Model<any>, doc: PendingStart): Promise<void> {
  if (doc.startPending) await cases.updateOne({ _id: doc._id }, { $unset: { startPending: 1 } });
}

/**
 * Starts the workflow of every case document stored before `before` whose start was never
 * confirmed (the service died between storing it and starting it, and no retry came). One
 * stored under an Idempotency-Key first claims the key: when a retry of its request made another
 * case under that key, it is that request's abandoned copy, never answered, and is deleted.
 * Idempotent: the workflow id is the case id, and a running or closed one counts.
 */
export async function reconcilePendingStarts<D extends PendingStart>(opts: {
  cases: Model<D>;
  keys: Model<IntakeKeyDoc>;
  /** The document's field that says when it was stored. */
  storedAt: keyof D & string;
  before: Date;
  /** The hash its request would have stored with the key. */
  hash: (doc: D) => string;
  /** Starts its workflow and confirms the start (startConfirmed). */
  start: (doc: D) => Promise<void>;
}): Promise<{ started: string[]; dropped: string[] }> {
  const { cases, keys } = opts;
  const pending = (await cases
    .find({ startPending: true, [opts.storedAt]: { $lt: opts.before } } as never)
    .limit(100)
    .lean()) as unknown as D[];
  const out = { started: [] as string[], dropped: [] as string[] };
  for (const doc of pending) {
    if (doc.intakeKey && (await keyedToAnother(keys, doc, opts.hash(doc), doc[opts.storedAt] as Date))) {
      await cases.deleteOne({ _id: doc._id, startPending: true } as never);
      out.dropped.push(doc._id);
      continue;
    }
    await opts.start(doc);
    out.started.push(doc._id);
  }
  return out;
}

/** Claims the document's Idempotency-Key for it; true when the key already names another case. */
async function keyedToAnother(
  keys: Model<IntakeKeyDoc>,
  doc: PendingStart,
  requestHash: string,
  createdAt: Date,
): Promise<boolean> {
  try {
    await keys.create({ _id: doc.intakeKey, caseId: doc._id, requestHash, createdAt });
    return false;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const owner = await keys.findById(doc.intakeKey).lean();
    return !!owner && owner.caseId !== doc._id;
  }
}

/**
 * Runs a service's intake reconciler now and every `everyMs` (one pass at a time), logging what
 * it repaired; answers the stop function for the service's shutdown.
 */
export function reconcileEvery(
  logger: { warn: (obj: object, msg: string) => void },
  what: string,
  pass: () => Promise<{ started: string[]; dropped: string[] }>,
  everyMs = 10_000,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= pass()
      .then(({ started, dropped }) => {
        if (started.length) logger.warn({ caseIds: started }, `started the workflows of ${what} stored without one`);
        if (dropped.length)
          logger.warn({ caseIds: dropped }, `deleted copies of ${what} a retry had stored again (never answered)`);
      })
      .catch((err: Error) => logger.warn({ err: err.message }, `${what} intake reconciler: will try again`))
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
