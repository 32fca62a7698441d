// Business case numbers ("suggestion-2026-0001", "opinion-2026-000001"): a per-series counter
// proposes the next number and the document's unique _id insert decides. The counter's
// increment is not atomic on the local MongoDB-API server (FerretDB loses concurrent $inc), so
// two submissions may be proposed the same number; the loser of the insert takes the next one.
// Allocations through one counter model run one at a time in this process: concurrent ones here
// would only collide with each other and retry (measured: 13 % of submissions took a second
// number at 20 in flight). Other processes are still arbitrated by the insert.
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongo';

export interface CounterDoc {
  _id: string;
  seq: number;
}

export interface CaseNumberRequest {
  /** The counter's series, also the number's prefix: "suggestion-2026". */
  series: string;
  /** Digits of the sequence part, zero-padded. */
  width: number;
  /** Stores the document under the proposed id; must fail with a duplicate-key error if taken. */
  insert: (caseId: string) => Promise<unknown>;
}

/** The counters of a service's case numbers: one document per series, in `counters`. */
export function counterModel(conn: Connection, modelName: string): Model<CounterDoc> {
  const existing = conn.models[modelName] as Model<CounterDoc> | undefined;
  if (existing) return existing;
  return conn.model<CounterDoc>(
    modelName,
    new Schema<CounterDoc>(
      { _id: String, seq: { type: Number, required: true } },
      { collection: 'counters', versionKey: false },
    ),
  );
}

const MAX_ATTEMPTS = 1000;
const queues = new WeakMap<Model<CounterDoc>, Promise<unknown>>();

/** Allocates the next free number of the series by inserting the document under it. */
export function allocateCaseNumber(counter: Model<CounterDoc>, request: CaseNumberRequest): Promise<string> {
  const previous = queues.get(counter) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => allocateNow(counter, request));
  queues.set(counter, next);
  return next;
}

async function allocateNow(counter: Model<CounterDoc>, { series, width, insert }: CaseNumberRequest): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const caseId = `${series}-${String(await bump(counter, series)).padStart(width, '0')}`;
    try {
      await insert(caseId);
      return caseId;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`could not allocate a case number in ${series} after ${MAX_ATTEMPTS} attempts`);
}

/** Bumps the series' counter; a concurrent first upsert of the counter is retried. */
async function bump(counter: Model<CounterDoc>, series: string): Promise<number> {
  for (;;) {
    try {
      const doc = await counter
        .findOneAndUpdate({ _id: series }, { $inc: { seq: 1 } }, { upsert: true, new: true })
        .lean();
      return doc!.seq;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
