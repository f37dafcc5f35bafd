/**
 * PostgreSQL that stalls rather than refuses (issue 15: a network partition, a frozen disk, a
 * paused VM; the TCP connection stays up and nothing answers), on a real server behind a TCP proxy
 * that stops forwarding. The answer comes within the store deadline; once the database resumes,
 * there is no row for an answer that said "not stored" (503) and exactly one for a 200; a retry adds
 * no row. The one ambiguous case (COMMIT delivered, its acknowledgement lost) is shown as such.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore, StoreError, type Store } from '../../src/store/index.js';
import { examplePatientView } from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { captureLogger } from './capture-logger.js';
import { createTestDatabase, type TestDatabase } from './pg-database.js';
import { audit, feedback } from './records.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** Short, so the suite stays quick; the production default is 3 s. */
const DEADLINE_MS = 1_000;
/** What a loaded 2-core test machine may add to the deadline (scheduling, the assessment itself). */
const SLACK_MS = 700;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch {
      // Keep cleaning.
    }
  }
});

interface Stallable {
  readonly db: TestDatabase;
  readonly proxy: TcpProxy;
  readonly store: Store;
  /** Rows of `table` matching `where`, counted on a direct connection (not through the proxy). */
  rows(table: string, where: string, params: unknown[]): Promise<number>;
}

async function stallable(): Promise<Stallable> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const target = new URL(db.url);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  cleanups.push(() => proxy.close());
  const via = new URL(db.url);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  const store = await openPostgresStore({
    url: via.toString(),
    logger: captureLogger().logger,
    deadlineMs: DEADLINE_MS,
  });
  cleanups.push(() => store.close().catch(() => undefined));
  return {
    db,
    proxy,
    store,
    rows: async (table, where, params) =>
      Number(
        (
          await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params)
        )[0]?.n,
      ),
  };
}

/** Settles `p`, with how long it took. */
async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

/**
 * Resumes the proxy, then waits until the server has ended every backend the store gave up on
 * (their transactions rolled back), so what the table holds afterwards is final.
 */
async function resumeAndSettle(s: Stallable): Promise<void> {
  s.proxy.resume();
  for (let i = 0; i < 100; i++) {
    const open = await s.db.admin<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = $1 AND application_name = 'vcf-cds' AND state LIKE 'idle in transaction%'`,
      [s.db.name],
    );
    if (Number(open[0]?.n) === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('backends still in a transaction 5 s after the database resumed');
}

describe('PostgreSQL store: a stalled database', () => {
  it('a write sent just before the stall: rejected by the deadline, rolled back when the database resumes', async () => {
    const s = await stallable();
    const item = feedback();
    const record = audit();
    for (const [statement, write, table, where, key] of [
      [
        'INSERT INTO feedback',
        () => s.store.saveFeedback([item]),
        'feedback',
        'card = $1',
        item.card,
      ],
      [
        'INSERT INTO audit',
        () => s.store.saveAudit(record),
        'audit',
        'hook_instance = $1',
        record.hookInstance,
      ],
    ] as const) {
      // The server receives the INSERT, runs it, and freezes before answering.
      s.proxy.stallAfter(statement);
      const { ms, error } = await timed(write());
      expect(error, statement).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('STORE_UNAVAILABLE');
      expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
      await resumeAndSettle(s);
      // Not committed: COMMIT was never sent, and the destroyed connection rolled it back.
      expect(await s.rows(table, where, [key]), statement).toBe(0);
    }
    // Retried (the answer said "not stored"): stored once, however often it is retried.
    await s.store.saveFeedback([item]);
    await s.store.saveFeedback([item]);
    await s.store.saveAudit(record);
    await s.store.saveAudit({ ...record, id: 'retried' });
    expect(await s.rows('feedback', 'card = $1', [item.card])).toBe(1);
    expect(await s.rows('audit', 'hook_instance = $1', [record.hookInstance])).toBe(1);
  });

  it('every call settles by the deadline during a full stall (ping included), and the store works again after', async () => {
    const s = await stallable();
    await s.store.saveFeedback([feedback()]); // a pooled connection, idle when the stall begins
    s.proxy.stall();
    const item = feedback();
    const calls = await Promise.all([
      timed(s.store.saveFeedback([item])),
      timed(s.store.saveAudit(audit())),
      timed(s.store.ping()),
      timed(s.store.rememberJti('iss', 'jti', new Date(Date.now() + 60_000), new Date())),
      timed(s.store.hitRateLimit('k', 60_000, new Date())),
      timed(s.store.listFeedback()),
    ]);
    for (const c of calls) {
      expect(c.error).toBeInstanceOf(StoreError);
      expect(c.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    }
    await resumeAndSettle(s);
    expect(await s.rows('feedback', 'card = $1', [item.card])).toBe(0);
    await expect(s.store.ping()).resolves.toBeUndefined();
    await s.store.saveFeedback([item]);
    expect(await s.rows('feedback', 'card = $1', [item.card])).toBe(1);
  });

  it('the ambiguous case: COMMIT delivered, acknowledgement lost. The row exists; a retry adds none', async () => {
    const s = await stallable();
    const item = feedback();
    s.proxy.stallAfter('COMMIT');
    const { error } = await timed(s.store.saveFeedback([item]));
    expect(error).toBeInstanceOf(StoreError);
    await resumeAndSettle(s);
    // The server committed before freezing: "not stored" was not certain (README "Persistence").
    expect(await s.rows('feedback', 'card = $1', [item.card])).toBe(1);
    await s.store.saveFeedback([item]);
    expect(await s.rows('feedback', 'card = $1', [item.card])).toBe(1);
  });
});

describe('the service on a stalled PostgreSQL', () => {
  async function service(s: Stallable): Promise<TestService> {
    const svc = await startTestService({
      store: s.store,
      env: { STORE_DEADLINE_MS: String(DEADLINE_MS) },
    });
    cleanups.push(() => svc.close());
    return svc;
  }

  const FEEDBACK = {
    feedback: [
      {
        card: '6f3d1b52-93a6-4d0c-9d1e-0d8e4f1d2a11',
        outcome: 'accepted',
        outcomeTimestamp: '2026-11-25T10:00:00Z',
      },
    ],
  };

  it('patient-view and feedback during a stall: 503 within the deadline, no row once resumed; retried: 200 and one row', async () => {
    const s = await stallable();
    const svc = await service(s);
    const view = examplePatientView('benign');
    const hookInstance = (view as { hookInstance: string }).hookInstance;
    const post = (path: string, body: unknown) =>
      timed(
        request(svc.app)
          .post(path)
          .send(body as object),
      );
    // Warm: the pool holds connections when the stall begins (the statements then hang, unanswered).
    await request(svc.app).post('/cds-services/vcf-assessment').send(examplePatientView('benign'));

    s.proxy.stall();
    const [assessed, fed, ready] = await Promise.all([
      post('/cds-services/vcf-assessment', view),
      post('/cds-services/vcf-assessment/feedback', FEEDBACK),
      timed(request(svc.app).get('/readyz')),
    ]);
    for (const r of [assessed, fed, ready]) {
      expect((r.value as { status: number }).status).toBe(503);
      // The rate-limit counter, then the write: one deadline for both, not one each.
      expect(r.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    }
    expect((assessed.value as { body: { cards?: unknown } }).body.cards).toBeUndefined();
    await resumeAndSettle(s);
    const card = FEEDBACK.feedback[0]!.card;
    expect(await s.rows('audit', 'hook_instance = $1', [hookInstance])).toBe(0);
    expect(await s.rows('feedback', 'card = $1', [card])).toBe(0);

    // The EHR retries, twice: each answered 200, each stored once.
    for (let i = 0; i < 2; i++) {
      await request(svc.app).post('/cds-services/vcf-assessment').send(view).expect(200);
      await request(svc.app)
        .post('/cds-services/vcf-assessment/feedback')
        .send(FEEDBACK)
        .expect(200);
    }
    await request(svc.app).get('/readyz').expect(200);
    expect(await s.rows('audit', 'hook_instance = $1', [hookInstance])).toBe(1);
    expect(await s.rows('feedback', 'card = $1', [card])).toBe(1);
  });
});
