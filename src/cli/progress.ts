/** A one-line counter on stderr for long runs, drawn only on a terminal. */
import type { CliIo } from './cli-context.js';

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

const NONE: Progress = { tick: () => undefined, finish: () => undefined };

/** Redraws "label: done/total" every `every` items (and at the end), only when interactive. */
export function progress(io: CliIo, label: string, total: number, every = 50): Progress {
  if (!io.interactive || total < every) return NONE;
  let drawn = false;
  return {
    tick(done) {
      if (done % every !== 0 && done !== total) return;
      io.err(`\r${label}: ${done}/${total}`);
      drawn = true;
    },
    finish() {
      if (drawn) io.err('\n');
    },
  };
}
