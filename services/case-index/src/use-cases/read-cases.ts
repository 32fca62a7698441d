// Reading the case index: the lists and counts (from the boards, or a query of the views), one
// case and its timeline, each as the caller may see it.
import { HttpError, notFound, type Principal } from '@duban/platform';
import type { BoardModels } from '../data/board-store';
import type { CaseIndexModels, CaseViewDoc } from '../data/models';
import type { ViewCache } from '../data/view-cache';
import { AT_RISK_DAYS, countsFromBoards, decodeCursor, encodeCursor, isAtRisk, listFromBoards } from './lists';
import type { Filters, ListQuery } from '../http/routes';

export { AT_RISK_DAYS } from './lists';

/**
 * At risk (临期): open, not overdue, and due between now and AT_RISK_DAYS ahead. One rule
 * (isAtRisk in lists.ts) for the lists' filter and the flag each view is shown with (a stored
 * flag would go stale as time passes).
 */
export function atRiskAt(now: Date) {
  const soon = new Date(now.getTime() + AT_RISK_DAYS * 86_400_000);
  return {
    filter: { closed: false, overdue: false, sortDue: { $gte: now, $lte: soon } },
    holds: (v: Pick<CaseViewDoc, 'closed' | 'overdue' | 'sortDue'>) =>
      isAtRisk({ closed: v.closed, overdue: v.overdue, due: v.sortDue.getTime() }, now.getTime()),
  };
}

function canRead(p: Principal, v: CaseViewDoc): boolean {
  if (p.role === 'staff' || p.role === 'operator') return true;
  if (p.role === 'deputy') return v.deputies.includes(p.sub);
  if (p.role === 'unit') return v.units.includes(p.unit!);
  if (p.role === 'citizen') return v.kind === 'citizen_opinion' && v.citizenId === p.sub;
  return false;
}

/** What the caller may see, as a filter: staff all, a unit its own, a deputy theirs, a citizen their opinions. */
function scope(p: Principal, q: Filters): Record<string, unknown> {
  if (p.role === 'unit') {
    if (q.unit && q.unit !== p.unit)
      throw new HttpError(403, 'forbidden', `a handler of ${p.unit} may not list the cases of ${q.unit}`);
    return { units: p.unit };
  }
  if (p.role === 'deputy') {
    if (q.deputy && q.deputy !== p.sub)
      throw new HttpError(403, 'forbidden', `a deputy lists their own cases, not those of ${q.deputy}`);
    return { deputies: p.sub };
  }
  if (p.role === 'citizen') return { kind: 'citizen_opinion', citizenId: p.sub };
  return {};
}

function filterOf(p: Principal, q: Filters, now: Date): Record<string, unknown>[] {
  const and: Record<string, unknown>[] = [scope(p, q)];
  const atRisk = atRiskAt(now).filter;
  if (q.kind) and.push({ kind: q.kind });
  if (q.stage) and.push({ stage: q.stage });
  if (q.jurisdiction) and.push({ jurisdiction: q.jurisdiction });
  if (q.unit) and.push({ units: q.unit });
  if (q.deputy) and.push({ deputies: q.deputy });
  if (q.station) and.push({ stationId: q.station });
  if (q.year) and.push({ year: q.year });
  if (q.overdue) and.push({ overdue: q.overdue === 'true' });
  if (q.closed) and.push({ closed: q.closed === 'true' });
  if (q.satisfaction) and.push({ satisfaction: q.satisfaction });
  if (q.key) and.push({ key: q.key === 'true' });
  if (q.atRisk === 'true') and.push(atRisk);
  if (q.atRisk === 'false') and.push({ $nor: [atRisk] });
  if (q.flagged === 'true') and.push({ $or: [{ overdue: true }, atRisk] });
  if (q.q) {
    const text = q.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    and.push({ $or: [{ _id: q.q }, { title: { $regex: text, $options: 'i' } }] });
  }
  return and.filter((f) => Object.keys(f).length > 0);
}

/** The next page starts after the last row's sort value and id (opaque to the caller). */
const SORTS = {
  recent: { field: 'lastEventAt', dir: -1 },
  due: { field: 'sortDue', dir: 1 },
} as const;

function cursorAfter(v: CaseViewDoc, sort: keyof typeof SORTS): string {
  return encodeCursor(sort, (v[SORTS[sort].field] as Date).getTime(), v._id);
}

function afterCursor(cursor: string, sort: keyof typeof SORTS): Record<string, unknown> {
  const { at, id } = decodeCursor(cursor, sort);
  const { field, dir } = SORTS[sort];
  const op = dir === 1 ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: new Date(at) } }, { [field]: new Date(at), _id: { [op]: id } }] };
}

function present(v: CaseViewDoc, now = new Date()) {
  const { _id, caseOverdue: _c, sortDue: _s, boardChunks: _b, ...rest } = v;
  return { ...rest, caseId: _id, atRisk: atRiskAt(now).holds(v) };
}

export interface CaseReader {
  models: CaseIndexModels;
  /** The lists from the boards; without them, a query of the views. */
  boards?: BoardModels;
  cache?: ViewCache;
}

/** A listed case's view: from the cache when it is at least the board row's version, else the store. */
async function viewAt({ models, cache }: CaseReader, id: string, v: number): Promise<CaseViewDoc | null> {
  const cached = cache?.get(id);
  if (cached && cached.eventCount >= v) return cached;
  const stored = await models.CaseView.findById(id).lean<CaseViewDoc>();
  if (stored) cache?.set(stored);
  return stored as CaseViewDoc | null;
}

async function readable({ models }: CaseReader, principal: Principal, id: string): Promise<CaseViewDoc> {
  const v = await models.CaseView.findById(id).lean();
  if (!v || !canRead(principal, v)) throw notFound(`case ${id}`);
  return v;
}

export async function listCases(r: CaseReader, principal: Principal, query: ListQuery) {
  const now = new Date();
  const and = filterOf(principal, query, now);
  if (r.boards) {
    const { page, next } = await listFromBoards(r.boards, principal, query, now.getTime());
    const views = await Promise.all(page.map(({ id, v }) => viewAt(r, id, v)));
    // A board follows the views by a moment: a case that no longer fits the filters is left out.
    const fits = views.filter((v): v is CaseViewDoc => !!v && canRead(principal, v));
    return { items: fits.map((v) => present(v, now)), ...(next ? { next } : {}) };
  }
  if (query.cursor) and.push(afterCursor(query.cursor, query.sort));
  const { field, dir } = SORTS[query.sort];
  const rows = await r.models.CaseView.find(and.length ? { $and: and } : {})
    .sort({ [field]: dir, _id: dir })
    .limit(query.limit + 1)
    .lean();
  const page = rows.slice(0, query.limit);
  const next = rows.length > query.limit ? cursorAfter(page[page.length - 1], query.sort) : undefined;
  return { items: page.map((v) => present(v, now)), ...(next ? { next } : {}) };
}

export async function countCases(r: CaseReader, principal: Principal, query: Filters) {
  const and = filterOf(principal, query, new Date());
  const totals = (items: { count: number; overdue: number }[]) => ({
    total: items.reduce((n, x) => n + x.count, 0),
    overdue: items.reduce((n, x) => n + x.overdue, 0),
  });
  if (r.boards) {
    const items = await countsFromBoards(r.boards, principal, query, Date.now());
    return { items, ...totals(items) };
  }
  const groups = (await r.models.CaseView.aggregate([
    { $match: and.length ? { $and: and } : {} },
    { $group: { _id: { kind: '$kind', stage: '$stage', overdue: '$overdue' }, count: { $sum: 1 } } },
  ])) as { _id: { kind: string; stage: string; overdue: boolean }; count: number }[];
  const byStage = new Map<string, { kind: string; stage: string; count: number; overdue: number }>();
  for (const g of groups) {
    const k = `${g._id.kind}/${g._id.stage}`;
    const row = byStage.get(k) ?? { kind: g._id.kind, stage: g._id.stage, count: 0, overdue: 0 };
    row.count += g.count;
    if (g._id.overdue) row.overdue += g.count;
    byStage.set(k, row);
  }
  const items = [...byStage.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.stage.localeCompare(b.stage));
  return { items, ...totals(items) };
}

export async function readCase(r: CaseReader, principal: Principal, id: string) {
  return present(await readable(r, principal, id));
}

export async function caseTimeline(r: CaseReader, principal: Principal, id: string) {
  await readable(r, principal, id);
  const events = [...((await r.models.CaseEvents.findById(id).lean())?.events ?? [])];
  events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.offset - b.offset);
  return {
    caseId: id,
    events: events.map((e) => ({
      eventId: e._id,
      type: e.type,
      occurredAt: e.occurredAt,
      producer: e.producer,
      actor: e.actor ?? 'system',
      body: e.body,
    })),
  };
}
