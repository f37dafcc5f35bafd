import { describe, expect, it } from 'vitest';
import {
  COHORT,
  DEFAULT_ADC_RULE,
  SOURCES,
  KNOWLEDGE_BASE_VERSION,
  SIGN_TABLES,
  knowledgeErrors,
  pearsonChiSquare,
} from '../../src/knowledge/index.js';
import { canonicalJson, contentHash } from '../../src/knowledge/content-hash.js';

// docs/clinical-logic.md section 2: the chi-square values printed in Tables 2-4, in the spec's order.
const PRINTED_CHI_SQUARE: readonly [string, number][] = [
  ['compression-degree', 63.466],
  ['lesion-extent', 26.275],
  ['lesion-location', 8.176],
  ['vertebral-contour', 4.74],
  ['paravertebral-soft-tissue', 30.093],
  ['vertebral-vein', 10.382],
  ['pedicle', 83.705],
  ['enhancement-pattern', 116.18],
  ['dwi-signal', 87.13],
  ['t1-low-signal', 19.983],
  ['t2-low-signal', 46.033],
];

describe('knowledge base integrity (docs/clinical-logic.md section 2)', () => {
  it.each(PRINTED_CHI_SQUARE)('chi-square of %s recomputed from the counts is %d', (sign, chi) => {
    const table = SIGN_TABLES.find((t) => t.sign === sign);
    expect(table).toBeDefined();
    expect(Math.abs(pearsonChiSquare(table!.rows) - chi)).toBeLessThanOrEqual(0.01);
  });

  it('every table sums to the cohort (76 benign, 74 malignant) and has no zero cell', () => {
    expect(COHORT).toEqual({ benign: 76, malignant: 74 });
    expect(knowledgeErrors()).toEqual([]);
  });

  it('a mistyped count is caught by the start-up check', () => {
    const broken = SIGN_TABLES.map((t) =>
      t.sign === 'pedicle'
        ? {
            ...t,
            rows: t.rows.map((r) =>
              r.value === 'preserved' ? { ...r, benign: 58, malignant: 4 } : r,
            ),
          }
        : t,
    );
    const errors = knowledgeErrors(broken);
    expect(errors.some((e) => e.startsWith('pedicle: chi-square'))).toBe(true);
  });

  it('a count that no longer sums to the cohort is caught', () => {
    const broken = SIGN_TABLES.map((t) =>
      t.sign === 'dwi-signal'
        ? { ...t, rows: t.rows.map((r) => ({ ...r, benign: r.benign + 1 })) }
        : t,
    );
    expect(knowledgeErrors(broken).some((e) => e.includes('dwi-signal: rows sum to 78/74'))).toBe(
      true,
    );
  });

  it('the version is semver plus a content hash that changes when a number changes', () => {
    expect(KNOWLEDGE_BASE_VERSION).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{14}$/);
    const original = contentHash(canonicalJson(SIGN_TABLES));
    const changed = SIGN_TABLES.map((t, i) =>
      i === 0
        ? { ...t, rows: t.rows.map((r, j) => (j === 0 ? { ...r, benign: r.benign + 1 } : r)) }
        : t,
    );
    expect(contentHash(canonicalJson(changed))).not.toBe(original);
    expect(contentHash(canonicalJson({ a: 1, b: 2 }))).toBe(
      contentHash(canonicalJson({ b: 2, a: 1 })),
    );
  });
});

describe('the default ADC rule and its source (docs/clinical-logic.md section 5)', () => {
  it('sensitivity and specificity are the abstract counts 6/7 and 29/32, and the source says how few', () => {
    expect(DEFAULT_ADC_RULE.sensitivity).toBeCloseTo(6 / 7, 3);
    expect(DEFAULT_ADC_RULE.specificity).toBeCloseTo(29 / 32, 3);
    const source = SOURCES[DEFAULT_ADC_RULE.source as keyof typeof SOURCES];
    expect(source.external).toBe(true);
    expect('note' in source ? source.note : '').toMatch(/39 fractures of which 7 malignant/);
  });
});
