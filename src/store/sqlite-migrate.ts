/**
 * Applies the SQLite migrations on open. BEGIN IMMEDIATE takes the database's write lock first, so
 * two processes opening the same file at once run the migrations one after the other; the second
 * finds them recorded and applies nothing. Idempotent: a version is applied once, ever.
 */
import type { Database } from 'better-sqlite3';
import {
  pendingMigrations,
  unknownVersion,
  type Migration,
  type MigrationOutcome,
} from './migration.js';
import { SQLITE_MIGRATIONS_TABLE } from './sqlite-schema.js';

/** Runs every migration of `all` not yet recorded in schema_migrations, in one transaction. */
export function migrateSqlite(
  db: Database,
  all: readonly Migration[],
  now: Date,
): MigrationOutcome {
  const run = db.transaction((): MigrationOutcome => {
    db.exec(SQLITE_MIGRATIONS_TABLE);
    const rows = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
    const done = new Set(rows.map((r) => r.version));
    const todo = pendingMigrations(all, done);
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    for (const m of todo) {
      db.exec(m.sql);
      record.run(m.version, m.name, now.toISOString());
    }
    return { applied: todo.map((m) => m.version), newerVersion: unknownVersion(all, done) };
  });
  return run.immediate();
}
