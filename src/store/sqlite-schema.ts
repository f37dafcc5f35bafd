/**
 * The SQLite schema, as versioned migrations (recorded in schema_migrations). Logically the same
 * as postgres-schema.ts; times are ISO 8601 text here, expiry instants epoch milliseconds on both.
 * STRICT tables make SQLite check column types as PostgreSQL does.
 */
import type { Migration } from './migration.js';

/** Created before anything else, outside the versioned list. */
export const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'feedback, audit, jti replay cache, rate-limit windows',
    sql: `
CREATE TABLE feedback (
  seq INTEGER PRIMARY KEY,
  row_id TEXT NOT NULL UNIQUE,
  service_id TEXT NOT NULL,
  card TEXT NOT NULL,
  outcome TEXT NOT NULL,
  received_at TEXT NOT NULL,
  client_id TEXT,
  record TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_card ON feedback (card);
CREATE INDEX feedback_service ON feedback (service_id);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  row_id TEXT NOT NULL UNIQUE,
  id TEXT NOT NULL,
  audit_time TEXT NOT NULL,
  service_id TEXT NOT NULL,
  hook TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  patient_id_hash TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  knowledge_base_version TEXT NOT NULL,
  client_id TEXT,
  record TEXT NOT NULL
) STRICT;
CREATE INDEX audit_id ON audit (id);
CREATE INDEX audit_hook_instance ON audit (hook_instance);

CREATE TABLE jti_cache (
  issuer TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, jti)
) STRICT, WITHOUT ROWID;
CREATE INDEX jti_cache_expires ON jti_cache (expires_at);

CREATE TABLE rate_limit (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
) STRICT, WITHOUT ROWID;
CREATE INDEX rate_limit_expires ON rate_limit (expires_at);
`,
  },
];
