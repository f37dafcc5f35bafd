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
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

export const FROZEN_NOW = new Date('2026-11-25T10:00:00.000Z');

export interface TestService {
  readonly app: Express;
  readonly store: Store;
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
  let n = 0;
  const { app } = createService(config, {
    store,
    logger,
    now: options.now ?? (() => FROZEN_NOW),
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });
  return {
    app,
    store,
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
