// A consumer that meets a message it cannot decode parks it in the dead-letter topic with the
// reason, and keeps going: the next good event still reaches the read model.
import { randomUUID } from 'node:crypto';
import { EnvelopeSchema, SuggestionSubmittedSchema, create, timestampFromDate } from '@duban/proto';
import { TOPICS, buildEnvelope, createEventConsumer, createKafka, encodeEnvelope } from '@duban/platform';
import { call, eventually, logger, stackEnv, startSystem, testEvent, token, type System } from '../support/system';

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

it('handles a fetched batch at once, and one by one when the batch handler fails', async () => {
  const run = randomUUID().slice(0, 8);
  const topic = `test-batches-${run}`;
  const kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: 'test-batches', logger });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const envelope = (caseId: string, n: number) =>
    testEvent(caseId, `e${n}`, {
      case: 'suggestionSubmitted',
      value: create(SuggestionSubmittedSchema, { deputyId: 'deputy-001', title: 't', category: 'c' }),
    });
  const producer = kafka.producer();
  await producer.connect();
  // One request: the consumer fetches them as one batch.
  const ids = ['a/e1', 'poison/e1', 'a/e2', 'b/e1'];
  await producer.send({
    topic,
    messages: ids.map((id) => {
      const [caseId, n] = id.split('/e');
      return { key: caseId, value: encodeEnvelope(envelope(caseId, Number(n))) };
    }),
  });
  await producer.disconnect();

  const batches: string[][] = [];
  const handled: string[] = [];
  const consumer = createEventConsumer({
    kafka,
    groupId: `test-batches-${run}`,
    topics: [topic],
    logger,
    maxAttempts: 2,
    handleBatch: async (events) => {
      batches.push(events.map((e) => e.env.eventId));
      if (events.some((e) => e.env.caseId === 'poison')) throw new Error('poison in the batch');
      handled.push(...events.map((e) => e.env.eventId));
    },
    handle: async (env) => {
      if (env.caseId === 'poison') throw new Error('poison');
      handled.push(env.eventId);
    },
  });
  const parked: string[] = [];
  const dlqReader = kafka.consumer({ groupId: `dlq-batches-${run}` });
  await consumer.start();
  try {
    await eventually(async () => handled.length === 3, 'the good events, one by one');
    expect(batches[0]).toEqual(ids); // the whole fetch, in order, given to the batch handler first
    expect(handled).toEqual(['a/e1', 'a/e2', 'b/e1']); // then one by one, in order, without the poison

    await dlqReader.connect();
    await dlqReader.subscribe({ topic: TOPICS.deadLetter.name, fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        if (message.headers?.['dlq-source-topic']?.toString() === topic)
          parked.push(`${message.key} ${message.headers['dlq-reason']}`);
      },
    });
    await eventually(async () => parked.length === 1, 'the poison event in the dead-letter topic');
    expect(parked[0]).toBe('poison handler failed 2 times: poison');
  } finally {
    await dlqReader.disconnect();
    await consumer.stop();
  }
});
