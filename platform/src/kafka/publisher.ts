// Publishes envelopes keyed by case id, so one case's events stay in order on one partition.
import type { Kafka, Producer } from 'kafkajs';
import type { Envelope } from '@duban/proto';
import { encodeEnvelope } from './events';

export interface EventPublisher {
  publish(topic: string, env: Envelope): Promise<void>;
  disconnect(): Promise<void>;
}

export async function createEventPublisher(kafka: Kafka): Promise<EventPublisher> {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // Bounded by the publishing activity's timeout, which Temporal then retries.
    retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5000 },
  });
  await producer.connect();
  return {
    async publish(topic, env) {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: env.caseId,
            value: encodeEnvelope(env),
            headers: {
              'event-id': env.eventId,
              'event-type': env.type,
              'schema-version': String(env.schemaVersion),
            },
          },
        ],
      });
    },
    disconnect: () => producer.disconnect(),
  };
}
