/**
 * `npm start` builds with tsconfig.build.json before it serves: a build that does not compile (a
 * browser-only folder pulled into the Node build by an `exclude` that another config's replaced)
 * would leave `npm ci && npm start` dead on a fresh clone while every other test passes.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';

describe('the production build (npm start, npm pack, Docker)', () => {
  it('compiles with tsconfig.build.json', () => {
    const root = projectRoot();
    const r = spawnSync(
      process.execPath,
      [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json', '--noEmit'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
