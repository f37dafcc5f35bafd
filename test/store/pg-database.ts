/**
 * A PostgreSQL database of its own for each test (created on the run's server from
 * test/setup/postgres.ts, dropped afterwards), so test files in parallel workers never share rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  readonly name: string;
  /** URL of the new database, same role as the run's server URL. */
  readonly url: string;
  /** Runs one statement on the new database (own connection, closed after). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<R[]>;
  /** Runs one statement on the server's admin database. */
  admin<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<R[]>;
  /** Drops the database, ending any connection left on it. */
  drop(): Promise<void>;
}

/** The run's server: URL of a role that may create databases, and its OS user when local. */
export function testServer(): { url: string; local?: { uid: number; gid: number } } {
  return inject('vcfTestPostgres');
}

/** The URL `base` with its database name replaced. */
export function withDatabase(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

async function once<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params?: unknown[],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates an empty database for one test. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServer().url;
  const name = `vcf_test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await once(server, `CREATE DATABASE ${name}`);
  const url = withDatabase(server, name);
  return {
    name,
    url,
    query: (sql, params) => once(url, sql, params),
    admin: (sql, params) => once(server, sql, params),
    drop: async () => {
      await once(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
