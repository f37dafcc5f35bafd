/**
 * Builds the real service (src/service.ts) for HTTP tests: configuration from an env-like object,
 * a real embedded SQLite store in a temporary folder (or a store passed in), a logger whose lines
 * are captured, a frozen clock and predictable ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/http/logger.js';
import { createService } from '../../src/service.js';
import { openStore, resolveAuditIdKey } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

export const FROZEN_NOW = new Date('2026-11-25T10:00:00.000Z');

/** The audit id key of a service given a store (e.g. replicas on PostgreSQL) and no AUDIT_ID_KEY. */
export const TEST_AUDIT_ID_KEY = Buffer.alloc(32, 7);

export interface TestService {
  readonly app: Express;
  /** The METRICS_PORT listener's app, when METRICS_PORT is set. */
  readonly metricsApp: Express | undefined;
  readonly store: Store;
  /** The DATA_DIR of the embedded store, when the service opened its own. */
  readonly dataDir: string | undefined;
  /** Every log line written, parsed. */
  readonly logLines: () => Record<string, unknown>[];
  /** Every log line written, raw. */
  readonly rawLog: () => string;
  close(): Promise<void>;
}

export async function startTestService(
  options: { env?: Record<string, string>; store?: Store; now?: () => Date } = {},
): Promise<TestService> {
  const { config, errors } = loadConfig({ LOG_LEVEL: 'info', ...options.env });
  if (errors.length > 0) throw new Error(`test config: ${errors.join('; ')}`);
  let raw = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const dataDir = options.store ? undefined : mkdtempSync(join(tmpdir(), 'vcf-test-'));
  const store = options.store ?? (await openStore({ dataDir: dataDir! }, logger));
  // Without a store passed in, the real start-up path: AUDIT_ID_KEY, else the key kept in DATA_DIR.
  const auditIdKey = dataDir
    ? await resolveAuditIdKey({ ...config, store: { dataDir } }, logger)
    : (config.auditIdKey ?? TEST_AUDIT_ID_KEY);
  let n = 0;
  const { app, metricsApp } = createService(config, {
    auditIdKey,
    store,
    logger,
    now: options.now ?? (() => FROZEN_NOW),
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });
  return {
    app,
    metricsApp,
    store,
    dataDir,
    rawLog: () => raw,
    logLines: () =>
      raw
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    close: async () => {
      if (!options.store) await store.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
