// A service's main.ts is both its composition root (imported by tests and other processes) and
// its process entry: it runs only when it is the module node started.
import type { z } from 'zod';
import { loadConfig } from './config';
import { createLogger, type Logger } from './logger';
import { runMain, type Startable } from './lifecycle';

export function runIfMain<S extends z.ZodObject<{ LOG_LEVEL: z.ZodType<string> }>>(
  mod: NodeModule,
  name: string,
  schema: S,
  create: (cfg: z.infer<S>, logger: Logger) => Startable,
): void {
  if (require.main !== mod) return;
  runMain(() => {
    const cfg = loadConfig(schema);
    return create(cfg, createLogger(name, cfg.LOG_LEVEL as string));
  });
}
