// A kafkajs client whose own logs go into pino.
import fs from 'node:fs';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaSecurityConfig } from '../config';
import type { Logger } from '../logger';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs's `ssl` and `sasl` from KAFKA_TLS, KAFKA_TLS_CA_FILE and KAFKA_SASL_*. */
export function kafkaSecurityOptions(cfg: Partial<KafkaSecurityConfig>): {
  ssl?: true | { ca: Buffer[] };
  sasl?: SASLOptions;
} {
  const ssl = cfg.KAFKA_TLS_CA_FILE
    ? { ca: [fs.readFileSync(cfg.KAFKA_TLS_CA_FILE)] }
    : cfg.KAFKA_TLS
      ? true
      : undefined;
  const sasl =
    cfg.KAFKA_SASL_MECHANISM && cfg.KAFKA_SASL_USERNAME && cfg.KAFKA_SASL_PASSWORD
      ? ({
          mechanism: cfg.KAFKA_SASL_MECHANISM,
          username: cfg.KAFKA_SASL_USERNAME,
          password: cfg.KAFKA_SASL_PASSWORD,
        } as SASLOptions)
      : undefined;
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

export function createKafka(opts: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** TLS and SASL settings (the process's config). */
  security?: Partial<KafkaSecurityConfig>;
}): Kafka {
  // We key every message by case id; the v2 default partitioner is the one we want.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const log = opts.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    ...kafkaSecurityOptions(opts.security ?? {}),
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
