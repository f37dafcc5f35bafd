/** Progress goes to stderr only on a terminal, so logs and tests are not spammed. */
import { describe, expect, it } from 'vitest';
import { progress } from '../../src/cli/progress.js';

function io(interactive: boolean) {
  const seen: string[] = [];
  return { seen, io: { out: () => undefined, err: (t: string) => void seen.push(t), interactive } };
}

describe('progress', () => {
  it('draws a counter every N items and ends the line, on a terminal', () => {
    const { seen, io: tty } = io(true);
    const p = progress(tty, 'assessed patients', 120, 50);
    for (let i = 1; i <= 120; i++) p.tick(i);
    p.finish();
    expect(seen).toEqual([
      '\rassessed patients: 50/120',
      '\rassessed patients: 100/120',
      '\rassessed patients: 120/120',
      '\n',
    ]);
  });
  it('stays silent when stderr is not a terminal, or the run is short', () => {
    const a = io(false);
    const p = progress(a.io, 'x', 1000);
    for (let i = 1; i <= 1000; i++) p.tick(i);
    p.finish();
    const b = io(true);
    progress(b.io, 'x', 10).tick(10);
    expect([...a.seen, ...b.seen]).toEqual([]);
  });
});
