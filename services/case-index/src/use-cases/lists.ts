// The lists and counts, answered from the boards (see boards.ts): the board that holds every
// case the list can contain is read by _id, chunk by chunk in parallel, filtered and sorted in
// memory; the page's cases are then read by _id. Nothing here scans a collection.
import { HttpError, type Principal } from '@duban/platform';
import { addTallies, chunksOf, type ChunkData, type Entry, type Family, type Tally } from './boards';
import { readChunks, readTallies, type BoardModels } from '../data/board-store';

export interface ListFilters {
  kind?: string;
  stage?: string;
  jurisdiction?: string;
  unit?: string;
  deputy?: string;
  station?: string;
  year?: number;
  overdue?: 'true' | 'false';
  atRisk?: 'true' | 'false';
  flagged?: 'true' | 'false';
  closed?: 'true' | 'false';
  satisfaction?: string;
  key?: 'true' | 'false';
  q?: string;
}
export type Sort = 'recent' | 'due';

/** A case is at risk when its answer is due within this many days. */
export const AT_RISK_DAYS = 7;

/** Open, not overdue, due between now and AT_RISK_DAYS ahead (a stored flag would go stale). */
export function isAtRisk(v: { closed: boolean; overdue: boolean; due: number }, nowMs: number): boolean {
  return !v.closed && !v.overdue && v.due >= nowMs && v.due <= nowMs + AT_RISK_DAYS * 86_400_000;
}

/** The boards whose union holds every case this caller may see under these filters. */
async function boardChunks(models: BoardModels, p: Principal, q: ListFilters): Promise<string[]> {
  const one = (board: string, family: Family) => chunksOf(board, family);
  if (p.role === 'unit') return one(`unit:${p.unit}`, 'unit');
  if (p.role === 'deputy') return one(`deputy:${p.sub}`, 'deputy');
  if (p.role === 'citizen') return one(`citizen:${p.sub}`, 'citizen');
  if (q.unit) return one(`unit:${q.unit}`, 'unit');
  if (q.deputy) return one(`deputy:${q.deputy}`, 'deputy');
  if (q.station) return one(`station:${q.station}`, 'station');
  const openOnly = q.closed === 'false' || q.flagged === 'true' || q.atRisk === 'true' || q.overdue === 'true';
  if (openOnly) return one('open', 'open');
  const years = q.year ? [q.year] : closedYears(await readTallies(models, 'closed'));
  const closed = chunksOf('closed', 'closed', years);
  return q.closed === 'true' ? closed : [...one('open', 'open'), ...closed];
}

/** The years that have closed cases, from the closed board's tally (chunk ids closed:<year>#<n>). */
function closedYears(tallies: Record<string, Tally>): number[] {
  return [...new Set(Object.keys(tallies).map((c) => Number(/^closed:(\d+)#/.exec(c)?.[1])))].filter(Number.isFinite);
}

/** Every entry of the chunks, once per case (a case moving between boards: its newest row). */
function union(chunks: ChunkData[]): Entry[] {
  const byId = new Map<string, Entry>();
  for (const c of chunks)
    for (const e of Object.values(c.e)) {
      const have = byId.get(e.id);
      if (!have || have.v < e.v) byId.set(e.id, e);
    }
  return [...byId.values()];
}

/** The filters (and the caller's access) as a predicate on an entry. */
export function matches(p: Principal, q: ListFilters, nowMs: number): (e: Entry) => boolean {
  const text = q.q?.toLowerCase();
  return (e) => {
    if (p.role === 'unit' && !e.units.includes(p.unit!)) return false;
    if (p.role === 'deputy' && !e.deputies.includes(p.sub)) return false;
    if (p.role === 'citizen' && !(e.kind === 'citizen_opinion' && e.citizen === p.sub)) return false;
    if (q.kind && e.kind !== q.kind) return false;
    if (q.stage && e.stage !== q.stage) return false;
    if (q.jurisdiction && e.j !== q.jurisdiction) return false;
    if (q.unit && !e.units.includes(q.unit)) return false;
    if (q.deputy && !e.deputies.includes(q.deputy)) return false;
    if (q.station && e.station !== q.station) return false;
    if (q.year && e.year !== q.year) return false;
    if (q.overdue && e.overdue !== (q.overdue === 'true')) return false;
    if (q.closed && e.closed !== (q.closed === 'true')) return false;
    if (q.satisfaction && e.sat !== q.satisfaction) return false;
    if (q.key && e.key !== (q.key === 'true')) return false;
    const risk = isAtRisk(e, nowMs);
    if (q.atRisk && risk !== (q.atRisk === 'true')) return false;
    if (q.flagged === 'true' && !(e.overdue || risk)) return false;
    if (q.flagged === 'false' && (e.overdue || risk)) return false;
    if (text && e.id !== q.q && !e.title.toLowerCase().includes(text)) return false;
    return true;
  };
}

/** The next page starts after the last row's sort value and id (opaque to the caller). */
export function encodeCursor(sort: Sort, atMs: number, id: string): string {
  return Buffer.from(JSON.stringify([sort, new Date(atMs).toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: Sort): { at: number; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const ok =
    Array.isArray(decoded) &&
    decoded.length === 3 &&
    decoded[0] === sort &&
    typeof decoded[2] === 'string' &&
    !Number.isNaN(Date.parse(decoded[1]));
  if (!ok)
    throw new HttpError(
      400,
      'bad_request',
      'cursor: not one this list gave (use `next` of the page before, with the same sort)',
    );
  return { at: Date.parse((decoded as string[])[1]), id: (decoded as string[])[2] };
}

const sortKey = (sort: Sort, e: Entry) => (sort === 'due' ? e.due : e.last);

/** recent: newest event first; due: soonest due first (closed last); ties by id. */
function compare(sort: Sort) {
  const dir = sort === 'due' ? 1 : -1;
  return (a: Entry, b: Entry) =>
    dir * (sortKey(sort, a) - sortKey(sort, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function listFromBoards(
  models: BoardModels,
  p: Principal,
  q: ListFilters & { sort: Sort; cursor?: string; limit: number },
  nowMs: number,
): Promise<{ page: { id: string; v: number }[]; next?: string }> {
  const entries = union(await readChunks(models, await boardChunks(models, p, q))).filter(matches(p, q, nowMs));
  const cmp = compare(q.sort);
  entries.sort(cmp);
  let start = 0;
  if (q.cursor) {
    const c = decodeCursor(q.cursor, q.sort);
    const probe = { id: c.id, due: c.at, last: c.at } as Entry;
    start = entries.findIndex((e) => cmp(e, probe) > 0);
    if (start < 0) start = entries.length;
  }
  const page = entries.slice(start, start + q.limit);
  const last = page[page.length - 1];
  const next = entries.length > start + q.limit ? encodeCursor(q.sort, sortKey(q.sort, last), last.id) : undefined;
  return { page: page.map((e) => ({ id: e.id, v: e.v })), ...(next ? { next } : {}) };
}

export interface CountRow {
  kind: string;
  stage: string;
  count: number;
  overdue: number;
}

/** Counts per kind and stage: from the tallies when only jurisdiction, kind or stage narrow them. */
export async function countsFromBoards(
  models: BoardModels,
  p: Principal,
  q: ListFilters,
  nowMs: number,
): Promise<CountRow[]> {
  const rows = new Map<string, CountRow>();
  const add = (kind: string, stage: string, n: number, overdue: number) => {
    const k = `${kind}/${stage}`;
    const row = rows.get(k) ?? { kind, stage, count: 0, overdue: 0 };
    row.count += n;
    row.overdue += overdue;
    rows.set(k, row);
  };
  const narrow = Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);
  const staff = p.role === 'staff' || p.role === 'operator';
  if (staff && narrow.every((k) => k === 'jurisdiction' || k === 'kind' || k === 'stage')) {
    const [open, closed] = await Promise.all([readTallies(models, 'open'), readTallies(models, 'closed')]);
    for (const [key, [n, o]] of Object.entries(addTallies([...Object.values(open), ...Object.values(closed)]))) {
      const [j, kind, stage] = key.split('|');
      if ((q.jurisdiction && j !== q.jurisdiction) || (q.kind && kind !== q.kind) || (q.stage && stage !== q.stage))
        continue;
      add(kind, stage, n, o);
    }
  } else {
    const entries = union(await readChunks(models, await boardChunks(models, p, q))).filter(matches(p, q, nowMs));
    for (const e of entries) add(e.kind, e.stage, 1, e.overdue ? 1 : 0);
  }
  return [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.stage.localeCompare(b.stage));
}
