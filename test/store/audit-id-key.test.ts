/**
 * The audit id key (the secret of the patient id HMAC): AUDIT_ID_KEY's format, and the key an
 * embedded store keeps in DATA_DIR: made once (mode 0600), the same after a restart, the same for
 * two processes starting together, refused loudly when damaged.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUDIT_ID_KEY_FILE,
  loadOrCreateAuditIdKey,
  parseAuditIdKey,
} from '../../src/store/audit-id-key.js';
import { StoreError } from '../../src/store/types.js';
import { captureLogger } from './capture-logger.js';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vcf-key-'));
  dirs.push(dir);
  return join(dir, 'data');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('parseAuditIdKey', () => {
  it.each([
    ['base64 of 32 bytes', Buffer.alloc(32, 1).toString('base64'), 32],
    ['base64url of 48 bytes', Buffer.alloc(48, 250).toString('base64url'), 48],
    ['64 hex digits', 'ab'.repeat(32), 32],
  ])('accepts %s', (_name, text, bytes) => {
    const key = parseAuditIdKey(text);
    expect(Buffer.isBuffer(key) && key.length).toBe(bytes);
  });

  it.each([
    ['31 bytes', Buffer.alloc(31, 1).toString('base64'), /at least 32 bytes/],
    ['a passphrase', 'correct horse battery staple!', /hex or base64/],
    ['empty', '', /at least 32 bytes|hex or base64/],
  ])('refuses %s', (_name, text, message) => {
    const key = parseAuditIdKey(text);
    expect(Buffer.isBuffer(key)).toBe(false);
    expect((key as { error: string }).error).toMatch(message);
  });
});

describe('the key kept in DATA_DIR', () => {
  it('is made on first start (32 random bytes, mode 0600) and the same after a restart', async () => {
    const dir = freshDir();
    const log = captureLogger();
    const first = await loadOrCreateAuditIdKey(dir, log.logger);
    expect(first.length).toBe(32);
    const file = join(dir, AUDIT_ID_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(log.text()).toMatch(/audit id key created/);
    // Never the key itself in the log.
    expect(log.text()).not.toContain(first.toString('base64'));
    const again = await loadOrCreateAuditIdKey(dir, captureLogger().logger);
    expect(again.equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('two processes starting together on a new folder end up with the same key', async () => {
    const dir = freshDir();
    const keys = await Promise.all(
      Array.from({ length: 4 }, () => loadOrCreateAuditIdKey(dir, captureLogger().logger)),
    );
    for (const k of keys) expect(k.equals(keys[0]!)).toBe(true);
  });

  it('another folder, another key', async () => {
    const a = await loadOrCreateAuditIdKey(freshDir(), captureLogger().logger);
    const b = await loadOrCreateAuditIdKey(freshDir(), captureLogger().logger);
    expect(a.equals(b)).toBe(false);
  });

  it('a damaged key file stops the start with a StoreError naming the file and AUDIT_ID_KEY', async () => {
    const dir = freshDir();
    await loadOrCreateAuditIdKey(dir, captureLogger().logger);
    writeFileSync(join(dir, AUDIT_ID_KEY_FILE), 'short\n');
    const error = await loadOrCreateAuditIdKey(dir, captureLogger().logger).catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(String(error.message)).toMatch(/audit-id-key is not a key.*AUDIT_ID_KEY/);
  });

  it('a key file others can read is used, with a warning', async () => {
    const dir = freshDir();
    const key = await loadOrCreateAuditIdKey(dir, captureLogger().logger);
    chmodSync(join(dir, AUDIT_ID_KEY_FILE), 0o644);
    const log = captureLogger();
    expect((await loadOrCreateAuditIdKey(dir, log.logger)).equals(key)).toBe(true);
    expect(log.text()).toMatch(/readable by others.*chmod 600/);
  });
});
