/**
 * Group commit for a synchronous database (better-sqlite3). A caller's write is queued and its
 * promise returned at once; the queue runs every write queued so far in ONE transaction on the
 * next turn of the event loop (setImmediate), then resolves each promise after the commit. So a
 * request handler never touches the disk itself, and N concurrent writes cost one fsync, not N.
 *
 * When the batch transaction fails (one bad write, or the commit itself), each write is retried
 * alone in its own transaction, so one failure rejects only its own caller.
 *
 * A write may carry a deadline: if it has passed when its batch starts (the thread was held by a
 * stalled disk), the write is rejected without being run, so its caller's "not stored" is true.
 */
import { clockMs } from './deadline.js';

/** A write function runs inside a transaction and returns what its caller's promise resolves to. */
export type Write<T> = () => T;

export interface WriteQueueOptions {
  /** Runs `fn` in one transaction: commits when it returns, rolls back and rethrows when it throws. */
  readonly transaction: <T>(fn: () => T) => T;
  /** Most writes per transaction, so one batch never holds the event loop for long. */
  readonly maxBatch?: number;
  /** Schedules the flush; setImmediate by default (after pending I/O callbacks). */
  readonly schedule?: (flush: () => void) => void;
  /** The clock deadlines are read on (deadline.ts clockMs by default). */
  readonly clock?: () => number;
}

export interface WriteQueue {
  /**
   * Queues `write`; resolves with its result once committed, rejects with `toError(thrown)` when
   * it (or the commit) failed, or with `expired()` unrun when `deadline` (on the queue's clock)
   * passed before its batch started.
   */
  push<T>(
    write: Write<T>,
    toError: (error: unknown) => Error,
    deadline?: number,
    expired?: () => Error,
  ): Promise<T>;
  /** Resolves when every write queued before the call has been committed or rejected. */
  drain(): Promise<void>;
  /** Writes queued and not yet run. */
  readonly size: number;
}

interface Pending {
  readonly write: Write<unknown>;
  readonly toError: (error: unknown) => Error;
  readonly deadline: number;
  readonly expired: () => Error;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** Creates a write queue over one connection (see the file comment). */
export function createWriteQueue(options: WriteQueueOptions): WriteQueue {
  const maxBatch = options.maxBatch ?? 256;
  const schedule = options.schedule ?? ((flush: () => void) => void setImmediate(flush));
  const clock = options.clock ?? clockMs;
  let pending: Pending[] = [];
  let scheduled = false;
  let idle: (() => void)[] = [];

  const settleIdle = () => {
    if (pending.length > 0) return;
    const waiters = idle;
    idle = [];
    for (const w of waiters) w();
  };

  const runAlone = (op: Pending) => {
    try {
      op.resolve(options.transaction(op.write));
    } catch (error) {
      op.reject(op.toError(error));
    }
  };

  const flush = () => {
    scheduled = false;
    const taken = pending.slice(0, maxBatch);
    pending = pending.slice(taken.length);
    const at = clock();
    const batch = taken.filter((op) => {
      if (op.deadline > at) return true;
      op.reject(op.expired());
      return false;
    });
    if (pending.length > 0) scheduleFlush();
    if (batch.length === 1) {
      runAlone(batch[0] as Pending);
    } else if (batch.length > 1) {
      let results: unknown[] | undefined;
      try {
        results = options.transaction(() => batch.map((op) => op.write()));
      } catch {
        results = undefined;
      }
      if (results === undefined) {
        for (const op of batch) runAlone(op);
      } else {
        batch.forEach((op, i) => op.resolve(results[i]));
      }
    }
    settleIdle();
  };

  const scheduleFlush = () => {
    if (scheduled) return;
    scheduled = true;
    schedule(flush);
  };

  return {
    push<T>(
      write: Write<T>,
      toError: (error: unknown) => Error,
      deadline = Number.POSITIVE_INFINITY,
      expired: () => Error = () => new Error('deadline passed'),
    ): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        pending.push({
          write,
          toError,
          deadline,
          expired,
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        scheduleFlush();
      });
    },
    drain() {
      if (pending.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    get size() {
      return pending.length;
    },
  };
}
