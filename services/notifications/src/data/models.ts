// The notification service's own documents: what it knows of each case (from events), every
// delivery (one per event, recipient and channel; the key makes a redelivered event a no-op),
// and the webhook subscriptions of other systems.
import { Schema, type Connection } from 'mongoose';

/** What later events do not repeat: who the deputy is, which units handle it, its title. */
export interface CaseRecordDoc {
  _id: string; // case id
  deputyId?: string;
  title?: string;
  leadUnit?: string;
  coHandlers: string[];
  /** The unit the latest escalation ladder concerns. */
  ladderUnit?: string;
  updatedAt: Date;
}

export const DELIVERY_STATUSES = ['pending', 'failed', 'sent', 'parked'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryDoc {
  /** `${eventId}|${recipient}|${channel}` */
  _id: string;
  eventId: string;
  eventType: string;
  caseId: string;
  /** "deputy:deputy-001", "unit:edu-bureau", "staff", or "webhook:<id>". */
  recipient: string;
  /** "email" or "webhook:<id>". */
  channel: string;
  /** pending: not tried yet; failed: tried, will retry at nextAttemptAt; sent; parked: gave up. */
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  nextAttemptAt: Date;
  /** A sender holds it until then (a crashed sender's claim runs out). */
  lockedUntil: Date;
  /** How many times a sender has claimed it; each claim is a unique lock document. */
  claims?: number;
  /** For email: the template and its data; rendered when sent. */
  template?: string;
  data?: Record<string, unknown>;
  /** For webhooks: the exact JSON body that is signed and sent. */
  payload?: string;
  /** What it was last sent to, and with what subject. */
  address?: string;
  subject?: string;
  createdAt: Date;
  updatedAt: Date;
  sentAt?: Date;
}

/** A delivery still to be tried, and when: the dispatcher's work list. */
export interface DueDeliveryDoc {
  _id: string;
  nextAttemptAt: Date;
  caseId: string;
  eventId: string;
}

export interface DeliveryLockDoc {
  _id: string;
  at: Date;
}

export interface WebhookDoc {
  _id: string;
  url: string;
  eventTypes: string[];
  description?: string;
  secret: string;
  createdBy: string;
  createdAt: Date;
}

export function notificationModels(conn: Connection) {
  const CaseRecord = conn.model<CaseRecordDoc>(
    'CaseRecord',
    new Schema<CaseRecordDoc>(
      {
        _id: String,
        deputyId: String,
        title: String,
        leadUnit: String,
        coHandlers: { type: [String], default: [] },
        ladderUnit: String,
        updatedAt: Date,
      },
      { collection: 'case_records', versionKey: false },
    ),
  );
  const Delivery = conn.model<DeliveryDoc>(
    'Delivery',
    new Schema<DeliveryDoc>(
      {
        _id: String,
        eventId: { type: String, required: true },
        eventType: { type: String, required: true },
        caseId: { type: String, required: true, index: true },
        recipient: { type: String, required: true },
        channel: { type: String, required: true, index: true },
        status: { type: String, required: true, enum: DELIVERY_STATUSES, index: true },
        attempts: { type: Number, default: 0 },
        lastError: String,
        nextAttemptAt: { type: Date, required: true, index: true },
        lockedUntil: { type: Date, required: true },
        claims: { type: Number, default: 0 },
        template: String,
        data: { type: Schema.Types.Mixed },
        payload: String,
        address: String,
        subject: String,
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
        sentAt: Date,
      },
      { collection: 'deliveries', versionKey: false, minimize: false },
    ),
  );
  const Webhook = conn.model<WebhookDoc>(
    'Webhook',
    new Schema<WebhookDoc>(
      {
        _id: String,
        url: { type: String, required: true },
        eventTypes: { type: [String], required: true, index: true },
        description: String,
        secret: { type: String, required: true },
        createdBy: String,
        createdAt: { type: Date, required: true },
      },
      { collection: 'webhooks', versionKey: false },
    ),
  );
  // One document per claim of a delivery, `${deliveryId}#${claimNo}`: inserting it is the
  // claim. A unique _id is the one write both MongoDB and FerretDB make atomic for concurrent
  // writers (FerretDB's findOneAndUpdate is not: two senders could both "win" it).
  const DeliveryLock = conn.model<DeliveryLockDoc>(
    'DeliveryLock',
    new Schema<DeliveryLockDoc>(
      { _id: String, at: { type: Date, required: true } },
      { collection: 'delivery_locks', versionKey: false },
    ),
  );
  // The deliveries still to be tried, apart from all deliveries ever made: the dispatcher polls
  // this small list (FerretDB scans a collection for any query not by _id, so polling the
  // deliveries themselves would grow with every message ever sent).
  const DueDelivery = conn.model<DueDeliveryDoc>(
    'DueDelivery',
    new Schema<DueDeliveryDoc>(
      {
        _id: String,
        nextAttemptAt: { type: Date, required: true },
        caseId: String,
        eventId: String,
      },
      { collection: 'delivery_queue', versionKey: false },
    ),
  );
  return { CaseRecord, Delivery, Webhook, DeliveryLock, DueDelivery };
}
export type NotificationModels = ReturnType<typeof notificationModels>;
