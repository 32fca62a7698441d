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
import { inPool } from '../use-cases/ingest';
import {
  applyDeltas,
  emptyChunk,
  tallyOf,
  type ChunkData,
  type Delta,
  type Entry,
  type Tally,
} from '../use-cases/boards';

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

/** A row as stored: a tuple without field names (the server's cost is per byte: half the bytes). */
type Row = [
  string,
  number,
  string,
  string,
  string,
  string,
  string[],
  string[],
  string,
  string,
  number,
  number,
  0 | 1,
  0 | 1,
  0 | 1,
  string,
  number,
];

function toRow(e: Entry): Row {
  return [
    e.id,
    e.v,
    e.kind,
    e.stage,
    e.j,
    e.title,
    e.units,
    e.deputies,
    e.station,
    e.citizen,
    e.year,
    e.due,
    e.overdue ? 1 : 0,
    e.closed ? 1 : 0,
    e.key ? 1 : 0,
    e.sat,
    e.last,
  ];
}

function fromRow(r: Row): Entry {
  const [id, v, kind, stage, j, title, units, deputies, station, citizen, year, due, overdue, closed, key, sat, last] =
    r;
  return {
    id,
    v,
    kind,
    stage,
    j,
    title,
    units,
    deputies,
    station,
    citizen,
    year,
    due,
    overdue: overdue === 1,
    closed: closed === 1,
    key: key === 1,
    sat,
    last,
  };
}

/** A chunk as stored: its rows and tombstones. */
const chunkCodec = {
  decode(data: string): ChunkData {
    const { r, t } = JSON.parse(data) as { r: Row[]; t: ChunkData['t'] };
    return { e: Object.fromEntries(r.map((row) => [row[0], fromRow(row)])), t };
  },
  encode(c: ChunkData): string {
    return JSON.stringify({ r: Object.values(c.e).map(toRow), t: c.t });
  },
};
const jsonCodec = { decode: (data: string) => JSON.parse(data), encode: (v: unknown) => JSON.stringify(v) };

/**
 * What the writer last wrote to each document (revision and contents), so that a write need not
 * read first. A stale copy (another writer wrote since, during a rebalance) fails the
 * compare-and-set and is re-read; a copy that already holds a delta holds what the store holds
 * or less, and the store only moves forward, so skipping the delta loses nothing.
 */
export class WrittenDocs {
  private readonly docs = new Map<string, { rev: number; data: string }>();
  constructor(private readonly capacity = 20_000) {}
  get(id: string) {
    return this.docs.get(id);
  }
  set(id: string, doc: { rev: number; data: string }) {
    this.docs.delete(id);
    this.docs.set(id, doc);
    while (this.docs.size > this.capacity) this.docs.delete(this.docs.keys().next().value!);
  }
  forget(id: string) {
    this.docs.delete(id);
  }
}

/** Read-modify-write of one document under compare-and-set, retried when another writer won. */
async function casUpdate<T>(
  model: Model<StoredDoc>,
  id: string,
  empty: () => T,
  change: (value: T) => boolean,
  codec: { decode(data: string): T; encode(value: T): string } = jsonCodec,
  written?: WrittenDocs,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const doc = (attempt === 1 && written?.get(id)) || (await model.findById(id).lean());
    const value: T = doc ? codec.decode(doc.data) : empty();
    if (!change(value)) return value;
    const data = codec.encode(value);
    if (doc) {
      const r = await model.updateOne({ _id: id, rev: doc.rev }, { $set: { data, rev: doc.rev + 1 } });
      if (r.modifiedCount === 1) {
        written?.set(id, { rev: doc.rev + 1, data });
        return value;
      }
    } else {
      try {
        await model.create({ _id: id, data, rev: 1 });
        written?.set(id, { rev: 1, data });
        return value;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
    written?.forget(id);
    if (attempt >= 20) throw new Error(`board document ${id}: still contended after ${attempt} attempts`);
  }
}

/** Board documents written at the same time. */
const CHUNKS_AT_ONCE = 8;

/**
 * Applies one batch of deltas (any boards): each chunk once, then each board's tally once.
 * Safe to repeat: a repeated delta changes nothing, and the tallies are recomputed from the chunks.
 */
export async function applyBoardDeltas(
  models: BoardModels,
  deltas: Delta[],
  nowMs = Date.now(),
  written?: WrittenDocs,
): Promise<void> {
  const byChunk = new Map<string, Delta[]>();
  for (const d of deltas) byChunk.set(d.chunk, [...(byChunk.get(d.chunk) ?? []), d]);
  const talliesByBoard = new Map<string, Map<string, Tally>>();
  // Chunks are separate documents: several at a time.
  await inPool([...byChunk], CHUNKS_AT_ONCE, async ([chunk, ds]) => {
    const data = await casUpdate<ChunkData>(
      models.Chunks,
      chunk,
      emptyChunk,
      (c) => applyDeltas(c, ds, nowMs),
      chunkCodec,
    );
    const board = ds[0].board;
    if (!talliesByBoard.has(board)) talliesByBoard.set(board, new Map());
    talliesByBoard.get(board)!.set(chunk, tallyOf(Object.values(data.e)));
  });
  await inPool([...talliesByBoard], CHUNKS_AT_ONCE, ([board, chunks]) =>
    casUpdate<Record<string, Tally>>(
      models.Tallies,
      board,
      () => ({}),
      (t) => {
        let changed = false;
        for (const [chunk, tally] of chunks) {
          if (JSON.stringify(t[chunk] ?? {}) === JSON.stringify(tally)) continue;
          if (Object.keys(tally).length === 0) delete t[chunk];
          else t[chunk] = tally;
          changed = true;
        }
        return changed;
      },
      jsonCodec,
      written,
    ),
  );
}

/** The chunks named, read in parallel (a missing chunk is empty). */
export async function readChunks(models: BoardModels, ids: string[]): Promise<ChunkData[]> {
  const docs = await Promise.all(ids.map((id) => models.Chunks.findById(id).lean()));
  return docs.map((d) => (d ? chunkCodec.decode(d.data) : emptyChunk()));
}

/** A board's tally document: chunk id → counts. */
export async function readTallies(models: BoardModels, board: string): Promise<Record<string, Tally>> {
  const d = await models.Tallies.findById(board).lean();
  return d ? (JSON.parse(d.data) as Record<string, Tally>) : {};
}
