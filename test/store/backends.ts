/**
 * The two backends behind one face, so the contract suite (contract.test.ts) runs the same table
 * of tests on each. A "place" is one empty database (a temporary folder for SQLite, a new
 * database for PostgreSQL); any number of store instances can be opened on it, like replicas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import {
  openPostgresStore,
  openSqliteStore,
  openSqliteThreadStore,
  type Store,
} from '../../src/store/index.js';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite-store.js';
import { createTestDatabase } from './pg-database.js';

export interface Place {
  /** A new store instance on this place (a second call is a second replica). */
  open(logger: Logger): Promise<Store>;
  /** Rows in `table`, counted outside any store instance. */
  count(table: string): Promise<number>;
  /** The versions recorded in schema_migrations, ascending. */
  migrations(): Promise<number[]>;
  /** Closes every instance still open, then deletes the place. */
  dispose(): Promise<void>;
}

export interface Backend {
  /** For test names: the kind, and how it runs. */
  readonly name: string;
  readonly kind: Store['kind'];
  fresh(): Promise<Place>;
}

function tracking(open: (logger: Logger) => Promise<Store>) {
  const stores: Store[] = [];
  return {
    open: async (logger: Logger) => {
      const store = await open(logger);
      stores.push(store);
      return store;
    },
    closeAll: () => Promise.allSettled(stores.map((s) => s.close())),
  };
}

/** SQLite on the calling thread (openSqliteStore) or in its worker thread (what the service runs). */
const sqlite = (thread: boolean): Backend => ({
  name: thread ? 'sqlite (worker thread)' : 'sqlite',
  kind: 'sqlite',
  fresh: async () => {
    const root = mkdtempSync(join(tmpdir(), 'vcf-store-'));
    // A folder that does not exist yet: the store creates it, parents included.
    const dataDir = join(root, 'nested', 'data');
    const t = tracking((logger) =>
      thread ? openSqliteThreadStore({ dataDir, logger }) : openSqliteStore({ dataDir, logger }),
    );
    const inspect = <T>(fn: (db: Database.Database) => T): T => {
      const db = new Database(join(dataDir, SQLITE_FILE_NAME), {
        readonly: true,
        fileMustExist: true,
      });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    return {
      open: t.open,
      count: async (table) =>
        inspect(
          (db) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
        ),
      migrations: async () =>
        inspect((db) =>
          (
            db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
              version: number;
            }[]
          ).map((r) => r.version),
        ),
      dispose: async () => {
        await t.closeAll();
        rmSync(root, { recursive: true, force: true });
      },
    };
  },
});

const postgres: Backend = {
  name: 'postgres',
  kind: 'postgres',
  fresh: async () => {
    const db = await createTestDatabase();
    const t = tracking((logger) => openPostgresStore({ url: db.url, logger }));
    return {
      open: t.open,
      count: async (table) =>
        Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n),
      migrations: async () =>
        (
          await db.query<{ version: number }>(
            'SELECT version FROM schema_migrations ORDER BY version',
          )
        ).map((r) => r.version),
      dispose: async () => {
        await t.closeAll();
        await db.drop();
      },
    };
  },
};

/** Both backends, for `describe.each`. */
export const BACKENDS: readonly Backend[] = [sqlite(false), sqlite(true), postgres];
