/**
 * Driver failures -> StoreError codes, as tables (the full disk, lost connection and read-only
 * cases the fault tests provoke for real are here too, with the ones a test cannot provoke).
 */
import { describe, expect, it } from 'vitest';
import { fromPostgresError, isStaleConnection } from '../../src/store/postgres-errors.js';
import { describePostgresUrl } from '../../src/store/postgres-url.js';
import { fromSqliteError } from '../../src/store/sqlite-errors.js';
import { StoreError } from '../../src/store/index.js';

const coded = (code: string, message = 'driver said something') =>
  Object.assign(new Error(message), { code });

describe('SQLite errors', () => {
  it.each([
    ['SQLITE_FULL', 'STORE_FULL'],
    ['ENOSPC', 'STORE_FULL'],
    ['EDQUOT', 'STORE_FULL'],
    ['SQLITE_READONLY', 'STORE_UNAVAILABLE'],
    ['SQLITE_READONLY_DBMOVED', 'STORE_UNAVAILABLE'],
    ['EROFS', 'STORE_UNAVAILABLE'],
    ['SQLITE_BUSY', 'STORE_UNAVAILABLE'],
    ['SQLITE_IOERR_WRITE', 'STORE_UNAVAILABLE'],
    ['SQLITE_CORRUPT', 'STORE_UNAVAILABLE'],
    ['SQLITE_CANTOPEN', 'STORE_UNAVAILABLE'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'STORE_UNAVAILABLE'],
  ])('%s -> %s', (driverCode, code) => {
    const e = fromSqliteError(coded(driverCode), 'saving feedback');
    expect(e).toBeInstanceOf(StoreError);
    expect(e.code).toBe(code);
    expect(e.driverCode).toBe(driverCode);
    expect(e.message).toMatch(/^saving feedback: /);
    expect(e.message).not.toContain('driver said');
  });

  it('maps a closed better-sqlite3 connection to STORE_CLOSED and passes StoreErrors through', () => {
    expect(fromSqliteError(new TypeError('The database connection is not open'), 'x').code).toBe(
      'STORE_CLOSED',
    );
    const original = new StoreError('STORE_FULL', 'already mapped');
    expect(fromSqliteError(original, 'x')).toBe(original);
    expect(fromSqliteError('not even an error', 'x').code).toBe('STORE_UNAVAILABLE');
  });
});

describe('PostgreSQL errors', () => {
  it.each([
    ['53100', 'STORE_FULL', false],
    ['ECONNREFUSED', 'STORE_UNAVAILABLE', false],
    ['ENOTFOUND', 'STORE_UNAVAILABLE', false],
    ['ECONNRESET', 'STORE_UNAVAILABLE', true],
    ['EPIPE', 'STORE_UNAVAILABLE', true],
    ['57P01', 'STORE_UNAVAILABLE', true], // terminated by an administrator (restart, failover)
    ['57P03', 'STORE_UNAVAILABLE', false], // the server is starting up
    ['08006', 'STORE_UNAVAILABLE', false],
    ['28P01', 'STORE_UNAVAILABLE', false],
    ['3D000', 'STORE_UNAVAILABLE', false],
    ['25006', 'STORE_UNAVAILABLE', false],
    ['53300', 'STORE_UNAVAILABLE', false],
    ['57014', 'STORE_UNAVAILABLE', false],
    ['23505', 'STORE_UNAVAILABLE', false],
  ])('%s -> %s (retried on a fresh connection: %s)', (driverCode, code, stale) => {
    const e = fromPostgresError(coded(driverCode), 'saving feedback');
    expect(e.code).toBe(code);
    expect(e.driverCode).toBe(driverCode);
    expect(e.message).not.toContain('driver said');
    expect(isStaleConnection(coded(driverCode))).toBe(stale);
  });

  it.each([
    ['Connection terminated unexpectedly', true],
    ['Client has encountered a connection error and is not queryable', true],
    ['Query read timeout', false],
    ['timeout exceeded when trying to connect', false],
  ])('node-postgres message %j is a lost connection (stale: %s)', (message, stale) => {
    expect(fromPostgresError(new Error(message), 'x').message).toMatch(
      /refused, lost or timed out/,
    );
    expect(isStaleConnection(new Error(message))).toBe(stale);
  });

  it('logs where a URL points, never who or with what password', () => {
    expect(
      describePostgresUrl('postgres://vcf:pw@db.example:6543/cds?sslmode=verify-full'),
    ).toEqual({
      host: 'db.example',
      port: '6543',
      database: 'cds',
    });
    expect(describePostgresUrl('postgres:///cds?host=/run/postgresql').host).toBe(
      '/run/postgresql',
    );
    expect(JSON.stringify(describePostgresUrl('not a url :: pw'))).not.toContain('pw');
  });
});
