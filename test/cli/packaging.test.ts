/**
 * The npm package holds what its `vcf-cds` bin needs at run time (issue 7 audit): the compiled
 * code, the generated FHIR validators (gitignored, so left out without a "files" list), the
 * profiles and examples, the playground's static files; and packing builds first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';

const root = projectRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
};

/** The paths `npm pack` would put in the tarball (no scripts run, nothing written). */
function packedPaths(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

describe('the npm package', () => {
  it('packs the bin, the generated validators, profiles, examples and playground; no tests', () => {
    const paths = packedPaths();
    for (const needed of [
      'package.json',
      'README.md',
      // The CLI's help and reports point at it; the service serves it at /method.
      'docs/clinical-logic.md',
      'generated/fhir-validators.js',
      'profiles/CodeSystem-vcf-finding.json',
      'profiles/examples/benign.bundle.json',
      'src/http/playground/index.html',
      'generated/playground/playground.js',
      'src/http/playground/playground.css',
    ]) {
      expect(paths).toContain(needed);
    }
    const bin = pkg.bin['vcf-cds']!;
    expect(pkg.files.some((f) => bin.startsWith(`${f}/`))).toBe(true);
    // dist/ exists only after a build (`npm test` does not build; `npm pack` does, see prepack).
    if (existsSync(join(root, bin))) expect(paths).toContain(bin);
    expect(paths.filter((p) => /^(test|scripts|dist\/test|dist\/scripts)\//.test(p))).toEqual([]);
    expect(
      paths.filter((p) => p.startsWith('src/') && !p.startsWith('src/http/playground/')),
    ).toEqual([]);
    // The page's TypeScript is bundled into generated/; its sources are not shipped.
    expect(paths.filter((p) => p.startsWith('src/http/playground/client/'))).toEqual([]);
  }, 60_000);

  it('packing builds first (validators generated, TypeScript compiled); npm ci builds nothing', () => {
    expect(pkg.scripts['prepack']).toBe('npm run build');
    expect(pkg.scripts['prebuild']).toBe('npm run generate');
    // No "prepare": it would run the ~10 s generate and the compile on every `npm ci` (CI,
    // Docker), which `npm test` (pretest) and `npm start` (prestart) already do when needed.
    expect(pkg.scripts['prepare']).toBeUndefined();
  });
});
