/**
 * SQLite under failure and its write path: a full disk (simulated with PRAGMA max_page_count
 * everywhere, and a real full tmpfs where one can be mounted), a read-only disk, a data directory
 * that cannot be created. Every failure is a StoreError on the promise, never a crash, and the
 * store works again once the disk does.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openSqliteStore,
  openSqliteThreadStore,
  StoreError,
  type FeedbackRecord,
  type Store,
} from '../../src/store/index.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite-store.js';
import { captureLogger } from './capture-logger.js';
import { mountTmpfs, type Tmpfs } from './tmpfs.js';
import { bigFeedback, feedback, saveUntilRefused } from './records.js';

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

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vcf-sqlite-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The store on the calling thread, and in its worker thread as the service runs it. */
const IMPLEMENTATIONS = [
  { name: 'calling thread', openWith: openSqliteStore },
  { name: 'worker thread', openWith: openSqliteThreadStore },
] as const;

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

function pageCount(dataDir: string): number {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return db.pragma('page_count', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe.each(IMPLEMENTATIONS)('SQLite store on the $name', ({ openWith }) => {
  async function open(dataDir: string, maxPageCount?: number): Promise<Store> {
    const store = await openWith({
      dataDir,
      logger: captureLogger().logger,
      ...(maxPageCount === undefined ? {} : { maxPageCount }),
    });
    cleanups.push(() => store.close().catch(() => undefined));
    return store;
  }

  describe('write path', () => {
    it("creates the data directory, uses WAL, and never writes in the caller's turn of the event loop", async () => {
      const dir = join(tempDir(), 'a', 'b');
      const store = await open(dir);
      const db = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
      cleanups.push(() => db.close());
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const count = () =>
        (db.prepare('SELECT count(*) AS n FROM feedback').get() as { n: number }).n;
      const saving = store.saveFeedback([feedback(), feedback()]);
      // Queued, not written: the handler that called saveFeedback did not touch the disk.
      expect(count()).toBe(0);
      await saving;
      expect(count()).toBe(2);
    });

    it('commits a burst of concurrent writes and rejects only the write that failed', async () => {
      const dir = tempDir();
      const probe = await open(dir);
      await probe.close();
      const store = await open(dir, pageCount(dir) + 8);
      // One batch: small writes around one too large for the remaining pages.
      const results = await Promise.allSettled([
        store.saveFeedback([feedback()]),
        store.saveFeedback([bigFeedback(200_000)]),
        store.saveFeedback([feedback()]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.listFeedback()).toHaveLength(2);
    });
  });

  describe('failures', () => {
    it('reports a full database (max_page_count) as STORE_FULL and keeps what was stored', async () => {
      const dir = tempDir();
      const probe = await open(dir);
      await probe.close();
      const store = await open(dir, pageCount(dir) + 16);
      const stored: FeedbackRecord[] = [];
      const error = (await saveUntilRefused(store, 4_000, 200, stored)) as StoreError | undefined;
      expect(error).toBeInstanceOf(StoreError);
      expect(error?.code).toBe('STORE_FULL');
      expect(error?.driverCode).toBe('SQLITE_FULL');
      expect(error?.message).not.toContain('Jane');
      expect(stored.length).toBeGreaterThan(0);
      expect(await store.listFeedback()).toEqual(stored);
      // Still usable: reads, the replay cache (small rows may fit), close.
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('on a real disk (tmpfs)', () => {
      const mount = (bytes: number): Tmpfs | undefined => {
        const fs = mountTmpfs(bytes);
        if (fs !== undefined) cleanups.push(() => fs.unmount());
        return fs;
      };
      const canMount = (() => {
        const fs = mountTmpfs(1 << 20);
        fs?.unmount();
        return fs !== undefined;
      })();

      it.skipIf(!canMount)(
        'reports ENOSPC as STORE_FULL, then works again once space is freed',
        async () => {
          const fs = mount(4 << 20) as Tmpfs;
          const store = await open(join(fs.dir, 'data'));
          const before = feedback();
          await store.saveFeedback([before]);
          const filler = fs.fill();
          const error = await failure(store.saveFeedback([bigFeedback(64_000)]));
          expect(error.code).toBe('STORE_FULL');
          const small = await failure(store.saveFeedback([feedback()]));
          expect(small.code).toBe('STORE_FULL');
          unlinkSync(filler);
          const after = feedback();
          await store.saveFeedback([after]);
          expect(await store.listFeedback()).toEqual([before, after]);
        },
      );

      it.skipIf(!canMount)('refuses to open on a read-only disk with a StoreError', async () => {
        const fs = mount(4 << 20) as Tmpfs;
        const dataDir = join(fs.dir, 'data');
        const first = await open(dataDir);
        await first.saveFeedback([feedback()]);
        await first.close();
        fs.readOnly(true);
        cleanups.push(() => fs.readOnly(false));
        const error = await failure(open(dataDir));
        expect(error.code).toBe('STORE_UNAVAILABLE');
        expect(error.message).toMatch(/opening the SQLite store/);
      });

      it.skipIf(!canMount)(
        'refuses to create the database on a full disk with STORE_FULL',
        async () => {
          const fs = mount(1 << 20) as Tmpfs;
          fs.fill();
          const error = await failure(open(join(fs.dir, 'data')));
          expect(error.code).toBe('STORE_FULL');
        },
      );
    });

    it('rejects with a StoreError when the data directory cannot be created', async () => {
      const file = join(tempDir(), 'not-a-directory');
      writeFileSync(file, 'x');
      const error = await failure(open(join(file, 'data')));
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.driverCode).toBe('ENOTDIR');
    });

    it('rejects with a StoreError when the file is not a database', async () => {
      const dir = tempDir();
      writeFileSync(
        join(dir, SQLITE_FILE_NAME),
        'this is not a database, just some text '.repeat(200),
      );
      const error = await failure(open(dir));
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.driverCode).toBe('SQLITE_NOTADB');
    });
  });
});
