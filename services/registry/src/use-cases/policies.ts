// Stores policy documents and resolves the effective policy of a jurisdiction.
import {
  policyDocumentSchema,
  resolvePolicy,
  PolicyError,
  type EffectivePolicy,
  type PolicyDocument,
} from '@duban/domain';
import type { PolicyDoc, RegistryModels } from '../data/models';

const MAX_CHAIN = 6;
type Chain = { doc: PolicyDocument; version: number }[];

function toDocument(s: PolicyDoc): PolicyDocument {
  return {
    id: s._id,
    name: s.name,
    level: s.level as PolicyDocument['level'],
    ...(s.parent ? { parent: s.parent } : {}),
    ...(s.drill !== undefined ? { drill: s.drill } : {}),
    settings: s.settings,
  };
}

/** The stored chain from the national document down to `id`; empty if `id` is unknown. */
async function loadChain(models: RegistryModels, id: string): Promise<Chain> {
  const chain: Chain = [];
  for (let next: string | undefined = id; next;) {
    if (chain.length >= MAX_CHAIN || chain.some((c) => c.doc.id === next))
      throw new PolicyError(`policy chain of "${id}" loops or is deeper than ${MAX_CHAIN}`);
    const stored: PolicyDoc | null = await models.Policy.findById(next).lean();
    if (!stored) {
      if (chain.length === 0) return [];
      throw new PolicyError(`policy "${chain[0].doc.id}" names a parent "${next}" that does not exist`);
    }
    chain.unshift({ doc: toDocument(stored), version: stored.version });
    next = stored.parent;
  }
  return chain;
}

export async function effectivePolicy(models: RegistryModels, id: string): Promise<EffectivePolicy | undefined> {
  const chain = await loadChain(models, id);
  return chain.length ? resolvePolicy(chain) : undefined;
}

/**
 * Validates a document as it would resolve, and stores it only if valid. Storing the same
 * document again keeps its version (repeated requests do no harm).
 */
export async function putPolicy(
  models: RegistryModels,
  input: PolicyDocument,
): Promise<{ version: number; changed: boolean; effective: EffectivePolicy }> {
  const doc = policyDocumentSchema.parse(input);
  const parentChain = doc.parent ? await loadChain(models, doc.parent) : [];
  if (doc.parent && parentChain.length === 0) throw new PolicyError(`parent policy "${doc.parent}" does not exist`);
  const existing = await models.Policy.findById(doc.id).lean();
  const same = !!existing && JSON.stringify(toDocument(existing)) === JSON.stringify(doc);
  const version = same ? existing.version : (existing?.version ?? 0) + 1;
  const effective = resolvePolicy([...parentChain, { doc, version }]);
  if (!same) {
    await models.Policy.replaceOne(
      { _id: doc.id },
      {
        name: doc.name,
        level: doc.level,
        parent: doc.parent,
        drill: doc.drill,
        settings: doc.settings,
        version,
        updatedAt: new Date(),
      },
      { upsert: true },
    );
  }
  return { version, changed: !same, effective };
}
