// Sends the recorded deliveries, away from the Kafka consumer: a loop picks the ones that are
// due, claims each (so a resend and the loop never send the same one at once), sends it on its
// channel and records the outcome. A failure is retried with exponential backoff; after the
// last attempt, or at once when retrying cannot help, the delivery is parked with the reason.
import { isDuplicateKey, withContext, type Logger } from '@duban/platform';
import { createWebhookChannel, type Channel, type OutgoingMessage } from '../clients/channels';
import { PermanentError } from './errors';
import type { DeliveryDoc, DeliveryStatus, NotificationModels } from '../data/models';
import type { RegistryClient } from '../clients/registry';
import { render, TemplateError, type TemplateData } from './render';
import type { Language } from './templates';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** Longest wait between two attempts. */
  maxDelayMs?: number;
}

export interface FailureOutcome {
  status: Extract<DeliveryStatus, 'failed' | 'parked'>;
  lastError: string;
  nextAttemptAt: Date;
}

/** What becomes of a delivery whose attempt number `attempts` (1-based) failed with `err`. */
export function afterFailure(attempts: number, err: unknown, now: Date, policy: RetryPolicy): FailureOutcome {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof TemplateError) return { status: 'parked', lastError: `template: ${message}`, nextAttemptAt: now };
  if (err instanceof PermanentError) return { status: 'parked', lastError: message, nextAttemptAt: now };
  if (attempts >= policy.maxAttempts)
    return { status: 'parked', lastError: `gave up after ${attempts} attempts: ${message}`, nextAttemptAt: now };
  const delay = Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs ?? 3_600_000);
  return { status: 'failed', lastError: message, nextAttemptAt: new Date(now.getTime() + delay) };
}

export interface DispatcherOptions {
  models: NotificationModels;
  logger: Logger;
  registry: RegistryClient;
  email: Channel;
  language: Language;
  staffEmail?: string;
  retry: RetryPolicy;
  webhookTimeoutMs: number;
  /** How often the loop looks for due deliveries when nothing kicks it. */
  pollMs?: number;
}

export interface Dispatcher {
  start(): void;
  /** Look for due deliveries now (e.g. after an event recorded some). */
  kick(): void;
  /** Attempts one delivery now if it is due and not being sent; returns it as it is afterwards. */
  deliverNow(id: string): Promise<DeliveryDoc | null>;
  /** Stops the loop after the sends in flight finish. */
  stop(): Promise<void>;
}

const STAFF_NAME: Record<Language, string> = { zh: '督办工作人员', en: 'colleagues' };
const LEASE_MS = 120_000;
const BATCH = 50;

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const { models, logger } = opts;
  const log = logger.child({ component: 'dispatcher' });
  const pollMs = opts.pollMs ?? Math.max(50, Math.min(1000, Math.floor(opts.retry.baseDelayMs / 2)));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let started = false;
  let stopped = false;
  const inFlight = new Set<Promise<unknown>>();

  async function emailMessage(d: DeliveryDoc): Promise<OutgoingMessage> {
    let address: string | undefined;
    let recipientName: string;
    if (d.recipient === 'staff') {
      address = opts.staffEmail;
      recipientName = STAFF_NAME[opts.language];
      if (!address) throw new PermanentError('no staff address: NOTIFY_STAFF_EMAIL is not set');
    } else {
      const [kind, id] = d.recipient.split(/:(.*)/s) as ['deputy' | 'unit', string];
      if ((kind !== 'deputy' && kind !== 'unit') || !id) throw new PermanentError(`unknown recipient "${d.recipient}"`);
      const contact = await opts.registry.contact(kind, id);
      if (!contact.email) throw new PermanentError(`${kind} "${id}" has no email address in the registry`);
      address = contact.email;
      recipientName = contact.name ?? id;
    }
    const rendered = render(d.template ?? '', opts.language, { ...(d.data as TemplateData), recipientName });
    return { deliveryId: d._id, to: address, subject: rendered.subject, text: rendered.text };
  }

  async function prepare(d: DeliveryDoc): Promise<{ channel: Channel; message: OutgoingMessage }> {
    if (d.channel === 'email') return { channel: opts.email, message: await emailMessage(d) };
    if (d.channel.startsWith('webhook:')) {
      const id = d.channel.slice('webhook:'.length);
      const hook = await models.Webhook.findById(id).lean();
      if (!hook) throw new PermanentError(`webhook subscription ${id} was deleted`);
      if (d.payload === undefined) throw new PermanentError('webhook delivery has no payload');
      return {
        channel: createWebhookChannel({ id, secret: hook.secret, timeoutMs: opts.webhookTimeoutMs }),
        message: { deliveryId: d._id, to: hook.url, subject: d.eventType, text: d.payload },
      };
    }
    throw new PermanentError(`unknown channel "${d.channel}"`);
  }

  /** Inserts the claim's lock; a lock older than the lease (its sender died) is taken over. */
  async function takeLock(lockId: string, now: Date): Promise<boolean> {
    for (let tries = 0; tries < 2; tries++) {
      try {
        await models.DeliveryLock.create({ _id: lockId, at: now });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const stale = await models.DeliveryLock.deleteOne({
          _id: lockId,
          at: { $lte: new Date(now.getTime() - LEASE_MS) },
        });
        if (!stale.deletedCount) return false;
      }
    }
    return false;
  }

  async function attempt(id: string): Promise<DeliveryDoc | null> {
    const now = new Date();
    const current = await models.Delivery.findById(id).lean();
    if (!current || !['pending', 'failed'].includes(current.status)) {
      await models.DueDelivery.deleteOne({ _id: id });
      return current;
    }
    if (current.lockedUntil > now) return current;
    const claim = (current.claims ?? 0) + 1;
    if (!(await takeLock(`${id}#${claim}`, now))) return models.Delivery.findById(id).lean();
    await models.Delivery.updateOne(
      { _id: id },
      { $set: { claims: claim, lockedUntil: new Date(now.getTime() + LEASE_MS) } },
    );
    const d = { ...current, claims: claim };
    const attempts = d.attempts + 1;
    let prepared: { channel: Channel; message: OutgoingMessage } | undefined;
    try {
      prepared = await prepare(d);
      await prepared.channel.send(prepared.message);
      await models.Delivery.updateOne(
        { _id: id },
        {
          $set: {
            status: 'sent',
            attempts,
            sentAt: new Date(),
            updatedAt: new Date(),
            lockedUntil: new Date(0),
            address: prepared.message.to,
            subject: prepared.message.subject,
          },
        },
      );
      await models.DueDelivery.deleteOne({ _id: id });
      log.info({ deliveryId: id, channel: d.channel, attempts }, 'delivery sent');
    } catch (err) {
      const outcome = afterFailure(attempts, err, new Date(), opts.retry);
      await models.Delivery.updateOne(
        { _id: id },
        {
          $set: {
            ...outcome,
            attempts,
            updatedAt: new Date(),
            lockedUntil: new Date(0),
            ...(prepared ? { address: prepared.message.to, subject: prepared.message.subject } : {}),
          },
        },
      );
      if (outcome.status === 'parked') await models.DueDelivery.deleteOne({ _id: id });
      else
        await models.DueDelivery.updateOne(
          { _id: id },
          { $set: { nextAttemptAt: outcome.nextAttemptAt, caseId: d.caseId, eventId: d.eventId } },
          { upsert: true },
        );
      log[outcome.status === 'parked' ? 'warn' : 'info'](
        { deliveryId: id, channel: d.channel, attempts, status: outcome.status, reason: outcome.lastError },
        outcome.status === 'parked' ? 'delivery parked' : 'delivery failed; will retry',
      );
    }
    return models.Delivery.findById(id).lean();
  }

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  async function tick(): Promise<boolean> {
    const due = await models.DueDelivery.find(
      { nextAttemptAt: { $lte: new Date() } },
      { _id: 1, caseId: 1, eventId: 1 },
    )
      .sort({ nextAttemptAt: 1 })
      .limit(BATCH)
      .lean();
    await Promise.all(
      due.map((d) =>
        // Each attempt logs with its own case and event, not those of whoever kicked the loop.
        withContext({ caseId: d.caseId, eventId: d.eventId, workflowId: undefined, requestId: undefined }, () =>
          track(attempt(d._id)).catch((err: unknown) =>
            log.error({ err, deliveryId: d._id }, 'delivery attempt failed'),
          ),
        ),
      ),
    );
    return due.length === BATCH;
  }

  function schedule(ms: number) {
    if (stopped || !started) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  }

  function run() {
    if (running) {
      again = true;
      return;
    }
    let full = false;
    running = tick()
      .then((f) => {
        full = f;
      })
      .catch((err: unknown) => log.error({ err }, 'dispatcher tick failed'))
      .finally(() => {
        running = undefined;
        const now = again || full;
        again = false;
        schedule(now ? 0 : pollMs);
      });
  }

  return {
    start() {
      started = true;
      stopped = false;
      schedule(0);
    },
    kick() {
      schedule(0);
    },
    deliverNow(id) {
      return track(attempt(id));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await Promise.allSettled([...inFlight]);
    },
  };
}
