// The registry's entries: handling units, deputies, liaison stations and standing-committee
// members. Each is read by id or listed by jurisdiction, created or replaced whole, and every
// change made over the API is kept in its history (who, when, before and after).
import { randomUUID } from 'node:crypto';
import { HttpError } from '@duban/platform';
import type { RegistryModels } from '../data/models';

/** Each kind of entry (its path name) and the model that stores it. */
const ENTRY_MODELS = {
  units: 'Unit',
  deputies: 'Deputy',
  stations: 'Station',
  'committee-members': 'CommitteeMember',
} as const;
export type EntryKind = keyof typeof ENTRY_MODELS;

type Entry = { id: string } & Record<string, unknown>;

export interface EntryChange {
  at: string;
  by: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

function modelOf(models: RegistryModels, kind: EntryKind) {
  return models[ENTRY_MODELS[kind]] as RegistryModels['Unit'];
}

/** The same entry, whatever the order of its fields. */
function sameEntry(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as object)
              .filter(([, x]) => x !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, x]) => [k, canon(x)]),
          )
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/**
 * An entry may only name what the registry has: its jurisdiction (one with a policy) and, for a
 * station, its deputies. Otherwise a 422 naming each field at fault, and nothing is stored.
 */
async function checkReferences(
  models: RegistryModels,
  doc: { jurisdiction: string; deputies?: string[] },
): Promise<void> {
  const problems: { path: string; message: string }[] = [];
  if (!(await models.Policy.exists({ _id: doc.jurisdiction })))
    problems.push({ path: 'jurisdiction', message: `jurisdiction "${doc.jurisdiction}" is not registered` });
  if (doc.deputies?.length) {
    const known = new Set(
      (await models.Deputy.find({ _id: { $in: doc.deputies } }, { _id: 1 }).lean()).map((d) => String(d._id)),
    );
    doc.deputies.forEach((d, i) => {
      if (!known.has(d)) problems.push({ path: `deputies.${i}`, message: `deputy "${d}" is not registered` });
    });
  }
  if (problems.length)
    throw new HttpError(
      422,
      'unknown_reference',
      `invalid body: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
}

/** The entries of a kind (of one jurisdiction, or all), by id. */
export async function listEntries(models: RegistryModels, kind: EntryKind, jurisdiction?: string): Promise<Entry[]> {
  const filter = jurisdiction ? { jurisdiction } : {};
  const docs = await modelOf(models, kind).find(filter).sort({ _id: 1 }).limit(1000).lean();
  return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
}

/** One entry, or undefined when the registry does not have it. */
export async function findEntry(models: RegistryModels, kind: EntryKind, id: string): Promise<Entry | undefined> {
  const doc = await modelOf(models, kind).findById(id).lean();
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

/**
 * Creates or replaces an entry once its references are known, and records the change (`by`
 * wrote it). The same entry again stores nothing and adds no change.
 */
export async function putEntry(
  models: RegistryModels,
  kind: EntryKind,
  id: string,
  doc: { jurisdiction: string; deputies?: string[] },
  by: string,
): Promise<Entry> {
  await checkReferences(models, doc);
  const m = modelOf(models, kind);
  const before = await m.findById(id).lean();
  const { _id: _before, ...old } = before ?? { _id: id };
  const after = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  if (before && sameEntry(old, after)) return { id, ...after };
  await m.replaceOne({ _id: id }, doc as never, { upsert: true });
  await models.RegistryChange.create({
    _id: randomUUID(),
    kind,
    entityId: id,
    at: new Date(),
    by,
    before: before ? old : null,
    after,
  });
  return { id, ...after };
}

/** Every change to an entry made over the API, oldest first (none for an entry only ever seeded). */
export async function entryHistory(models: RegistryModels, kind: EntryKind, id: string): Promise<EntryChange[]> {
  const docs = await models.RegistryChange.find({ kind, entityId: id }).sort({ at: 1 }).limit(1000).lean();
  return docs.map((c) => ({ at: c.at.toISOString(), by: c.by, before: c.before, after: c.after }));
}
