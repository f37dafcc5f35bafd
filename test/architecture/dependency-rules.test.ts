import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', 'src');
const files = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') }));

/**
 * The layers of src/ (README "Layout"): which top-level folder may import which. An arrow not in
 * this table fails the test below. Entry points (main.ts, service.ts) wire everything together;
 * project-root.ts is a leaf (it finds the checkout) that the file-reading layers use.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  http: [
    'cds',
    'app',
    'present',
    'fhir',
    'engine',
    'knowledge',
    'store',
    'terminology',
    'config',
    'project-root',
  ],
  cds: ['app', 'present', 'fhir', 'engine', 'knowledge', 'terminology'],
  app: ['fhir', 'engine', 'knowledge', 'present', 'store', 'terminology'],
  present: ['engine', 'knowledge', 'terminology'],
  fhir: ['engine', 'knowledge', 'terminology', 'project-root'],
  engine: ['knowledge'],
  knowledge: [],
  terminology: [],
  validation: ['engine', 'knowledge'],
  // The store reads two setting formats from the configuration (the audit id key, the deadline).
  store: ['config'],
  cli: [
    'app',
    'present',
    'fhir',
    'engine',
    'knowledge',
    'terminology',
    'validation',
    'config',
    'project-root',
  ],
  config: ['engine', 'knowledge', 'terminology', 'fhir'],
  'project-root': [],
  main: ['config', 'http', 'knowledge', 'service', 'store'],
  service: ['cds', 'app', 'config', 'fhir', 'http', 'store', 'terminology'],
};

/** app may use the store's port only (its types, errors and deadlines), never an implementation. */
const APP_STORE_FILES = new Set(['store/types.ts', 'store/deadline.ts']);

/**
 * Arrows against the table that exist today and are being removed (issue 14); each entry must
 * still exist (so a fixed one is struck off here), and no other may appear.
 */
const PENDING: readonly string[] = [];

/** The relative module specifiers of a TypeScript source: static, re-export and dynamic imports. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs = [
    ...code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string);
  return specs;
}

/** `src/<layer>/...` or `src/<file>.ts` -> the layer name ('main' for src/main.ts). */
function layerOf(pathFromSrc: string): string {
  const [first, ...rest] = pathFromSrc.split('/');
  return rest.length === 0 ? (first as string).replace(/\.ts$/, '') : (first as string);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every arrow between layers: `file -> layer` with the target file. */
function arrows(): { from: string; file: string; to: string; target: string }[] {
  return sourceFiles('').flatMap((file) =>
    importsOf(readFileSync(join(root, file), 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts'))
      .filter((target) => !target.startsWith('..'))
      .map((target) => ({ from: layerOf(file), file, to: layerOf(target), target }))
      .filter((a) => a.from !== a.to),
  );
}

describe('the dependency rules of the layers (README "Layout")', () => {
  it('reads every kind of import statement', () => {
    const text = [
      "import { a } from '../engine/index.js';",
      "import type { B } from '../fhir/index.js';",
      "export { c } from '../knowledge/index.js';",
      "import '../store/index.js';",
      "const m = await import('../cds/card.js');",
      "// import { x } from '../http/app.js';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      '../engine/index.js',
      '../fhir/index.js',
      '../knowledge/index.js',
      '../store/index.js',
      '../cds/card.js',
    ]);
  });

  it('every top-level folder of src/ has its row', () => {
    const layers = new Set(sourceFiles('').map(layerOf));
    expect([...layers].filter((l) => MAY_IMPORT[l] === undefined)).toEqual([]);
  });

  it('the arrows are read from the real sources (http reaches cds, cds reaches app)', () => {
    const seen = new Set(arrows().map((a) => `${a.from} -> ${a.to}`));
    expect(seen).toContain('http -> cds');
    expect(seen).toContain('cds -> app');
    expect(seen).toContain('engine -> knowledge');
  });

  it('no import goes against the table', () => {
    const against = arrows()
      .filter((a) => !(MAY_IMPORT[a.from] ?? []).includes(a.to))
      .filter((a) => !PENDING.includes(`${a.file} -> ${a.to}`))
      .map((a) => `${a.file} -> ${a.target}`);
    expect(against).toEqual([]);
  });

  it('app uses the store port only, never an implementation', () => {
    const wrong = arrows()
      .filter((a) => a.from === 'app' && a.to === 'store' && !APP_STORE_FILES.has(a.target))
      .map((a) => `${a.file} -> ${a.target}`);
    expect(wrong).toEqual([]);
  });

  it('the playground (its server module and its browser client) never imports the CDS protocol', () => {
    const wrong = arrows()
      .filter((a) => a.file.startsWith('http/playground') && a.to === 'cds')
      .map((a) => `${a.file} -> ${a.target}`);
    expect(wrong).toEqual([]);
  });

  it('each pending exception still exists (a removed one is struck off the list)', () => {
    const seen = new Set(arrows().map((a) => `${a.file} -> ${a.to}`));
    expect(PENDING.filter((p) => !seen.has(p))).toEqual([]);
  });
});

describe('the clinical core stays pure (ARCHITECTURE.md, rules of the house)', () => {
  it.each([...files('engine'), ...files('knowledge')])(
    '$name imports no I/O and no outer layer',
    ({ text }) => {
      const imports = [...text.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec).toMatch(/^\.\.?\//);
        expect(spec).not.toMatch(/\/(fhir|cds|http|store|cli)\//);
      }
      expect(text).not.toMatch(/process\.env|Date\.now|Math\.random|new Date\(/);
    },
  );

  it.each(files('knowledge'))(
    '$name does not depend on the engine (knowledge is the floor below it)',
    ({ text }) => {
      const imports = [...text.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
      expect(imports.filter((spec) => /engine/.test(spec ?? ''))).toEqual([]);
    },
  );

  it.each(files('engine'))(
    '$name holds no clinical number (they live in src/knowledge)',
    ({ text }) => {
      const code = text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
        .replace(/'[^'\n]*'|`[^`]*`/g, "''");
      const numbers = [...code.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?(?![\w])/g)].map((m) =>
        Number(m[0]),
      );
      // 0, 1 and 2 are arithmetic; 700 bounds exp() so it stays finite; 1e-9 is the log-odds
      // tolerance of the inclusive thresholds (floating point, not clinical).
      const allowed = new Set([0, 1, 2, 700, 1e-9]);
      expect(numbers.filter((n) => !allowed.has(n))).toEqual([]);
    },
  );
});
