// An event consumer done right: at-least-once (offsets committed after the handler has stored
// its effect), messages that cannot be decoded or keep failing go to the dead-letter topic
// with the reason, and the consumer keeps going. Handlers de-duplicate by event id.
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Envelope } from '@duban/proto';
import { withContext } from '../context';
import type { Logger } from '../logger';
import { decodeEnvelope, UndecodableEvent } from './events';
import { TOPICS } from './topics';

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  handle: (env: Envelope, at: { topic: string; partition: number; offset: string }) => Promise<void>;
  /** Attempts of the handler before the message is parked in the dead-letter topic. */
  maxAttempts?: number;
  fromBeginning?: boolean;
}

export interface EventConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createEventConsumer(opts: EventConsumerOptions): EventConsumer {
  const log = opts.logger.child({ component: 'consumer', groupId: opts.groupId });
  const maxAttempts = opts.maxAttempts ?? 5;
  let consumer: Consumer | undefined;
  let dlq: Producer | undefined;

  async function deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string) {
    await dlq!.send({
      topic: TOPICS.deadLetter.name,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason,
            'dlq-source-topic': topic,
            'dlq-source-partition': String(partition),
            'dlq-source-offset': message.offset,
            'dlq-consumer-group': opts.groupId,
          },
        },
      ],
    });
    log.warn({ topic, partition, offset: message.offset, reason }, 'message parked in dead-letter topic');
  }

  return {
    async start() {
      dlq = opts.kafka.producer();
      await dlq.connect();
      consumer = opts.kafka.consumer({ groupId: opts.groupId, sessionTimeout: 30000, heartbeatInterval: 3000 });
      await consumer.connect();
      await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });
      await consumer.run({
        autoCommit: true,
        eachMessage: async ({ topic, partition, message }) => {
          let env: Envelope;
          try {
            env = decodeEnvelope(message.value);
          } catch (err) {
            if (err instanceof UndecodableEvent) return deadLetter(topic, partition, message, err.message);
            throw err;
          }
          await withContext({ caseId: env.caseId, workflowId: env.workflowId, eventId: env.eventId }, async () => {
            for (let attempt = 1; ; attempt++) {
              try {
                await opts.handle(env, { topic, partition, offset: message.offset });
                return;
              } catch (err) {
                if (attempt >= maxAttempts) {
                  return deadLetter(
                    topic,
                    partition,
                    message,
                    `handler failed ${attempt} times: ${(err as Error).message}`,
                  );
                }
                log.warn({ err, attempt }, 'handler failed; retrying');
                await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 3000)));
              }
            }
          });
        },
      });
    },
    async stop() {
      // disconnect() lets the in-flight eachMessage finish and commits its offset.
      await consumer?.disconnect();
      await dlq?.disconnect();
    },
  };
}
