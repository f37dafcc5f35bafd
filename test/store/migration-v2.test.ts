/**
 * Migration 2 (idempotent writes) on a store made by the release before it: rows that repeat one
 * another (retries stored twice, the very fault issue 15 fixes) must not stop the migration, nothing
 * stored is deleted, and a later retry of a report stored before the migration adds no row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/index.js';
import { migratePostgres } from '../../src/store/postgres-migrate.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres-schema.js';
import { auditRow, feedbackRow } from '../../src/store/records.js';
import { migrateSqlite } from '../../src/store/sqlite-migrate.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite-store.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-schema.js';
import { captureLogger } from './capture-logger.js';
import { createTestDatabase } from './pg-database.js';
import { audit, feedback } from './records.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const first = feedback({ clientId: 'c\u0000lient' });
const second = feedback();
const record = audit();
/** What release 1 stored: a retried feedback and a retried audit record, each stored twice. */
const V1_FEEDBACK = [first, first, second];
const V1_AUDIT = [record, { ...record, id: 'retried' }];
const T = new Date('2026-01-05T10:00:00Z');

const FEEDBACK_V1 = `INSERT INTO feedback (row_id, service_id, card, outcome, received_at, client_id, record)`;
const AUDIT_V1 = `INSERT INTO audit (row_id, id, audit_time, service_id, hook, hook_instance,
  patient_id_hash, engine_version, knowledge_base_version, client_id, record)`;

function feedbackV1(item: (typeof V1_FEEDBACK)[number]) {
  const r = feedbackRow(item, T);
  return [r.rowId, r.serviceId, r.card, r.outcome, r.receivedAt, r.clientId, r.record];
}
function auditV1(item: (typeof V1_AUDIT)[number]) {
  const r = auditRow(item, T);
  return [
    ...[r.rowId, r.id, r.time, r.serviceId, r.hook, r.hookInstance, r.patientIdHash],
    ...[r.engineVersion, r.knowledgeBaseVersion, r.clientId, r.record],
  ];
}

async function expectMigrated(store: Store, count: (table: string) => Promise<number>) {
  // Nothing deleted: both copies of each retried item are still there.
  expect(await store.listFeedback()).toEqual(V1_FEEDBACK);
  expect(await store.listAudit()).toEqual(V1_AUDIT);
  // A retry of a report stored before the migration adds no row; a new report does.
  await store.saveFeedback([first, second]);
  await store.saveAudit({ ...record, id: 'retried-again' });
  expect(await count('feedback')).toBe(3);
  expect(await count('audit')).toBe(2);
  const fresh = feedback();
  await store.saveFeedback([fresh]);
  expect(await count('feedback')).toBe(4);
}

describe('migration 2 on a store with repeated rows', () => {
  it('SQLite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vcf-migrate-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const file = join(dataDir, SQLITE_FILE_NAME);
    const v1 = new Database(file);
    migrateSqlite(v1, SQLITE_MIGRATIONS.slice(0, 1), T);
    for (const f of V1_FEEDBACK)
      v1.prepare(`${FEEDBACK_V1} VALUES (?, ?, ?, ?, ?, ?, ?)`).run(...feedbackV1(f));
    for (const a of V1_AUDIT)
      v1.prepare(`${AUDIT_V1} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...auditV1(a));
    v1.close();

    const store = await openSqliteStore({ dataDir, logger: captureLogger().logger });
    cleanups.push(() => store.close());
    const count = async (table: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    await expectMigrated(store, count);
  });

  it('PostgreSQL', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await migratePostgres(pool, POSTGRES_MIGRATIONS.slice(0, 1));
    for (const f of V1_FEEDBACK)
      await pool.query(`${FEEDBACK_V1} VALUES ($1, $2, $3, $4, $5, $6, $7)`, feedbackV1(f));
    for (const a of V1_AUDIT)
      await pool.query(
        `${AUDIT_V1} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        auditV1(a),
      );
    await pool.end();

    const store = await openPostgresStore({ url: db.url, logger: captureLogger().logger });
    cleanups.push(() => store.close());
    const count = async (table: string) =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
    await expectMigrated(store, count);
  });
});
