/** Hand-checked values for the pure statistics of src/validation. */
import { describe, expect, it } from 'vitest';
import {
  Z_95,
  binIndex,
  calibration,
  cohenKappa,
  midRanks,
  proportion,
  roc,
  wilsonInterval,
} from '../../src/validation/index.js';

describe('Wilson score interval', () => {
  // Newcombe RG, Stat Med 1998;17:857-872, Table I, method 3 (score interval without
  // continuity correction), to the four decimals printed there.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i -> [%d, %d]', (x, n, lower, upper) => {
    const ci = wilsonInterval(x, n)!;
    expect(ci.lower).toBeCloseTo(lower, 4);
    expect(ci.upper).toBeCloseTo(upper, 4);
  });

  it('0/10 has upper bound z^2 / (n + z^2) = 0.2775 by hand', () => {
    expect(wilsonInterval(0, 10)!.upper).toBeCloseTo((Z_95 * Z_95) / (10 + Z_95 * Z_95), 12);
    expect(wilsonInterval(0, 10)!.upper).toBeCloseTo(0.2775, 4);
  });

  it('n = 0 gives no estimate and no interval; bad counts throw', () => {
    expect(proportion(0, 0)).toEqual({ numerator: 0, denominator: 0 });
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe("Cohen's kappa", () => {
  it('perfect agreement: kappa 1, SE 0', () => {
    const k = cohenKappa([
      [10, 0],
      [0, 5],
    ])!;
    expect(k.kappa).toBe(1);
    expect(k.se).toBeCloseTo(0, 10);
  });
  it('on the boundary (kappa 1 or -1, SE 0): no zero-width interval, the reason instead', () => {
    const perfect = cohenKappa([
      [10, 0],
      [0, 5],
    ])!;
    expect(perfect.ci).toBeUndefined();
    expect(perfect.noInterval).toBe('boundary');
    const reversed = cohenKappa([
      [0, 5],
      [5, 0],
    ])!;
    expect(reversed.kappa).toBe(-1);
    expect(reversed).toMatchObject({ noInterval: 'boundary' });
    expect(reversed.ci).toBeUndefined();
    // Off the boundary the Wald interval stays: 9 of 10 agree.
    const k = cohenKappa([
      [5, 1],
      [0, 4],
    ])!;
    expect(k.noInterval).toBeUndefined();
    expect(k.ci!.upper - k.ci!.lower).toBeGreaterThan(0.1);
  });
  it('chance agreement only: kappa 0', () => {
    expect(
      cohenKappa([
        [25, 25],
        [25, 25],
      ])!.kappa,
    ).toBeCloseTo(0, 12);
  });
  it('one class only: undefined (p_e = 1)', () => {
    expect(
      cohenKappa([
        [4, 0],
        [0, 0],
      ]),
    ).toBeUndefined();
  });
});

describe('ROC AUC with DeLong CI', () => {
  // Events (malignant) 0.9, 0.7, 0.5; non-events 0.5, 0.3 (a tie at 0.5).
  // Pairs: 0.9>0.5, 0.9>0.3, 0.7>0.5, 0.7>0.3, 0.5=0.5 (1/2), 0.5>0.3 -> AUC = 5.5/6 = 0.916667.
  // V10 = [1, 1, 0.75], V01 = [2.5/3, 1]; s^2(V10) = 0.0416667/2 = 0.0208333,
  // s^2(V01) = 0.0138889/1; Var = 0.0208333/3 + 0.0138889/2 = 0.0138889, SE = 0.117851;
  // Logit scale: logit(AUC) = ln 11 = 2.397895, SE 0.117851 / (0.916667 * 0.083333) = 1.542778;
  // 2.397895 -/+ 1.959964 * 1.542778 = [-0.625891, 5.421682] -> expit [0.348442, 0.995600]
  // (a Wald interval would be [0.685684, 1.147650], clipped at 1: too narrow at the edge).
  const cases = [
    { score: 0.9, event: true },
    { score: 0.7, event: true },
    { score: 0.5, event: true },
    { score: 0.5, event: false },
    { score: 0.3, event: false },
  ];
  it('AUC, SE and CI by hand', () => {
    const r = roc(cases);
    expect(r.auc).toBeCloseTo(5.5 / 6, 12);
    expect(r.se).toBeCloseTo(Math.sqrt(0.0138888889), 8);
    expect(r.ci!.lower).toBeCloseTo(0.348442, 5);
    expect(r.ci!.upper).toBeCloseTo(0.9956, 5);
  });
  it('agrees with the brute-force Mann-Whitney count on a random sample with ties', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const sample = Array.from({ length: 60 }, () => ({
      score: Math.round(rand() * 10) / 10,
      event: rand() < 0.4,
    }));
    const x = sample.filter((c) => c.event).map((c) => c.score);
    const y = sample.filter((c) => !c.event).map((c) => c.score);
    let wins = 0;
    for (const a of x) for (const b of y) wins += a > b ? 1 : a === b ? 0.5 : 0;
    expect(roc(sample).auc).toBeCloseTo(wins / (x.length * y.length), 12);
  });
  it('curve runs from (0,0) to (1,1); ties give one diagonal step', () => {
    const points = roc(cases).points;
    expect(points[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(points.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    expect(points.find((p) => p.threshold === 0.5)).toMatchObject({ fpr: 0.5, tpr: 1 });
  });
  it('complete separation (AUC 1, DeLong SE 0): no interval, reason boundary', () => {
    const r = roc([
      { score: 0.9, event: true },
      { score: 0.8, event: true },
      { score: 0.2, event: false },
      { score: 0.1, event: false },
    ]);
    expect(r.auc).toBe(1);
    expect(r.se).toBe(0);
    expect(r.ci).toBeUndefined();
    expect(r.noInterval).toBe('boundary');
    const reversed = roc([
      { score: 0.1, event: true },
      { score: 0.2, event: true },
      { score: 0.8, event: false },
      { score: 0.9, event: false },
    ]);
    expect(reversed).toMatchObject({ auc: 0, noInterval: 'boundary' });
  });
  it('near the edge the logit-scale interval stays inside (0, 1) and is not squeezed to zero width', () => {
    // 3000 events score 0.9, one 0.1; 3000 non-events score 0.1: AUC = (3000*3000 + 0.5*3000) /
    // (3001*3000) = 0.99983; the clipped Wald interval would print "1.000 to 1.000".
    const cases = [
      ...Array.from({ length: 3000 }, () => ({ score: 0.9, event: true })),
      { score: 0.1, event: true },
      ...Array.from({ length: 3000 }, () => ({ score: 0.1, event: false })),
    ];
    const r = roc(cases);
    expect(r.auc).toBeCloseTo(9001500 / 9003000, 12);
    const wald = { lower: r.auc! - Z_95 * r.se!, upper: Math.min(1, r.auc! + Z_95 * r.se!) };
    expect(wald.lower.toFixed(3)).toBe('1.000');
    expect(r.ci!.upper).toBeLessThan(1);
    expect(r.ci!.lower).toBeLessThan(wald.lower);
    expect(r.ci!.lower.toFixed(3)).not.toBe('1.000');
  });
  it('SE 0 off the boundary (every score tied) and too few cases say so', () => {
    const tied = roc([0, 1, 2, 3].map((i) => ({ score: 0.5, event: i < 2 })));
    expect(tied).toMatchObject({ auc: 0.5, se: 0, noInterval: 'zero-variance' });
    expect(tied.ci).toBeUndefined();
    const few = roc([
      { score: 0.9, event: true },
      { score: 0.2, event: false },
      { score: 0.3, event: false },
    ]);
    expect(few).toMatchObject({ auc: 1, noInterval: 'too-few-cases' });
  });
  it('one class only: no AUC', () => {
    expect(roc([{ score: 0.2, event: true }]).auc).toBeUndefined();
  });
  it('mid-ranks share tied ranks', () => {
    expect(midRanks([0.3, 0.5, 0.5, 0.9])).toEqual([1, 2.5, 2.5, 4]);
  });
});

describe('calibration bins', () => {
  it('tenths, the last bin closed at 1', () => {
    expect(binIndex(0)).toBe(0);
    expect(binIndex(0.0999)).toBe(0);
    expect(binIndex(0.1)).toBe(1);
    expect(binIndex(0.95)).toBe(9);
    expect(binIndex(1)).toBe(9);
    expect(() => binIndex(1.2)).toThrow(RangeError);
  });
  it('counts, mean predicted, observed proportion, Brier score', () => {
    const c = calibration([
      { probability: 0.02, event: false },
      { probability: 0.04, event: true },
      { probability: 0.55, event: true },
      { probability: 0.97, event: true },
      { probability: 0.99, event: true },
    ]);
    expect(c.bins).toHaveLength(10);
    expect(c.bins[0]).toMatchObject({ n: 2, observed: { numerator: 1, denominator: 2 } });
    expect(c.bins[0]!.meanPredicted).toBeCloseTo(0.03, 12);
    expect(c.bins[5]).toMatchObject({ n: 1, observed: { numerator: 1 } });
    expect(c.bins[9]!.n).toBe(2);
    expect(c.bins[3]).toMatchObject({ n: 0, observed: { denominator: 0 } });
    expect(c.bins[3]!.meanPredicted).toBeUndefined();
    // Brier: (0.02^2 + 0.96^2 + 0.45^2 + 0.03^2 + 0.01^2) / 5
    //   = (0.0004 + 0.9216 + 0.2025 + 0.0009 + 0.0001) / 5 = 1.1255 / 5.
    expect(c.brier).toBeCloseTo(1.1255 / 5, 12);
    expect(c.observedRate).toBe(0.8);
  });
});
