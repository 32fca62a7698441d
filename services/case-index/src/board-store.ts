// Where boards live: one document per chunk (case_boards) and one tally document per board
// (case_board_tallies: each chunk's counts, for the dashboard). Both are read and written by _id
// only. A chunk's contents are kept as one JSON string: the local MongoDB-API server stores a
// document field by field with a schema, which made a 3,000-entry chunk cost 1.3 s to read and
// write as subdocuments and 0.1 s as one string (measured on FerretDB 1.24, SQLite).
//
// Writes are compare-and-set on a revision: one writer per board is the rule (the board
// consumer owns a board's Kafka partition), and the revision keeps a second writer during a
// rebalance from overwriting the first — it re-reads and re-applies instead.
import { Schema, type Connection, type Model } from 'mongoose';
import { applyDeltas, emptyChunk, tallyOf, type ChunkData, type Delta, type Tally } from './boards';

interface StoredDoc {
  _id: string;
  data: string;
  rev: number;
}

export function boardModels(conn: Connection) {
  const schema = () => new Schema<StoredDoc>({ _id: String, data: String, rev: Number }, { versionKey: false });
  return {
    Chunks: conn.model<StoredDoc>('CaseBoardChunk', schema(), 'case_boards'),
    Tallies: conn.model<StoredDoc>('CaseBoardTally', schema(), 'case_board_tallies'),
  };
}
export type BoardModels = ReturnType<typeof boardModels>;

/** Read-modify-write of one document under compare-and-set, retried when another writer won. */
async function casUpdate<T>(
  model: Model<StoredDoc>,
  id: string,
  empty: () => T,
  change: (value: T) => boolean,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const doc = await model.findById(id).lean();
    const value: T = doc ? (JSON.parse(doc.data) as T) : empty();
    if (!change(value)) return value;
    const data = JSON.stringify(value);
    if (doc) {
      const r = await model.updateOne({ _id: id, rev: doc.rev }, { $set: { data, rev: doc.rev + 1 } });
      if (r.modifiedCount === 1) return value;
    } else {
      try {
        await model.create({ _id: id, data, rev: 1 });
        return value;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
    if (attempt >= 20) throw new Error(`board document ${id}: still contended after ${attempt} attempts`);
  }
}

/**
 * Applies one batch of deltas (any boards): each chunk once, then each board's tally once.
 * Safe to repeat: a repeated delta changes nothing, and the tallies are recomputed from the chunks.
 */
export async function applyBoardDeltas(models: BoardModels, deltas: Delta[], nowMs = Date.now()): Promise<void> {
  const byChunk = new Map<string, Delta[]>();
  for (const d of deltas) byChunk.set(d.chunk, [...(byChunk.get(d.chunk) ?? []), d]);
  const talliesByBoard = new Map<string, Map<string, Tally>>();
  for (const [chunk, ds] of byChunk) {
    const data = await casUpdate<ChunkData>(models.Chunks, chunk, emptyChunk, (c) => applyDeltas(c, ds, nowMs));
    const board = ds[0].board;
    if (!talliesByBoard.has(board)) talliesByBoard.set(board, new Map());
    talliesByBoard.get(board)!.set(chunk, tallyOf(Object.values(data.e)));
  }
  for (const [board, chunks] of talliesByBoard)
    await casUpdate<Record<string, Tally>>(
      models.Tallies,
      board,
      () => ({}),
      (t) => {
        let changed = false;
        for (const [chunk, tally] of chunks) {
          const empty = Object.keys(tally).length === 0;
          if (JSON.stringify(t[chunk] ?? {}) === JSON.stringify(tally)) continue;
          if (empty) delete t[chunk];
          else t[chunk] = tally;
          changed = true;
        }
        return changed;
      },
    );
}

/** The chunks named, read in parallel (a missing chunk is empty). */
export async function readChunks(models: BoardModels, ids: string[]): Promise<ChunkData[]> {
  const docs = await Promise.all(ids.map((id) => models.Chunks.findById(id).lean()));
  return docs.map((d) => (d ? (JSON.parse(d.data) as ChunkData) : emptyChunk()));
}

/** A board's tally document: chunk id → counts. */
export async function readTallies(models: BoardModels, board: string): Promise<Record<string, Tally>> {
  const d = await models.Tallies.findById(board).lean();
  return d ? (JSON.parse(d.data) as Record<string, Tally>) : {};
}
