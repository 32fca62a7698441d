// An event consumer done right: at-least-once (offsets committed after the handler has stored
// its effect), messages that cannot be decoded or keep failing go to the dead-letter topic
// with the reason, and the consumer keeps going. Handlers de-duplicate by event id.
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Envelope } from '@duban/proto';
import { withContext } from '../context';
import type { Logger } from '../logger';
import { decodeEnvelope, UndecodableEvent } from './events';
import { TOPICS } from './topics';

/** Where a message was read: its topic, partition and offset. */
export interface DeliveredAt {
  topic: string;
  partition: number;
  offset: string;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  handle: (env: Envelope, at: DeliveredAt) => Promise<void>;
  /**
   * Optional: takes the decodable events of one fetched batch (one partition, in order) at once,
   * for a store that can write several events in fewer round trips. If it throws, the batch's
   * events go through `handle` one by one (with its retries and dead-lettering), so it must have
   * the same effect as `handle` on each event, in order, and be safe to repeat.
   */
  handleBatch?: (events: { env: Envelope; at: DeliveredAt }[]) => Promise<void>;
  /**
   * With handleBatch: how long the broker may hold a fetch to fill it (default 100 ms). Bigger
   * batches mean fewer fetches, offset commits and store round trips, for at most this much
   * more lag.
   */
  batchWaitMs?: number;
  /** Attempts of the handler before the message is parked in the dead-letter topic. */
  maxAttempts?: number;
  fromBeginning?: boolean;
}

/** Events given to handleBatch at once; a heartbeat follows each slice. */
export const BATCH_SLICE = 200;

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

  /** The envelope, or (for a message that cannot be decoded) its parking in the dead-letter topic. */
  function decode(topic: string, partition: number, message: KafkaMessage): Envelope | Promise<void> {
    try {
      return decodeEnvelope(message.value);
    } catch (err) {
      if (err instanceof UndecodableEvent) return deadLetter(topic, partition, message, err.message);
      throw err;
    }
  }

  /** The handler with its retries; after the last failed attempt the message is parked. */
  function handleOne(env: Envelope, at: DeliveredAt, message: KafkaMessage): Promise<void> {
    return withContext({ caseId: env.caseId, workflowId: env.workflowId, eventId: env.eventId }, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await opts.handle(env, at);
          return;
        } catch (err) {
          if (attempt >= maxAttempts) {
            return deadLetter(
              at.topic,
              at.partition,
              message,
              `handler failed ${attempt} times: ${(err as Error).message}`,
            );
          }
          log.warn({ err, attempt }, 'handler failed; retrying');
          await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 3000)));
        }
      }
    });
  }

  return {
    async start() {
      dlq = opts.kafka.producer();
      await dlq.connect();
      consumer = opts.kafka.consumer({
        groupId: opts.groupId,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
        ...(opts.handleBatch ? { minBytes: 256 * 1024, maxWaitTimeInMs: opts.batchWaitMs ?? 100 } : {}),
      });
      await consumer.connect();
      await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });
      if (opts.handleBatch) {
        const handleBatch = opts.handleBatch;
        await consumer.run({
          autoCommit: true,
          // Offsets are resolved here, and only for what was handled (or parked).
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            const { topic, partition } = batch;
            const events: { env: Envelope; at: DeliveredAt; message: KafkaMessage }[] = [];
            for (const message of batch.messages) {
              const env = decode(topic, partition, message);
              if (env instanceof Promise) await env;
              else events.push({ env, at: { topic, partition, offset: message.offset }, message });
            }
            // In slices, with a heartbeat after each: a whole fetched batch can take longer than
            // the session timeout on a loaded machine, and the group would then hand the
            // partition to another member and redeliver it.
            for (let i = 0; i < events.length; i += BATCH_SLICE) {
              if (!isRunning() || isStale()) return;
              const slice = events.slice(i, i + BATCH_SLICE);
              try {
                await handleBatch(slice.map(({ env, at }) => ({ env, at })));
              } catch (err) {
                log.warn({ err, topic, partition, events: slice.length }, 'batch handler failed; handling one by one');
                for (const e of slice) {
                  if (!isRunning() || isStale()) return;
                  await handleOne(e.env, e.at, e.message);
                  resolveOffset(e.message.offset);
                  await heartbeat();
                }
              }
              resolveOffset(slice[slice.length - 1].message.offset);
              await heartbeat();
            }
            for (const message of batch.messages) resolveOffset(message.offset);
            await heartbeat();
          },
        });
        return;
      }
      await consumer.run({
        autoCommit: true,
        eachMessage: async ({ topic, partition, message }) => {
          const env = decode(topic, partition, message);
          if (env instanceof Promise) return env;
          await handleOne(env, { topic, partition, offset: message.offset }, message);
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
