/**
 * SQLite (better-sqlite3) and file-system failures -> StoreError. Codes follow
 * https://www.sqlite.org/rescode.html; extended codes (SQLITE_IOERR_WRITE, ...) match their family.
 */
import { driverCodeOf, messageOf, storeError } from './errors.js';
import { StoreError } from './types.js';

const RULES: readonly {
  readonly match: (code: string) => boolean;
  readonly code: StoreError['code'];
  readonly reason: string;
}[] = [
  {
    match: (c) => c.startsWith('SQLITE_FULL') || c === 'ENOSPC' || c === 'EDQUOT',
    code: 'STORE_FULL',
    reason: 'the disk holding the SQLite database is full',
  },
  {
    match: (c) =>
      c.startsWith('SQLITE_READONLY') || c === 'EROFS' || c === 'EACCES' || c === 'EPERM',
    code: 'STORE_UNAVAILABLE',
    reason: 'the SQLite database or its folder is read-only',
  },
  {
    match: (c) => c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED'),
    code: 'STORE_UNAVAILABLE',
    reason: 'the SQLite database is locked by another process',
  },
  {
    match: (c) => c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_NOTADB',
    code: 'STORE_UNAVAILABLE',
    reason: 'the SQLite database file is damaged or not a database',
  },
  {
    match: (c) => c.startsWith('SQLITE_CANTOPEN') || c === 'ENOENT' || c === 'ENOTDIR',
    code: 'STORE_UNAVAILABLE',
    reason:
      'the SQLite database file cannot be opened (permissions, a read-only disk, or a missing folder)',
  },
  {
    match: (c) => c.startsWith('SQLITE_IOERR') || c === 'EIO',
    code: 'STORE_UNAVAILABLE',
    reason: 'the disk reported an I/O error',
  },
];

/** Maps a better-sqlite3 or file-system error to a StoreError; a StoreError passes through. */
export function fromSqliteError(error: unknown, action: string): StoreError {
  if (error instanceof StoreError) return error;
  const driverCode = driverCodeOf(error);
  // better-sqlite3 throws a TypeError (no code) once its connection is closed.
  if (driverCode === undefined && /database connection is not open/i.test(messageOf(error))) {
    return storeError('STORE_CLOSED', action, 'the store is closed', error, undefined);
  }
  const rule = driverCode === undefined ? undefined : RULES.find((r) => r.match(driverCode));
  if (rule !== undefined) return storeError(rule.code, action, rule.reason, error, driverCode);
  return storeError(
    'STORE_UNAVAILABLE',
    action,
    `unexpected SQLite error${driverCode === undefined ? '' : ` (${driverCode})`}`,
    error,
    driverCode,
  );
}
