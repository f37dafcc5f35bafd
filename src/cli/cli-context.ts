/**
 * What every command is given: where to write, and the service's settings and clock. Passed in
 * (ARCHITECTURE.md: the outside comes in as arguments), so tests call a command as a function
 * with captured output.
 */
import type { EngineSettings } from '../engine/index.js';
import type { BatchOptions } from './patient-batches.js';

/** Output channels, injected. */
export interface CliIo {
  /** Standard output (results). */
  readonly out: (text: string) => void;
  /** Standard error (messages, warnings, progress). */
  readonly err: (text: string) => void;
  /**
   * Whether progress may be drawn: stderr is a terminal, CI is not set and --quiet was not given
   * (main.ts), so logs and tests stay clean.
   */
  readonly interactive: boolean;
  /** The terminal progress is drawn on (process.stderr); none: no progress. */
  readonly terminal?: NodeJS.WritableStream;
}

/** Everything a command needs from outside. */
export interface CliContext {
  readonly io: CliIo;
  /** The engine settings the service runs with (the VCF_* environment, read in main.ts). */
  readonly engine: EngineSettings;
  readonly cancerSnomedCodes: readonly string[];
  /** VCF_ADC_MINIMUM (no default). */
  readonly adcMinimum?: number;
  readonly now: () => Date;
  /** How inputs are grouped by patient (tests use small values to exercise the on-disk path). */
  readonly batches?: BatchOptions;
  readonly newId: () => string;
}
