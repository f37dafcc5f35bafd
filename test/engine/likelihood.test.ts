import { describe, expect, it } from 'vitest';
import {
  BOOLEAN_SIGNS,
  CODED_SIGN_VALUES,
  QUANTITY_SIGNS,
  adcLikelihood,
  asValidFinding,
  isBooleanSign,
  isCodedSign,
  isQuantitySign,
  isSign,
  rowLikelihood,
  type CodedSign,
  type Sign,
} from '../../src/engine/index.js';
import { adcLikelihoodOf } from '../../src/engine/likelihood.js';
import { DEFAULT_ADC_RULE } from '../../src/knowledge/index.js';

// docs/clinical-logic.md section 2, copied here by hand so that a mistyped count in the knowledge base fails.
const SPEC_ROWS: readonly [Sign, string | boolean, number, number][] = [
  ['compression-degree', 'degree-1', 10, 57],
  ['compression-degree', 'degree-2', 41, 7],
  ['compression-degree', 'degree-3', 25, 10],
  ['lesion-extent', 'G1', 26, 12],
  ['lesion-extent', 'G2', 25, 8],
  ['lesion-extent', 'G3', 12, 17],
  ['lesion-extent', 'G4', 13, 37],
  ['lesion-location', 'endplate-adjacent', 74, 62],
  ['lesion-location', 'anterior-posterior-margin', 2, 12],
  ['vertebral-contour', 'normal-or-depressed', 63, 50],
  ['vertebral-contour', 'outward-bulging', 13, 24],
  ['paravertebral-soft-tissue', true, 7, 37],
  ['paravertebral-soft-tissue', false, 69, 37],
  ['vertebral-vein', 'not-invaded', 60, 42],
  ['vertebral-vein', 'invaded', 4, 15],
  ['vertebral-vein', 'not-visible', 12, 17],
  ['pedicle', 'preserved', 59, 3],
  ['pedicle', 'destroyed', 17, 71],
  ['enhancement-pattern', 'flocculent', 71, 4],
  ['enhancement-pattern', 'nodular', 5, 70],
  ['dwi-signal', 'high', 70, 12],
  ['dwi-signal', 'low', 6, 62],
  ['t1-low-signal', true, 71, 47],
  ['t1-low-signal', false, 5, 27],
  ['t2-low-signal', true, 73, 34],
  ['t2-low-signal', false, 3, 40],
  ['ct-impression', 'benign', 68, 7],
  ['ct-impression', 'malignant', 8, 67],
  ['mri-impression', 'benign', 70, 5],
  ['mri-impression', 'malignant', 6, 69],
];

describe('likelihood ratios from the counts (docs/clinical-logic.md section 2)', () => {
  it.each(SPEC_ROWS)('%s = %s: LR = (m/74)/(b/76) with b=%d, m=%d', (sign, value, b, m) => {
    const row = rowLikelihood(sign, value);
    expect(row).toBeDefined();
    expect(row!.source.counts).toEqual({ benign: b, malignant: m });
    expect(row!.lr).toBeCloseTo(m / 74 / (b / 76), 12);
    expect(row!.source.sourceId).toBe('zhao2026');
    expect(row!.source.where).toMatch(/^Table [2-5], (row|complement of row) '/);
  });

  it('a complement row names the printed row and shows the subtraction', () => {
    expect(rowLikelihood('t1-low-signal', false)!.source.where).toBe(
      "Table 4, complement of row 'Low signal in T1WI' (malignant 74-47=27/74, benign 76-71=5/76)",
    );
    expect(rowLikelihood('pedicle', 'preserved')!.source.where).toBe(
      "Table 4, row 'Low signal on T1WI' (the pedicle row without destruction, read as preserved; malignant 3/74, benign 59/76)",
    );
  });

  it('a few LRs worked by hand', () => {
    // Nodular enhancement: (70/74) / (5/76) = 0.945946 / 0.065789 = 14.378
    expect(rowLikelihood('enhancement-pattern', 'nodular')!.lr).toBeCloseTo(14.378, 3);
    // Pedicle preserved: (3/74) / (59/76) = 0.040541 / 0.776316 = 0.05222
    expect(rowLikelihood('pedicle', 'preserved')!.lr).toBeCloseTo(0.05222, 4);
    // Degree I compression favours malignancy in this paper: (57/74) / (10/76) = 5.854
    expect(rowLikelihood('compression-degree', 'degree-1')!.lr).toBeCloseTo(5.854, 3);
  });

  it('has no row for a value the paper does not report', () => {
    expect(rowLikelihood('pedicle', 'partly')).toBeUndefined();
    expect(rowLikelihood('adc-reference', 'x')).toBeUndefined();
    // A boolean sign's row is found by the boolean, not by its text.
    expect(rowLikelihood('paravertebral-soft-tissue', 'true')).toBeUndefined();
    expect(rowLikelihood('paravertebral-soft-tissue', true)?.source.counts).toEqual({
      benign: 7,
      malignant: 37,
    });
  });

  it('ADC LRs follow Wonglaksanapimon 2012 (section 5)', () => {
    expect(DEFAULT_ADC_RULE).toMatchObject({
      cutoff: 0.89,
      sensitivity: 0.857,
      specificity: 0.906,
    });
    // below: 0.857 / (1 - 0.906) = 9.117; at or above: (1 - 0.857) / 0.906 = 0.1578
    expect(adcLikelihood('below-cutoff', DEFAULT_ADC_RULE).lr).toBeCloseTo(9.117, 3);
    expect(adcLikelihood('at-or-above-cutoff', DEFAULT_ADC_RULE).lr).toBeCloseTo(0.1578, 4);
    expect(adcLikelihood('below-cutoff', DEFAULT_ADC_RULE).source.sourceId).toBe(
      'wonglaksanapimon2012',
    );
  });
});

describe('the hot path answers as the plain rules do', () => {
  it('the remembered ADC rows equal the rule worked out afresh, and follow a rule changed in place', () => {
    const rule = { ...DEFAULT_ADC_RULE };
    for (const band of ['below-cutoff', 'at-or-above-cutoff'] as const) {
      expect(adcLikelihoodOf(band, rule)).toEqual(adcLikelihood(band, rule));
    }
    (rule as { sensitivity: number }).sensitivity = 0.8;
    expect(adcLikelihoodOf('below-cutoff', rule).lr).toBeCloseTo(0.8 / (1 - 0.906), 12);
    (rule as { cutoff: number }).cutoff = 1.14;
    expect(adcLikelihoodOf('below-cutoff', rule).source.where).toMatch(/^ADC < 1.14 /);
  });

  it('every sign of the vocabulary, and nothing else, is recognised with its kind', () => {
    for (const sign of Object.keys(CODED_SIGN_VALUES) as CodedSign[]) {
      expect(isSign(sign) && isCodedSign(sign)).toBe(true);
      for (const value of CODED_SIGN_VALUES[sign]) {
        expect(asValidFinding({ sign, value })).toEqual({ sign, value });
      }
      expect(asValidFinding({ sign, value: 'other' })).toBeUndefined();
    }
    for (const sign of BOOLEAN_SIGNS) {
      expect(isBooleanSign(sign) && !isCodedSign(sign) && !isQuantitySign(sign)).toBe(true);
      expect(asValidFinding({ sign, value: true })).toBeDefined();
      expect(asValidFinding({ sign, value: 'true' })).toBeUndefined();
    }
    for (const sign of QUANTITY_SIGNS) {
      expect(isQuantitySign(sign) && !isBooleanSign(sign)).toBe(true);
      expect(asValidFinding({ sign, value: 1.1 })).toBeDefined();
      expect(asValidFinding({ sign, value: 0 })).toBeUndefined();
    }
    for (const x of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'adc ', '', 7]) {
      expect(isSign(x)).toBe(false);
      expect(asValidFinding({ sign: x, value: 'benign' })).toBeUndefined();
    }
  });
});
