// The boards' writer: consumes the board deltas (topic duban.case-index.boards, keyed by board)
// and applies them. Every delta of a board is on one partition, so one member of the group
// writes a board at a time; during a rebalance, the store's compare-and-set keeps a late write
// of the former owner from overwriting the new one's (see board-store.ts). Offsets are
// committed only after the deltas before them are stored, so a crash redelivers, and a
// redelivered delta changes nothing.
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { TOPICS, type Logger } from '@duban/platform';
import type { Delta } from '../use-cases/boards';
import { WrittenDocs, applyBoardDeltas, type BoardModels } from './board-store';
import type { BoardPublisher } from '../use-cases/ingest';

/** Deltas applied together: fewer chunk writes per delta, and a heartbeat between slices. */
const SLICE = 500;

export function boardPublisher(producer: Producer): BoardPublisher {
  return async (deltas) => {
    if (!deltas.length) return;
    await producer.send({
      topic: TOPICS.caseIndexBoards.name,
      messages: deltas.map((d) => ({ key: d.board, value: JSON.stringify(d) })),
    });
  };
}

export function createBoardConsumer(opts: {
  kafka: Kafka;
  groupId: string;
  models: BoardModels;
  logger: Logger;
  /** Called after each applied slice (metrics). */
  applied?: (n: number) => void;
}) {
  const log = opts.logger.child({ component: 'board-consumer', groupId: opts.groupId });
  let consumer: Consumer | undefined;
  const written = new WrittenDocs();
  return {
    async start() {
      consumer = opts.kafka.consumer({
        groupId: opts.groupId,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
        maxBytesPerPartition: 512 * 1024,
        // Up to half a second to gather a batch: each chunk is then written once for all the
        // changes to it, and the lists follow the views by at most about that much more.
        minBytes: 128 * 1024,
        maxWaitTimeInMs: 500,
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [TOPICS.caseIndexBoards.name], fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
          for (let i = 0; i < batch.messages.length; i += SLICE) {
            if (!isRunning() || isStale()) return;
            const slice = batch.messages.slice(i, i + SLICE);
            const deltas: Delta[] = [];
            for (const m of slice) {
              try {
                deltas.push(JSON.parse(m.value?.toString('utf8') ?? '') as Delta);
              } catch (err) {
                log.error({ err, partition: batch.partition, offset: m.offset }, 'board delta not JSON; skipped');
              }
            }
            await applyBoardDeltas(opts.models, deltas, Date.now(), written);
            resolveOffset(slice[slice.length - 1].offset);
            opts.applied?.(deltas.length);
            await heartbeat();
            await commitOffsetsIfNecessary();
          }
        },
      });
    },
    async stop() {
      await consumer?.disconnect();
    },
  };
}
