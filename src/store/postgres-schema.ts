/**
 * The PostgreSQL schema, as versioned migrations (recorded in schema_migrations), logically the
 * same as sqlite-schema.ts. `record` is text, not jsonb: jsonb rejects `\u0000` and reorders keys,
 * and nothing a client sent may be lost (cast `record::json` to query it).
 */
import {
  AUDIT_IDENTITY,
  AUDIT_IDENTITY_WITH_PATIENT_SQL,
  FEEDBACK_IDENTITY,
  identitySql,
  type Migration,
} from './migration.js';

/** Key of the transaction-scoped advisory lock that serialises migrations across replicas. */
export const MIGRATION_LOCK_KEY = 7_236_110_101_001; // arbitrary, fixed: "vcf-cds migrations"

/** Created before anything else, outside the versioned list (under the advisory lock). */
export const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'feedback, audit, jti replay cache, rate-limit windows',
    sql: `
CREATE TABLE feedback (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  row_id uuid NOT NULL UNIQUE,
  service_id text NOT NULL,
  card text NOT NULL,
  outcome text NOT NULL,
  received_at timestamptz NOT NULL,
  client_id text,
  record text NOT NULL
);
CREATE INDEX feedback_card ON feedback (card);
CREATE INDEX feedback_service ON feedback (service_id);

CREATE TABLE audit (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  row_id uuid NOT NULL UNIQUE,
  id text NOT NULL,
  audit_time timestamptz NOT NULL,
  service_id text NOT NULL,
  hook text NOT NULL,
  hook_instance text NOT NULL,
  patient_id_hash text NOT NULL,
  engine_version text NOT NULL,
  knowledge_base_version text NOT NULL,
  client_id text,
  record text NOT NULL
);
CREATE INDEX audit_id ON audit (id);
CREATE INDEX audit_hook_instance ON audit (hook_instance);

CREATE TABLE jti_cache (
  issuer text NOT NULL,
  jti text NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (issuer, jti)
);
CREATE INDEX jti_cache_expires ON jti_cache (expires_at);

-- UNLOGGED: the hottest write (one per request) skips the WAL; after a server crash the counters
-- restart from zero, which only loosens the limit for one window.
CREATE UNLOGGED TABLE rate_limit (
  key text NOT NULL,
  window_start bigint NOT NULL,
  expires_at bigint NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_expires ON rate_limit (expires_at);
`,
  },
  {
    version: 2,
    name: 'idempotent writes: feedback and audit identities, commit probe',
    // As in sqlite-schema.ts: earlier repeats are kept, marked `repeat_of`, outside the unique
    // index. PostgreSQL cannot extract from JSON holding \u0000 (22P05): the escape becomes
    // \ufffd first, which keeps the text valid JSON whether or not a backslash precedes it.
    sql: `
ALTER TABLE feedback ADD COLUMN outcome_timestamp text NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN repeat_of bigint;
UPDATE feedback SET outcome_timestamp = coalesce(replace(record, '\\u0000', '\\ufffd')::json->>'outcomeTimestamp', '');
${identitySql('feedback', 'feedback_identity', FEEDBACK_IDENTITY)}

ALTER TABLE audit ADD COLUMN levels text NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN repeat_of bigint;
UPDATE audit SET levels = coalesce(
  (SELECT string_agg(o.value->>'level', ',' ORDER BY o.n)
   FROM json_array_elements(replace(audit.record, '\\u0000', '\\ufffd')::json->'outputs') WITH ORDINALITY AS o(value, n)), '');
${identitySql('audit', 'audit_identity', AUDIT_IDENTITY)}

-- One row per service host, rewritten by the readiness probe: a commit, not only a read.
CREATE TABLE store_probe (
  instance text PRIMARY KEY,
  probed_at timestamptz NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'audit identity with the patient: a hookInstance reused for another patient is audited',
    sql: AUDIT_IDENTITY_WITH_PATIENT_SQL,
  },
];
