/**
 * Opportunistic purging of expired jti and rate-limit rows: no timer of its own, a store purges
 * when a call arrives and the last purge (by the caller's clock, so a frozen test clock works) is
 * older than the interval. Each purge deletes a bounded number of rows so it never holds locks
 * for long; a backlog drains over the next purges.
 */

/** How often a store instance purges, and how many rows one purge deletes at most, per table. */
export const PURGE_INTERVAL_MS = 60_000;
export const PURGE_BATCH_ROWS = 1_000;

/** Answers "is a purge due at `now`?" and records the purge when it is. */
export interface PurgeSchedule {
  due(now: Date): boolean;
}

/** A schedule that is due on the first call, then once per `intervalMs` of the callers' clock. */
export function purgeSchedule(intervalMs: number = PURGE_INTERVAL_MS): PurgeSchedule {
  let last = Number.NEGATIVE_INFINITY;
  return {
    due(now) {
      const t = now.getTime();
      // A clock that went backwards (another caller's `now`) also triggers, then resets.
      if (t - last < intervalMs && t >= last) return false;
      last = t;
      return true;
    },
  };
}

/**
 * Deletes expired replay-cache rows, at most PURGE_BATCH_ROWS; `param` is the driver's placeholder
 * for the cut-off (`?` for SQLite, `$1` for PostgreSQL), the rest is the same SQL on both.
 */
export function purgeJtiSql(param: string): string {
  return `DELETE FROM jti_cache WHERE (issuer, jti) IN (
    SELECT issuer, jti FROM jti_cache WHERE expires_at <= ${param} LIMIT ${PURGE_BATCH_ROWS})`;
}

/** Deletes closed rate-limit windows, at most PURGE_BATCH_ROWS (see purgeJtiSql). */
export function purgeRateLimitSql(param: string): string {
  return `DELETE FROM rate_limit WHERE (key, window_start) IN (
    SELECT key, window_start FROM rate_limit WHERE expires_at <= ${param} LIMIT ${PURGE_BATCH_ROWS})`;
}
