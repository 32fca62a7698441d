// The scores service over the real stack: registry (demo seed) and scores in-process, a fixed
// scenario of envelopes published straight to Kafka (with a duplicate delivery and an unknown
// schema version), figures as derived by hand in services/scores/test/scenario.ts — over HTTP
// as JSON and CSV — then a rebuild from the topic's beginning gives the same figures.
// Everything is named per run (jurisdiction, units, deputies, cases), so events other tests
// published on the same topic do not disturb the figures.
import { randomUUID } from 'node:crypto';
import { EnvelopeSchema, SuggestionSubmittedSchema, create, timestampFromDate } from '@duban/proto';
import { TOPICS, buildEnvelope, createKafka, encodeEnvelope } from '@duban/platform';
import { createRegistryApp } from '@duban/registry/src/main';
import { seedDemo } from '@duban/registry/src/use-cases/seed';
import { createScoresApp } from '@duban/scores/src/main';
import { EXPECTED_UNIT_A, EXPECTED_UNIT_B, scenario } from '@duban/scores/test/scenario';
import { ISSUER, SECRET, call, consumeFromNow, eventually, logger, stackEnv, token } from '../support/system';

const run = randomUUID().slice(0, 8);
const J = `cn-scores-${run}`;
const ids = {
  jurisdiction: J,
  unitA: `unit-a-${run}`,
  unitB: `unit-b-${run}`,
  deputy1: `deputy-1-${run}`,
  deputy2: `deputy-2-${run}`,
  cases: `scores-${run}`,
};
const GROUP = `scores-test-${run}`;

let registry: ReturnType<typeof createRegistryApp>;
let scores: ReturnType<typeof createScoresApp>;
let registryUrl: string;
let scoresUrl: string;
let staff: string;
let operator: string;

beforeAll(async () => {
  const env = stackEnv();
  const common = {
    AUTH_JWT_SECRET: SECRET,
    AUTH_ISSUER: ISSUER,
    HTTP_PORT: 0,
    HTTP_HOST: '127.0.0.1',
    MONGO_URL: env.MONGO_URL,
  };
  registry = createRegistryApp({ ...common, MONGO_DB: 'duban_registry' }, logger);
  await registry.start();
  await seedDemo(registry.models!);
  registryUrl = `http://127.0.0.1:${registry.port}`;
  // The live group reads this test's events only; the rebuild below still replays every topic.
  await consumeFromNow(createKafka({ brokers: env.KAFKA_BROKERS, clientId: `test-admin-${run}`, logger }), [GROUP]);
  scores = createScoresApp(
    {
      ...common,
      MONGO_DB: `duban_scores_e2e_${run}`,
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      KAFKA_GROUP_ID: GROUP,
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

/** The jurisdiction's policy: national defaults, 5 points per suggestion submitted. */
async function putPolicy(deputyPoints: Record<string, number>) {
  const res = await call('PUT', `${registryUrl}/v1/jurisdictions/${J}/policy`, {
    token: staff,
    body: { name: '积分测试市', level: 'city', parent: 'cn-national', settings: { scores: { deputyPoints } } },
  });
  expect(res.status).toBe(200);
}

async function get(path: string, tok = staff) {
  return call('GET', `${scoresUrl}${path}`, { token: tok });
}

async function getText(path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${scoresUrl}${path}`, { headers: { authorization: `Bearer ${staff}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Units and deputies of the jurisdiction in 2026: what the assertions compare. */
async function figures() {
  const units = await get(`/v1/scores/units?period=2026&jurisdiction=${J}`);
  const deputies = await get(`/v1/scores/deputies?period=2026&jurisdiction=${J}`);
  const d1 = await get(
    `/v1/scores/deputies/${ids.deputy1}?period=2026`,
    await token({ role: 'deputy', sub: ids.deputy1 }),
  );
  return { units: units.body.items, deputies: deputies.body.items, deputy1: d1.body };
}

it('computes the scores from the events, as CSV too, and gives the same figures after a rebuild', async () => {
  await putPolicy({ suggestionSubmitted: 5 });
  for (const [unit, name] of [
    [ids.unitA, '市教育局（测试）'],
    [ids.unitB, '市交通运输局, 测试'],
  ])
    expect(
      (
        await call('PUT', `${registryUrl}/v1/units/${unit}`, {
          token: staff,
          body: { name, kind: 'government', jurisdiction: J },
        })
      ).status,
    ).toBe(200);
  expect(
    (
      await call('PUT', `${registryUrl}/v1/deputies/${ids.deputy1}`, {
        token: staff,
        body: { name: '王代表 "老王"', jurisdiction: J },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await call('PUT', `${registryUrl}/v1/stations/station-${run}`, {
        token: staff,
        body: { name: '滨江街道代表联络站', jurisdiction: J, deputies: [ids.deputy1] },
      })
    ).status,
  ).toBe(200);

  // The scenario, one event delivered twice, and an unknown schema version (a submission
  // that would add a fourth suggestion to deputy 1 if it were counted).
  const events = scenario(ids).map(buildEnvelope);
  const replied = events.find((e) => e.type === 'SuggestionReplied')!;
  const future = create(EnvelopeSchema, {
    eventId: `${ids.cases}-c9/suggestionSubmitted/1`,
    type: 'SuggestionSubmitted',
    caseId: `${ids.cases}-c9`,
    caseKind: 'suggestion',
    jurisdiction: J,
    schemaVersion: 99,
    occurredAt: timestampFromDate(new Date('2026-11-10T02:00:00Z')),
    body: { case: 'suggestionSubmitted', value: create(SuggestionSubmittedSchema, { deputyId: ids.deputy1 }) },
  });
  const kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: `test-scores-${run}`, logger });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPICS.suggestionEvents.name,
    messages: [...events, replied, future].map((e) => ({ key: e.caseId, value: encodeEnvelope(e) })),
  });
  await producer.disconnect();

  // Wait until the last events of every case are in, then compare with the hand-computed figures.
  const settled = async () => {
    const f = await figures();
    const byId = (items: any[], key: string, id: string) => items?.find((i) => i[key] === id);
    return (
      byId(f.units, 'unit', ids.unitA)?.scoredCases === 3 &&
      byId(f.units, 'unit', ids.unitB)?.replies === 2 &&
      byId(f.units, 'unit', ids.unitB)?.scoredCases === 1 &&
      byId(f.deputies, 'deputy', ids.deputy2)?.suggestionsSubmitted === 3 &&
      f
    );
  };
  const before = await eventually(settled, 'the scenario in the read model', 60000);

  expect(before.units).toEqual([
    { rank: 1, unit: ids.unitB, name: '市交通运输局, 测试', jurisdiction: J, ...EXPECTED_UNIT_B },
    { rank: 2, unit: ids.unitA, name: '市教育局（测试）', jurisdiction: J, ...EXPECTED_UNIT_A },
  ]);
  // 5 per suggestion (this jurisdiction's override), 1 per rating given (national):
  // deputy 1: 5×3 + 1×3 = 18; deputy 2: 5×3 + 1×2 = 17. The duplicate and the version-99
  // submission changed nothing.
  expect(before.deputies.map((d: any) => [d.rank, d.deputy, d.suggestionsSubmitted, d.ratingsGiven, d.points])).toEqual(
    [
      [1, ids.deputy1, 3, 3, 18],
      [2, ids.deputy2, 3, 2, 17],
    ],
  );
  expect(before.deputy1).toMatchObject({
    deputy: ids.deputy1,
    name: '王代表 "老王"',
    points: 18,
    inspections: 0,
    votes: 0,
    stationDuty: 0,
  });
  expect(before.deputy1.record.map((r: any) => [r.type, r.caseId])).toEqual([
    ['SuggestionSubmitted', `${ids.cases}-c1`],
    ['SuggestionSubmitted', `${ids.cases}-c2`],
    ['SuggestionSubmitted', `${ids.cases}-c5`],
    ['SuggestionRated', `${ids.cases}-c1`],
    ['SuggestionRated', `${ids.cases}-c2`],
    ['SuggestionRated', `${ids.cases}-c2`],
  ]);
  // Periods by Beijing time: deputy 2's c7 (2027-01-01 00:00 Beijing) is in 2027 only.
  const y2027 = await get(`/v1/scores/deputies?period=2027&jurisdiction=${J}`);
  expect(y2027.body.items.map((d: any) => [d.deputy, d.suggestionsSubmitted, d.points])).toEqual([
    [ids.deputy2, 1, 5],
    [ids.deputy1, 0, 0],
  ]);
  // 逐月超期: c2 and c4 became overdue in November (c4's very-overdue notice does not count it again).
  const overdue = await get(`/v1/scores/overdue-by-month?year=2026&jurisdiction=${J}`);
  expect(overdue.status).toBe(200);
  expect(overdue.body).toMatchObject({ year: '2026', jurisdiction: J, total: 2, byKind: { suggestion: 2 } });
  expect(overdue.body.months).toHaveLength(12);
  expect(overdue.body.months.filter((m: any) => m.total > 0)).toEqual([
    { month: '2026-11', total: 2, byKind: { suggestion: 2 } },
  ]);
  expect((await get(`/v1/scores/overdue-by-month?year=26&jurisdiction=${J}`)).body.error.message).toMatch(/year/);
  expect(
    (await get(`/v1/scores/overdue-by-month?year=2026`, await token({ role: 'unit', sub: 'h', unit: ids.unitA })))
      .status,
  ).toBe(403);
  const nov = await get(`/v1/scores/units/${ids.unitA}?period=2026-11`);
  expect(nov.body).toMatchObject({ unit: ids.unitA, index: 53, cases: 3 });

  // Only the deputy themself, staff and operators see a deputy's record; units only their own figures.
  expect(
    (await get(`/v1/scores/deputies/${ids.deputy1}`, await token({ role: 'deputy', sub: ids.deputy2 }))).status,
  ).toBe(403);
  expect(
    (await get(`/v1/scores/units/${ids.unitA}`, await token({ role: 'unit', sub: 'h', unit: ids.unitB }))).status,
  ).toBe(403);
  expect((await get(`/v1/scores/units?period=2026-13`)).status).toBe(400);

  // CSV: UTF-8 with BOM, a header row, quoting.
  const csv = await getText(`/v1/scores/units?period=2026&jurisdiction=${J}&format=csv`);
  expect(csv.status).toBe(200);
  expect(csv.type).toMatch(/^text\/csv; charset=utf-8/);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.bytes.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe(
    'rank,unit,name,jurisdiction,index,onTimeRate,averageScore,satisfactionRate,casesAssigned,replies,firstReplies,onTimeFirstReplies,scoredCases,satisfied,basicallySatisfied,unsatisfied,assumedRatings,reReports,ladderSteps,maxLadderStep,overdue,veryOverdue,responses,onTimeResponses,letterReplies,letterUnsatisfied,reviewReports,reviewPoor,reviewVotesFailed,reviewReReportsRequired,inquiries,investigations,livelihoodPoints,livelihoodReports,regulationReports,appointeeReports,appointeeMissing',
  );
  expect(lines[1]).toBe(
    `1,${ids.unitB},"市交通运输局, 测试",${J},66,0.5,60,1,2,2,2,1,1,1,0,0,1,0,0,0,1,1,2,1,0,0,0,0,0,0,0,0,0,0,0,0,0`,
  );
  expect(lines[2]).toBe(
    `2,${ids.unitA},市教育局（测试）,${J},53,0.6667,75,0.6667,3,5,3,2,3,1,1,1,0,2,2,2,1,0,3,2,0,0,0,0,0,0,0,0,0,0,0,0,0`,
  );
  expect(lines[3]).toBe('');
  const dcsv = (await getText(`/v1/scores/deputies?period=2026&jurisdiction=${J}&format=csv`)).bytes.toString('utf8');
  expect(dcsv.split('\r\n')[1]).toBe(`1,${ids.deputy1},"王代表 ""老王""",${J},18,3,3,0,0,0,0,0,0`);

  // Stations: no citizen opinion in this jurisdiction, so vitality 0 and the lowest star.
  const stations = await get(`/v1/scores/stations?period=2026&jurisdiction=${J}`);
  expect(stations.body.items).toEqual([
    {
      rank: 1,
      station: `station-${run}`,
      name: '滨江街道代表联络站',
      jurisdiction: J,
      opinionsReceived: 0,
      answered: 0,
      answeredInWindow: 0,
      overdue: 0,
      ratings: 0,
      satisfiedRatings: 0,
      vitality: 0,
      stars: 1,
    },
  ]);
  const scsv = (await getText(`/v1/scores/stations?period=2026&jurisdiction=${J}&format=csv`)).bytes.toString('utf8');
  expect(scsv).toBe(
    `\uFEFFrank,station,name,jurisdiction,vitality,stars,opinionsReceived,answeredInWindow,ratings,satisfiedRatings,answered,overdue\r\n1,station-${run},滨江街道代表联络站,${J},0,1,0,0,0,0,0,0\r\n`,
  );

  // The version-99 envelope is in the dead-letter topic, parked by this consumer group.
  let parked: Record<string, string> | undefined;
  const dlq = kafka.consumer({ groupId: `dlq-reader-${run}` });
  await dlq.connect();
  await dlq.subscribe({ topic: TOPICS.deadLetter.name, fromBeginning: true });
  await dlq.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      if (message.key?.toString() === future.caseId && headers['dlq-consumer-group'] === GROUP) parked = headers;
    },
  });
  try {
    await eventually(async () => parked, 'the version-99 envelope in the dead-letter topic');
  } finally {
    await dlq.disconnect();
  }
  expect(parked!['dlq-reason']).toBe('unknown schema_version 99');

  // A row no event backs (as a bug or a hand edit might leave): it shows now, and the rebuild,
  // which starts from empty collections, must make it go.
  await scores.models!.ScoreRow.create({
    _id: `ghost|deputy|ghost-${run}|2026`,
    caseId: 'ghost',
    kind: 'deputy',
    entity: `ghost-${run}`,
    period: '2026',
    jurisdiction: J,
    counters: { suggestionsSubmitted: 100 },
    maxLadderStep: 0,
    records: [],
  });
  expect((await figures()).deputies[0]).toMatchObject({ deputy: `ghost-${run}`, points: 500 });

  // Rebuild: empty the read model, replay the topic from its beginning into a new group.
  expect((await call('POST', `${scoresUrl}/v1/admin/rebuild`, { token: staff })).status).toBe(403);
  const started = await call('POST', `${scoresUrl}/v1/admin/rebuild`, { token: operator });
  expect(started.status).toBe(202);
  expect(started.body.groupId).toMatch(new RegExp(`^${GROUP}-rebuild-\\d+$`));
  expect(started.body.total).toBeGreaterThanOrEqual(events.length + 2);
  const done = await eventually(
    async () => {
      const s = await call('GET', `${scoresUrl}/v1/admin/rebuild`, { token: operator });
      return s.body.status === 'done' && s.body;
    },
    'the rebuild to finish',
    90000,
  );
  expect(done).toMatchObject({ progress: 1 });
  expect(done.processed).toBe(done.total);
  expect(await figures()).toEqual(before);
  expect((await get(`/v1/scores/overdue-by-month?year=2026&jurisdiction=${J}`)).body).toEqual(overdue.body);

  // A policy change applies to the next read (the cache is off in this test): 4 per rating.
  await putPolicy({ suggestionSubmitted: 5, ratingGiven: 4 });
  const after = await get(`/v1/scores/deputies?period=2026&jurisdiction=${J}`);
  expect(after.body.items.map((d: any) => [d.deputy, d.points])).toEqual([
    [ids.deputy1, 27], // 5×3 + 4×3
    [ids.deputy2, 23], // 5×3 + 4×2
  ]);
});
