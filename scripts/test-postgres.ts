/**
 * A throwaway PostgreSQL for the tests: a private cluster (initdb into a temporary folder, pg_ctl
 * start on a free port of 127.0.0.1), stopped and deleted afterwards. When VCF_TEST_PG_URL is set,
 * that server is used instead and left alone. Test tooling only.
 *
 * Run alone to get a server for manual work: `npx tsx scripts/test-postgres.ts` (Ctrl-C stops it).
 */
import { spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { ensurePostgresInstalled, TestPostgresError } from './test-postgres-install.js';

export { TestPostgresError } from './test-postgres-install.js';

/** The variable naming a server of the user's own; it must let its user CREATE DATABASE. */
export const TEST_PG_URL_VARIABLE = 'VCF_TEST_PG_URL';

export interface TestPostgres {
  /** URL of a role that may create databases (the superuser on a private cluster). */
  readonly url: string;
  /**
   * Set when this process started the cluster: the server runs on this machine as this OS user,
   * so tests may give it folders (tablespaces); absent for a VCF_TEST_PG_URL server.
   */
  readonly local?: { readonly uid: number; readonly gid: number };
  /** Stops and deletes a private cluster; does nothing for VCF_TEST_PG_URL. */
  stop(): void;
}

interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

/** The OS user the server runs as: `postgres` when we are root (postgres refuses root), else us. */
function serverUser(): OsUser | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new TestPostgresError(
      'Running as root, but there is no `postgres` OS user to run the test server as (PostgreSQL ' +
        'refuses to run as root). Install Debian`s postgresql package, which creates it.',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function runAs(user: OsUser | undefined, cwd: string, cmd: string, args: readonly string[]) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', PGTZ: 'UTC' },
    ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
  });
  return {
    ok: r.status === 0,
    output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`,
  };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Answers once the server at `url` accepts a query; the error names the host, never the password. */
async function checkServer(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const where = (() => {
      try {
        const u = new URL(url);
        return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
      } catch {
        return '(unparsable URL)';
      }
    })();
    const code = (error as { code?: unknown }).code ?? (error as Error).message;
    throw new TestPostgresError(
      `${TEST_PG_URL_VARIABLE} points at ${where}, which does not answer (${String(code)}).`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Server settings for a throwaway cluster: durability off (nothing here outlives the run). */
function serverOptions(port: number, socketDir: string): string {
  return [
    `-p ${port}`,
    `-k ${socketDir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
    '-c shared_buffers=64MB',
  ].join(' ');
}

const CLUSTER_PREFIX = 'vcf-pg-';
const OWNER_FILE = 'owner.pid';

/**
 * Where clusters live: /tmp when the server runs as `postgres` (a TMPDIR under /root would not be
 * reachable for that user), else the usual temporary folder.
 */
function clusterBase(user: OsUser | undefined): string {
  return user !== undefined && existsSync('/tmp') ? '/tmp' : tmpdir();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Stops and deletes clusters left by runs that died without their teardown (killed by a signal):
 * only those whose owning process is gone, so concurrent runs keep theirs.
 */
function sweepAbandoned(bin: string, user: OsUser | undefined): void {
  const base = clusterBase(user);
  for (const name of readdirSync(base).filter((n) => n.startsWith(CLUSTER_PREFIX))) {
    const root = join(base, name);
    try {
      const owner = Number(readFileSync(join(root, OWNER_FILE), 'utf8'));
      if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
      if (existsSync(join(root, 'data', 'postmaster.pid'))) {
        runAs(user, root, join(bin, 'pg_ctl'), [
          '-D',
          join(root, 'data'),
          '-m',
          'immediate',
          '-w',
          'stop',
        ]);
      }
      rmSync(root, { recursive: true, force: true });
    } catch {
      // Not ours, or being created right now: leave it.
    }
  }
}

/**
 * Starts the test PostgreSQL (or checks VCF_TEST_PG_URL), installing PostgreSQL from Debian's
 * packages when it is absent. Throws TestPostgresError with what to do when it cannot.
 */
export async function startTestPostgres(
  env: Readonly<Record<string, string | undefined>> = process.env,
  log: (line: string) => void = console.log,
): Promise<TestPostgres> {
  const given = env[TEST_PG_URL_VARIABLE]?.trim();
  if (given) {
    await checkServer(given);
    return { url: given, stop: () => undefined };
  }
  const bin = ensurePostgresInstalled(log);
  const user = serverUser();
  sweepAbandoned(bin, user);
  const root = mkdtempSync(join(clusterBase(user), CLUSTER_PREFIX));
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
  const data = join(root, 'data');
  const logFile = join(root, 'server.log');
  let started = false;
  const stop = () => {
    process.removeListener('exit', stop);
    if (started)
      runAs(user, root, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    started = false;
    rmSync(root, { recursive: true, force: true });
  };
  // Should the run die without its teardown, do not leave a server behind.
  process.on('exit', stop);
  try {
    if (user !== undefined) chownSync(root, user.uid, user.gid);
    const init = runAs(user, root, join(bin, 'initdb'), [
      ...['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    ]);
    if (!init.ok) throw new TestPostgresError(`initdb failed:\n${init.output.trim()}`);
    let port = 0;
    let last = '';
    // A port found free can be taken before the server binds it: try a few.
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      port = await freePort();
      const start = runAs(user, root, join(bin, 'pg_ctl'), [
        ...['-D', data, '-l', logFile, '-w', '-t', '60', '-o', serverOptions(port, root), 'start'],
      ]);
      started = start.ok;
      last = start.output;
    }
    if (!started) {
      let serverLog = '';
      try {
        serverLog = readFileSync(logFile, 'utf8');
      } catch {
        // no log written
      }
      throw new TestPostgresError(`pg_ctl start failed:\n${last.trim()}\n${serverLog.trim()}`);
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await checkServer(url);
    return {
      url,
      local: user ?? { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startTestPostgres();
  console.log(server.url);
  const quit = () => {
    server.stop();
    process.exit(0);
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  setInterval(() => undefined, 1 << 30);
}
