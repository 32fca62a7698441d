// Loads the national defaults and a demo jurisdiction (policy, units, deputies, a liaison
// station) into the registry. Idempotent: running it again changes nothing.
import nationalPolicy from '@duban/domain/data/policy-national.json';
import type { PolicyDocument } from '@duban/domain';
import { putPolicy } from './policies';
import type { RegistryModels } from '../data/models';
import demo from '../../data/demo.json';

export async function seedDemo(
  models: RegistryModels,
): Promise<{ policies: number; units: number; deputies: number; stations: number; members: number }> {
  for (const p of [nationalPolicy, ...demo.policies] as PolicyDocument[]) await putPolicy(models, p);
  const upsertAll = async (
    model: { replaceOne: (f: object, d: object, o: object) => PromiseLike<unknown> },
    items: { id: string }[],
  ) => {
    for (const { id, ...rest } of items) await model.replaceOne({ _id: id }, rest, { upsert: true });
  };
  await upsertAll(models.Unit, demo.units);
  await upsertAll(models.Deputy, demo.deputies);
  await upsertAll(models.Station, demo.stations);
  await upsertAll(models.CommitteeMember, demo.committeeMembers);
  return {
    policies: demo.policies.length + 1,
    units: demo.units.length,
    deputies: demo.deputies.length,
    stations: demo.stations.length,
    members: demo.committeeMembers.length,
  };
}
