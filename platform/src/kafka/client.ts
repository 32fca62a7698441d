// A kafkajs client whose own logs go into pino.
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(opts: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  // We key every message by case id; the v2 default partitioner is the one we want.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const log = opts.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator:
      () =>
      ({ level, label, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[levels[level] ?? 'info']({ kafka: rest, label }, message);
      },
  });
}
