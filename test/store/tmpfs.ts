/**
 * A tiny tmpfs for real "disk full" and "read-only disk" tests. Mounting needs root (or
 * CAP_SYS_ADMIN); where it is refused, `mountTmpfs` returns undefined and those tests are skipped
 * (the PRAGMA max_page_count test still covers SQLITE_FULL everywhere).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  readonly dir: string;
  /** Writes a file until the file system is full; returns its path (delete it to free the space). */
  fill(name?: string): string;
  /** Remounts read-only (true) or read-write (false). */
  readOnly(on: boolean): void;
  /** Unmounts and deletes the mount point. */
  unmount(): void;
}

function sh(cmd: string, args: readonly string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Mounts a tmpfs of `bytes`, or returns undefined when this machine does not allow it. */
export function mountTmpfs(bytes: number): Tmpfs | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'vcf-tmpfs-'));
  if (!sh('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir])) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    fill(name = 'filler') {
      const path = join(dir, name);
      const fd = openSync(path, 'w');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      return path;
    },
    readOnly(on) {
      if (!sh('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, dir]))
        throw new Error(`remount ${on ? 'ro' : 'rw'} failed`);
    },
    unmount() {
      if (!sh('umount', [dir])) sh('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
