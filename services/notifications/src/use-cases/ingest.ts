// Turns one event into its deliveries: remembers what the event tells about the case, plans
// the messages, and records one delivery per recipient and channel, keyed so a redelivered
// event finds them and records nothing new. Sending happens later, in the dispatcher; the
// consumer commits the offset only after this has stored its effect.
import { toJson } from '@bufbuild/protobuf';
import { EnvelopeSchema, timestampDate, type Envelope } from '@duban/proto';
import { isDuplicateKey } from '@duban/platform';
import type { DeliveryDoc, NotificationModels } from '../data/models';
import { caseFactsFrom, planMessages, type CaseFacts } from './plan';

export const deliveryKey = (eventId: string, recipient: string, channel: string) =>
  `${eventId}|${recipient}|${channel}`;

/** The JSON a webhook subscriber receives. */
export function webhookPayload(env: Envelope, deliveryId: string): string {
  const json = toJson(EnvelopeSchema, env) as Record<string, unknown>;
  const bodyKey = env.body.case;
  return JSON.stringify({
    deliveryId,
    eventId: env.eventId,
    type: env.type,
    caseId: env.caseId,
    occurredAt: env.occurredAt ? timestampDate(env.occurredAt).toISOString() : null,
    actor: env.actor || 'system',
    body: bodyKey ? (json[bodyKey] ?? {}) : {},
  });
}

export async function ingestEvent(
  models: NotificationModels,
  env: Envelope,
): Promise<{ recorded: number; duplicates: number }> {
  const { CaseRecord, Delivery, Webhook } = models;
  const learned = caseFactsFrom(env);
  if (learned) {
    const set = Object.fromEntries(Object.entries(learned).filter(([, v]) => v !== undefined));
    await CaseRecord.updateOne({ _id: env.caseId }, { $set: { ...set, updatedAt: new Date() } }, { upsert: true });
  }
  const facts: Partial<CaseFacts> = (await CaseRecord.findById(env.caseId).lean()) ?? {};

  const now = new Date();
  const base = {
    eventId: env.eventId,
    eventType: env.type,
    caseId: env.caseId,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: now,
    lockedUntil: new Date(0),
    createdAt: now,
    updatedAt: now,
  };
  const docs: DeliveryDoc[] = planMessages(env, facts).map((m) => ({
    ...base,
    _id: deliveryKey(env.eventId, m.recipient, 'email'),
    recipient: m.recipient,
    channel: 'email',
    template: m.template,
    data: m.data,
  }));
  for (const hook of await Webhook.find({ eventTypes: env.type }).lean()) {
    const channel = `webhook:${hook._id}`;
    const id = deliveryKey(env.eventId, channel, channel);
    docs.push({ ...base, _id: id, recipient: channel, channel, payload: webhookPayload(env, id) });
  }

  let recorded = 0;
  let duplicates = 0;
  for (const doc of docs) {
    try {
      await Delivery.create(doc);
      recorded++;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      duplicates++;
      // Recorded before; queue it again only if it is still to be tried (a crash may have come
      // between recording it and queueing it).
      const stored = await Delivery.findById(doc._id).lean();
      if (!stored || (stored.status !== 'pending' && stored.status !== 'failed')) continue;
    }
    await models.DueDelivery.updateOne(
      { _id: doc._id },
      { $setOnInsert: { nextAttemptAt: doc.nextAttemptAt, caseId: doc.caseId, eventId: doc.eventId } },
      { upsert: true },
    );
  }
  return { recorded, duplicates };
}
