/**
 * A progress bar on stderr for long runs (cli-progress), drawn only when the CLI may draw one:
 * stderr is a terminal, CI is not set and --quiet was not given (main.ts sets `io.interactive` and
 * `io.terminal`). Results on stdout are never touched; short runs draw nothing.
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './cli-context.js';

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

const NONE: Progress = { tick: () => undefined, finish: () => undefined };

export interface ProgressOptions {
  /** What is counted: items (patients) or bytes (shown in MB). */
  readonly unit?: 'items' | 'bytes';
}

/** Below these totals a run is short: no bar. */
const MIN_ITEMS = 50;
const MIN_BYTES = 8 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A bar counting `done` of `total` (tick with the running count), or nothing. */
export function progress(
  io: CliIo,
  label: string,
  total: number,
  options: ProgressOptions = {},
): Progress {
  const bytes = options.unit === 'bytes';
  if (!io.interactive || io.terminal === undefined || total < (bytes ? MIN_BYTES : MIN_ITEMS))
    return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.terminal,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      formatValue: (v, _o, type) =>
        bytes && (type === 'value' || type === 'total') ? mb(v) : String(v),
      barsize: 24,
      fps: 5,
      hideCursor: false,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let stopped = false;
  return {
    tick(done) {
      bar.update(Math.min(done, total));
    },
    finish() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
