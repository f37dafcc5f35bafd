import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', 'src');
const files = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') }));

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
