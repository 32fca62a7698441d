// Builds a worker for the case workflows with real dependencies. Used by the worker process
// and by tests that need a worker in-process.
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import type { EventPublisher, Logger } from '@duban/platform';
import { createActivities } from './activities';
import { staticCalendarSource, type CalendarSource } from './calendar-source';

/**
 * Threads that run workflow code. The SDK's default is one (with reused V8 contexts); on the
 * 2-core machine the city-year benchmark kept that thread busy while the other core had room,
 * and two threads brought 2,000 suggestions' year from 129 s to 111 s.
 */
export const WORKFLOW_THREADS = 2;

let runtimeInstalled = false;

/** Sends the Temporal runtime's own logs into pino (once per process). */
export function installTemporalLogging(logger: Logger, level: LogLevel = 'WARN'): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const)[
        entry.level
      ];
      log[method]({ ...entry.meta }, entry.message);
    }),
  });
}

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  publisher: Pick<EventPublisher, 'publish'>;
  /** Starts linked workflows (the escalation ladder) on the same task queue. */
  client: Client;
  producer?: string;
  /** A prebuilt bundle speeds up start; by default the workflows are bundled now. */
  workflowBundle?: { code: string };
  onPublished?: () => void;
  /** The working-day calendars (the registry's, see registryCalendarSource); by default the shipped files. */
  calendars?: CalendarSource;
}

export async function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  const activities = createActivities({
    calendar: opts.calendars ?? staticCalendarSource(),
    producer: opts.producer ?? 'duban-worker',
    temporal: opts.client,
    taskQueue: opts.taskQueue,
    publish: async (topic, env) => {
      await opts.publisher.publish(topic, env);
      opts.onPublished?.();
    },
  });
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowThreadPoolSize: WORKFLOW_THREADS,
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: require.resolve('./workflows') }),
    activities,
  });
}
