// The notifications service: tells the people a case concerns what happened (email), and other
// systems too (signed webhooks), from the case events on Kafka. Each message goes out once per
// event, recipient and channel; failures are retried with backoff, then parked for operators.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Connection } from 'mongoose';
import { Counter } from 'prom-client';
import {
  HttpError,
  CASE_EVENT_TOPICS,
  connectModels,
  conflict,
  createEventConsumer,
  createKafka,
  createMetrics,
  ensureTopicsWith,
  mongoHealthy,
  notFound,
  route,
  startHttpService,
  type EventConsumer,
  type Logger,
  jwtAuth,
} from '@duban/platform';
import { createEmailChannel } from './channels';
import type { NotificationsConfig } from './config';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { EVENT_TYPES, isEventType } from './event-types';
import { ingestEvent } from './ingest';
import { DELIVERY_STATUSES, notificationModels, type DeliveryDoc, type NotificationModels } from './models';
import { createRegistryClient } from './registry-client';

export type NotificationsAppConfig = Omit<NotificationsConfig, 'LOG_LEVEL'>;

/** Every case topic. */
export const CASE_TOPICS = CASE_EVENT_TOPICS;

const webhookUrl = z
  .string()
  .max(2000)
  .superRefine((raw, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      /* reported below */
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not an http(s) URL with a host` });
  });
const webhookBody = z
  .object({
    url: webhookUrl,
    eventTypes: z
      .array(z.string())
      .min(1, 'name at least one event type, e.g. ["ReplyReminderSent"]')
      .max(100)
      .superRefine((types, ctx) => {
        const unknown = [...new Set(types.filter((t) => !isEventType(t)))];
        if (unknown.length)
          ctx.addIssue({
            code: 'custom',
            message: `unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}; known: ${EVENT_TYPES.join(', ')}`,
          });
      }),
    description: z.string().max(500).optional(),
  })
  .strict();
const deliveryQuery = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    caseId: z.string().max(200).optional(),
    channel: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
const webhookId = z.string().regex(/^wh_[0-9a-f]{16}$/, 'must be a webhook id like wh_0123456789abcdef');

const presentDelivery = (d: DeliveryDoc) => ({
  id: d._id,
  eventId: d.eventId,
  eventType: d.eventType,
  caseId: d.caseId,
  recipient: d.recipient,
  channel: d.channel,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  nextAttemptAt: d.status === 'pending' || d.status === 'failed' ? d.nextAttemptAt : undefined,
  template: d.template,
  address: d.address,
  subject: d.subject,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  sentAt: d.sentAt,
});

function parseWebhookId(raw: string | undefined): string {
  const parsed = webhookId.safeParse(raw);
  if (!parsed.success)
    throw new HttpError(400, 'bad_request', `webhook id "${raw}": ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export function notificationRoutes(models: NotificationModels, dispatcher: Dispatcher) {
  const { Delivery, Webhook } = models;
  return [
    route({
      method: 'post',
      path: '/v1/webhooks',
      summary: 'Subscribe another system to event types; the answer shows its signing secret once',
      roles: ['operator', 'staff'],
      body: webhookBody,
      responses: { 201: 'Subscribed: { id, secret, url, eventTypes }', 400: 'Bad URL or unknown event type' },
      handler: async ({ body, principal }) => {
        const id = `wh_${randomBytes(8).toString('hex')}`;
        const secret = `whsec_${randomBytes(32).toString('hex')}`;
        const eventTypes = [...new Set(body.eventTypes)];
        await Webhook.create({
          _id: id,
          url: body.url,
          eventTypes,
          description: body.description,
          secret,
          createdBy: `${principal.role}:${principal.sub}`,
          createdAt: new Date(),
        });
        return { status: 201, body: { id, secret, url: body.url, eventTypes, description: body.description } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/webhooks',
      summary: 'The webhook subscriptions (without their secrets)',
      roles: ['operator', 'staff'],
      handler: async () => {
        const hooks = await Webhook.find({}).sort({ createdAt: 1 }).lean();
        return {
          body: {
            items: hooks.map((h) => ({
              id: h._id,
              url: h.url,
              eventTypes: h.eventTypes,
              description: h.description,
              createdBy: h.createdBy,
              createdAt: h.createdAt,
            })),
          },
        };
      },
    }),
    route({
      method: 'delete',
      path: '/v1/webhooks/:id',
      summary: 'Unsubscribe; its deliveries not yet sent are parked',
      roles: ['operator', 'staff'],
      handler: async ({ params }) => {
        const id = parseWebhookId(params.id);
        const { deletedCount } = await Webhook.deleteOne({ _id: id });
        if (!deletedCount) throw notFound(`webhook ${id}`);
        return { body: { id, deleted: true } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/webhooks/:id/deliveries',
      summary: 'Each delivery to a webhook subscriber, with its status',
      roles: ['operator', 'staff'],
      query: deliveryQuery.omit({ channel: true }),
      handler: async ({ params, query }) => {
        const id = parseWebhookId(params.id);
        const filter: Record<string, unknown> = { channel: `webhook:${id}` };
        if (query.status) filter.status = query.status;
        if (query.caseId) filter.caseId = query.caseId;
        const items = await Delivery.find(filter).sort({ createdAt: -1 }).limit(query.limit).lean();
        return { body: { items: items.map(presentDelivery) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/deliveries',
      summary: 'Deliveries, e.g. ?status=parked for those that need an operator',
      roles: ['operator', 'staff'],
      query: deliveryQuery,
      handler: async ({ query }) => {
        const filter: Record<string, unknown> = {};
        if (query.status) filter.status = query.status;
        if (query.caseId) filter.caseId = query.caseId;
        if (query.channel) filter.channel = query.channel;
        const items = await Delivery.find(filter).sort({ createdAt: -1 }).limit(query.limit).lean();
        return { body: { items: items.map(presentDelivery) } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/deliveries/:id/resend',
      summary: 'Send a parked (or failing) delivery again now, with a fresh count of attempts',
      roles: ['operator'],
      responses: { 200: 'The delivery after the attempt', 404: 'No such delivery', 409: 'Already sent, or being sent' },
      handler: async ({ params }) => {
        const id = params.id;
        const d = await Delivery.findById(id).lean();
        if (!d) throw notFound(`delivery "${id}"`);
        if (d.status === 'sent') throw conflict(`delivery "${id}" was already sent at ${d.sentAt?.toISOString()}`);
        const now = new Date();
        const { modifiedCount } = await Delivery.updateOne(
          { _id: id, status: { $in: ['parked', 'failed', 'pending'] }, lockedUntil: { $lte: now } },
          { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now } },
        );
        if (!modifiedCount) throw conflict(`delivery "${id}" is being sent right now`);
        // Tried here and now, not queued first (the loop would race this attempt); a failure
        // queues it for the retries.
        const after = await dispatcher.deliverNow(id);
        return { body: presentDelivery(after!) };
      },
    }),
  ];
}

export function createNotificationsApp(cfg: NotificationsAppConfig, logger: Logger) {
  let conn: Connection | undefined;
  let consumer: EventConsumer | undefined;
  let dispatcher: Dispatcher | undefined;
  let emailClose: (() => void) | undefined;
  let close: (() => Promise<void>) | undefined;
  let consuming = false;
  const metrics = createMetrics('notifications');
  const recorded = new Counter({
    name: 'duban_notification_deliveries_recorded_total',
    help: 'Deliveries recorded from events (duplicate: a redelivered event found them recorded)',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
  });
  return {
    port: 0,
    models: undefined as NotificationModels | undefined,
    async start() {
      let models: NotificationModels;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, notificationModels, cfg));
      this.models = models;
      const email = createEmailChannel({
        host: cfg.SMTP_HOST,
        port: cfg.SMTP_PORT,
        from: cfg.SMTP_FROM,
        user: cfg.SMTP_USER,
        password: cfg.SMTP_PASSWORD,
      });
      emailClose = email.close;
      const d = createDispatcher({
        models,
        logger,
        registry: createRegistryClient({
          baseUrl: cfg.REGISTRY_URL,
          ...jwtAuth(cfg),
        }),
        email,
        language: cfg.NOTIFY_LANGUAGE,
        staffEmail: cfg.NOTIFY_STAFF_EMAIL,
        retry: { maxAttempts: cfg.NOTIFY_MAX_ATTEMPTS, baseDelayMs: cfg.NOTIFY_RETRY_BASE_MS },
        webhookTimeoutMs: cfg.NOTIFY_WEBHOOK_TIMEOUT_MS,
      });
      dispatcher = d;
      d.start();

      const kafka = createKafka({ brokers: cfg.KAFKA_BROKERS, security: cfg, clientId: 'duban-notifications', logger });
      await ensureTopicsWith(kafka);
      consumer = createEventConsumer({
        kafka,
        groupId: cfg.KAFKA_GROUP_ID,
        topics: CASE_TOPICS,
        logger,
        handle: async (env) => {
          const { recorded: n, duplicates } = await ingestEvent(models, env);
          if (n) recorded.inc({ outcome: 'recorded' }, n);
          if (duplicates) recorded.inc({ outcome: 'duplicate' }, duplicates);
          if (n) d.kick();
        },
      });
      await consumer.start();
      consuming = true;

      const listening = await startHttpService({
        name: 'notifications',
        logger,
        metrics,
        auth: jwtAuth(cfg),
        security: cfg,
        routes: notificationRoutes(models, d),
        health: { mongo: () => mongoHealthy(conn!), consumer: async () => consuming },
        port: cfg.HTTP_PORT,
        host: cfg.HTTP_HOST,
      });
      close = listening.close;
      this.port = listening.port;
      return listening.port;
    },
    async stop() {
      await close?.();
      consuming = false;
      // The consumer finishes the event in hand (and commits it) before it leaves; then the
      // sends in flight finish and the retry loop stops.
      await consumer?.stop();
      await dispatcher?.stop();
      emailClose?.();
      await conn?.close();
    },
  };
}
