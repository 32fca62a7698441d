// Request / case context carried through async calls so that every log line names it.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  requestId?: string;
  caseId?: string;
  workflowId?: string;
  eventId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export function withContext<T>(ctx: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...ctx }, fn);
}

/** Adds fields to the current context (e.g. the case id once a route has resolved it). */
export function addContext(ctx: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, ctx);
}

export function currentContext(): LogContext {
  return storage.getStore() ?? {};
}
