/** A versioned schema change; versions only grow, and an applied version is never edited. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** One or more statements, run in one transaction with the schema_migrations row. */
  readonly sql: string;
}

/** What opening a store did to its schema. */
export interface MigrationOutcome {
  /** Versions applied by this call. */
  readonly applied: readonly number[];
  /** A version in the database that this code does not know (a newer release ran), if any. */
  readonly newerVersion: number | undefined;
}

/** The migrations of `all` not yet in `applied`, in version order. */
export function pendingMigrations(
  all: readonly Migration[],
  applied: ReadonlySet<number>,
): readonly Migration[] {
  return [...all].filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
}

/** The highest version in `applied` that this code does not know (a newer release migrated), if any. */
export function unknownVersion(
  all: readonly Migration[],
  applied: ReadonlySet<number>,
): number | undefined {
  const known = new Set(all.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  return unknown.length === 0 ? undefined : Math.max(...unknown);
}

/**
 * Migration 2's identity rule, the same SQL on both backends (frozen: an applied migration is never
 * edited): rows that repeat an earlier row's identity are marked `repeat_of` its `seq`, then a
 * unique index on the identity covers every row not so marked.
 */
export function identitySql(table: string, index: string, columns: readonly string[]): string {
  const list = columns.join(', ');
  const same = columns.map((c) => `${table}.${c} = first.${c}`).join(' AND ');
  return `UPDATE ${table} SET repeat_of = first.seq
  FROM (SELECT ${list}, min(seq) AS seq FROM ${table} GROUP BY ${list}) AS first
  WHERE ${same} AND ${table}.seq > first.seq;
CREATE UNIQUE INDEX ${index} ON ${table} (${list}) WHERE repeat_of IS NULL;`;
}

/** The identity of a feedback report, and of an audit record (README "Persistence"). */
export const FEEDBACK_IDENTITY = ['service_id', 'card', 'outcome', 'outcome_timestamp'] as const;
export const AUDIT_IDENTITY = ['service_id', 'hook_instance', 'levels'] as const;

/**
 * Migration 3: the audit identity holds the patient too. A client that reuses a hookInstance for
 * another patient (a client bug, but it happens: examples hard-code one) would otherwise have its
 * second assessment answered with cards yet left out of the audit as a "repeat" of the first.
 */
export const AUDIT_IDENTITY_WITH_PATIENT = [...AUDIT_IDENTITY, 'patient_id_hash'] as const;

/** Migration 3's SQL, the same on both backends. */
export const AUDIT_IDENTITY_WITH_PATIENT_SQL = `DROP INDEX audit_identity;
CREATE UNIQUE INDEX audit_identity ON audit (${AUDIT_IDENTITY_WITH_PATIENT.join(', ')}) WHERE repeat_of IS NULL;`;
