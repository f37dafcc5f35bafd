/**
 * The embedded SQLite store (default; one replica). One better-sqlite3 connection in WAL mode.
 * Writes go through a group-commit queue (write-queue.ts): the request path only enqueues, the
 * disk is touched on a later turn of the event loop, and each promise resolves after its commit.
 *
 * Durability: `synchronous = FULL`. In WAL mode NORMAL cannot corrupt the file, but a commit made
 * just before a power cut or kernel crash can be lost; the feedback answer (200) promises the
 * clinician's response is stored, so every commit fsyncs the WAL. The queue batches concurrent
 * writes into one transaction, so the cost is one fsync per batch, not per request.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import {
  deadlineExceeded,
  deadlineOf,
  STORE_DEADLINE_MS_DEFAULT,
  type StoreCallOptions,
} from './deadline.js';
import { storeClosed } from './errors.js';
import { purgeJtiSql, purgeRateLimitSql, purgeSchedule } from './purge.js';
import { auditRow, columnText, feedbackRow, parseRecord, windowStart } from './records.js';
import { fromSqliteError } from './sqlite-errors.js';
import { migrateSqlite } from './sqlite-migrate.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { StoreError, type AuditRecord, type FeedbackRecord, type Store } from './types.js';
import { createWriteQueue } from './write-queue.js';

/** The database file's name inside the data directory. */
export const SQLITE_FILE_NAME = 'vcf-cds.sqlite';

/**
 * How long a write waits for another process's lock before failing with STORE_UNAVAILABLE. The
 * wait blocks the event loop (better-sqlite3 is synchronous), so it is kept short; only an outside
 * tool (sqlite3 shell, backup) holding the file can cause it.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 2_000;

export interface SqliteStoreOptions {
  /** Folder of the database; created (with parents) when missing. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** Clock for stored times when a record's own is unreadable; defaults to the system clock. */
  readonly now?: () => Date;
  /** STORE_DEADLINE_MS: a call with no deadline of its own settles within this. */
  readonly deadlineMs?: number;
  /** Busy timeout in ms (default SQLITE_BUSY_TIMEOUT_MS). */
  readonly busyTimeoutMs?: number;
  /**
   * Caps the file at this many pages (PRAGMA max_page_count): writes past it fail as a full disk
   * would (SQLITE_FULL -> STORE_FULL). Unset in production; tests use it to fill the database.
   */
  readonly maxPageCount?: number;
}

/** Opens (creating when needed) the SQLite store; rejects with a StoreError. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const logger = options.logger.child({ component: 'store', store: 'sqlite' });
  const now = options.now ?? (() => new Date());
  const file = join(options.dataDir, SQLITE_FILE_NAME);
  let db: Database.Database | undefined;
  try {
    mkdirSync(options.dataDir, { recursive: true });
    db = new Database(file, { timeout: options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS });
    const mode: unknown = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') logger.warn({ journalMode: mode }, 'SQLite could not switch to WAL mode');
    db.pragma('synchronous = FULL');
    // Keeps the WAL file from staying large after a burst of writes.
    db.pragma('journal_size_limit = 67108864');
    const outcome = migrateSqlite(db, SQLITE_MIGRATIONS, now());
    if (outcome.newerVersion !== undefined) {
      logger.warn(
        { version: outcome.newerVersion },
        'database has a newer schema than this release',
      );
    }
    if (options.maxPageCount !== undefined) {
      db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    }
    logger.info({ file, migrationsApplied: outcome.applied }, 'SQLite store open');
    return sqliteStore(db, logger, now, options.deadlineMs ?? STORE_DEADLINE_MS_DEFAULT);
  } catch (error) {
    try {
      db?.close();
    } catch {
      // Already failing; the open error is the one to report.
    }
    const failure = fromSqliteError(error, 'opening the SQLite store');
    logger.error({ code: failure.code, driverCode: failure.driverCode, file }, failure.message);
    throw failure;
  }
}

function sqliteStore(
  db: Database.Database,
  logger: Logger,
  now: () => Date,
  deadlineMs: number,
): Store {
  // A repeat of a stored identity (feedback_identity, audit_identity) is skipped: the first stays.
  const insertFeedback = db.prepare(`INSERT INTO feedback
    (row_id, service_id, card, outcome, outcome_timestamp, received_at, client_id, record)
    VALUES (@rowId, @serviceId, @card, @outcome, @outcomeTimestamp, @receivedAt, @clientId, @record)
    ON CONFLICT DO NOTHING`);
  const insertAudit = db.prepare(`INSERT INTO audit
    (row_id, id, audit_time, service_id, hook, hook_instance, levels, patient_id_hash,
     engine_version, knowledge_base_version, client_id, record)
    VALUES (@rowId, @id, @time, @serviceId, @hook, @hookInstance, @levels, @patientIdHash,
     @engineVersion, @knowledgeBaseVersion, @clientId, @record)
    ON CONFLICT DO NOTHING`);
  const selectFeedback = db.prepare(`SELECT record FROM feedback
    WHERE (@card IS NULL OR card = @card) AND (@serviceId IS NULL OR service_id = @serviceId)
    ORDER BY seq`);
  const selectAudit = db.prepare(`SELECT record FROM audit
    WHERE (@hookInstance IS NULL OR hook_instance = @hookInstance) ORDER BY seq`);
  // Insert, or take over an expired entry; `changes` is 0 only for a live one (a replay).
  const upsertJti = db.prepare(`INSERT INTO jti_cache (issuer, jti, expires_at) VALUES (?, ?, ?)
    ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = excluded.expires_at
    WHERE jti_cache.expires_at <= ?`);
  const hitWindow = db.prepare(`INSERT INTO rate_limit (key, window_start, expires_at, hits)
    VALUES (?, ?, ?, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
    RETURNING hits`);
  const purgeJti = db.prepare(purgeJtiSql('?'));
  const purgeRateLimit = db.prepare(purgeRateLimitSql('?'));
  const probe = db.prepare(`INSERT INTO store_probe (instance, probed_at) VALUES ('sqlite', ?)
    ON CONFLICT (instance) DO UPDATE SET probed_at = excluded.probed_at`);

  const immediate = db.transaction((fn: () => unknown) => fn());
  const queue = createWriteQueue({
    transaction: <T>(fn: () => T): T => immediate.immediate(fn) as T,
  });
  const purgeDue = purgeSchedule();
  let closing: Promise<void> | undefined;

  /** The error a caller sees for `action`, logged with codes only (never record contents). */
  const failure = (action: string) => (error: unknown) => {
    const e = fromSqliteError(error, action);
    logger.warn({ code: e.code, driverCode: e.driverCode }, e.message);
    return e;
  };

  const read = <T>(action: string, fn: () => T): Promise<T> => {
    if (closing !== undefined) return Promise.reject(storeClosed(action));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(failure(action)(error));
    }
  };

  /** Queued; dropped unrun (rejected) when its deadline has passed before its batch starts. */
  const write = <T>(action: string, fn: () => T, options?: StoreCallOptions): Promise<T> => {
    if (closing !== undefined) return Promise.reject(storeClosed(action));
    return queue.push(fn, failure(action), deadlineOf(options, deadlineMs), () =>
      deadlineExceeded(action),
    );
  };

  /** Queues a purge of expired rows when one is due; its failure is logged, never a caller's. */
  const maybePurge = (at: Date) => {
    if (!purgeDue.due(at)) return;
    const cutoff = at.getTime();
    void write('purging expired rows', () => {
      purgeJti.run(cutoff);
      purgeRateLimit.run(cutoff);
    }).catch(() => undefined);
  };

  return {
    kind: 'sqlite',
    ping: (options) =>
      write(
        'checking the SQLite store',
        () => {
          probe.run(now().toISOString());
        },
        options,
      ),
    saveFeedback(items: readonly FeedbackRecord[], options?: StoreCallOptions) {
      if (items.length === 0) {
        return closing ? Promise.reject(storeClosed('saving feedback')) : Promise.resolve();
      }
      let rows: ReturnType<typeof feedbackRow>[];
      try {
        rows = items.map((item) => feedbackRow(item, now()));
      } catch (error) {
        return Promise.reject(failure('saving feedback')(error));
      }
      return write(
        'saving feedback',
        () => {
          for (const row of rows) insertFeedback.run(row);
        },
        options,
      );
    },
    saveAudit(record: AuditRecord, options?: StoreCallOptions) {
      let row: ReturnType<typeof auditRow>;
      try {
        row = auditRow(record, now());
      } catch (error) {
        return Promise.reject(failure('saving an audit record')(error));
      }
      return write(
        'saving an audit record',
        () => {
          insertAudit.run(row);
        },
        options,
      );
    },
    listFeedback: (filter) =>
      read('reading feedback', () =>
        (
          selectFeedback.all({
            card: filter?.card === undefined ? null : columnText(filter.card),
            serviceId: filter?.serviceId === undefined ? null : columnText(filter.serviceId),
          }) as { record: unknown }[]
        ).map((r) => parseRecord<FeedbackRecord>(r.record)),
      ),
    listAudit: (filter) =>
      read('reading audit records', () =>
        (
          selectAudit.all({
            hookInstance:
              filter?.hookInstance === undefined ? null : columnText(filter.hookInstance),
          }) as { record: unknown }[]
        ).map((r) => parseRecord<AuditRecord>(r.record)),
      ),
    rememberJti(issuer: string, jti: string, expiresAt: Date, at: Date, options) {
      const result = write(
        'remembering a JWT id',
        () =>
          upsertJti.run(columnText(issuer), columnText(jti), expiresAt.getTime(), at.getTime())
            .changes === 1,
        options,
      );
      maybePurge(at);
      return result;
    },
    hitRateLimit(key: string, windowMs: number, at: Date, options) {
      if (!(Number.isInteger(windowMs) && windowMs > 0)) {
        return Promise.reject(new RangeError('windowMs must be a positive integer'));
      }
      const start = windowStart(at, windowMs);
      const result = write(
        'counting a rate-limit hit',
        () => {
          const row = hitWindow.get(columnText(key), start, start + windowMs) as
            { hits: number } | undefined;
          if (row === undefined) {
            throw new StoreError('STORE_UNAVAILABLE', 'rate-limit upsert returned no row');
          }
          return row.hits;
        },
        options,
      );
      maybePurge(at);
      return result;
    },
    close() {
      closing ??= queue.drain().then(() => {
        try {
          db.close();
          logger.info('SQLite store closed');
        } catch (error) {
          throw failure('closing the SQLite store')(error);
        }
      });
      return closing;
    },
  };
}
