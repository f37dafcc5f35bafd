/**
 * The SQLite worker thread: it owns the one better-sqlite3 connection (sqlite-store.ts, group
 * commit and fsync included) so that no disk write, and no fsync, ever runs on the thread that
 * answers HTTP requests. It answers each call once its transaction is committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from 'pino';
import { openSqliteStore } from './sqlite-store.js';
import {
  serializeError,
  type FromWorker,
  type ThreadStoreOptions,
  type ToWorker,
  type WorkerLog,
} from './sqlite-thread-protocol.js';
import type { Store } from './types.js';

const port = parentPort;
if (port === null) throw new Error('sqlite-thread.ts runs as a worker thread only');
const send = (message: FromWorker) => port.postMessage(message);

/** The few logger methods the store uses, each line sent to the service's logger. */
function forwardingLogger(bindings: Readonly<Record<string, unknown>>): Logger {
  const line =
    (level: WorkerLog['level']) =>
    (fields: unknown, message?: string): void => {
      const withFields = typeof fields === 'object' && fields !== null;
      send({
        kind: 'log',
        level,
        bindings,
        fields: withFields ? (fields as Record<string, unknown>) : {},
        message: withFields ? (message ?? '') : String(fields),
      });
    };
  return {
    child: (more: Record<string, unknown>) => forwardingLogger({ ...bindings, ...more }),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  } as unknown as Logger;
}

const options = workerData as ThreadStoreOptions;
let store: Store | undefined;
try {
  store = await openSqliteStore({ ...options, logger: forwardingLogger({}) });
  send({ kind: 'ready' });
} catch (error) {
  // The store has logged why; the thread ends once the answer is sent.
  send({ kind: 'open-failed', error: serializeError(error) });
  port.close();
}

const opened = store;
port.on('message', (message: ToWorker) => {
  if (opened === undefined) return;
  const store = opened;
  const done =
    message.kind === 'close'
      ? store.close()
      : (store[message.call] as (...args: unknown[]) => Promise<unknown>)(...message.args);
  done.then(
    (value) => {
      send({ kind: 'result', id: message.id, value });
      if (message.kind === 'close') port.close();
    },
    (error: unknown) => send({ kind: 'failure', id: message.id, error: serializeError(error) }),
  );
});
