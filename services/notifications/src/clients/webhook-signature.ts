// Signing of outgoing webhooks, and the helper a receiver uses to check them.
//
// Each request carries:
//   X-Duban-Delivery:  the delivery id (stable across retries and resends of the same delivery)
//   X-Duban-Timestamp: unix seconds when it was signed
//   X-Duban-Signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-duban-signature';
export const TIMESTAMP_HEADER = 'x-duban-timestamp';
export const DELIVERY_HEADER = 'x-duban-delivery';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyWebhookInput {
  secret: string;
  /** The X-Duban-Timestamp header (unix seconds). */
  timestamp: string | number | undefined;
  /** The X-Duban-Signature header. */
  signature: string | undefined;
  /** The raw request body, exactly as received. */
  body: string | Buffer;
  /** The X-Duban-Delivery header. */
  deliveryId: string | undefined;
  /** How far the timestamp may be from now. */
  toleranceSeconds?: number;
  /** Delivery ids already accepted; a verified delivery is added to it. Pass it to refuse replays. */
  seen?: Set<string>;
  /** Now, in unix seconds (for tests). */
  now?: number;
}

export type VerifyWebhookResult =
  | { ok: true }
  | { ok: false; reason: 'missing_header' | 'bad_signature' | 'stale_timestamp' | 'replayed'; message: string };

/**
 * Checks a webhook request: the signature over timestamp and raw body, the timestamp's age and,
 * with `seen`, that the delivery id was not accepted before. A receiver that answered 2xx to a
 * delivery may answer 2xx again to a replay without acting on it.
 */
export function verifyWebhook(input: VerifyWebhookInput): VerifyWebhookResult {
  const { secret, signature, deliveryId, seen } = input;
  const tolerance = input.toleranceSeconds ?? 300;
  if (!signature || input.timestamp === undefined || input.timestamp === '' || !deliveryId)
    return {
      ok: false,
      reason: 'missing_header',
      message: 'X-Duban-Signature, X-Duban-Timestamp and X-Duban-Delivery are required',
    };
  const ts = Number(input.timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'stale_timestamp', message: 'timestamp is not a number' };
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const matches = signature
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((candidate) => {
      const given = Buffer.from(candidate);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  if (!matches) return { ok: false, reason: 'bad_signature', message: 'signature does not match the body' };
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > tolerance)
    return {
      ok: false,
      reason: 'stale_timestamp',
      message: `timestamp is ${now - ts}s away from now (tolerance ${tolerance}s)`,
    };
  if (seen) {
    if (seen.has(deliveryId))
      return { ok: false, reason: 'replayed', message: `delivery ${deliveryId} was already received` };
    seen.add(deliveryId);
  }
  return { ok: true };
}
