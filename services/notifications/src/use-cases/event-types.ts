// The event type names, derived from the protobuf Envelope's body oneof, so a new event in the
// contract is known here without a list to keep in step: "suggestionAssigned" → "SuggestionAssigned".
import { EnvelopeSchema } from '@duban/proto';

const bodyOneof = EnvelopeSchema.oneofs.find((o) => o.name === 'body');
if (!bodyOneof) throw new Error('the Envelope has no "body" oneof');

export const EVENT_TYPES: readonly string[] = bodyOneof.fields.map(
  (f) => f.localName.charAt(0).toUpperCase() + f.localName.slice(1),
);

const known = new Set(EVENT_TYPES);
export const isEventType = (name: string): boolean => known.has(name);
