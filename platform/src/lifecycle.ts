// Runs a process's app: starts it, stops it once on SIGINT / SIGTERM, exits non-zero on failure.
import { exitOnConfigError } from './config';

export interface Startable {
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

export function runMain(build: () => Promise<Startable> | Startable): void {
  (async () => {
    const app = await build();
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`${signal}: stopping\n`);
      try {
        await app.stop();
        process.exit(0);
      } catch (err) {
        process.stderr.write(`stop failed: ${(err as Error).message}\n`);
        process.exit(1);
      }
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    await app.start();
  })().catch((err: unknown) => {
    try {
      exitOnConfigError(err);
    } catch (e) {
      process.stderr.write(`failed to start: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    }
  });
}
