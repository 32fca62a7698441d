// The notifications service's routes: webhook subscriptions and deliveries, for operators and staff.
import { z } from 'zod';
import { HttpError, route } from '@duban/platform';
import { DELIVERY_STATUSES, type NotificationModels } from '../data/models';
import type { Dispatcher } from '../use-cases/dispatcher';
import { EVENT_TYPES, isEventType } from '../use-cases/event-types';
import { listDeliveries, listWebhooks, resend, subscribe, unsubscribe } from '../use-cases/subscriptions';

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

function parseWebhookId(raw: string | undefined): string {
  const parsed = webhookId.safeParse(raw);
  if (!parsed.success)
    throw new HttpError(400, 'bad_request', `webhook id "${raw}": ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export function notificationRoutes(models: NotificationModels, dispatcher: Dispatcher) {
  return [
    route({
      method: 'post',
      path: '/v1/webhooks',
      summary: 'Subscribe another system to event types; the answer shows its signing secret once',
      roles: ['operator', 'staff'],
      body: webhookBody,
      responses: { 201: 'Subscribed: { id, secret, url, eventTypes }', 400: 'Bad URL or unknown event type' },
      handler: async ({ body, principal }) => ({ status: 201, body: await subscribe(models, principal, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/webhooks',
      summary: 'The webhook subscriptions (without their secrets)',
      roles: ['operator', 'staff'],
      handler: async () => ({ body: await listWebhooks(models) }),
    }),
    route({
      method: 'delete',
      path: '/v1/webhooks/:id',
      summary: 'Unsubscribe; its deliveries not yet sent are parked',
      roles: ['operator', 'staff'],
      handler: async ({ params }) => ({ body: await unsubscribe(models, parseWebhookId(params.id)) }),
    }),
    route({
      method: 'get',
      path: '/v1/webhooks/:id/deliveries',
      summary: 'Each delivery to a webhook subscriber, with its status',
      roles: ['operator', 'staff'],
      query: deliveryQuery.omit({ channel: true }),
      handler: async ({ params, query }) => ({
        body: await listDeliveries(models, { ...query, channel: `webhook:${parseWebhookId(params.id)}` }),
      }),
    }),
    route({
      method: 'get',
      path: '/v1/deliveries',
      summary: 'Deliveries, e.g. ?status=parked for those that need an operator',
      roles: ['operator', 'staff'],
      query: deliveryQuery,
      handler: async ({ query }) => ({ body: await listDeliveries(models, query) }),
    }),
    route({
      method: 'post',
      path: '/v1/deliveries/:id/resend',
      summary: 'Send a parked (or failing) delivery again now, with a fresh count of attempts',
      roles: ['operator'],
      responses: { 200: 'The delivery after the attempt', 404: 'No such delivery', 409: 'Already sent, or being sent' },
      handler: async ({ params }) => ({ body: await resend(models, dispatcher, params.id) }),
    }),
  ];
}
