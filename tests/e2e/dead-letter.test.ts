// A consumer that meets a message it cannot decode parks it in the dead-letter topic with the
// reason, and keeps going: the next good event still reaches the read model.
import { randomUUID } from 'node:crypto';
import { EnvelopeSchema, SuggestionSubmittedSchema, create, timestampFromDate } from '@duban/proto';
import { TOPICS, buildEnvelope, createKafka, encodeEnvelope } from '@duban/platform';
import { call, eventually, logger, stackEnv, startSystem, token, type System } from '../support/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem({ worker: false });
});
afterAll(async () => {
  await sys?.stop();
});

it('parks undecodable messages with the reason and keeps consuming', async () => {
  const run = randomUUID().slice(0, 8);
  const kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: 'test-dlq', logger });
  const producer = kafka.producer();
  await producer.connect();
  const garbageKey = `garbage-${run}`;
  const futureKey = `future-${run}`;
  const goodCase = `suggestion-2026-9${Math.floor(Math.random() * 1e6)}`;
  const future = create(EnvelopeSchema, {
    eventId: `${futureKey}/x`,
    type: 'SuggestionSubmitted',
    caseId: futureKey,
    schemaVersion: 99,
    occurredAt: timestampFromDate(new Date()),
    body: { case: 'suggestionSubmitted', value: { deputyId: 'd', title: 't', category: 'c' } },
  });
  const good = buildEnvelope({
    eventId: `${goodCase}/submitted`,
    caseId: goodCase,
    caseKind: 'suggestion',
    jurisdiction: 'cn-zj-demo-city',
    occurredAt: new Date(),
    producer: 'test',
    workflowId: goodCase,
    runId: 'r',
    body: {
      case: 'suggestionSubmitted',
      value: create(SuggestionSubmittedSchema, {
        deputyId: 'deputy-001',
        title: '一条正常的建议',
        category: 'education',
      }),
    },
  });
  await producer.send({
    topic: TOPICS.suggestionEvents.name,
    messages: [
      { key: garbageKey, value: Buffer.from('this is not protobuf \u0000\u00ff') },
      { key: futureKey, value: encodeEnvelope(future) },
      { key: goodCase, value: encodeEnvelope(good) },
    ],
  });
  await producer.disconnect();

  // The good event after the bad ones still arrives.
  const staff = await token({ role: 'staff', sub: 'clerk-1' });
  await eventually(
    async () => (await call('GET', `${sys.caseIndexUrl}/v1/cases/${goodCase}`, { token: staff })).status === 200,
    'the good event',
  );

  // Both bad ones are in the dead-letter topic with a reason and their origin.
  const parked = new Map<string, Record<string, string>>();
  const consumer = kafka.consumer({ groupId: `dlq-reader-${run}` });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.deadLetter.name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      if (key === garbageKey || key === futureKey) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        parked.set(key, headers);
      }
    },
  });
  try {
    await eventually(async () => parked.size === 2, 'both messages in the dead-letter topic');
  } finally {
    await consumer.disconnect();
  }
  expect(parked.get(garbageKey)!['dlq-reason']).toMatch(/not a protobuf Envelope|no event_id/);
  expect(parked.get(futureKey)!['dlq-reason']).toBe('unknown schema_version 99');
  expect(parked.get(futureKey)!['dlq-source-topic']).toBe(TOPICS.suggestionEvents.name);
  expect(parked.get(futureKey)!['dlq-consumer-group']).toMatch(/^case-index-/);
});
