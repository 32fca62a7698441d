// The notifications service on the real stack: events published straight to Kafka become
// emails in a real (test) SMTP server and signed webhook calls, once per event, recipient and
// channel, across redelivery and a restart; a failing channel is retried, parked, and resent.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EnvelopeSchema,
  ReplyReminderSentSchema,
  SuggestionAssignedSchema,
  SuggestionOverdueSchema,
  SuggestionSubmittedSchema,
  create,
  timestampFromDate,
  type Envelope,
} from '@duban/proto';
import { TOPICS, createKafka, encodeEnvelope, ensureTopicsWith } from '@duban/platform';
import { createRegistryApp } from '@duban/registry/src/main';
import { seedDemo } from '@duban/registry/src/use-cases/seed';
import { createNotificationsApp } from '@duban/notifications/src/main';
import { configSchema } from '@duban/notifications/src/config';
import { verifyWebhook } from '@duban/notifications/src/clients/webhook-signature';
import {
  ISSUER,
  SECRET,
  call,
  consumeFromNow,
  eventually,
  logger,
  stackEnv,
  testEvent,
  token,
} from '../support/system';
import { startTestSmtp, type TestSmtp } from '../support/smtp';

const env = stackEnv();
const run = randomUUID().replace(/-/g, '').slice(0, 10);
const GROUP = `notifications-test-${run}`;
const STAFF_EMAIL = 'committee-staff@demo.npc.cn';

let registry: ReturnType<typeof createRegistryApp>;
let smtp: TestSmtp;
let app: ReturnType<typeof createNotificationsApp> | undefined;
let url = '';
let operator = '';
let staff = '';

function config() {
  return configSchema.parse({
    MONGO_URL: env.MONGO_URL,
    MONGO_DB: `duban_notifications_${run}`,
    KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
    KAFKA_GROUP_ID: GROUP,
    REGISTRY_URL: `http://127.0.0.1:${registry.port}`,
    AUTH_JWT_SECRET: SECRET,
    AUTH_ISSUER: ISSUER,
    HTTP_PORT: '0',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_FROM: '督办系统 <duban@demo.npc.cn>',
    NOTIFY_STAFF_EMAIL: STAFF_EMAIL,
    NOTIFY_LANGUAGE: 'zh',
    NOTIFY_MAX_ATTEMPTS: '3',
    NOTIFY_RETRY_BASE_MS: '100',
    NOTIFY_WEBHOOK_TIMEOUT_MS: '2000',
  });
}

async function startNotifications() {
  app = createNotificationsApp(config(), logger);
  await app.start();
  url = `http://127.0.0.1:${app.port}`;
}

async function stopNotifications() {
  await app?.stop();
  app = undefined;
}

beforeAll(async () => {
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: 'test-admin', logger });
  await ensureTopicsWith(kafka);
  // The service's group reads this test's events only (not every earlier test's first).
  await consumeFromNow(kafka, [GROUP]);
  registry = createRegistryApp(
    {
      MONGO_URL: env.MONGO_URL,
      MONGO_DB: 'duban_registry',
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: ISSUER,
      HTTP_PORT: 0,
      HTTP_HOST: '127.0.0.1',
    },
    logger,
  );
  await registry.start();
  await seedDemo(registry.models!);
  smtp = await startTestSmtp();
  await startNotifications();
  operator = await token({ role: 'operator', sub: 'ops-1' });
  staff = await token({ role: 'staff', sub: 'clerk-1' });
});

afterAll(async () => {
  await stopNotifications();
  await smtp?.close();
  await registry?.stop();
});

// ---- fabricated cases, published straight to Kafka

let caseSeq = 0;
function newCaseId(): string {
  caseSeq++;
  return `suggestion-2026-7${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}${caseSeq}`;
}

const event = testEvent;

const dueAt = new Date('2026-05-01T02:00:00Z');

function caseEvents(caseId: string, title: string, leadUnit = 'edu-bureau') {
  return {
    submitted: event(caseId, 'submitted', {
      case: 'suggestionSubmitted',
      value: create(SuggestionSubmittedSchema, { deputyId: 'deputy-001', title, category: 'education' }),
    }),
    assigned: event(caseId, 'assigned/1', {
      case: 'suggestionAssigned',
      value: create(SuggestionAssignedSchema, {
        leadUnit,
        coHandlers: [],
        assignedAt: timestampFromDate(new Date()),
        replyDueAt: timestampFromDate(dueAt),
        objectionDueAt: timestampFromDate(new Date('2026-04-10T02:00:00Z')),
        assignmentNo: 1,
      }),
    }),
    reminder: event(caseId, 'reminder/1/1', {
      case: 'replyReminderSent',
      value: create(ReplyReminderSentSchema, { unit: leadUnit, dueAt: timestampFromDate(dueAt), reminderNo: 1 }),
    }),
    overdue: event(caseId, 'overdue/1', {
      case: 'suggestionOverdue',
      value: create(SuggestionOverdueSchema, { unit: leadUnit, dueAt: timestampFromDate(dueAt), round: 1 }),
    }),
  };
}

async function publish(...envs: { key?: string; value: Buffer }[]) {
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: `test-publisher-${run}`, logger });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: TOPICS.suggestionEvents.name, messages: envs });
  } finally {
    await producer.disconnect();
  }
}
const msg = (e: Envelope) => ({ key: e.caseId, value: encodeEnvelope(e) });

/**
 * Waits until the service has recorded at least `atLeast` deliveries for the case and none of
 * them is still to be tried (pending or failed-to-retry). The dispatcher sends due deliveries
 * concurrently, so one message having arrived says nothing about its siblings: assert on the
 * inbox only once the case's deliveries have settled.
 */
async function settled(caseId: string, atLeast: number) {
  return eventually(async () => {
    const r = await call('GET', `${url}/v1/deliveries?caseId=${caseId}`, { token: staff });
    const items = (r.body?.items ?? []) as { status: string }[];
    return items.length >= atLeast && items.every((d) => d.status === 'sent' || d.status === 'parked')
      ? items
      : undefined;
  }, `${atLeast} deliveries of ${caseId} settled`);
}

const reminderSubject = (title: string) => `【到期提醒】建议《${title}》答复期限将至`;

// ---- a tiny webhook receiver that checks every call with verifyWebhook

interface ReceivedCall {
  headers: http.IncomingHttpHeaders;
  raw: string;
  verdict: ReturnType<typeof verifyWebhook>;
}

async function startReceiver(opts: { secret: () => string; failWith?: () => number | undefined }) {
  const seen = new Set<string>();
  const calls: ReceivedCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const failing = opts.failWith?.();
      if (failing) {
        calls.push({ headers: req.headers, raw, verdict: { ok: false, reason: 'bad_signature', message: 'down' } });
        res.statusCode = failing;
        return res.end('receiver is down');
      }
      const verdict = verifyWebhook({
        secret: opts.secret(),
        timestamp: req.headers['x-duban-timestamp'] as string | undefined,
        signature: req.headers['x-duban-signature'] as string | undefined,
        deliveryId: req.headers['x-duban-delivery'] as string | undefined,
        body: raw,
        seen,
      });
      calls.push({ headers: req.headers, raw, verdict });
      res.statusCode = verdict.ok ? 200 : verdict.reason === 'replayed' ? 409 : 401;
      res.end(verdict.ok ? 'ok' : verdict.reason);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/duban`,
    calls,
    forCase: (caseId: string) => calls.filter((c) => c.raw.includes(`"caseId":"${caseId}"`)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- the tests

it('(a) sends a reminder to the lead unit’s inbox exactly once across redelivery and a restart', async () => {
  const caseId = newCaseId();
  const title = `学校周边交通安全建议 ${run}`;
  const e = caseEvents(caseId, title);
  await publish(msg(e.submitted), msg(e.assigned), msg(e.reminder));

  const inbox = 'edu-bureau@demo.gov.cn';
  const reminders = () => smtp.to(inbox).filter((m) => m.subject === reminderSubject(title));
  // submitted: none; assigned: the deputy and the lead unit; reminder: the lead unit.
  await settled(caseId, 3);
  expect(reminders()).toHaveLength(1);
  const [first] = reminders();
  expect(first.text).toContain('市教育局');
  expect(first.text).toContain('2026年5月1日');
  expect(first.text).toContain(caseId);
  expect(first.headers['content-transfer-encoding']).toBe('base64');
  // The deputy heard of the assignment, the lead unit got its assignment notice.
  expect(
    smtp.to('deputy-001@demo.deputy.cn').filter((m) => m.subject === `【已交办】您的建议《${title}》已交办`),
  ).toHaveLength(1);
  expect(smtp.to(inbox).filter((m) => m.subject.startsWith('【交办通知】') && m.subject.includes(title))).toHaveLength(
    1,
  );

  // Stop; the same reminder again (a duplicate), then a new event to know when it is through.
  await stopNotifications();
  await publish(msg(e.reminder), msg(e.overdue));
  await startNotifications();
  await eventually(
    async () => smtp.to(inbox).some((m) => m.subject === `【催办】建议《${title}》已超过答复期限`),
    'the overdue notice after the restart',
  );
  // The duplicate reminder was consumed before the overdue event (same key, same partition, in
  // order); once everything recorded for the case has settled, a resend would have happened.
  const after = await settled(caseId, 4);
  expect(after.filter((d: any) => d.eventId === e.reminder.eventId)).toHaveLength(1);
  expect(reminders()).toHaveLength(1);
  expect(smtp.to(inbox).filter((m) => m.subject.includes(title))).toHaveLength(3);

  const list = await call('GET', `${url}/v1/deliveries?caseId=${caseId}`, { token: staff });
  expect(list.status).toBe(200);
  const reminderDelivery = list.body.items.find((d: any) => d.eventId === e.reminder.eventId);
  expect(reminderDelivery).toMatchObject({
    id: `${e.reminder.eventId}|unit:edu-bureau|email`,
    status: 'sent',
    attempts: 1,
    address: inbox,
    subject: reminderSubject(title),
  });
});

it('(b) signs webhook calls; the receiver’s verifyWebhook refuses a replay and a tampered body', async () => {
  let secret = '';
  const receiver = await startReceiver({ secret: () => secret });
  try {
    const reg = await call('POST', `${url}/v1/webhooks`, {
      token: staff,
      body: { url: receiver.url, eventTypes: ['ReplyReminderSent'], description: 'city OA system' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.id).toMatch(/^wh_/);
    expect(reg.body.secret).toMatch(/^whsec_/);
    secret = reg.body.secret;
    const listed = await call('GET', `${url}/v1/webhooks`, { token: operator });
    const mine = listed.body.items.find((h: any) => h.id === reg.body.id);
    expect(mine).toMatchObject({ url: receiver.url, eventTypes: ['ReplyReminderSent'] });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const caseId = newCaseId();
    const e = caseEvents(caseId, `webhook case ${run}`);
    await publish(msg(e.submitted), msg(e.assigned), msg(e.reminder));
    const [delivered] = await eventually(async () => {
      const got = receiver.forCase(caseId);
      return got.length ? got : undefined;
    }, 'the webhook call');
    expect(delivered.verdict).toEqual({ ok: true });
    const payload = JSON.parse(delivered.raw);
    expect(payload).toEqual({
      deliveryId: `${e.reminder.eventId}|webhook:${reg.body.id}|webhook:${reg.body.id}`,
      eventId: e.reminder.eventId,
      type: 'ReplyReminderSent',
      caseId,
      occurredAt: expect.any(String),
      actor: 'system',
      body: { unit: 'edu-bureau', dueAt: '2026-05-01T02:00:00Z', reminderNo: 1 },
    });
    expect(delivered.headers['x-duban-delivery']).toBe(payload.deliveryId);
    expect(delivered.headers['x-duban-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    // Only the subscribed type came: not the submission nor the assignment.
    expect(receiver.forCase(caseId)).toHaveLength(1);

    const headers = {
      'x-duban-delivery': String(delivered.headers['x-duban-delivery']),
      'x-duban-timestamp': String(delivered.headers['x-duban-timestamp']),
      'x-duban-signature': String(delivered.headers['x-duban-signature']),
    };
    // The very same request again: a replay.
    const replay = await call('POST', receiver.url, { raw: delivered.raw, headers });
    expect(replay.status).toBe(409);
    expect(receiver.calls.at(-1)!.verdict).toMatchObject({ ok: false, reason: 'replayed' });
    // A changed body under the original signature.
    const tampered = await call('POST', receiver.url, {
      raw: delivered.raw.replace('"reminderNo":1', '"reminderNo":2'),
      headers: { ...headers, 'x-duban-delivery': 'another-delivery' },
    });
    expect(tampered.status).toBe(401);
    expect(receiver.calls.at(-1)!.verdict).toMatchObject({ ok: false, reason: 'bad_signature' });

    const deliveries = await call('GET', `${url}/v1/webhooks/${reg.body.id}/deliveries`, { token: operator });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items).toEqual([
      expect.objectContaining({
        id: payload.deliveryId,
        status: 'sent',
        attempts: 1,
        channel: `webhook:${reg.body.id}`,
      }),
    ]);
    expect((await call('DELETE', `${url}/v1/webhooks/${reg.body.id}`, { token: operator })).status).toBe(200);
    expect((await call('DELETE', `${url}/v1/webhooks/${reg.body.id}`, { token: operator })).status).toBe(404);
  } finally {
    await receiver.close();
  }
});

it('(c) parks what a failing channel cannot take, lists it, and resends it once fixed', async () => {
  let secret = '';
  let down = true;
  const receiver = await startReceiver({ secret: () => secret, failWith: () => (down ? 500 : undefined) });
  const unitInbox = 'transport-bureau@demo.gov.cn';
  smtp.refuse.add(unitInbox);
  try {
    const reg = await call('POST', `${url}/v1/webhooks`, {
      token: operator,
      body: { url: receiver.url, eventTypes: ['ReplyReminderSent'] },
    });
    expect(reg.status).toBe(201);
    secret = reg.body.secret;
    const channel = `webhook:${reg.body.id}`;

    const caseId = newCaseId();
    const title = `停车难问题建议 ${run}`;
    const e = caseEvents(caseId, title, 'transport-bureau');
    await publish(msg(e.submitted), msg(e.assigned), msg(e.reminder));

    const parked = await eventually(async () => {
      const r = await call('GET', `${url}/v1/deliveries?status=parked&caseId=${caseId}`, { token: staff });
      const items = r.body.items as any[];
      const hook = items.find((d) => d.channel === channel);
      const mail = items.find((d) => d.eventId === e.reminder.eventId && d.channel === 'email');
      return hook && mail ? { hook, mail } : undefined;
    }, 'both reminder deliveries parked');
    expect(parked.hook).toMatchObject({
      status: 'parked',
      attempts: 3,
      lastError: 'gave up after 3 attempts: the receiver answered 500',
    });
    expect(parked.mail).toMatchObject({ status: 'parked', attempts: 3, recipient: 'unit:transport-bureau' });
    expect(parked.mail.lastError).toMatch(/^gave up after 3 attempts: .*451/);
    expect(receiver.forCase(caseId)).toHaveLength(3);
    expect(smtp.refused.filter((a) => a === unitInbox).length).toBeGreaterThanOrEqual(3);
    expect(smtp.to(unitInbox).filter((m) => m.subject === reminderSubject(title))).toHaveLength(0);

    // Staff may look but not resend.
    const forbidden = await call('POST', `${url}/v1/deliveries/${encodeURIComponent(parked.hook.id)}/resend`, {
      token: staff,
    });
    expect(forbidden.status).toBe(403);

    // The receivers are fixed; the operator resends both.
    down = false;
    smtp.refuse.delete(unitInbox);
    const hookResent = await call('POST', `${url}/v1/deliveries/${encodeURIComponent(parked.hook.id)}/resend`, {
      token: operator,
    });
    expect(hookResent.status).toBe(200);
    expect(hookResent.body).toMatchObject({ id: parked.hook.id, status: 'sent', attempts: 1 });
    const ok = receiver.forCase(caseId).filter((c) => c.verdict.ok);
    expect(ok).toHaveLength(1);
    expect(JSON.parse(ok[0].raw).deliveryId).toBe(parked.hook.id);

    const mailResent = await call('POST', `${url}/v1/deliveries/${encodeURIComponent(parked.mail.id)}/resend`, {
      token: operator,
    });
    expect(mailResent.status).toBe(200);
    expect(mailResent.body).toMatchObject({ status: 'sent', address: unitInbox });
    expect(smtp.to(unitInbox).filter((m) => m.subject === reminderSubject(title))).toHaveLength(1);

    // Sent is sent: a second resend is refused.
    const again = await call('POST', `${url}/v1/deliveries/${encodeURIComponent(parked.hook.id)}/resend`, {
      token: operator,
    });
    expect(again.status).toBe(409);
    const none = await call('POST', `${url}/v1/deliveries/${encodeURIComponent('no|such|delivery')}/resend`, {
      token: operator,
    });
    expect(none.status).toBe(404);
    await call('DELETE', `${url}/v1/webhooks/${reg.body.id}`, { token: operator });
  } finally {
    smtp.refuse.delete(unitInbox);
    await receiver.close();
  }
});

it('(d) refuses bad webhook registrations by name, and dead-letters an unknown schema version', async () => {
  for (const bad of ['ftp://example.org/hook', 'not a url', 'http://']) {
    const r = await call('POST', `${url}/v1/webhooks`, {
      token: operator,
      body: { url: bad, eventTypes: ['ReplyReminderSent'] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(`url: "${bad}" is not an http(s) URL with a host`);
  }
  const unknown = await call('POST', `${url}/v1/webhooks`, {
    token: operator,
    body: { url: 'https://oa.example.org/hook', eventTypes: ['ReplyReminderSent', 'SuggestionExploded'] },
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.message).toContain('unknown event type "SuggestionExploded"');
  expect(unknown.body.error.details).toEqual([
    expect.objectContaining({ path: 'eventTypes', message: expect.stringContaining('"SuggestionExploded"') }),
  ]);
  const extra = await call('POST', `${url}/v1/webhooks`, {
    token: operator,
    body: { url: 'https://oa.example.org/hook', eventTypes: [], secret: 'mine' },
  });
  expect(extra.status).toBe(400);
  expect(
    (await call('POST', `${url}/v1/webhooks`, { token: await token({ role: 'deputy', sub: 'deputy-001' }), body: {} }))
      .status,
  ).toBe(403);
  // None of the refused registrations was stored.
  const hooks = (await call('GET', `${url}/v1/webhooks`, { token: operator })).body.items as { url: string }[];
  expect(hooks.filter((h) => /example\.org|not a url|^http:\/\/$/.test(h.url))).toEqual([]);

  // An envelope of a schema version this code does not know, then a good event behind it.
  const futureKey = `future-${run}`;
  const future = create(EnvelopeSchema, {
    eventId: `${futureKey}/x`,
    type: 'ReplyReminderSent',
    caseId: futureKey,
    schemaVersion: 99,
    occurredAt: timestampFromDate(new Date()),
    body: { case: 'replyReminderSent', value: { unit: 'edu-bureau', reminderNo: 1 } },
  });
  const caseId = newCaseId();
  const title = `版本兼容测试 ${run}`;
  const e = caseEvents(caseId, title);
  await publish({ key: futureKey, value: encodeEnvelope(future) }, msg(e.submitted), msg(e.assigned), msg(e.reminder));
  await eventually(
    async () => smtp.to('edu-bureau@demo.gov.cn').some((m) => m.subject === reminderSubject(title)),
    'the good reminder behind the unknown version',
  );

  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: 'test-dlq-reader', logger });
  const consumer = kafka.consumer({ groupId: `dlq-reader-${run}` });
  let headers: Record<string, string> | undefined;
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.deadLetter.name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key?.toString() !== futureKey) return;
      headers = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
    },
  });
  try {
    await eventually(async () => headers, 'the unknown version in the dead-letter topic');
  } finally {
    await consumer.disconnect();
  }
  expect(headers!['dlq-reason']).toBe('unknown schema_version 99');
  expect(headers!['dlq-consumer-group']).toBe(GROUP);
  // Nothing was recorded for it.
  const none = await call('GET', `${url}/v1/deliveries?caseId=${futureKey}`, { token: operator });
  expect(none.body.items).toEqual([]);
});
