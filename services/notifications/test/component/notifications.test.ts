// The notifications service alone over HTTP, on its own database and consumer group, with a real
// registry and a real (test) SMTP server, fed events on the stack's Kafka: an assignment mails the
// lead unit and the deputy once, however often it is delivered, and calls a subscribed webhook;
// bad subscriptions refused naming the field with nothing stored; 401/403/404.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import {
  ReplyReminderSentSchema,
  SuggestionAssignedSchema,
  SuggestionSubmittedSchema,
  create,
  timestampFromDate,
} from '@duban/proto';
import { testEvent } from '../../../../tests/support/system';
import { eventually, expectRefused, useComponent } from '../../../../tests/support/component';

const c = useComponent('notifications');

const newCaseId = () => `suggestion-2026-${randomInt(500_000, 999_999)}`;
const dueAt = new Date('2026-05-01T02:00:00Z');
function caseEvents(caseId: string, title: string) {
  return {
    submitted: testEvent(caseId, 'submitted', {
      case: 'suggestionSubmitted',
      value: create(SuggestionSubmittedSchema, { deputyId: 'deputy-001', title, category: 'education' }),
    }),
    assigned: testEvent(caseId, 'assigned/1', {
      case: 'suggestionAssigned',
      value: create(SuggestionAssignedSchema, {
        leadUnit: 'edu-bureau',
        assignedAt: timestampFromDate(new Date()),
        replyDueAt: timestampFromDate(dueAt),
        assignmentNo: 1,
      }),
    }),
    reminder: testEvent(caseId, 'reminder/1/1', {
      case: 'replyReminderSent',
      value: create(ReplyReminderSentSchema, { unit: 'edu-bureau', dueAt: timestampFromDate(dueAt), reminderNo: 1 }),
    }),
  };
}

/** The case's deliveries once at least `atLeast` are recorded and none is still to be tried. */
async function settled(caseId: string, atLeast: number) {
  return eventually(async () => {
    const items = (await c.http('GET', `/v1/deliveries?caseId=${caseId}`)).body?.items ?? [];
    return items.length >= atLeast && items.every((d: any) => d.status === 'sent' || d.status === 'parked') && items;
  }, `${atLeast} deliveries of ${caseId} settled`);
}

async function startReceiver() {
  const calls: { headers: http.IncomingHttpHeaders; body: any }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      calls.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

it('mails the lead unit and the deputy of an assignment once, however often it is delivered', async () => {
  const id = newCaseId();
  const title = `学校周边交通安全建议 ${id}`;
  const e = caseEvents(id, title);
  await c.publish(e.submitted, e.assigned, e.assigned);
  await settled(id, 2);
  // A later event of the case (same key, same partition, in order): once its delivery is there,
  // the duplicate was consumed before it.
  await c.publish(e.reminder);
  const deliveries = await settled(id, 3);
  expect(deliveries.map((d: any) => [d.eventId, d.recipient, d.channel, d.status]).sort()).toEqual([
    [e.assigned.eventId, 'deputy:deputy-001', 'email', 'sent'],
    [e.assigned.eventId, 'unit:edu-bureau', 'email', 'sent'],
    [e.reminder.eventId, 'unit:edu-bureau', 'email', 'sent'],
  ]);
  const smtp = c.smtp!;
  const toUnit = smtp.to('edu-bureau@demo.gov.cn').filter((m) => m.subject.includes(title));
  expect(toUnit.map((m) => m.subject).sort()).toEqual(
    [`【交办通知】建议《${title}》请贵单位主办`, `【到期提醒】建议《${title}》答复期限将至`].sort(),
  );
  expect(toUnit[0].text).toContain(id);
  expect(smtp.to('deputy-001@demo.deputy.cn').filter((m) => m.subject.includes(title))).toHaveLength(1);
});

it('calls a subscribed webhook with the event, once, and lists its delivery', async () => {
  const receiver = await startReceiver();
  try {
    const reg = await c.http('POST', '/v1/webhooks', {
      body: { url: receiver.url, eventTypes: ['SuggestionAssigned'], description: 'city OA system' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.secret).toMatch(/^whsec_/);
    const listed = await c.http('GET', '/v1/webhooks', { as: 'operator' });
    expect(listed.body.items.find((h: any) => h.id === reg.body.id)).toMatchObject({
      url: receiver.url,
      eventTypes: ['SuggestionAssigned'],
      createdBy: 'staff:clerk-1',
    });
    expect(JSON.stringify(listed.body)).not.toContain(reg.body.secret);

    const id = newCaseId();
    const e = caseEvents(id, `webhook case ${id}`);
    await c.publish(e.submitted, e.assigned, e.assigned);
    const [call] = await eventually(async () => {
      const got = receiver.calls.filter((x) => x.body.caseId === id);
      return got.length > 0 && got;
    }, 'the webhook call');
    expect(call.body).toMatchObject({ eventId: e.assigned.eventId, type: 'SuggestionAssigned', caseId: id });
    expect(call.headers['x-duban-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    await settled(id, 3);
    expect(receiver.calls.filter((x) => x.body.caseId === id)).toHaveLength(1);
    // Other cases' events may reach the subscriber too: this case's deliveries.
    const mine = await c.http('GET', `/v1/webhooks/${reg.body.id}/deliveries?caseId=${id}`);
    expect(mine.body.items.map((d: any) => [d.eventId, d.status])).toEqual([[e.assigned.eventId, 'sent']]);

    expect((await c.http('DELETE', `/v1/webhooks/${reg.body.id}`)).status).toBe(200);
    expect((await c.http('GET', '/v1/webhooks')).body.items.map((h: any) => h.id)).not.toContain(reg.body.id);
  } finally {
    await receiver.close();
  }
});

it('refuses a bad subscription naming the field, and stores nothing', async () => {
  const before = (await c.http('GET', '/v1/webhooks')).body.items;
  expectRefused(
    await c.http('POST', '/v1/webhooks', { body: { url: 'ftp://example.cn/x', eventTypes: ['SuggestionAssigned'] } }),
    400,
    /url: "ftp:\/\/example.cn\/x" is not an http\(s\) URL/,
    'validation_failed',
  );
  expectRefused(
    await c.http('POST', '/v1/webhooks', {
      body: { url: 'https://oa.example.cn/hooks', eventTypes: ['SuggestionLost'] },
    }),
    400,
    /eventTypes: unknown event type "SuggestionLost"/,
  );
  expectRefused(
    await c.http('POST', '/v1/webhooks', { body: { url: 'https://oa.example.cn/hooks', eventTypes: [] } }),
    400,
    /eventTypes/,
  );
  expect((await c.http('GET', '/v1/webhooks')).body.items).toEqual(before);
  expectRefused(await c.http('GET', '/v1/deliveries?status=lost'), 400, /status/);
});

it('refuses a role not allowed (403), no token (401), and answers 404 for an unknown id', async () => {
  const body = { url: 'https://oa.example.cn/hooks', eventTypes: ['SuggestionAssigned'] };
  expectRefused(await c.http('POST', '/v1/webhooks', { as: 'unit', body }), 403, /./, 'forbidden');
  expect((await c.http('POST', '/v1/webhooks', { as: 'deputy', body })).status).toBe(403);
  expect((await c.http('POST', '/v1/webhooks', { as: null, body })).status).toBe(401);
  expect((await c.http('GET', '/v1/deliveries', { as: 'citizen' })).status).toBe(403);
  expect((await c.http('GET', '/v1/webhooks')).body.items.map((h: any) => h.url)).not.toContain(body.url);
  // Only operators resend.
  expect((await c.http('POST', '/v1/deliveries/no-such-delivery/resend', { as: 'staff' })).status).toBe(403);

  expectRefused(await c.http('DELETE', '/v1/webhooks/wh_0123456789abcdef'), 404, /wh_0123456789abcdef/);
  expectRefused(await c.http('DELETE', '/v1/webhooks/not-a-webhook'), 400, /must be a webhook id/);
  expectRefused(
    await c.http('POST', '/v1/deliveries/no-such-delivery/resend', { as: 'operator' }),
    404,
    /no-such-delivery/,
  );
});
