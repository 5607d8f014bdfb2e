import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written on behalf of one piece of work carries. */
export interface LogContext {
  /** The HTTP request's id (`x-request-id`). */
  requestId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` (and everything it starts) with `context` on the JSON logger's lines. */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the work running now, if any. */
export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
