/**
 * Progress (cli-progress) goes to the terminal on stderr only when the CLI may draw it: never when
 * stderr is not a terminal, under --quiet or CI (main.ts clears `interactive`), or for short runs.
 */
import { describe, expect, it } from 'vitest';
import { progress } from '../../src/cli/progress.js';

/** A terminal double: what cli-progress writes, as text. */
function terminal() {
  const seen: string[] = [];
  const stream = {
    isTTY: true,
    columns: 100,
    write: (t: string) => {
      seen.push(t);
      return true;
    },
    on: () => stream,
    once: () => stream,
    removeListener: () => stream,
  };
  return { seen, stream: stream as unknown as NodeJS.WritableStream };
}

const io = (interactive: boolean, stream?: NodeJS.WritableStream) => ({
  out: () => undefined,
  err: () => undefined,
  interactive,
  ...(stream ? { terminal: stream } : {}),
});

describe('progress', () => {
  it('draws a bar with the count and total on the terminal, and ends it', () => {
    const t = terminal();
    const p = progress(io(true, t.stream), 'assessed patients', 120);
    for (let i = 1; i <= 120; i++) p.tick(i);
    p.finish();
    const text = t.seen.join('');
    expect(text).toContain('assessed patients [');
    expect(text).toContain('120/120');
    expect(text).toContain('100%');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('counts bytes in MB', () => {
    const t = terminal();
    const p = progress(io(true, t.stream), 'read', 64 * 1024 * 1024, { unit: 'bytes' });
    p.tick(64 * 1024 * 1024);
    p.finish();
    expect(t.seen.join('')).toContain('64 MB/64 MB');
  });

  it('stays silent when not interactive (no terminal, --quiet, CI), or the run is short', () => {
    const t = terminal();
    for (const p of [
      progress(io(false, t.stream), 'x', 1000),
      progress(io(true), 'x', 1000),
      progress(io(true, t.stream), 'x', 10),
    ]) {
      for (let i = 1; i <= 1000; i++) p.tick(i);
      p.finish();
    }
    expect(t.seen).toEqual([]);
  });
});
