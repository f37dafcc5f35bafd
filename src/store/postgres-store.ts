/**
 * The PostgreSQL store (DATABASE_URL; any number of replicas). A node-postgres pool, parameterised
 * queries only. Shared state (jti replay cache, rate-limit windows) is updated with single-statement
 * upserts, so replicas agree without locks held across round trips.
 *
 * Failures reject with a StoreError and never crash the process: the pool's 'error' event (an idle
 * connection dropped by a restart or failover) is handled, and the pool opens new connections when
 * the server is back, so no restart is needed. A call that failed because its connection died is
 * retried once on a fresh one when repeating it is harmless (reads, and inserts keyed by row_id).
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { storeClosed } from './errors.js';
import { fromPostgresError, isStaleConnection } from './postgres-errors.js';
import { migratePostgres } from './postgres-migrate.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { describePostgresUrl } from './postgres-url.js';
import { purgeJtiSql, purgeRateLimitSql, purgeSchedule } from './purge.js';
import { auditRow, columnText, feedbackRow, parseRecord, windowStart } from './records.js';
import { StoreError, type AuditRecord, type FeedbackRecord, type Store } from './types.js';

/** Pool limits. 5 connections per replica keeps 10 replicas (deploy/hpa.yaml) under the default max_connections of 100. */
export const POSTGRES_POOL_DEFAULTS = {
  max: 5,
  /** Fail fast (STORE_UNAVAILABLE) when no connection can be had. */
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  /**
   * Client-side: a socket that went silent (network partition) fails instead of hanging. No
   * server-side statement_timeout: sent as a startup parameter, PgBouncer would refuse it.
   */
  queryTimeoutMillis: 15_000,
} as const;

export interface PostgresStoreOptions {
  /** postgres:// URL; logged as host/port/database only. */
  readonly url: string;
  readonly logger: Logger;
  /** Clock for stored times when a record's own is unreadable; defaults to the system clock. */
  readonly now?: () => Date;
  /** Overrides of POSTGRES_POOL_DEFAULTS (tests shorten the timeouts). */
  readonly pool?: Partial<Record<keyof typeof POSTGRES_POOL_DEFAULTS, number>>;
}

const INSERT_FEEDBACK = `INSERT INTO feedback
  (row_id, service_id, card, outcome, received_at, client_id, record)
  SELECT row_id, service_id, card, outcome, received_at, client_id, record
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
    WITH ORDINALITY AS u(row_id, service_id, card, outcome, received_at, client_id, record, ord)
  ORDER BY ord
  ON CONFLICT (row_id) DO NOTHING`;
const INSERT_AUDIT = `INSERT INTO audit
  (row_id, id, audit_time, service_id, hook, hook_instance, patient_id_hash, engine_version,
   knowledge_base_version, client_id, record)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (row_id) DO NOTHING`;
const SELECT_FEEDBACK = `SELECT record FROM feedback
  WHERE ($1::text IS NULL OR card = $1) AND ($2::text IS NULL OR service_id = $2) ORDER BY seq`;
const SELECT_AUDIT = `SELECT record FROM audit
  WHERE ($1::text IS NULL OR hook_instance = $1) ORDER BY seq`;
// Insert, or take over an expired entry; rowCount is 0 only for a live one (a replay). Concurrent
// callers serialise on the row: exactly one of them inserts or takes it over.
const UPSERT_JTI = `INSERT INTO jti_cache (issuer, jti, expires_at) VALUES ($1, $2, $3)
  ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
  WHERE jti_cache.expires_at <= $4`;
const HIT_WINDOW = `INSERT INTO rate_limit (key, window_start, expires_at, hits) VALUES ($1, $2, $3, 1)
  ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
  RETURNING hits`;

/** Opens the PostgreSQL store (pool + migrations); rejects with a StoreError. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const target = describePostgresUrl(options.url);
  const logger = options.logger.child({ component: 'store', store: 'postgres' });
  const limits = { ...POSTGRES_POOL_DEFAULTS, ...options.pool };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: limits.max,
    connectionTimeoutMillis: limits.connectionTimeoutMillis,
    idleTimeoutMillis: limits.idleTimeoutMillis,
    query_timeout: limits.queryTimeoutMillis,
    keepAlive: true,
    application_name: 'vcf-cds',
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (error) => {
    logger.warn(
      { driverCode: (error as { code?: unknown }).code ?? 'none', ...target },
      'an idle PostgreSQL connection was lost; the pool will open a new one',
    );
  });
  try {
    const outcome = await migratePostgres(pool, POSTGRES_MIGRATIONS);
    if (outcome.newerVersion !== undefined) {
      logger.warn(
        { version: outcome.newerVersion },
        'database has a newer schema than this release',
      );
    }
    logger.info({ ...target, migrationsApplied: outcome.applied }, 'PostgreSQL store open');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const failure = fromPostgresError(error, 'opening the PostgreSQL store');
    logger.error(
      { code: failure.code, driverCode: failure.driverCode, ...target },
      failure.message,
    );
    throw failure;
  }
  return postgresStore(pool, logger, options.now ?? (() => new Date()), limits.max);
}

function postgresStore(
  pool: pg.Pool,
  logger: Logger,
  now: () => Date,
  maxConnections: number,
): Store {
  const inflight = new Set<Promise<unknown>>();
  const purgeDue = purgeSchedule();
  let closing: Promise<void> | undefined;

  /** The error a caller sees for `action`, logged with codes only (never record contents). */
  const failure = (action: string, error: unknown): StoreError => {
    const e = fromPostgresError(error, action);
    logger.warn({ code: e.code, driverCode: e.driverCode }, e.message);
    return e;
  };

  /**
   * Runs one database call, tracked so close() can wait for it. `retry`: the call is safe to repeat,
   * so when the pooled connection it got was dead (reset, or ended by a server restart or failover)
   * it is repeated, after the event loop has let the other dead connections report themselves, up to
   * once per pooled connection. An unreachable server is not retried: that would only add delay.
   */
  const run = <T>(action: string, retry: boolean, call: () => Promise<T>): Promise<T> => {
    if (closing !== undefined) return Promise.reject(storeClosed(action));
    const p = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await call();
        } catch (error) {
          if (!retry || attempt > maxConnections || !isStaleConnection(error))
            throw failure(action, error);
          logger.debug(
            { driverCode: (error as { code?: unknown }).code ?? 'none', attempt },
            'retrying on a fresh connection',
          );
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    })();
    inflight.add(p);
    const done = () => inflight.delete(p);
    p.then(done, done);
    return p;
  };

  /** Purges expired rows in the background when due; its failure is logged, never a caller's. */
  const maybePurge = (at: Date) => {
    if (!purgeDue.due(at)) return;
    const cutoff = at.getTime();
    run('purging expired rows', false, async () => {
      await pool.query(purgeJtiSql('$1'), [cutoff]);
      await pool.query(purgeRateLimitSql('$1'), [cutoff]);
    }).catch(() => undefined);
  };

  return {
    kind: 'postgres',
    ping: () =>
      run('checking the PostgreSQL store', true, async () => {
        await pool.query('SELECT 1');
      }),
    saveFeedback(items: readonly FeedbackRecord[]) {
      if (items.length === 0) {
        return closing ? Promise.reject(storeClosed('saving feedback')) : Promise.resolve();
      }
      let rows: ReturnType<typeof feedbackRow>[];
      try {
        rows = items.map((item) => feedbackRow(item, now()));
      } catch (error) {
        return Promise.reject(failure('saving feedback', error));
      }
      const columns = [
        rows.map((r) => r.rowId),
        rows.map((r) => r.serviceId),
        rows.map((r) => r.card),
        rows.map((r) => r.outcome),
        rows.map((r) => r.receivedAt),
        rows.map((r) => r.clientId),
        rows.map((r) => r.record),
      ];
      // One statement: all items are stored, or none and the caller is told.
      return run('saving feedback', true, async () => {
        await pool.query(INSERT_FEEDBACK, columns);
      });
    },
    saveAudit(record: AuditRecord) {
      let r: ReturnType<typeof auditRow>;
      try {
        r = auditRow(record, now());
      } catch (error) {
        return Promise.reject(failure('saving an audit record', error));
      }
      return run('saving an audit record', true, async () => {
        await pool.query(INSERT_AUDIT, [
          r.rowId,
          r.id,
          r.time,
          r.serviceId,
          r.hook,
          r.hookInstance,
          r.patientIdHash,
          r.engineVersion,
          r.knowledgeBaseVersion,
          r.clientId,
          r.record,
        ]);
      });
    },
    listFeedback: (filter) =>
      run('reading feedback', true, async () => {
        const card = filter?.card === undefined ? null : columnText(filter.card);
        const service = filter?.serviceId === undefined ? null : columnText(filter.serviceId);
        const { rows } = await pool.query<{ record: string }>(SELECT_FEEDBACK, [card, service]);
        return rows.map((row) => parseRecord<FeedbackRecord>(row.record));
      }),
    listAudit: (filter) =>
      run('reading audit records', true, async () => {
        const hookInstance =
          filter?.hookInstance === undefined ? null : columnText(filter.hookInstance);
        const { rows } = await pool.query<{ record: string }>(SELECT_AUDIT, [hookInstance]);
        return rows.map((row) => parseRecord<AuditRecord>(row.record));
      }),
    rememberJti(issuer: string, jti: string, expiresAt: Date, at: Date) {
      // Not retried: if the first try committed before its connection died, a retry would call a
      // fresh token a replay.
      const result = run('remembering a JWT id', false, async () => {
        const { rowCount } = await pool.query(UPSERT_JTI, [
          columnText(issuer),
          columnText(jti),
          expiresAt.getTime(),
          at.getTime(),
        ]);
        return rowCount === 1;
      });
      maybePurge(at);
      return result;
    },
    hitRateLimit(key: string, windowMs: number, at: Date) {
      if (!(Number.isInteger(windowMs) && windowMs > 0)) {
        return Promise.reject(new RangeError('windowMs must be a positive integer'));
      }
      const start = windowStart(at, windowMs);
      const result = run('counting a rate-limit hit', false, async () => {
        const { rows } = await pool.query<{ hits: number }>(HIT_WINDOW, [
          columnText(key),
          start,
          start + windowMs,
        ]);
        const hits = rows[0]?.hits;
        if (hits === undefined)
          throw new StoreError('STORE_UNAVAILABLE', 'rate-limit upsert returned no row');
        return hits;
      });
      maybePurge(at);
      return result;
    },
    close() {
      closing ??= (async () => {
        // Every call started before close() finishes (or fails) first; then the pool ends.
        while (inflight.size > 0) await Promise.allSettled([...inflight]);
        await pool.end();
        logger.info('PostgreSQL store closed');
      })();
      return closing;
    },
  };
}
