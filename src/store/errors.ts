/**
 * Shared helpers for turning driver failures into StoreError values (ARCHITECTURE.md: errors as
 * typed values with stable codes). The backend-specific tables live in sqlite-errors.ts and
 * postgres-errors.ts.
 */
import { StoreError } from './types.js';

/** The error every call on a closed store rejects with. */
export function storeClosed(action: string): StoreError {
  return new StoreError('STORE_CLOSED', `${action}: the store is closed`);
}

/**
 * The driver's own code of an error: SQLite's `SQLITE_*`, PostgreSQL's SQLSTATE, or Node's
 * `E*` system code. Undefined when there is none.
 */
export function driverCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  const errno: unknown = (error as { errno?: unknown }).errno;
  return typeof errno === 'string' && errno !== '' ? errno : undefined;
}

/** The message of an error, or '' (used only to classify, never logged). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : '';
}

/** Builds a StoreError whose message says what was being done and why it failed. */
export function storeError(
  code: StoreError['code'],
  action: string,
  reason: string,
  cause: unknown,
  driverCode: string | undefined,
): StoreError {
  return new StoreError(code, `${action}: ${reason}`, {
    cause,
    ...(driverCode === undefined ? {} : { driverCode }),
  });
}
