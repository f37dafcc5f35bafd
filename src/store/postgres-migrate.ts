/**
 * Applies the PostgreSQL migrations on open, in ONE transaction that first takes a
 * transaction-scoped advisory lock: replicas starting together queue on the lock, and each later
 * one finds the versions recorded and applies nothing. The lock is released by COMMIT/ROLLBACK,
 * or by the server if the connection dies, so a crashed replica cannot leave it held.
 */
import type { Pool } from 'pg';
import {
  pendingMigrations,
  unknownVersion,
  type Migration,
  type MigrationOutcome,
} from './migration.js';
import { MIGRATION_LOCK_KEY, POSTGRES_MIGRATIONS_TABLE } from './postgres-schema.js';

/** Runs every migration of `all` not yet recorded in schema_migrations. */
export async function migratePostgres(
  pool: Pool,
  all: readonly Migration[],
): Promise<MigrationOutcome> {
  const client = await pool.connect();
  // A connection error while checked out would be thrown as an 'error' event: the query in flight
  // rejects anyway, so the listener only keeps the process alive.
  const ignore = () => undefined;
  client.on('error', ignore);
  let failed: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [String(MIGRATION_LOCK_KEY)]);
    await client.query(POSTGRES_MIGRATIONS_TABLE);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations',
    );
    const done = new Set(rows.map((r) => r.version));
    const todo = pendingMigrations(all, done);
    for (const m of todo) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
    }
    await client.query('COMMIT');
    return { applied: todo.map((m) => m.version), newerVersion: unknownVersion(all, done) };
  } catch (error) {
    failed = error instanceof Error ? error : new Error('migration failed');
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.removeListener('error', ignore);
    // A failed connection is discarded rather than returned to the pool.
    client.release(failed);
  }
}
