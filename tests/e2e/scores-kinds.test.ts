// The scores from every case kind over the real stack: registry (demo seed) and scores
// in-process; the scenario of services/scores/test/kinds-scenario.ts (citizen opinions, liaison
// letters, review-opinion parts, an inquiry, investigations, livelihood projects, regulation and
// appointee reports) published by the project's publisher to the topic of each kind, with a
// duplicate delivery. The figures over HTTP are the hand-computed ones; units without figures
// are listed last; then POST /v1/admin/rebuild replays every topic and the read model's
// documents (rows, case facts, event streams) and the figures are deep-equal to before.
import { randomUUID } from 'node:crypto';
import { buildEnvelope, createEventPublisher, createKafka, topicForCaseKind } from '@duban/platform';
import { createRegistryApp } from '@duban/registry/src/main';
import { seedDemo } from '@duban/registry/src/use-cases/seed';
import { createScoresApp } from '@duban/scores/src/main';
import { EXPECTED_DEPUTY_3, EXPECTED_STATION, EXPECTED_UNITS, kindsScenario } from '@duban/scores/test/kinds-scenario';
import { ISSUER, SECRET, call, consumeFromNow, eventually, logger, stackEnv, token } from '../support/system';

const run = randomUUID().slice(0, 8);
const J = `cn-scores-kinds-${run}`;
const ids = {
  jurisdiction: J,
  unitC: `unit-c-${run}`,
  unitD: `unit-d-${run}`,
  unitE: `unit-e-${run}`,
  unitF: `unit-f-${run}`,
  deputy3: `deputy-3-${run}`,
  station: `station-s-${run}`,
  cases: `kinds-${run}`,
};
const unitG = `unit-g-${run}`;
const deputy4 = `deputy-4-${run}`;
const station2 = `station-t-${run}`;

let registry: ReturnType<typeof createRegistryApp>;
let scores: ReturnType<typeof createScoresApp>;
let registryUrl: string;
let scoresUrl: string;
let staff: string;
let operator: string;

beforeAll(async () => {
  const env = stackEnv();
  const common = { AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: ISSUER, HTTP_PORT: 0, HTTP_HOST: '127.0.0.1' };
  registry = createRegistryApp({ ...common, MONGO_URL: env.MONGO_URL, MONGO_DB: 'duban_registry' }, logger);
  await registry.start();
  await seedDemo(registry.models!);
  registryUrl = `http://127.0.0.1:${registry.port}`;
  // The live group reads this test's events only; the rebuild below still replays every topic.
  await consumeFromNow(createKafka({ brokers: env.KAFKA_BROKERS, clientId: `test-admin-${run}`, logger }), [
    `scores-kinds-test-${run}`,
  ]);
  scores = createScoresApp(
    {
      ...common,
      MONGO_URL: env.MONGO_URL,
      MONGO_DB: `duban_scores_kinds_${run}`,
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      KAFKA_GROUP_ID: `scores-kinds-test-${run}`,
      REGISTRY_URL: registryUrl,
      POLICY_CACHE_SECONDS: 0,
    },
    logger,
  );
  await scores.start();
  scoresUrl = `http://127.0.0.1:${scores.port}`;
  staff = await token({ role: 'staff', sub: 'clerk-1' });
  operator = await token({ role: 'operator', sub: 'ops-1' });
});
afterAll(async () => {
  await scores?.stop();
  await registry?.stop();
});

async function put(path: string, body: unknown) {
  const res = await call('PUT', `${registryUrl}${path}`, { token: staff, body });
  expect(res.status).toBe(200);
}

const get = (path: string, tok = staff) => call('GET', `${scoresUrl}${path}`, { token: tok });

/** Everything the service answers about the jurisdiction in 2026. */
async function figures() {
  const q = `period=2026&jurisdiction=${J}`;
  const [units, deputies, stations, unitE, deputy3] = await Promise.all([
    get(`/v1/scores/units?${q}`),
    get(`/v1/scores/deputies?${q}`),
    get(`/v1/scores/stations?${q}`),
    get(`/v1/scores/units/${ids.unitE}?period=2026`),
    get(`/v1/scores/deputies/${ids.deputy3}?period=2026`),
  ]);
  return {
    units: units.body.items,
    deputies: deputies.body.items,
    stations: stations.body.items,
    unitE: unitE.body,
    deputy3: deputy3.body,
  };
}

/** The read model's documents of this run: rows and case facts of the jurisdiction, event streams of its cases. */
async function documents() {
  const m = scores.models!;
  const mine = { _id: { $regex: `^${ids.cases}-` } };
  return {
    rows: await m.ScoreRow.find({ jurisdiction: J }).sort({ _id: 1 }).lean(),
    facts: await m.CaseFacts.find({ jurisdiction: J }).sort({ _id: 1 }).lean(),
    streams: await m.ScoreEvents.find(mine).sort({ _id: 1 }).lean(),
  };
}

/** [rank, id, figures without rank, name and jurisdiction] of each ranked item. */
const strip = (items: any[], key: string) =>
  items.map(({ rank, name: _n, jurisdiction: _j, ...f }) => [rank, f[key], f]);

it('counts every kind in the unit index, deputy points and station vitality, and a rebuild gives the same documents', async () => {
  await put(`/v1/jurisdictions/${J}/policy`, {
    name: '全口径积分测试市',
    level: 'city',
    parent: 'cn-national',
    settings: {},
  });
  for (const u of [ids.unitC, ids.unitD, ids.unitE, ids.unitF, unitG])
    await put(`/v1/units/${u}`, { name: `测试单位 ${u}`, kind: 'government', jurisdiction: J });
  for (const d of [ids.deputy3, deputy4]) await put(`/v1/deputies/${d}`, { name: `代表 ${d}`, jurisdiction: J });
  for (const s of [ids.station, station2])
    await put(`/v1/stations/${s}`, { name: `联络站 ${s}`, jurisdiction: J, deputies: [ids.deputy3] });

  // Every kind through its real topic, by the project's publisher; one event delivered twice.
  const events = Object.values(kindsScenario(ids)).flat();
  const kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: `test-scores-kinds-${run}`, logger });
  const publisher = await createEventPublisher(kafka);
  const rated = events.find((e) => e.body.case === 'liaisonLetterRated')!;
  try {
    await Promise.all([...events, rated].map((e) => publisher.publish(topicForCaseKind(e.caseKind), buildEnvelope(e))));
  } finally {
    await publisher.disconnect();
  }
  const topics = new Set(events.map((e) => topicForCaseKind(e.caseKind)));
  expect(topics.size).toBe(3); // citizen, oversight (with the duties), livelihood

  const byId = (items: any[] | undefined, key: string, id: string) => items?.find((i) => i[key] === id);
  const before = await eventually(
    async () => {
      const f = await figures();
      return (
        byId(f.units, 'unit', ids.unitC)?.index === EXPECTED_UNITS.allC.index &&
        byId(f.units, 'unit', ids.unitD)?.index === EXPECTED_UNITS.reviewD.index &&
        byId(f.units, 'unit', ids.unitE)?.index === EXPECTED_UNITS.allE.index &&
        byId(f.deputies, 'deputy', ids.deputy3)?.points === EXPECTED_DEPUTY_3.points &&
        byId(f.stations, 'station', ids.station)?.vitality === EXPECTED_STATION.vitality &&
        f
      );
    },
    'every kind in the read model',
    90000,
  );

  // Units: the hand-computed figures; F (an investigation not adopted) and G have no index and
  // are listed last, both at the last place.
  expect(strip(before.units, 'unit')).toEqual([
    [1, ids.unitD, { unit: ids.unitD, ...EXPECTED_UNITS.reviewD }],
    [2, ids.unitE, { unit: ids.unitE, ...EXPECTED_UNITS.allE }],
    [3, ids.unitC, { unit: ids.unitC, ...EXPECTED_UNITS.allC }],
    [5, ids.unitF, { unit: ids.unitF, ...EXPECTED_UNITS.none }],
    [5, unitG, { unit: unitG, ...EXPECTED_UNITS.none }],
  ]);
  expect(before.unitE).toMatchObject({ unit: ids.unitE, name: `测试单位 ${ids.unitE}`, ...EXPECTED_UNITS.allE });
  expect(strip(before.deputies, 'deputy').map(([r, id, f]) => [r, id, (f as any).points])).toEqual([
    [1, ids.deputy3, 10],
    [2, deputy4, 0],
  ]);
  expect(before.deputy3).toMatchObject({ deputy: ids.deputy3, ...EXPECTED_DEPUTY_3 });
  expect(before.deputy3.record.map((r: any) => r.type)).toEqual([
    'CitizenOpinionAnswered',
    'CitizenOpinionLetterSent',
    'CitizenOpinionAnswered',
    'CitizenOpinionAnswered',
    'LiaisonLetterRated',
  ]);
  expect(strip(before.stations, 'station')).toEqual([
    [1, ids.station, { station: ids.station, ...EXPECTED_STATION }],
    [2, station2, expect.objectContaining({ opinionsReceived: 0, vitality: 0, stars: 1 })],
  ]);
  // Bad input is a 400 naming the field.
  const bad = await get(`/v1/scores/units?period=2026-Q5&jurisdiction=${J}`);
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/period/);
  expect((await get(`/v1/scores/units?jurisdiction=${J}&kind=letters`)).status).toBe(400);

  const docsBefore = await documents();
  // One facts document per case, with its kind.
  const kindOf = new Map(events.map((e) => [e.caseId, e.caseKind]));
  expect(docsBefore.facts.map((f: any) => [f._id, f.kind])).toEqual([...kindOf].sort(([a], [b]) => (a < b ? -1 : 1)));
  expect(docsBefore.rows.length).toBeGreaterThan(0);

  // Rebuild: empty the read model, replay every topic from its beginning into a new group.
  const started = await call('POST', `${scoresUrl}/v1/admin/rebuild`, { token: operator });
  expect(started.status).toBe(202);
  expect(new Set(started.body.partitions.map((p: any) => p.topic))).toEqual(
    new Set(['duban.suggestion.events', 'duban.citizen.events', 'duban.oversight.events', 'duban.livelihood.events']),
  );
  const done = await eventually(
    async () => {
      const s = await call('GET', `${scoresUrl}/v1/admin/rebuild`, { token: operator });
      return s.body.status === 'done' && s.body;
    },
    'the rebuild to finish',
    120000,
  );
  expect(done.processed).toBe(done.total);
  expect(await documents()).toEqual(docsBefore);
  expect(await figures()).toEqual(before);
});
