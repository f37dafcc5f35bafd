/**
 * The store port's public face (ARCHITECTURE.md "Ports"): `openStore` picks the backend from the
 * configuration; the rest of the service sees only the `Store` interface.
 */
import type { Logger } from 'pino';
import { openPostgresStore } from './postgres-store.js';
import { openSqliteThreadStore } from './sqlite-thread-store.js';
import type { Store } from './types.js';

export { StoreError } from './types.js';
export {
  clockMs,
  storeBudget,
  STORE_DEADLINE_MS_DEFAULT,
  type StoreBudget,
  type StoreCallOptions,
} from './deadline.js';
export { parseAuditIdKey, resolveAuditIdKey, AUDIT_ID_KEY_FILE } from './audit-id-key.js';
export type { AuditRecord, FeedbackRecord, Store, StoreErrorCode } from './types.js';
export { openPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { openSqliteThreadStore, type SqliteThreadStoreOptions } from './sqlite-thread-store.js';

/**
 * Opens the configured store: PostgreSQL when a URL is given (shared by every replica), else the
 * embedded SQLite file under `dataDir` (one replica), its connection in a worker thread so that no
 * write blocks the thread answering requests. Migrations are applied before it resolves.
 * Rejects with a StoreError (STORE_UNAVAILABLE, STORE_FULL) when the database cannot be used.
 * Every store call then settles within `deadlineMs` unless it brings a deadline of its own.
 */
export function openStore(
  config: ({ readonly dataDir: string } | { readonly postgresUrl: string }) & {
    /** STORE_DEADLINE_MS (default STORE_DEADLINE_MS_DEFAULT). */
    readonly deadlineMs?: number;
  },
  logger: Logger,
): Promise<Store> {
  const deadline = config.deadlineMs === undefined ? {} : { deadlineMs: config.deadlineMs };
  return 'postgresUrl' in config
    ? openPostgresStore({ url: config.postgresUrl, logger, ...deadline })
    : openSqliteThreadStore({ dataDir: config.dataDir, logger, ...deadline });
}
