// A citizen opinion over HTTP on the real stack: sent at a station with contact details, refused
// to a deputy not on duty, taken up as a suggestion (linked both ways, once however often it is
// repeated); another one answered by a liaison letter that the department replies to and both
// rate. The contact details never leave the citizen service: not in any event on Kafka, not in
// the workflow's input, memo or search attributes.
import { randomUUID } from 'node:crypto';
import { localDateOf } from '@duban/domain';
import { TOPICS, createKafka, decodeEnvelope } from '@duban/platform';
import { createCitizenApp } from '@duban/citizen/src/app';
import {
  ISSUER,
  SECRET,
  call,
  eventually,
  indexedCase,
  logger,
  stackEnv,
  startSystem,
  token,
  type System,
  boardsSettled,
} from '../support/system';

let sys: System;
let citizenApp: ReturnType<typeof createCitizenApp>;
let base: string;

beforeAll(async () => {
  sys = await startSystem();
  citizenApp = createCitizenApp(
    {
      MONGO_URL: stackEnv().MONGO_URL,
      MONGO_DB: 'duban_citizen',
      TEMPORAL_ADDRESS: stackEnv().TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: sys.taskQueue,
      REGISTRY_URL: sys.registryUrl,
      SUGGESTIONS_URL: sys.suggestionsUrl,
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
    },
    logger,
  );
  await citizenApp.start();
  base = `http://127.0.0.1:${citizenApp.port}`;
});
afterAll(async () => {
  await citizenApp?.stop();
  await sys?.stop();
});

/** Every string and byte payload (read as UTF-8) in an object, e.g. a workflow history. */
function textOf(v: unknown, seen = new Set<unknown>()): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (!v || typeof v !== 'object' || seen.has(v)) return '';
  seen.add(v);
  return Object.values(v)
    .map((x) => textOf(x, seen))
    .join(' ');
}

const CONTACT = { name: '陈小明', phone: '13800138000', email: 'chen.xiaoming@example.cn' };

it('runs a citizen opinion into a suggestion and another into a liaison letter, with ids only outside the service', async () => {
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  const citizenSub = `citizen-${randomUUID().slice(0, 8)}`;
  const citizen = await token({ role: 'citizen', sub: citizenSub });
  const stranger = await token({ role: 'citizen', sub: 'citizen-stranger' });
  const onDuty = await token({ role: 'deputy', sub: 'deputy-001' });
  const offDuty = await token({ role: 'deputy', sub: 'deputy-002' });
  const edu = await token({ role: 'unit', sub: 'handler-edu', unit: 'edu-bureau' });
  const transport = await token({ role: 'unit', sub: 'handler-tr', unit: 'transport-bureau' });

  // A station whose roster has deputy-001 on duty now and deputy-002 only from 2099.
  const stationId = `station-e2e-${randomUUID().slice(0, 6)}`;
  const yesterday = localDateOf(new Date(Date.now() - 86_400_000));
  const badRoster = await call('PUT', `${sys.registryUrl}/v1/stations/${stationId}`, {
    token: staff,
    body: {
      name: '测试联络站',
      jurisdiction: 'cn-zj-demo-city',
      deputies: ['deputy-001'],
      duty: [{ deputy: 'deputy-009', from: yesterday }],
    },
  });
  expect(badRoster.status).toBe(400);
  const put = await call('PUT', `${sys.registryUrl}/v1/stations/${stationId}`, {
    token: staff,
    body: {
      name: '测试联络站',
      jurisdiction: 'cn-zj-demo-city',
      deputies: ['deputy-001', 'deputy-002'],
      duty: [
        { deputy: 'deputy-001', from: yesterday },
        { deputy: 'deputy-002', from: '2099-01-01' },
      ],
    },
  });
  expect(put.status).toBe(200);

  // Bad input is refused and nothing starts.
  const unknownStation = await call('POST', `${base}/v1/citizen-opinions`, {
    token: citizen,
    body: { stationId: 'station-nowhere', channel: 'online', category: 'transport', content: '公交站台需要遮雨棚。' },
  });
  expect(unknownStation.status).toBe(422);
  const extraField = await call('POST', `${base}/v1/citizen-opinions`, {
    token: citizen,
    body: { stationId, channel: 'online', category: 'transport', content: '公交站台需要遮雨棚。', idCard: 'x' },
  });
  expect(extraField.status).toBe(400);
  const asDeputy = await call('POST', `${base}/v1/citizen-opinions`, {
    token: onDuty,
    body: { stationId, channel: 'online', category: 'transport', content: '公交站台需要遮雨棚。' },
  });
  expect(asDeputy.status).toBe(403);

  // 1. An opinion at the station; a retry with the same key is the same case.
  const body = {
    stationId,
    channel: 'station',
    category: 'transport',
    content: '滨江路公交站台没有遮雨棚，老人候车淋雨，希望增设。',
    contact: CONTACT,
  };
  const key = `opinion-${randomUUID()}`;
  const first = await call('POST', `${base}/v1/citizen-opinions`, {
    token: citizen,
    body,
    headers: { 'idempotency-key': key },
  });
  expect(first.status).toBe(201);
  const again = await call('POST', `${base}/v1/citizen-opinions`, {
    token: citizen,
    body,
    headers: { 'idempotency-key': key },
  });
  expect(again.status).toBe(200);
  expect(again.body.caseId).toBe(first.body.caseId);
  const opinionId: string = first.body.caseId;
  expect(opinionId).toMatch(/^opinion-\d{4}-\d{6}$/);

  const mine = await eventually(async () => {
    const r = await call('GET', `${base}/v1/citizen-opinions/${opinionId}`, { token: citizen });
    return r.status === 200 && r.body.state?.stage === 'submitted' && r.body;
  }, 'the opinion to be submitted');
  expect(mine.contact).toEqual(CONTACT);
  expect(mine.state.dutyDeputyIds).toEqual(['deputy-001']);
  expect((await call('GET', `${base}/v1/citizen-opinions/${opinionId}`, { token: stranger })).status).toBe(404);
  expect((await call('GET', `${base}/v1/citizen-opinions/${opinionId}`, { token: edu })).status).toBe(403);
  const inbox = await call('GET', `${base}/v1/citizen-opinions?station=${stationId}`, { token: onDuty });
  expect(inbox.body.items.map((i: { caseId: string }) => i.caseId)).toContain(opinionId);

  // 2. A deputy not on duty is refused; the deputy on duty takes it up as a suggestion.
  const refused = await call('POST', `${base}/v1/citizen-opinions/${opinionId}/answer`, {
    token: offDuty,
    body: { text: '我来答复。' },
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.message).toMatch(/not on duty/);
  const suggestion = {
    title: '关于增设滨江路公交站遮雨棚的建议',
    content: '群众反映滨江路公交站台没有遮雨棚，建议增设。',
    category: 'transport',
  };
  const forwarded = await call('POST', `${base}/v1/citizen-opinions/${opinionId}/suggestion`, {
    token: onDuty,
    body: suggestion,
  });
  expect(forwarded.status).toBe(200);
  const suggestionId: string = forwarded.body.suggestionId;
  expect(suggestionId).toMatch(/^suggestion-\d{4}-\d{4,}$/);
  const repeated = await call('POST', `${base}/v1/citizen-opinions/${opinionId}/suggestion`, {
    token: onDuty,
    body: suggestion,
  });
  expect(repeated.status).toBe(200);
  expect(repeated.body.suggestionId).toBe(suggestionId);
  const byOther = await call('POST', `${base}/v1/citizen-opinions/${opinionId}/suggestion`, {
    token: offDuty,
    body: suggestion,
  });
  expect(byOther.status).toBe(409);

  const linked = await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${suggestionId}`, { token: staff });
  expect(linked.body.sourceCaseId).toBe(opinionId);
  expect(linked.body.state.sourceCaseId).toBe(opinionId);
  expect(linked.body.deputyId).toBe('deputy-001');
  await eventually(async () => {
    const r = await call('GET', `${base}/v1/citizen-opinions/${opinionId}`, { token: staff });
    return r.body.state?.stage === 'closed' && r.body.state.closedOutcome === 'forwarded';
  }, 'the opinion to close as forwarded');

  // 3. A second opinion: a liaison letter to the education bureau.
  const second = await call('POST', `${base}/v1/citizen-opinions`, {
    token: citizen,
    body: {
      stationId,
      channel: 'online',
      category: 'education',
      content: '学校门口上下学时段拥堵，希望安排护学岗。',
      contact: CONTACT,
    },
  });
  expect(second.status).toBe(201);
  const opinion2: string = second.body.caseId;
  await eventually(async () => {
    const r = await call('GET', `${base}/v1/citizen-opinions/${opinion2}`, { token: citizen });
    return r.body.state?.stage === 'submitted';
  }, 'the second opinion');
  // A letter to a department that is not in the registry is refused, naming it; nothing is sent.
  const nowhere = await call('POST', `${base}/v1/citizen-opinions/${opinion2}/letter`, {
    token: onDuty,
    body: { unit: 'no-such-bureau', content: '请研究在上下学时段安排护学岗。' },
  });
  expect(nowhere.status).toBe(422);
  expect(nowhere.body.error).toMatchObject({ code: 'unknown_unit' });
  expect(nowhere.body.error.message).toContain('"no-such-bureau"');
  const sent = await call('POST', `${base}/v1/citizen-opinions/${opinion2}/letter`, {
    token: onDuty,
    body: { unit: 'edu-bureau', content: '请教育局研究在上下学时段安排护学岗。' },
  });
  expect(sent.status).toBe(200);
  const letterId: string = sent.body.letter.letterId;
  // A repeat by the same deputy answers the same letter; another letter is refused.
  const repeatLetter = await call('POST', `${base}/v1/citizen-opinions/${opinion2}/letter`, {
    token: onDuty,
    body: { unit: 'edu-bureau', content: '重复提交。' },
  });
  expect(repeatLetter.status).toBe(200);
  expect(repeatLetter.body.letter).toMatchObject({ letterId, content: '请教育局研究在上下学时段安排护学岗。' });
  const secondLetter = await call('POST', `${base}/v1/citizen-opinions/${opinion2}/letter`, {
    token: onDuty,
    body: { unit: 'transport-bureau', content: '另一封函。' },
  });
  expect(secondLetter.status).toBe(409);
  const letterView = await eventually(async () => {
    const r = await call('GET', `${base}/v1/liaison-letters/${letterId}`, { token: edu });
    return r.body.state?.stage === 'sent' && r.body;
  }, 'the letter to be sent');
  expect(JSON.stringify(letterView)).not.toContain(CONTACT.phone);
  expect((await call('GET', `${base}/v1/liaison-letters/${letterId}`, { token: transport })).status).toBe(404);

  const wrongUnit = await call('POST', `${base}/v1/liaison-letters/${letterId}/reply`, {
    token: transport,
    body: { text: '已处理。' },
  });
  expect(wrongUnit.status).toBe(403);
  const early = await call('POST', `${base}/v1/liaison-letters/${letterId}/rating`, {
    token: citizen,
    body: { rating: 'satisfied' },
  });
  expect(early.status).toBe(409);
  const reply = await call('POST', `${base}/v1/liaison-letters/${letterId}/reply`, {
    token: edu,
    body: { text: '已在上下学时段安排护学岗。' },
  });
  expect(reply.status).toBe(200);
  expect(reply.body.state.stage).toBe('awaitingRating');
  expect(
    (
      await call('POST', `${base}/v1/liaison-letters/${letterId}/rating`, {
        token: stranger,
        body: { rating: 'unsatisfied' },
      })
    ).status,
  ).toBe(403);
  expect(
    (
      await call('POST', `${base}/v1/liaison-letters/${letterId}/rating`, {
        token: citizen,
        body: { rating: 'satisfied' },
      })
    ).status,
  ).toBe(200);
  const twice = await call('POST', `${base}/v1/liaison-letters/${letterId}/rating`, {
    token: citizen,
    body: { rating: 'unsatisfied' },
  });
  expect(twice.status).toBe(409);
  expect(twice.body.error.code).toBe('already_rated');
  expect(
    (
      await call('POST', `${base}/v1/liaison-letters/${letterId}/rating`, {
        token: onDuty,
        body: { rating: 'basicallySatisfied' },
      })
    ).status,
  ).toBe(200);
  await eventually(async () => {
    const r = await call('GET', `${base}/v1/citizen-opinions/${opinion2}`, { token: citizen });
    return r.body.state?.stage === 'closed' && r.body.state.closedOutcome === 'letterClosed';
  }, 'the second opinion to close with its letter');

  // 4. Outside the service, ids only: every event on Kafka, and each workflow's input, memo and search attributes.
  const kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: `citizen-reader-${randomUUID()}`, logger });
  const consumer = kafka.consumer({ groupId: `citizen-reader-${randomUUID()}` });
  const raw: Buffer[] = [];
  const types: Record<string, string[]> = {};
  const cases = new Set([opinionId, opinion2, letterId]);
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.citizenEvents.name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const k = message.key?.toString() ?? '';
      if (!cases.has(k) || !message.value) return;
      raw.push(message.value);
      (types[k] ??= []).push(decodeEnvelope(message.value).type);
    },
  });
  try {
    await eventually(
      async () => (types[letterId]?.length ?? 0) >= 5 && (types[opinion2]?.length ?? 0) >= 3,
      'the citizen events on Kafka',
    );
  } finally {
    await consumer.disconnect();
  }
  expect(types[opinionId]).toEqual(['CitizenOpinionSubmitted', 'CitizenOpinionForwarded', 'CitizenOpinionClosed']);
  expect(types[opinion2]).toEqual(['CitizenOpinionSubmitted', 'CitizenOpinionLetterSent', 'CitizenOpinionClosed']);
  expect(types[letterId]).toEqual([
    'LiaisonLetterSent',
    'LiaisonLetterReplied',
    'LiaisonLetterRated',
    'LiaisonLetterRated',
    'LiaisonLetterClosed',
  ]);
  const secrets = [CONTACT.name, CONTACT.phone, CONTACT.email];
  for (const m of raw) for (const s of secrets) expect(m.includes(Buffer.from(s))).toBe(false);

  for (const id of [opinionId, opinion2, letterId]) {
    const handle = sys.temporal.workflow.getHandle(id);
    const desc = await handle.describe();
    const visible = JSON.stringify([desc.memo, desc.searchAttributes]) + textOf(await handle.fetchHistory());
    expect(visible).toContain(citizenSub); // the check can fail: the citizen's id is in the input
    for (const s of secrets) expect(visible).not.toContain(s);
  }
  const desc = await sys.temporal.workflow.getHandle(opinion2).describe();
  expect(desc.searchAttributes.CaseKind).toEqual(['citizen_opinion']);
  expect(desc.searchAttributes.Unit).toEqual([stationId]);
  const letterDesc = await sys.temporal.workflow.getHandle(letterId).describe();
  expect(letterDesc.searchAttributes.CaseKind).toEqual(['liaison_letter']);
  expect(letterDesc.searchAttributes.Unit).toEqual(['edu-bureau']);

  // 5. The case index holds both kinds, for the people each concerns.
  const closedOpinion = await indexedCase(sys, citizen, opinion2, (v) => v.closed);
  expect(closedOpinion).toMatchObject({
    kind: 'citizen_opinion',
    stage: 'closed',
    stationId,
    citizenId: citizenSub,
    links: [{ caseId: letterId, rel: 'letter' }],
  });
  const indexedLetter = await indexedCase(sys, edu, letterId, (v) => v.closed);
  expect(indexedLetter).toMatchObject({
    kind: 'liaison_letter',
    leadUnit: 'edu-bureau',
    units: ['edu-bureau'],
    deputyId: 'deputy-001',
    links: [{ caseId: opinion2, rel: 'opinion' }],
  });
  expect((await call('GET', `${sys.caseIndexUrl}/v1/cases/${letterId}`, { token: transport })).status).toBe(404);
  expect((await call('GET', `${sys.caseIndexUrl}/v1/cases/${opinion2}`, { token: stranger })).status).toBe(404);
  const timeline = await call('GET', `${sys.caseIndexUrl}/v1/cases/${letterId}/timeline`, { token: edu });
  expect(timeline.body.events.map((e: { type: string }) => e.type)).toEqual(types[letterId]);
  await boardsSettled(sys);
  const station = await call('GET', `${sys.caseIndexUrl}/v1/cases?station=${stationId}`, { token: onDuty });
  expect(station.body.items.map((v: { caseId: string }) => v.caseId).sort()).toEqual([opinionId, opinion2].sort());
  const eduLetters = await call('GET', `${sys.caseIndexUrl}/v1/cases?kind=liaison_letter&closed=true`, { token: edu });
  expect(eduLetters.body.items.map((v: { caseId: string }) => v.caseId)).toContain(letterId);
  expect(eduLetters.body.items.every((v: { units: string[] }) => v.units.includes('edu-bureau'))).toBe(true);
  const counts = await call('GET', `${sys.caseIndexUrl}/v1/cases/counts?station=${stationId}`, { token: staff });
  expect(counts.body).toMatchObject({
    items: [{ kind: 'citizen_opinion', stage: 'closed', count: 2, overdue: 0 }],
    total: 2,
  });
});
