// Encoding and decoding of the protobuf event envelope on Kafka.
import { EnvelopeSchema, create, fromBinary, toBinary, timestampFromDate, type Envelope } from '@duban/proto';

/** The schema versions of the envelope body this code understands. */
export const SUPPORTED_SCHEMA_VERSIONS = new Set([1]);
export const CURRENT_SCHEMA_VERSION = 1;

export type EnvelopeBody = Envelope['body'];

export interface NewEvent {
  eventId: string;
  caseId: string;
  caseKind: string;
  jurisdiction: string;
  occurredAt: Date;
  producer: string;
  workflowId: string;
  runId: string;
  body: Exclude<EnvelopeBody, { case: undefined }>;
}

/** The event type name, e.g. "SuggestionAssigned", from the oneof case "suggestionAssigned". */
export function eventTypeOf(body: NewEvent['body']): string {
  return body.case.charAt(0).toUpperCase() + body.case.slice(1);
}

export function buildEnvelope(e: NewEvent): Envelope {
  return create(EnvelopeSchema, {
    eventId: e.eventId,
    type: eventTypeOf(e.body),
    caseId: e.caseId,
    caseKind: e.caseKind,
    jurisdiction: e.jurisdiction,
    occurredAt: timestampFromDate(e.occurredAt),
    producer: e.producer,
    workflowId: e.workflowId,
    runId: e.runId,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    body: e.body,
  });
}

export function encodeEnvelope(env: Envelope): Buffer {
  return Buffer.from(toBinary(EnvelopeSchema, env));
}

export class UndecodableEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableEvent';
  }
}

/** Decodes and checks an envelope; throws UndecodableEvent with the reason. */
export function decodeEnvelope(value: Buffer | null): Envelope {
  if (!value || value.length === 0) throw new UndecodableEvent('empty message value');
  let env: Envelope;
  try {
    env = fromBinary(EnvelopeSchema, value);
  } catch (err) {
    throw new UndecodableEvent(`not a protobuf Envelope: ${(err as Error).message}`);
  }
  if (!env.eventId) throw new UndecodableEvent('envelope has no event_id');
  if (!env.caseId) throw new UndecodableEvent('envelope has no case_id');
  if (!SUPPORTED_SCHEMA_VERSIONS.has(env.schemaVersion))
    throw new UndecodableEvent(`unknown schema_version ${env.schemaVersion}`);
  if (env.body.case === undefined) throw new UndecodableEvent(`envelope ${env.type} has no known body`);
  return env;
}
