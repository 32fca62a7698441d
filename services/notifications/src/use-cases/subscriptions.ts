// The operators' side of notifications: webhook subscriptions, and the deliveries with the
// resending of one that was parked or is failing.
import { randomBytes } from 'node:crypto';
import { conflict, notFound, type Principal } from '@duban/platform';
import type { DeliveryDoc, DeliveryStatus, NotificationModels } from '../data/models';
import type { Dispatcher } from './dispatcher';

export const presentDelivery = (d: DeliveryDoc) => ({
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

export async function subscribe(
  { Webhook }: NotificationModels,
  principal: Principal,
  body: { url: string; eventTypes: string[]; description?: string },
) {
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
  return { id, secret, url: body.url, eventTypes, description: body.description };
}

export async function listWebhooks({ Webhook }: NotificationModels) {
  const hooks = await Webhook.find({}).sort({ createdAt: 1 }).lean();
  return {
    items: hooks.map((h) => ({
      id: h._id,
      url: h.url,
      eventTypes: h.eventTypes,
      description: h.description,
      createdBy: h.createdBy,
      createdAt: h.createdAt,
    })),
  };
}

export async function unsubscribe({ Webhook }: NotificationModels, id: string) {
  const { deletedCount } = await Webhook.deleteOne({ _id: id });
  if (!deletedCount) throw notFound(`webhook ${id}`);
  return { id, deleted: true };
}

export async function listDeliveries(
  { Delivery }: NotificationModels,
  query: { status?: DeliveryStatus; caseId?: string; channel?: string; limit: number },
) {
  const filter: Record<string, unknown> = {};
  if (query.status) filter.status = query.status;
  if (query.caseId) filter.caseId = query.caseId;
  if (query.channel) filter.channel = query.channel;
  const items = await Delivery.find(filter).sort({ createdAt: -1 }).limit(query.limit).lean();
  return { items: items.map(presentDelivery) };
}

export async function resend({ Delivery }: NotificationModels, dispatcher: Dispatcher, id: string) {
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
  return presentDelivery(after!);
}
