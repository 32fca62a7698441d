// The ways a message goes out, behind one interface: email over SMTP, and a signed POST to a
// subscriber's webhook. A channel throws on failure; the dispatcher decides about retries.
import nodemailer from 'nodemailer';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature';

export interface OutgoingMessage {
  deliveryId: string;
  /** The email address or the webhook URL. */
  to: string;
  subject: string;
  /** The email's text, or the webhook's JSON body. */
  text: string;
}

export interface Channel {
  name: string;
  send(message: OutgoingMessage): Promise<void>;
}

export interface SmtpOptions {
  host: string;
  port: number;
  from: string;
  user?: string;
  password?: string;
}

export function createEmailChannel(opts: SmtpOptions): Channel & { close(): void } {
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.port === 465,
    auth: opts.user ? { user: opts.user, pass: opts.password ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    name: 'email',
    async send(m) {
      await transport.sendMail({
        from: opts.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        textEncoding: 'base64',
        headers: { 'X-Duban-Delivery': m.deliveryId },
      });
    },
    close: () => transport.close(),
  };
}

export class WebhookRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

export function createWebhookChannel(opts: { id: string; secret: string; timeoutMs: number }): Channel {
  return {
    name: `webhook:${opts.id}`,
    async send(m) {
      const timestamp = Math.floor(Date.now() / 1000);
      let res: Response;
      try {
        res = await fetch(m.to, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'duban-notifications',
            [DELIVERY_HEADER]: m.deliveryId,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signWebhook(opts.secret, timestamp, m.text),
          },
          body: m.text,
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
      } catch (err) {
        const e = err as Error;
        throw new WebhookRejected(
          e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : `request failed: ${e.message}`,
        );
      }
      // Drain the body so the connection is released.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) throw new WebhookRejected(`the receiver answered ${res.status}`);
    },
  };
}
