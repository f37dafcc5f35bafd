/**
 * The SQLite schema, as versioned migrations (recorded in schema_migrations). Logically the same
 * as postgres-schema.ts; times are ISO 8601 text here, expiry instants epoch milliseconds on both.
 * STRICT tables make SQLite check column types as PostgreSQL does.
 */
import {
  AUDIT_IDENTITY,
  AUDIT_IDENTITY_WITH_PATIENT_SQL,
  FEEDBACK_IDENTITY,
  identitySql,
  type Migration,
} from './migration.js';

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
  {
    version: 2,
    name: 'idempotent writes: feedback and audit identities, commit probe',
    // Rows stored before this version may repeat one another (a retried request): the first of
    // each identity keeps it, later ones are kept too, marked `repeat_of` the first, outside the
    // unique index. Nothing stored is deleted.
    sql: `
ALTER TABLE feedback ADD COLUMN outcome_timestamp TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN repeat_of INTEGER;
UPDATE feedback SET outcome_timestamp =
  replace(coalesce(json_extract(record, '$.outcomeTimestamp'), ''), char(0), '');
${identitySql('feedback', 'feedback_identity', FEEDBACK_IDENTITY)}

ALTER TABLE audit ADD COLUMN levels TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN repeat_of INTEGER;
UPDATE audit SET levels = coalesce(
  (SELECT group_concat(replace(json_extract(o.value, '$.level'), char(0), ''), ',' ORDER BY o.key)
   FROM json_each(audit.record, '$.outputs') AS o), '');
${identitySql('audit', 'audit_identity', AUDIT_IDENTITY)}

-- One row per service instance, rewritten by the readiness probe: a commit, not only a read.
CREATE TABLE store_probe (
  instance TEXT PRIMARY KEY,
  probed_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`,
  },
  {
    version: 3,
    name: 'audit identity with the patient: a hookInstance reused for another patient is audited',
    sql: AUDIT_IDENTITY_WITH_PATIENT_SQL,
  },
];
