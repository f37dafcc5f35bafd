/**
 * Store deadlines (issue 15). Every store call settles by a deadline: an absolute time on a clock
 * every thread of the process shares (the SQLite worker compares it too), never a timeout that
 * restarts at each step. A request draws all its store calls from one budget (`StoreBudget`), so
 * a stalled database costs a request at most that budget, not the sum of several timeouts.
 */
import { performance } from 'node:perf_hooks';
import { StoreError } from './types.js';

// The setting's default lives with the configuration, which reads STORE_DEADLINE_MS.
export { STORE_DEADLINE_MS_DEFAULT } from '../config/store-deadline.js';

/**
 * Milliseconds since the epoch, monotonic: the process's time origin plus the monotonic clock,
 * so a wall-clock step never moves a deadline and every worker thread reads the same value.
 */
export function clockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Options every store call takes. */
export interface StoreCallOptions {
  /** Absolute time (clockMs) by which the call settles; unset: the store's own deadline from now. */
  readonly deadline?: number;
}

/** The deadline of a call: its own, else `defaultMs` from now. */
export function deadlineOf(options: StoreCallOptions | undefined, defaultMs: number): number {
  const own = options?.deadline;
  return own !== undefined && Number.isFinite(own) ? own : clockMs() + defaultMs;
}

/** The error of a call whose deadline passed before the store confirmed it. */
export function deadlineExceeded(action: string): StoreError {
  return new StoreError(
    'STORE_UNAVAILABLE',
    `${action}: the store did not answer within the deadline`,
    { driverCode: 'DEADLINE' },
  );
}

/** One request's allowance of store time; every store call of the request draws from it. */
export interface StoreBudget {
  /** Runs one store call with the deadline now + what is left, then counts its time as spent. */
  run<T>(call: (options: StoreCallOptions) => Promise<T>): Promise<T>;
  /** Milliseconds left (0 when spent). */
  remainingMs(): number;
}

/** A budget of `totalMs` of store time; time spent outside store calls is not counted. */
export function storeBudget(totalMs: number, clock: () => number = clockMs): StoreBudget {
  let spent = 0;
  const remainingMs = () => Math.max(0, totalMs - spent);
  return {
    remainingMs,
    async run(call) {
      const start = clock();
      try {
        // An unbounded budget sets no deadline: the store's own applies.
        return await call(Number.isFinite(totalMs) ? { deadline: start + remainingMs() } : {});
      } finally {
        spent += clock() - start;
      }
    },
  };
}

/**
 * Runs `fn` once `deadline` has passed, after the I/O callbacks of that turn of the event loop
 * (setImmediate after the timer): an answer already received when a busy loop reaches the timer
 * still wins, so a lagging event loop does not turn a committed write into a reported failure.
 */
export function afterDeadline(deadline: number, fn: () => void): { cancel(): void } {
  let immediate: NodeJS.Immediate | undefined;
  const timer = setTimeout(
    () => {
      immediate = setImmediate(fn);
    },
    Math.max(0, deadline - clockMs()),
  );
  return {
    cancel() {
      clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
    },
  };
}

/**
 * Settles with `work`, or rejects with `onTimeout()` at `deadline`, whichever comes first. `late`
 * receives what `work` yields after the deadline passed (e.g. a pooled connection to give back).
 */
export function beforeDeadline<T>(
  work: Promise<T>,
  deadline: number,
  onTimeout: () => Error,
  late?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = afterDeadline(deadline, () => {
      if (settled) return;
      settled = true;
      reject(onTimeout());
    });
    work.then(
      (value) => {
        if (settled) {
          late?.(value);
          return;
        }
        settled = true;
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        reject(error);
      },
    );
  });
}
