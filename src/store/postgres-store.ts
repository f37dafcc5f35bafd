/**
 * The PostgreSQL store (DATABASE_URL; any number of replicas). A node-postgres pool, parameterised
 * queries only. Shared state (jti replay cache, rate-limit windows) is updated with single-statement
 * upserts, so replicas agree without locks held across round trips.
 *
 * Failures reject with a StoreError and never crash the process: the pool's 'error' event (an idle
 * connection dropped by a restart or failover) is handled, and the pool opens new connections when
 * the server is back, so no restart is needed. A call that failed because its connection died is
 * retried on a fresh one when repeating it is harmless (reads, and idempotent writes).
 *
 * A stalled server (issue 15: the socket stays up, nothing answers): every call settles by its
 * deadline; each write runs in an explicit transaction whose COMMIT is sent only before the
 * deadline, and a connection given up on is destroyed, so the server rolls the write back when it
 * resumes. The one ambiguous case: COMMIT sent, its acknowledgement not back by the deadline.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import type { Logger } from 'pino';
import {
  afterDeadline,
  beforeDeadline,
  clockMs,
  deadlineExceeded,
  deadlineOf,
  STORE_DEADLINE_MS_DEFAULT,
  type StoreCallOptions,
} from './deadline.js';
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
  /**
   * Opening a connection gives up after this (STORE_UNAVAILABLE); unset, the store deadline. A
   * caller stops waiting at its own deadline anyway; this also ends the attempt itself.
   */
  connectionTimeoutMillis: STORE_DEADLINE_MS_DEFAULT,
  idleTimeoutMillis: 30_000,
} as const;

export interface PostgresStoreOptions {
  /** postgres:// URL; logged as host/port/database only. */
  readonly url: string;
  readonly logger: Logger;
  /** Clock for stored times when a record's own is unreadable; defaults to the system clock. */
  readonly now?: () => Date;
  /** STORE_DEADLINE_MS: a call with no deadline of its own settles within this. */
  readonly deadlineMs?: number;
  /** Overrides of POSTGRES_POOL_DEFAULTS (tests shorten the timeouts). */
  readonly pool?: Partial<Record<keyof typeof POSTGRES_POOL_DEFAULTS, number>>;
  /** The readiness probe's row (store_probe.instance); the host name by default. */
  readonly instance?: string;
}

// A repeat of a stored identity (feedback_identity, audit_identity) is skipped: the first stays.
const INSERT_FEEDBACK = `INSERT INTO feedback
  (row_id, service_id, card, outcome, outcome_timestamp, received_at, client_id, record)
  SELECT row_id, service_id, card, outcome, outcome_timestamp, received_at, client_id, record
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
      $7::text[], $8::text[])
    WITH ORDINALITY AS u(row_id, service_id, card, outcome, outcome_timestamp, received_at,
      client_id, record, ord)
  ORDER BY ord
  ON CONFLICT DO NOTHING`;
const INSERT_AUDIT = `INSERT INTO audit
  (row_id, id, audit_time, service_id, hook, hook_instance, levels, patient_id_hash,
   engine_version, knowledge_base_version, client_id, record)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  ON CONFLICT DO NOTHING`;
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
const PROBE = `INSERT INTO store_probe (instance, probed_at) VALUES ($1, now())
  ON CONFLICT (instance) DO UPDATE SET probed_at = EXCLUDED.probed_at`;

/** Opens the PostgreSQL store (pool + migrations); rejects with a StoreError. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const target = describePostgresUrl(options.url);
  const logger = options.logger.child({ component: 'store', store: 'postgres' });
  const deadlineMs = options.deadlineMs ?? STORE_DEADLINE_MS_DEFAULT;
  const limits = {
    ...POSTGRES_POOL_DEFAULTS,
    connectionTimeoutMillis: deadlineMs,
    ...options.pool,
  };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: limits.max,
    connectionTimeoutMillis: limits.connectionTimeoutMillis,
    idleTimeoutMillis: limits.idleTimeoutMillis,
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
  return postgresStore(pool, logger, {
    now: options.now ?? (() => new Date()),
    maxConnections: limits.max,
    deadlineMs,
    instance: options.instance ?? hostname(),
  });
}

interface StoreSettings {
  readonly now: () => Date;
  readonly maxConnections: number;
  readonly deadlineMs: number;
  readonly instance: string;
}

/** How a call uses its connection: in an explicit transaction (writes) or alone (reads, counters). */
type Mode = 'transaction' | 'statement';

function postgresStore(pool: pg.Pool, logger: Logger, settings: StoreSettings): Store {
  const { now, maxConnections, deadlineMs } = settings;
  const inflight = new Set<Promise<unknown>>();
  const purgeDue = purgeSchedule();
  let closing: Promise<void> | undefined;

  /** The error a caller sees for `action`, logged with codes only (never record contents). */
  const failure = (action: string, error: unknown): StoreError => {
    const e = fromPostgresError(error, action);
    logger.warn({ code: e.code, driverCode: e.driverCode }, e.message);
    return e;
  };

  /** A pooled connection by `deadline`; one that comes later goes straight back to the pool. */
  const acquire = (action: string, deadline: number): Promise<pg.PoolClient> =>
    beforeDeadline(
      pool.connect(),
      deadline,
      () => deadlineExceeded(action),
      (late) => late.release(),
    );

  /**
   * Runs `work` on one connection by `deadline`. In a transaction, COMMIT is sent only while the
   * deadline has not passed. On any failure, and at the deadline, the connection is destroyed:
   * never returned to the pool, never closed gracefully (either would let statements already sent
   * run when a stalled server resumes); the server then rolls the open transaction back.
   */
  const onConnection = async <T>(
    action: string,
    deadline: number,
    mode: Mode,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> => {
    const client = await acquire(action, deadline);
    // Errors of a connection in use reach the query in flight; the listener keeps the process up.
    client.on('error', ignore);
    let expired = false;
    const timer = afterDeadline(deadline, () => {
      expired = true;
      destroy(client);
    });
    try {
      if (mode === 'transaction') await client.query('BEGIN');
      const result = await work(client);
      if (mode === 'transaction') {
        if (expired || clockMs() >= deadline) {
          expired = true;
          throw deadlineExceeded(action);
        }
        await client.query('COMMIT');
      }
      timer.cancel();
      client.removeListener('error', ignore);
      client.release();
      return result;
    } catch (error) {
      timer.cancel();
      destroy(client);
      throw expired ? deadlineExceeded(action) : error;
    }
  };

  /**
   * Runs one database call by `deadline`, tracked so close() can wait for it. `retry`: the call is
   * safe to repeat (reads; idempotent writes), so when the pooled connection it got was dead (reset,
   * or ended by a server restart or failover) it is repeated on another, up to once per pooled
   * connection and within the same deadline. An unreachable server or a deadline is not retried.
   */
  const run = <T>(
    action: string,
    options: StoreCallOptions | undefined,
    retry: boolean,
    mode: Mode,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> => {
    if (closing !== undefined) return Promise.reject(storeClosed(action));
    const deadline = deadlineOf(options, deadlineMs);
    const p = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await onConnection(action, deadline, mode, work);
        } catch (error) {
          if (
            !retry ||
            attempt > maxConnections ||
            clockMs() >= deadline ||
            !isStaleConnection(error)
          )
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
    run('purging expired rows', undefined, false, 'statement', async (client) => {
      await client.query(purgeJtiSql('$1'), [cutoff]);
      await client.query(purgeRateLimitSql('$1'), [cutoff]);
    }).catch(() => undefined);
  };

  return {
    kind: 'postgres',
    ping: (options) =>
      run('checking the PostgreSQL store', options, true, 'transaction', async (client) => {
        await client.query(PROBE, [columnText(settings.instance)]);
      }),
    saveFeedback(items: readonly FeedbackRecord[], options?: StoreCallOptions) {
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
        rows.map((r) => r.outcomeTimestamp),
        rows.map((r) => r.receivedAt),
        rows.map((r) => r.clientId),
        rows.map((r) => r.record),
      ];
      // One statement in one transaction: all items are stored, or none and the caller is told.
      return run('saving feedback', options, true, 'transaction', async (client) => {
        await client.query(INSERT_FEEDBACK, columns);
      });
    },
    saveAudit(record: AuditRecord, options?: StoreCallOptions) {
      let r: ReturnType<typeof auditRow>;
      try {
        r = auditRow(record, now());
      } catch (error) {
        return Promise.reject(failure('saving an audit record', error));
      }
      return run('saving an audit record', options, true, 'transaction', async (client) => {
        await client.query(INSERT_AUDIT, [
          r.rowId,
          r.id,
          r.time,
          r.serviceId,
          r.hook,
          r.hookInstance,
          r.levels,
          r.patientIdHash,
          r.engineVersion,
          r.knowledgeBaseVersion,
          r.clientId,
          r.record,
        ]);
      });
    },
    listFeedback: (filter, options) =>
      run('reading feedback', options, true, 'statement', async (client) => {
        const card = filter?.card === undefined ? null : columnText(filter.card);
        const service = filter?.serviceId === undefined ? null : columnText(filter.serviceId);
        const { rows } = await client.query<{ record: string }>(SELECT_FEEDBACK, [card, service]);
        return rows.map((row) => parseRecord<FeedbackRecord>(row.record));
      }),
    listAudit: (filter, options) =>
      run('reading audit records', options, true, 'statement', async (client) => {
        const hookInstance =
          filter?.hookInstance === undefined ? null : columnText(filter.hookInstance);
        const { rows } = await client.query<{ record: string }>(SELECT_AUDIT, [hookInstance]);
        return rows.map((row) => parseRecord<AuditRecord>(row.record));
      }),
    rememberJti(issuer: string, jti: string, expiresAt: Date, at: Date, options) {
      // In a transaction, so a 503 means "not remembered". Not retried: if the first try committed
      // before its connection died, a retry would call a fresh token a replay.
      const result = run('remembering a JWT id', options, false, 'transaction', async (client) => {
        const { rowCount } = await client.query(UPSERT_JTI, [
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
    hitRateLimit(key: string, windowMs: number, at: Date, options) {
      if (!(Number.isInteger(windowMs) && windowMs > 0)) {
        return Promise.reject(new RangeError('windowMs must be a positive integer'));
      }
      const start = windowStart(at, windowMs);
      // One statement, no transaction: a hit counted after its caller gave up only tightens the
      // window a little; not retried (a retry could count the hit twice).
      const result = run(
        'counting a rate-limit hit',
        options,
        false,
        'statement',
        async (client) => {
          const { rows } = await client.query<{ hits: number }>(HIT_WINDOW, [
            columnText(key),
            start,
            start + windowMs,
          ]);
          const hits = rows[0]?.hits;
          if (hits === undefined)
            throw new StoreError('STORE_UNAVAILABLE', 'rate-limit upsert returned no row');
          return hits;
        },
      );
      maybePurge(at);
      return result;
    },
    close() {
      closing ??= (async () => {
        // Every call started before close() settles (each by its deadline); then the pool ends.
        while (inflight.size > 0) await Promise.allSettled([...inflight]);
        await pool.end();
        logger.info('PostgreSQL store closed');
      })();
      return closing;
    },
  };
}

const ignore = (): void => undefined;
const destroyed = new WeakSet<pg.PoolClient>();

/**
 * Ends a connection at once: its socket is destroyed (no Terminate message, nothing more sent),
 * then the pool forgets it. Idempotent.
 */
function destroy(client: pg.PoolClient): void {
  if (destroyed.has(client)) return;
  destroyed.add(client);
  // node-postgres has no public "destroy": its socket is `connection.stream` (a net.Socket or a
  // TLSSocket), the same handle its own end() destroys when a query hangs.
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection
    ?.stream;
  stream?.destroy();
  client.release(new Error('connection destroyed'));
}
