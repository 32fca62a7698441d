// What the figures routes read: the period's rows summed per entity, the registered entities
// without rows, and the scores rules of each jurisdiction (from the registry).
import { HttpError } from '@duban/platform';
import type { EntityKind, ScoresModels } from '../data/models';
import { emptyTotals, sumRows, type EntityTotals } from './figures';
import { NATIONAL_SCORES, type NamedEntry, type RegistryReader, type ScoresRules } from '../clients/registry';

/** Reads the period's rows of one kind and sums them by (jurisdiction, entity). */
export async function totalsOf(
  models: ScoresModels,
  kind: EntityKind,
  period: string,
  filter: { jurisdiction?: string; entity?: string },
): Promise<EntityTotals[]> {
  const rows = await models.ScoreRow.find({
    kind,
    period,
    ...(filter.jurisdiction ? { jurisdiction: filter.jurisdiction } : {}),
    ...(filter.entity ? { entity: filter.entity } : {}),
  }).lean();
  return sumRows(rows);
}

/** Adds the registered entities of the jurisdiction that have no rows, with zero counters. */
export function withRegistered(
  kind: EntityKind,
  totals: EntityTotals[],
  registered: NamedEntry[],
  jurisdiction?: string,
) {
  if (!jurisdiction) return totals;
  const have = new Set(totals.map((t) => t.entity));
  const extra = registered.filter((r) => !have.has(r.id)).map((r) => emptyTotals(kind, r.id, jurisdiction));
  return [...totals, ...extra];
}

export async function rulesFor(registry: RegistryReader, jurisdictions: string[]): Promise<Map<string, ScoresRules>> {
  const out = new Map<string, ScoresRules>();
  for (const j of new Set(jurisdictions)) out.set(j, j ? await registry.scoresRules(j) : NATIONAL_SCORES);
  return out;
}

export const policySourcesOf = (rules: Map<string, ScoresRules>) =>
  Object.fromEntries([...rules].map(([j, r]) => [j, r.sources]));

/** The single (jurisdiction) total of one entity; zero if it has none in the period. */
export function single(kind: EntityKind, entity: string, totals: EntityTotals[], jurisdiction?: string): EntityTotals {
  if (totals.length > 1)
    throw new HttpError(
      400,
      'ambiguous',
      `${kind} "${entity}" has figures in several jurisdictions (${totals.map((t) => t.jurisdiction).join(', ')}); name one with ?jurisdiction=`,
    );
  return totals[0] ?? emptyTotals(kind, entity, jurisdiction ?? '');
}
