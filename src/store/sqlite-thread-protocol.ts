/**
 * The messages between the service and its SQLite worker thread (sqlite-thread.ts), and how a
 * StoreError crosses between them (a structured clone keeps no class, so it travels as fields).
 */
import { StoreError, type Store } from './types.js';

/** The Store calls the worker answers (all but close, which has a message of its own). */
export type StoreCall = Exclude<keyof Store, 'kind' | 'close'>;

/** Options of the store opened inside the worker (what SqliteStoreOptions holds but functions). */
export interface ThreadStoreOptions {
  readonly dataDir: string;
  readonly busyTimeoutMs?: number;
  readonly maxPageCount?: number;
}

/** A StoreError, or a caller's mistake (RangeError, TypeError: a bad argument) by its class name. */
export type SerializedStoreError =
  | {
      readonly kind: 'store';
      readonly code: StoreError['code'];
      readonly message: string;
      readonly driverCode?: string;
    }
  | {
      readonly kind: 'argument';
      readonly name: 'RangeError' | 'TypeError';
      readonly message: string;
    };

export type ToWorker =
  | {
      readonly kind: 'call';
      readonly id: number;
      readonly call: StoreCall;
      readonly args: unknown[];
    }
  | { readonly kind: 'close'; readonly id: number };

/** A log line of the worker's store, logged by the service's own logger (redaction included). */
export interface WorkerLog {
  readonly kind: 'log';
  readonly level: 'info' | 'warn' | 'error';
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'open-failed'; readonly error: SerializedStoreError }
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown }
  | { readonly kind: 'failure'; readonly id: number; readonly error: SerializedStoreError }
  | WorkerLog;

/**
 * A StoreError as fields; a RangeError or TypeError (a bad argument) as its class; anything else
 * becomes STORE_UNAVAILABLE with its message.
 */
export function serializeError(error: unknown): SerializedStoreError {
  if (error instanceof RangeError || error instanceof TypeError) {
    return {
      kind: 'argument',
      name: error instanceof RangeError ? 'RangeError' : 'TypeError',
      message: error.message,
    };
  }
  if (error instanceof StoreError) {
    return {
      kind: 'store',
      code: error.code,
      message: error.message,
      ...(error.driverCode === undefined ? {} : { driverCode: error.driverCode }),
    };
  }
  const message = error instanceof Error ? error.message : 'unknown failure';
  return { kind: 'store', code: 'STORE_UNAVAILABLE', message: `SQLite worker: ${message}` };
}

export function deserializeError(error: SerializedStoreError): Error {
  if (error.kind === 'argument') {
    return error.name === 'RangeError'
      ? new RangeError(error.message)
      : new TypeError(error.message);
  }
  return new StoreError(
    error.code,
    error.message,
    error.driverCode === undefined ? undefined : { driverCode: error.driverCode },
  );
}
