/**
 * The secret key of the audit's patient id hash (HMAC-SHA-256): without it, a hash cannot be
 * reversed by hashing every plausible MRN (a plain SHA-256 of a low-entropy id can). One key, one
 * hash per patient: records stay linkable across calls, and across replicas sharing the key.
 *
 * - `AUDIT_ID_KEY` (read by the configuration) wins; it is required with PostgreSQL, where
 *   several replicas must agree.
 * - Otherwise (embedded SQLite, one instance) a random key is made on first start and kept in
 *   `DATA_DIR/audit-id-key` (mode 0600), reused after restarts. Losing that file makes later
 *   records unlinkable to earlier ones: back it up with the database.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { StoreError } from './types.js';

export const AUDIT_ID_KEY_FILE = 'audit-id-key';

// The key's format is the AUDIT_ID_KEY setting's: the configuration owns it, the key file follows it.
import { AUDIT_ID_KEY_MIN_BYTES, parseAuditIdKey } from '../config/audit-id-key-format.js';

export { AUDIT_ID_KEY_MIN_BYTES, parseAuditIdKey };

function unusable(file: string, reason: string, cause?: unknown): StoreError {
  return new StoreError(
    'STORE_UNAVAILABLE',
    `the audit id key ${file} ${reason}; restore it from a backup (records hashed with another key cannot be linked to later ones) or set AUDIT_ID_KEY`,
    cause === undefined ? undefined : { cause },
  );
}

/** Writes a new key aside, then links it into place: the file appears whole or not at all. */
async function createKeyFile(dataDir: string, file: string, logger: Logger): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const aside = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(aside, `${randomBytes(AUDIT_ID_KEY_MIN_BYTES).toString('base64')}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  try {
    await link(aside, file);
    logger.info({ file: AUDIT_ID_KEY_FILE }, 'audit id key created (back it up with the data)');
  } catch (error) {
    // Another process starting on the same folder made it first: use theirs.
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  } finally {
    await unlink(aside);
  }
}

/** The key kept in `dataDir`, made (32 random bytes, mode 0600) on first start. */
export async function loadOrCreateAuditIdKey(dataDir: string, logger: Logger): Promise<Buffer> {
  const file = join(dataDir, AUDIT_ID_KEY_FILE);
  let text: string | undefined;
  for (let attempt = 0; text === undefined; attempt++) {
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT' || attempt > 0) {
        throw unusable(file, 'cannot be read', error);
      }
      try {
        await createKeyFile(dataDir, file, logger);
      } catch (created) {
        throw unusable(file, 'cannot be created', created);
      }
    }
  }
  const mode = await stat(file).then(
    (s) => s.mode,
    () => 0,
  );
  if ((mode & 0o077) !== 0) {
    logger.warn(
      { file: AUDIT_ID_KEY_FILE },
      'audit id key file is readable by others than its owner; chmod 600 it',
    );
  }
  const key = parseAuditIdKey(text);
  if (!Buffer.isBuffer(key)) throw unusable(file, `is not a key (${key.error})`);
  return key;
}

/**
 * The key in force: AUDIT_ID_KEY when set, else (SQLite) the key kept in DATA_DIR. With
 * PostgreSQL the configuration already refused to start without AUDIT_ID_KEY.
 */
export async function resolveAuditIdKey(
  config: {
    readonly auditIdKey: Uint8Array | undefined;
    readonly store: { readonly dataDir: string } | { readonly postgresUrl: string };
  },
  logger: Logger,
): Promise<Uint8Array> {
  if (config.auditIdKey !== undefined) return config.auditIdKey;
  if ('dataDir' in config.store) return loadOrCreateAuditIdKey(config.store.dataDir, logger);
  throw new Error('AUDIT_ID_KEY is required with DATABASE_URL');
}
