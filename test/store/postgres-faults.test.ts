/**
 * PostgreSQL under failure, on a real server: refused at start, the connection lost under a running
 * store (a TCP proxy cut, as when the database host goes away; backends terminated by the server,
 * as in a restart or failover), and a full disk (a tablespace on a tiny tmpfs, where the run owns
 * the server and may mount). Every failure is a StoreError on the promise, never a crash, and the
 * store works again without a restart once the database is back.
 */
import { chownSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPostgresStore, openStore, StoreError, type Store } from '../../src/store/index.js';
import { captureLogger, type CapturedLogger } from './capture-logger.js';
import { createTestDatabase, testServer, type TestDatabase } from './pg-database.js';
import { feedback, saveUntilRefused } from './records.js';
import { startTcpProxy } from './tcp-proxy.js';
import { mountTmpfs } from './tmpfs.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Every step runs even when one fails (a mount or tablespace must not outlive the test).
  const errors: unknown[] = [];
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

async function open(url: string, log: CapturedLogger): Promise<Store> {
  const store = await openPostgresStore({
    url,
    logger: log.logger,
    deadlineMs: 2_000,
  });
  cleanups.push(() => store.close().catch(() => undefined));
  return store;
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function viaPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

describe('PostgreSQL store: failures', () => {
  it('rejects with STORE_UNAVAILABLE when the server refuses connections at start', async () => {
    const proxy = await startTcpProxy('127.0.0.1', 9);
    await proxy.close(); // a port nobody listens on
    const log = captureLogger();
    const url = `postgres://vcf:s3cret-pw@127.0.0.1:${proxy.port}/vcf`;
    const error = await failure(openStore({ postgresUrl: url }, log.logger));
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.driverCode).toBe('ECONNREFUSED');
    expect(log.text()).toContain('127.0.0.1');
    expect(log.text()).not.toContain('s3cret-pw');
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('rejects with STORE_UNAVAILABLE while the database is unreachable, and recovers without a restart', async () => {
    const db = await database();
    const target = new URL(db.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanups.push(() => proxy.close());
    const log = captureLogger();
    const store = await open(viaPort(db.url, proxy.port), log);
    const before = feedback();
    await store.saveFeedback([before]);

    await proxy.cut();
    for (const call of [
      store.saveFeedback([feedback()]),
      store.saveAudit({ ...(await import('./records.js')).audit() }),
      store.ping(),
      store.listFeedback(),
      store.rememberJti('iss', 'jti', new Date(Date.now() + 60_000), new Date()),
      store.hitRateLimit('k', 60_000, new Date()),
    ]) {
      expect((await failure(call)).code).toBe('STORE_UNAVAILABLE');
    }

    await proxy.restore();
    const after = feedback();
    await store.saveFeedback([after]);
    await expect(store.ping()).resolves.toBeUndefined();
    expect(await store.listFeedback()).toEqual([before, after]);
    expect(log.text()).not.toContain('Jane Roe');
  });

  it('retries a call once on a fresh connection when its pooled one just died, storing it once', async () => {
    const db = await database();
    const target = new URL(db.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanups.push(() => proxy.close());
    const store = await open(viaPort(db.url, proxy.port), captureLogger());
    await Promise.all(Array.from({ length: 3 }, () => store.saveFeedback([feedback()])));
    // The pool still holds the dead sockets when these calls take them.
    proxy.resetConnections();
    const item = feedback();
    await store.saveFeedback([item]);
    await expect(store.ping()).resolves.toBeUndefined();
    expect(await store.listFeedback({ card: item.card })).toEqual([item]);
    expect(await store.listFeedback()).toHaveLength(4);
  });

  it('survives the server terminating every pooled connection (restart, failover)', async () => {
    const db = await database();
    const log = captureLogger();
    const store = await open(db.url, log);
    // Several idle connections in the pool.
    await Promise.all(Array.from({ length: 5 }, () => store.saveFeedback([feedback()])));
    const killed = await db.admin<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity
       WHERE datname = $1 AND application_name = 'vcf-cds'`,
      [db.name],
    );
    expect(killed.length).toBeGreaterThan(0);
    // Straight away: the stale connections are retried on fresh ones, no caller sees the loss.
    await store.saveFeedback([feedback()]);
    await expect(store.ping()).resolves.toBeUndefined();
    expect(await store.listFeedback()).toHaveLength(6);
    // The pool's 'error' event was handled (logged), not thrown.
    await vi.waitFor(() => expect(log.text()).toContain('idle PostgreSQL connection was lost'));
  });

  const local = testServer().local;
  const canMount = (() => {
    if (local === undefined) return false;
    const fs = mountTmpfs(1 << 20);
    fs?.unmount();
    return fs !== undefined;
  })();

  it.skipIf(!canMount)(
    'reports a full disk (SQLSTATE 53100) as STORE_FULL, and works again once space is freed',
    async () => {
      const owner = local as { uid: number; gid: number };
      const fs = mountTmpfs(8 << 20);
      if (fs === undefined) throw new Error('tmpfs mount failed');
      cleanups.push(() => fs.unmount());
      const location = join(fs.dir, 'tablespace');
      mkdirSync(location);
      chownSync(location, owner.uid, owner.gid);
      const space = `vcf_small_${process.pid}_${Date.now()}`;
      const server = testServer().url;
      await adminQuery(server, `CREATE TABLESPACE ${space} LOCATION '${location}'`);
      // Cleanups run last-in first-out: the database is dropped before its tablespace.
      cleanups.push(() => adminQuery(server, `DROP TABLESPACE IF EXISTS ${space}`));
      const db = await database();
      const log = captureLogger();
      const store = await open(db.url, log);
      await db.query(`ALTER TABLE feedback SET TABLESPACE ${space}`);
      const stored = [feedback()];
      await store.saveFeedback(stored);
      const filler = fs.fill();
      const error = (await saveUntilRefused(store, 6_000, 500, stored)) as StoreError | undefined;
      expect(error).toBeInstanceOf(StoreError);
      expect(error?.code).toBe('STORE_FULL');
      expect(error?.driverCode).toBe('53100');
      unlinkSync(filler);
      const after = feedback();
      await store.saveFeedback([after]);
      expect((await store.listFeedback()).map((f) => f.card)).toEqual(
        [...stored, after].map((f) => f.card),
      );
    },
  );
});
