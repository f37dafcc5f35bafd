/**
 * vitest globalSetup: makes sure Debian's Chromium is installed for the browser tests
 * (test/http/playground.test.ts drives it with playwright-core; `npx playwright install` cannot
 * download browsers here). Instant when the binary is there; otherwise scripts/ensure-chromium.sh
 * installs the `chromium` package with apt-get (about 10-60 s, once per machine).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/project-root.js';

/** The browser the tests launch; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default function setup(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const script = join(projectRoot(), 'scripts', 'ensure-chromium.sh');
  try {
    execFileSync('sh', [script], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CHROMIUM_PATH },
      timeout: 10 * 60_000,
    });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH} and ${script} could not install it` +
        ` (exit ${String(status ?? 'unknown')}; its messages are above). Install Debian's chromium` +
        ' package (apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH.',
      { cause: error },
    );
  }
}
