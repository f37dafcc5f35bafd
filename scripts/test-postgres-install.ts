/**
 * Finds PostgreSQL's server programs (initdb, pg_ctl) for the test database, installing Debian's
 * `postgresql` package when they are absent. Test tooling only: the service never runs this.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Thrown with a message that says what to do; the test run stops on it. */
export class TestPostgresError extends Error {
  override readonly name = 'TestPostgresError';
}

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL under /usr/lib/postgresql (Debian's layout), or PATH. */
export function findPostgresBin(): string | undefined {
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(DEBIAN_ROOT, versions[0], 'bin');
  }
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb')))
      return dir;
  }
  return undefined;
}

function run(cmd: string, args: readonly string[]): { ok: boolean; output: string } {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    ok: r.status === 0,
    output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`,
  };
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** True when apt has package lists to install from (a fresh image has none). */
function aptHasLists(): boolean {
  const lists = '/var/lib/apt/lists';
  return existsSync(lists) && readdirSync(lists).some((f) => f.includes('_Packages'));
}

/**
 * Returns the bin folder of PostgreSQL's server programs, installing Debian's `postgresql` first
 * when none is found (needs root and apt-get; runs `apt-get update` when apt has no lists or the
 * first install attempt fails). Throws TestPostgresError with what to do otherwise.
 */
export function ensurePostgresInstalled(log: (line: string) => void = console.log): string {
  const found = findPostgresBin();
  if (found !== undefined) return found;
  const apt = run('apt-get', ['--version']);
  if (!apt.ok) {
    throw new TestPostgresError(
      'PostgreSQL is not installed and apt-get is not available to install it. Install PostgreSQL ' +
        '(initdb and pg_ctl), or set VCF_TEST_PG_URL=postgres://user:pass@host:port/db to a server ' +
        'where that user may CREATE DATABASE.',
    );
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new TestPostgresError(
      'PostgreSQL is not installed and installing it needs root: run `apt-get install -y postgresql` ' +
        'as root, or set VCF_TEST_PG_URL to a server of your own.',
    );
  }
  log('vcf-cds tests: installing PostgreSQL from Debian packages (first run only)...');
  const install = ['install', '-y', '-q', '--no-install-recommends', 'postgresql'];
  let result = aptHasLists() ? run('apt-get', install) : { ok: false, output: '' };
  if (!result.ok) {
    const update = run('apt-get', ['update', '-q']);
    if (!update.ok) {
      throw new TestPostgresError(
        `apt-get update failed; cannot install PostgreSQL:\n${tail(update.output)}`,
      );
    }
    result = run('apt-get', install);
  }
  if (!result.ok) {
    throw new TestPostgresError(`apt-get install postgresql failed:\n${tail(result.output)}`);
  }
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new TestPostgresError(
      'apt-get installed postgresql, but initdb/pg_ctl were not found under /usr/lib/postgresql.',
    );
  }
  return bin;
}
