/**
 * PostgreSQL (node-postgres) failures -> StoreError. SQLSTATE classes follow
 * https://www.postgresql.org/docs/current/errcodes-appendix.html. Only a full disk is STORE_FULL;
 * every other failure is STORE_UNAVAILABLE with a reason an operator can act on.
 */
import { driverCodeOf, messageOf, storeError } from './errors.js';
import { StoreError } from './types.js';

/** Node system errors that mean the server could not be reached or the socket died. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // a unix socket path that does not exist
]);

/** node-postgres reports these without a code. */
const NETWORK_MESSAGES =
  /connection terminated|not queryable|timeout exceeded when trying to connect|connection timeout|query read timeout|socket closed|server closed the connection/i;

/**
 * True when the failure is the connection itself (refused, reset, terminated by the server, timed
 * out), not the statement: a fresh connection from the pool may succeed.
 */
export function isConnectionFailure(error: unknown): boolean {
  const code = driverCodeOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code)) return true;
    // 08xxx connection exception; 57P01-57P03 admin/crash shutdown, cannot connect now.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') {
      return true;
    }
    if (/^[0-9A-Z]{5}$/.test(code)) return false;
  }
  return NETWORK_MESSAGES.test(messageOf(error));
}

/** Failures to reach the server at all: another try now would fail the same way. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOENT',
  '57P03',
]);

/** A connect timeout means unreachable; a query timeout may be a stuck server: neither is retried. */
const NOT_STALE_MESSAGES =
  /timeout exceeded when trying to connect|connection timeout|query read timeout/i;

/**
 * True when a pooled connection turned out to be dead (reset, terminated by a server restart or
 * failover) rather than the server being unreachable: the pool discards that connection, and a
 * repeat of the call gets another, possibly a fresh one.
 */
export function isStaleConnection(error: unknown): boolean {
  const code = driverCodeOf(error);
  if (code !== undefined && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return false;
  if (NOT_STALE_MESSAGES.test(messageOf(error))) return false;
  return isConnectionFailure(error);
}

const SQLSTATE_REASONS: readonly { readonly match: RegExp; readonly reason: string }[] = [
  { match: /^28/, reason: 'PostgreSQL refused the credentials' },
  { match: /^3D000$/, reason: 'the PostgreSQL database does not exist' },
  { match: /^25006$/, reason: 'PostgreSQL is read-only (a standby?)' },
  { match: /^53300$/, reason: 'PostgreSQL has no free connection slots' },
  { match: /^53/, reason: 'PostgreSQL is out of resources' },
  { match: /^57014$/, reason: 'the PostgreSQL statement timed out' },
  { match: /^40/, reason: 'the PostgreSQL transaction was rolled back (conflict); retry' },
  { match: /^55P03$/, reason: 'a PostgreSQL lock was not available in time' },
];

/** Maps a node-postgres error to a StoreError; a StoreError passes through. */
export function fromPostgresError(error: unknown, action: string): StoreError {
  if (error instanceof StoreError) return error;
  const driverCode = driverCodeOf(error);
  if (driverCode === '53100') {
    return storeError(
      'STORE_FULL',
      action,
      'the PostgreSQL server is out of disk space',
      error,
      driverCode,
    );
  }
  if (isConnectionFailure(error)) {
    return storeError(
      'STORE_UNAVAILABLE',
      action,
      'the PostgreSQL connection was refused, lost or timed out',
      error,
      driverCode,
    );
  }
  const known =
    driverCode === undefined ? undefined : SQLSTATE_REASONS.find((r) => r.match.test(driverCode));
  return storeError(
    'STORE_UNAVAILABLE',
    action,
    known?.reason ??
      `unexpected PostgreSQL error${driverCode === undefined ? '' : ` (${driverCode})`}`,
    error,
    driverCode,
  );
}
