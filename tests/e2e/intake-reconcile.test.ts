// A suggestion, a citizen's opinion or an oversight case stored while its workflow never started (the service died
// between the two, and no retry came): the intake reconciler starts it, once, with the
// jurisdiction's policy.
import { connectMongo, signToken } from '@duban/platform';
import type { Connection } from 'mongoose';
import { reconcileIntakes } from '@duban/suggestions/src/use-cases/intake';
import { suggestionModels } from '@duban/suggestions/src/data/models';
import { reconcileOpinions } from '@duban/citizen/src/use-cases/intake';
import { citizenModels } from '@duban/citizen/src/data/models';
import { reconcileCases } from '@duban/oversight/src/use-cases/intake';
import { oversightModels } from '@duban/oversight/src/data/models';
import { ISSUER, SECRET, call, eventually, stackEnv, startSystem, token, type System } from '../support/system';

let sys: System;
let conn: Connection;
let citizenConn: Connection;
let models: ReturnType<typeof suggestionModels>;
let opinions: ReturnType<typeof citizenModels>;
beforeAll(async () => {
  sys = await startSystem();
  conn = await connectMongo(stackEnv().MONGO_URL, 'duban_suggestions');
  models = suggestionModels(conn);
  citizenConn = await connectMongo(stackEnv().MONGO_URL, 'duban_citizen');
  opinions = citizenModels(citizenConn);
});
afterAll(async () => {
  await conn?.close();
  await citizenConn?.close();
  await sys?.stop();
});

const stored = (caseId: string, more: Record<string, unknown> = {}) => ({
  _id: caseId,
  deputyId: 'deputy-003',
  jurisdiction: 'cn-zj-demo-city',
  title: '关于整治河道污染的建议',
  content: '建议对城区河道排污口开展专项整治。',
  category: 'environment',
  policySources: [],
  startPending: true,
  ...more,
});

it('starts the workflow of a suggestion stored without one, and only once', async () => {
  const caseId = `suggestion-2026-${String(Date.now()).slice(-8)}`;
  await models.Suggestion.create({
    ...stored(caseId),
    submittedAt: new Date(Date.now() - 20_000), // within the service's own grace (30 s): this test repairs it
  });
  const deps = { models, temporal: sys.temporal, taskQueue: sys.taskQueue };
  const bearer = `Bearer ${await signToken({ role: 'operator', sub: 'test' }, { secret: SECRET, issuer: ISSUER })}`;
  const policyOf = async (jurisdiction: string) => {
    const r = await call('GET', `${sys.registryUrl}/v1/jurisdictions/${jurisdiction}/policy`, {
      headers: { authorization: bearer },
    });
    return r.body;
  };
  // One stored a moment ago may still be in its own intake request: left alone.
  expect((await reconcileIntakes(deps, policyOf, 120_000)).started).not.toContain(caseId);

  expect((await reconcileIntakes(deps, policyOf, 10_000)).started).toContain(caseId);
  expect((await models.Suggestion.findById(caseId).lean())?.startPending).toBeUndefined();
  expect((await reconcileIntakes(deps, policyOf, 10_000)).started).not.toContain(caseId);

  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const state = await eventually(async () => {
    const r = await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${caseId}`, { token: staff });
    return r.status === 200 && r.body.state?.stage === 'submitted' ? r.body : false;
  }, 'the repaired case to run');
  expect(state.title).toBe('关于整治河道污染的建议');
  const runs = [];
  for await (const wf of sys.temporal.workflow.list({ query: `WorkflowId = '${caseId}'` })) runs.push(wf.runId);
  expect(runs).toHaveLength(1);
});

it("deletes a retry's abandoned copy, and claims the key of a suggestion whose key was never stored", async () => {
  const n = String(Date.now()).slice(-7);
  const [copy, kept, orphan] = ['1', '2', '3'].map((d) => `suggestion-2026-${d}${n}`);
  const submittedAt = new Date(Date.now() - 20_000);
  // The first request stored `copy`, failed before its key; the retry stored `kept` under the key.
  await models.Suggestion.create({ ...stored(copy, { intakeKey: `deputy-003:k-${n}` }), submittedAt });
  await models.IntakeKey.create({ _id: `deputy-003:k-${n}`, caseId: kept, requestHash: 'h', createdAt: submittedAt });
  // This one's request stopped before its key was stored, and no retry came.
  await models.Suggestion.create({ ...stored(orphan, { intakeKey: `deputy-003:o-${n}` }), submittedAt });
  const deps = { models, temporal: sys.temporal, taskQueue: sys.taskQueue };
  const bearer = `Bearer ${await signToken({ role: 'operator', sub: 'test' }, { secret: SECRET, issuer: ISSUER })}`;
  const policyOf = async (j: string) =>
    (await call('GET', `${sys.registryUrl}/v1/jurisdictions/${j}/policy`, { headers: { authorization: bearer } })).body;

  const out = await reconcileIntakes(deps, policyOf, 10_000);
  expect(out.dropped).toContain(copy);
  expect(out.started).toContain(orphan);
  expect(out.started).not.toContain(copy);
  expect(await models.Suggestion.findById(copy).lean()).toBeNull();
  expect((await models.IntakeKey.findById(`deputy-003:o-${n}`).lean())?.caseId).toBe(orphan);
  await sys.temporal.workflow.getHandle(orphan).describe();
  await expect(sys.temporal.workflow.getHandle(copy).describe()).rejects.toThrow();
});

it("starts the workflow of a citizen's opinion stored without one, once, and drops a retry's copy", async () => {
  const n = String(Date.now()).slice(-6);
  const [orphan, copy] = ['1', '2'].map((d) => `opinion-2026-${d}${n}`);
  const base = {
    citizenId: 'citizen-e2e',
    jurisdiction: 'cn-zj-demo-city',
    stationId: 'station-riverside',
    stationDeputies: [],
    channel: 'online' as const,
    category: 'transport',
    content: '公交站台需要遮雨棚。',
    policySources: [],
    startPending: true,
    submittedAt: new Date(Date.now() - 20_000),
  };
  await opinions.Opinion.create({ _id: orphan, ...base, intakeKey: `citizen-e2e:o-${n}` });
  // The first request stored `copy` and died before its key; its retry made another case under the key.
  await opinions.Opinion.create({ _id: copy, ...base, intakeKey: `citizen-e2e:c-${n}` });
  await opinions.IntakeKey.create({
    _id: `citizen-e2e:c-${n}`,
    caseId: 'opinion-2026-kept',
    requestHash: 'h',
    createdAt: new Date(),
  });

  const bearer = `Bearer ${await signToken({ role: 'operator', sub: 'test' }, { secret: SECRET, issuer: ISSUER })}`;
  const get = async (path: string) =>
    (await call('GET', `${sys.registryUrl}${path}`, { headers: { authorization: bearer } })).body;
  const registry = {
    station: (id: string) => get(`/v1/stations/${id}`),
    policyOf: (j: string) => get(`/v1/jurisdictions/${j}/policy`),
  };
  const deps = { models: opinions, temporal: sys.temporal, taskQueue: sys.taskQueue };
  // One stored a moment ago may still be in its own intake request: left alone.
  expect((await reconcileOpinions(deps, registry, 120_000)).started).not.toContain(orphan);

  const out = await reconcileOpinions(deps, registry, 10_000);
  expect(out.started).toContain(orphan);
  expect(out.dropped).toContain(copy);
  expect(await opinions.Opinion.findById(copy).lean()).toBeNull();
  expect((await opinions.Opinion.findById(orphan).lean())?.startPending).toBeUndefined();
  expect((await opinions.IntakeKey.findById(`citizen-e2e:o-${n}`).lean())?.caseId).toBe(orphan);
  expect((await reconcileOpinions(deps, registry, 10_000)).started).not.toContain(orphan);

  const described = await sys.temporal.workflow.getHandle(orphan).describe();
  expect(described.type).toBe('citizenOpinionWorkflow');
  expect(described.searchAttributes.CaseKind).toEqual(['citizen_opinion']);
  await expect(sys.temporal.workflow.getHandle(copy).describe()).rejects.toThrow();
});

it('starts the workflows of an oversight case stored without them: every unit part of a review opinion, an inquiry', async () => {
  const conn2 = await connectMongo(stackEnv().MONGO_URL, 'duban_oversight');
  try {
    const cases = oversightModels(conn2);
    const n = String(Date.now()).slice(-6);
    const opinion = `review-opinion-2026-9${n}`;
    const inquiry = `inquiry-2026-9${n}`;
    const openedAt = new Date(Date.now() - 20_000);
    const common = {
      jurisdiction: 'cn-zj-demo-city',
      openedAt,
      openedBy: 'staff:clerk-1',
      policySources: [],
      startPending: true,
      start: { by: { role: 'staff', sub: 'clerk-1' } },
    };
    await cases.Case.create({
      _id: opinion,
      ...common,
      kind: 'review_opinion',
      title: '关于城市管理工作报告的审议意见',
      items: [
        { itemId: '1', list: 'issue', description: '占道经营治理不彻底', unit: 'edu-bureau' },
        { itemId: '2', list: 'supervision', description: '背街小巷保洁', unit: 'transport-bureau' },
      ],
      units: ['edu-bureau', 'transport-bureau'],
      members: [],
    });
    await cases.Case.create({
      _id: inquiry,
      ...common,
      kind: 'inquiry',
      title: '关于校车安全的质询',
      items: [],
      units: ['edu-bureau'],
      members: ['deputy-001', 'deputy-002'],
      intakeKey: `deputy-001:q-${n}`,
      intakeHash: 'h-q',
    });
    const bearer = `Bearer ${await signToken({ role: 'operator', sub: 'test' }, { secret: SECRET, issuer: ISSUER })}`;
    const policyOf = async (j: string) =>
      (await call('GET', `${sys.registryUrl}/v1/jurisdictions/${j}/policy`, { headers: { authorization: bearer } }))
        .body;
    const deps = { models: cases, temporal: sys.temporal, taskQueue: sys.taskQueue };

    const out = await reconcileCases(deps, policyOf, 10_000);
    expect(out.started).toEqual(expect.arrayContaining([opinion, inquiry]));
    expect((await reconcileCases(deps, policyOf, 10_000)).started).not.toContain(opinion);
    expect((await cases.Case.findById(inquiry).lean())?.startPending).toBeUndefined();
    expect((await cases.IntakeKey.findById(`deputy-001:q-${n}`).lean())?.requestHash).toBe('h-q');

    const parts = await Promise.all(
      ['edu-bureau', 'transport-bureau'].map((u) => sys.temporal.workflow.getHandle(`${opinion}.${u}`).describe()),
    );
    expect(parts.map((d) => d.type)).toEqual(['reviewOpinionWorkflow', 'reviewOpinionWorkflow']);
    const q = await sys.temporal.workflow.getHandle(inquiry).describe();
    expect(q.type).toBe('inquiryWorkflow');
    expect(q.searchAttributes.Unit).toEqual(['edu-bureau']);
  } finally {
    await conn2.close();
  }
});
