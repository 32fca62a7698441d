// Boards: the lists people open, kept as small documents addressed by _id, because the local
// MongoDB-API server answers only lookups by _id from an index (every other query scans; see
// docs/case-index.md). Pure functions here; board-store.ts reads and writes them, the ingest
// publishes the changes and board-consumer.ts applies them.
//
// A board is the set of cases a list is made of: a unit's cases, a deputy's, a station's, a
// citizen's, every open case, the closed cases of each year. Each board is split into a fixed
// number of chunks by a hash of the case id, so that no document grows past a few hundred
// entries. A case's entry in a board is a compact row of the fields the lists filter and sort
// by, with the case's version (its event count): a row replaces another only when newer, and a
// case that left a board leaves a tombstone with its version, so redelivery, replays and two
// writers during a rebalance converge on the same board.
import type { CaseView } from './view';
import { NEVER } from './view';

/** A board's family and its number of chunks (fixed: a chunk's id must not move). */
export const FAMILIES = {
  unit: 8,
  deputy: 2,
  station: 4,
  citizen: 1,
  open: 32,
  closed: 16,
} as const;
export type Family = keyof typeof FAMILIES;

/** One case in one board: what the lists filter and sort by. */
export interface Entry {
  id: string;
  /** The case's version: its number of distinct events. */
  v: number;
  kind: string;
  stage: string;
  j: string;
  title: string;
  units: string[];
  deputies: string[];
  station: string;
  citizen: string;
  year: number;
  /** sortDue, ms since epoch. */
  due: number;
  overdue: boolean;
  closed: boolean;
  key: boolean;
  sat: string;
  /** lastEventAt, ms. */
  last: number;
}

/** A change to one board chunk: the case's entry there now, or that it left (entry absent). */
export interface Delta {
  /** The board, e.g. unit:edu-bureau (the Kafka key: one writer per board). */
  board: string;
  /** The chunk document's _id, e.g. unit:edu-bureau#3. */
  chunk: string;
  id: string;
  v: number;
  entry?: Entry;
}

/** A tombstone is kept this long, then dropped (an older row can only arrive during a redelivery). */
export const TOMBSTONE_MS = 24 * 3600_000;

/** A chunk's contents: entries by case id, tombstones by case id ([version, when dropped]). */
export interface ChunkData {
  e: Record<string, Entry>;
  t: Record<string, [number, number]>;
}

export function emptyChunk(): ChunkData {
  return { e: {}, t: {} };
}

/** A stable hash (FNV-1a) of a case id, so a case's chunk is the same in every process. */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function chunkOf(board: string, family: Family, id: string, year?: number): string {
  const h = hashId(id) % FAMILIES[family];
  return family === 'closed' ? `${board}:${year}#${h}` : `${board}#${h}`;
}

/** Every chunk of a board (for closed: of the given years). */
export function chunksOf(board: string, family: Family, years: number[] = []): string[] {
  const n = FAMILIES[family];
  const hs = Array.from({ length: n }, (_, h) => h);
  if (family === 'closed') return years.flatMap((y) => hs.map((h) => `${board}:${y}#${h}`));
  return hs.map((h) => `${board}#${h}`);
}

export function entryOf(view: CaseView): Entry {
  return {
    id: view.caseId,
    v: view.eventCount,
    kind: view.kind,
    stage: view.stage,
    j: view.jurisdiction,
    title: view.title.slice(0, 120),
    units: view.units,
    deputies: view.deputies,
    station: view.stationId ?? '',
    citizen: view.citizenId ?? '',
    year: view.year,
    due: (view.sortDue ?? NEVER).getTime(),
    overdue: view.overdue,
    closed: view.closed,
    key: view.key,
    sat: view.satisfaction ?? '',
    last: view.lastEventAt.getTime(),
  };
}

/** The boards a case belongs to, as [board, family] pairs. */
export function boardsOf(view: CaseView): [string, Family][] {
  const out: [string, Family][] = [];
  for (const u of view.units) out.push([`unit:${u}`, 'unit']);
  for (const d of view.deputies) out.push([`deputy:${d}`, 'deputy']);
  if (view.stationId) out.push([`station:${view.stationId}`, 'station']);
  if (view.citizenId) out.push([`citizen:${view.citizenId}`, 'citizen']);
  out.push(view.closed ? ['closed', 'closed'] : ['open', 'open']);
  return out;
}

/** The chunks a view's case is in: chunk id → board. */
export function membershipOf(view: CaseView): Map<string, string> {
  const m = new Map<string, string>();
  for (const [board, family] of boardsOf(view)) m.set(chunkOf(board, family, view.caseId, view.year), board);
  return m;
}

/**
 * The deltas that take the boards from the case's former membership (the chunks its stored view
 * was in) to its new view: its entry in every chunk it is in now, a tombstone in every chunk it left.
 */
export function deltasFor(view: CaseView, formerChunks: Record<string, string> | undefined): Delta[] {
  const now = membershipOf(view);
  const entry = entryOf(view);
  const out: Delta[] = [];
  for (const [chunk, board] of now) out.push({ board, chunk, id: view.caseId, v: entry.v, entry });
  for (const [chunk, board] of Object.entries(formerChunks ?? {}))
    if (!now.has(chunk)) out.push({ board, chunk, id: view.caseId, v: entry.v });
  return out;
}

/**
 * Applies deltas to a chunk: a row or tombstone replaces what is there only when its version is
 * newer, or equal (the same version gives the same row); tombstones older than TOMBSTONE_MS go.
 * Returns whether anything changed.
 */
export function applyDeltas(chunk: ChunkData, deltas: Delta[], nowMs: number): boolean {
  let changed = false;
  for (const d of deltas) {
    const have = chunk.e[d.id]?.v ?? chunk.t[d.id]?.[0] ?? -1;
    if (d.v < have) continue;
    if (d.entry) {
      if (d.v === have && chunk.e[d.id]) continue;
      chunk.e[d.id] = d.entry;
      delete chunk.t[d.id];
    } else {
      if (d.v === have && chunk.t[d.id]) continue;
      delete chunk.e[d.id];
      chunk.t[d.id] = [d.v, nowMs];
    }
    changed = true;
  }
  for (const [id, [, at]] of Object.entries(chunk.t))
    if (nowMs - at > TOMBSTONE_MS) {
      delete chunk.t[id];
      changed = true;
    }
  return changed;
}

/** Counts of a chunk's cases: "jurisdiction|kind|stage" → [count, overdue]. */
export type Tally = Record<string, [number, number]>;

export function tallyOf(entries: Iterable<Entry>): Tally {
  const t: Tally = {};
  for (const e of entries) {
    const k = `${e.j}|${e.kind}|${e.stage}`;
    const row = (t[k] ??= [0, 0]);
    row[0] += 1;
    if (e.overdue) row[1] += 1;
  }
  return t;
}

export function addTallies(tallies: Iterable<Tally>): Tally {
  const sum: Tally = {};
  for (const t of tallies)
    for (const [k, [n, o]] of Object.entries(t)) {
      const row = (sum[k] ??= [0, 0]);
      row[0] += n;
      row[1] += o;
    }
  return sum;
}
