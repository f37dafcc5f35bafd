/** Test helper: runs a vcf-cds command as a function, capturing stdout and stderr. */
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/index.js';
import { CANCER_SNOMED_CODES_DEFAULT } from '../../src/terminology/index.js';
import type { CliContext } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/run.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A frozen clock and counting ids, so outputs are reproducible. */
export function testContext(
  overrides: Partial<CliContext> = {},
): CliContext & { output: { out: string; err: string } } {
  const output = { out: '', err: '' };
  let n = 0;
  return {
    io: {
      out: (t) => void (output.out += t),
      err: (t) => void (output.err += t),
      interactive: false,
    },
    engine: DEFAULT_ENGINE_SETTINGS,
    cancerSnomedCodes: CANCER_SNOMED_CODES_DEFAULT,
    now: () => new Date('2026-03-01T12:00:00Z'),
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...overrides,
    output,
  };
}

export function run(argv: readonly string[], overrides: Partial<CliContext> = {}): CliRun {
  const ctx = testContext(overrides);
  const code = runCli(argv, ctx);
  return { code, out: ctx.output.out, err: ctx.output.err };
}
