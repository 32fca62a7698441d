// The rebuild (POST /v1/admin/rebuild): stop the consumer, empty the read model, replay every
// events topic from its beginning into a new consumer group, and report progress per topic
// partition up to the end offsets the topics had when it started.
import type { Admin } from 'kafkajs';
import { HttpError, type Logger } from '@duban/platform';
import type { ScoresModels } from '../data/models';

export interface RebuildState {
  groupId: string;
  status: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** Messages of the topics up to their end offsets at the start, and how many are processed. */
  total: number;
  processed: number;
  progress: number;
  partitions: { topic: string; partition: number; low: number; high: number; reached: number }[];
}

export interface RebuildControl {
  start(): Promise<RebuildState>;
  status(): Promise<RebuildState | undefined>;
}

/** Highest offset handled per `${topic}:${partition}` by the current consumer. */
export type HandledOffsets = Map<string, number>;
export const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;

export function createRebuildControl(opts: {
  admin: Admin;
  topics: string[];
  models: ScoresModels;
  groupPrefix: string;
  handled: HandledOffsets;
  logger: Logger;
  /** Stops the running consumer. */
  stopConsumer(): Promise<void>;
  /** Starts a consumer in this group, from the topics' beginning. */
  startConsumer(groupId: string): Promise<void>;
}): RebuildControl {
  const { admin, topics, logger } = opts;
  let state: RebuildState | undefined;
  return {
    async start() {
      if (state?.status === 'running')
        throw new HttpError(409, 'conflict', `a rebuild into ${state.groupId} is running`);
      const groupId = `${opts.groupPrefix}-rebuild-${Date.now()}`;
      const s: RebuildState = {
        groupId,
        status: 'running',
        startedAt: new Date().toISOString(),
        total: 0,
        processed: 0,
        progress: 0,
        partitions: [],
      };
      state = s;
      try {
        await opts.stopConsumer();
        for (const m of Object.values(opts.models)) await (m as ScoresModels['ScoreRow']).deleteMany({});
        for (const topic of topics) {
          const offsets = await admin.fetchTopicOffsets(topic);
          for (const o of offsets)
            s.partitions.push({
              topic,
              partition: o.partition,
              low: Number(o.low),
              high: Number(o.high),
              reached: Number(o.low),
            });
        }
        s.partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
        s.total = s.partitions.reduce((sum, p) => sum + p.high - p.low, 0);
        opts.handled.clear();
        await opts.startConsumer(groupId);
        logger.info({ groupId, total: s.total, topics }, 'rebuild started: replaying the topics from their beginning');
      } catch (err) {
        s.status = 'failed';
        s.error = (err as Error).message;
        s.finishedAt = new Date().toISOString();
        logger.error({ err }, 'rebuild failed to start');
        throw err;
      }
      return { ...s, partitions: s.partitions.map((p) => ({ ...p })) };
    },
    async status() {
      const s = state;
      if (!s) return undefined;
      if (s.status === 'running') {
        const committed = new Map<string, number>();
        for (const t of await admin.fetchOffsets({ groupId: s.groupId, topics }))
          for (const p of t.partitions) committed.set(partitionKey(t.topic, p.partition), Number(p.offset));
        for (const p of s.partitions) {
          const key = partitionKey(p.topic, p.partition);
          const c = committed.get(key) ?? -1;
          const h = (opts.handled.get(key) ?? -2) + 1;
          p.reached = Math.min(p.high, Math.max(p.low, c, h));
        }
        s.processed = s.partitions.reduce((sum, p) => sum + p.reached - p.low, 0);
        s.progress = s.total ? Math.round((s.processed / s.total) * 1000) / 1000 : 1;
        if (s.partitions.every((p) => p.reached >= p.high)) {
          s.status = 'done';
          s.progress = 1;
          s.finishedAt = new Date().toISOString();
          logger.info({ groupId: s.groupId, processed: s.processed }, 'rebuild done');
        }
      }
      return { ...s, partitions: s.partitions.map((p) => ({ ...p })) };
    },
  };
}
