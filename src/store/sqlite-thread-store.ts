/**
 * The embedded SQLite store as the service uses it: the connection lives in a worker thread
 * (sqlite-thread.ts), so the HTTP thread only posts a message per write and never waits on the
 * disk. Issue 6: "no synchronous disk writes on the request path". Semantics are those of
 * sqlite-store.ts: a promise resolves once its write is committed (fsynced).
 *
 * Deadlines: each call carries its deadline to the worker, which drops a write whose deadline
 * passed before its batch started; this side stops waiting at the deadline (STORE_UNAVAILABLE), so
 * a disk that stalls the worker costs a caller no more than its deadline.
 *
 * If the worker stops unexpectedly every pending and later call rejects with STORE_UNAVAILABLE
 * (and /readyz says not ready), so an orchestrator restarts the process; nothing claims success
 * for a write that was not committed.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import {
  beforeDeadline,
  deadlineExceeded,
  deadlineOf,
  STORE_DEADLINE_MS_DEFAULT,
  type StoreCallOptions,
} from './deadline.js';
import { storeClosed } from './errors.js';
import {
  deserializeError,
  type FromWorker,
  type StoreCall,
  type ThreadStoreOptions,
  type ToWorker,
} from './sqlite-thread-protocol.js';
import { StoreError, type Store } from './types.js';

export interface SqliteThreadStoreOptions extends ThreadStoreOptions {
  readonly logger: Logger;
  /** STORE_DEADLINE_MS: a call with no deadline of its own settles within this. */
  readonly deadlineMs?: number;
}

/** How many arguments each call takes before its StoreCallOptions (always passed last). */
const ARITY: Readonly<Record<StoreCall, number>> = {
  ping: 0,
  saveFeedback: 1,
  saveAudit: 1,
  listFeedback: 1,
  listAudit: 1,
  rememberJti: 4,
  hitRateLimit: 3,
};

/**
 * The worker for the module beside this one: `.js` once built; under the TypeScript sources
 * (tests, tsx) the `.ts` file, imported through tsx's API (a worker takes no `--import` option).
 */
function startWorker(workerData: ThreadStoreOptions): Worker {
  const built = new URL('./sqlite-thread.js', import.meta.url);
  if (existsSync(built)) return new Worker(built, { workerData });
  const source = new URL('./sqlite-thread.ts', import.meta.url).href;
  // tsx's public ESM API, `tsx/esm/api` (its `require` export is CommonJS, which cannot load the
  // ESM store modules), resolved here through tsx's export map: the eval'd worker has no base URL.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((t) => t.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`;
  return new Worker(code, { eval: true, workerData });
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** Opens the SQLite store in a worker thread; rejects with a StoreError as openSqliteStore does. */
export function openSqliteThreadStore(options: SqliteThreadStoreOptions): Promise<Store> {
  const { logger, deadlineMs = STORE_DEADLINE_MS_DEFAULT, ...threadOptions } = options;
  const worker = startWorker(threadOptions);
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let stopped: StoreError | undefined;
  let closing: Promise<void> | undefined;

  const stop = (reason: string) => {
    if (stopped !== undefined) return;
    stopped = new StoreError('STORE_UNAVAILABLE', `the SQLite worker thread stopped (${reason})`);
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
  };

  return new Promise<Store>((resolveOpen, rejectOpen) => {
    let opened = false;
    worker.on('message', (message: FromWorker) => {
      switch (message.kind) {
        case 'log': {
          const child =
            Object.keys(message.bindings).length > 0 ? logger.child(message.bindings) : logger;
          child[message.level](message.fields, message.message);
          return;
        }
        case 'ready':
          opened = true;
          resolveOpen(store);
          return;
        case 'open-failed':
          rejectOpen(deserializeError(message.error));
          return;
        case 'result':
        case 'failure': {
          const p = pending.get(message.id);
          pending.delete(message.id);
          if (message.kind === 'result') p?.resolve(message.value);
          else p?.reject(deserializeError(message.error));
          return;
        }
      }
    });
    worker.on('error', (error) => {
      logger.error(
        { component: 'store', store: 'sqlite', err: error.name },
        'SQLite worker thread failed',
      );
      stop(error.name);
      if (!opened)
        rejectOpen(
          new StoreError('STORE_UNAVAILABLE', `opening the SQLite store: ${error.message}`),
        );
    });
    worker.on('exit', (code) => {
      stop(`exit code ${code}`);
      if (!opened)
        rejectOpen(
          new StoreError(
            'STORE_UNAVAILABLE',
            `opening the SQLite store: the worker exited (${code})`,
          ),
        );
    });

    const post = (message: ToWorker) =>
      new Promise<unknown>((resolve, reject) => {
        pending.set(message.id, { resolve, reject });
        try {
          worker.postMessage(message);
        } catch (error) {
          // Data a structured clone cannot carry (a function, a symbol): refused, never half-sent.
          pending.delete(message.id);
          reject(
            new StoreError(
              'STORE_UNAVAILABLE',
              'a record could not be handed to the SQLite thread',
              {
                cause: error,
              },
            ),
          );
        }
      });

    const call =
      <T>(name: StoreCall, action: string) =>
      (...args: unknown[]): Promise<T> => {
        if (closing !== undefined) return Promise.reject(storeClosed(action));
        if (stopped !== undefined) return Promise.reject(stopped);
        const given = args[ARITY[name]] as StoreCallOptions | undefined;
        const deadline = deadlineOf(given, deadlineMs);
        const full = [...Array.from({ length: ARITY[name] }, (_, i) => args[i]), { deadline }];
        const id = nextId++;
        return beforeDeadline(post({ kind: 'call', id, call: name, args: full }), deadline, () => {
          // A late answer finds no one waiting; a write the worker had not started is dropped there.
          pending.delete(id);
          return deadlineExceeded(action);
        }) as Promise<T>;
      };

    const store: Store = {
      kind: 'sqlite',
      ping: call('ping', 'checking the SQLite store'),
      saveFeedback: call('saveFeedback', 'saving feedback'),
      saveAudit: call('saveAudit', 'saving an audit record'),
      listFeedback: call('listFeedback', 'reading feedback'),
      listAudit: call('listAudit', 'reading audit records'),
      rememberJti: call('rememberJti', 'remembering a JWT id'),
      hitRateLimit: call('hitRateLimit', 'counting a rate-limit hit'),
      close() {
        closing ??=
          stopped !== undefined
            ? Promise.resolve()
            : post({ kind: 'close', id: nextId++ }).then(
                async () => {
                  await worker.terminate();
                },
                async (error: unknown) => {
                  await worker.terminate();
                  throw error;
                },
              );
        return closing;
      },
    };
  });
}
