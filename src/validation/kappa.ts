/**
 * Cohen's kappa (Cohen J, Educ Psychol Meas 1960;20:37-46) between a reading and the reference
 * standard, with the large-sample standard error of Fleiss JL, Cohen J, Everitt BS, Psychol Bull
 * 1969;72:323-327 (the non-null variance, the one for a confidence interval) and a Wald 95%
 * interval; at kappa = 1 (or -1) that SE is 0 and no interval is given (NoInterval 'boundary'). Not to be confused with the paper's kappa column, which is inter-observer agreement.
 */
import type { TwoByTwo } from './confusion.js';
import { waldInterval, type Interval, type NoInterval } from './interval.js';

const KAPPA_RANGE: Interval = { lower: -1, upper: 1 };

export interface Kappa {
  readonly kappa: number;
  /** Observed agreement p_o. */
  readonly observed: number;
  /** Agreement expected by chance from the margins, p_e. */
  readonly expected: number;
  /** Fleiss-Cohen-Everitt (1969) asymptotic standard error; absent when it is not defined. */
  readonly se?: number;
  /** kappa +/- 1.96 SE, clipped to [-1, 1]; absent when SE is 0 (see noInterval). */
  readonly ci?: Interval;
  /** Why there is no interval although SE is defined (perfect agreement: 'boundary'). */
  readonly noInterval?: NoInterval;
}

/**
 * Kappa for a square agreement table `table[i][j]` (reading category i, reference category j).
 * Undefined (returns undefined) when the table is empty or chance agreement is 1 (one class only).
 *
 * kappa = (p_o - p_e) / (1 - p_e), p_o = sum p_ii, p_e = sum p_i. p_.i;
 * Var = [ sum_i p_ii (1 - (p_i. + p_.i)(1 - kappa))^2
 *         + (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
 *         - (kappa - p_e (1 - kappa))^2 ] / (n (1 - p_e)^2).
 */
export function cohenKappa(table: readonly (readonly number[])[]): Kappa | undefined {
  const k = table.length;
  if (k === 0 || table.some((row) => row.length !== k)) {
    throw new RangeError('cohenKappa: the table must be square');
  }
  const n = table.flat().reduce((s, x) => s + x, 0);
  if (n === 0) return undefined;
  const p = table.map((row) => row.map((x) => x / n));
  const rowSum = p.map((row) => row.reduce((s, x) => s + x, 0));
  const colSum = p[0]!.map((_, j) => p.reduce((s, row) => s + row[j]!, 0));
  const observed = p.reduce((s, row, i) => s + row[i]!, 0);
  const expected = rowSum.reduce((s, r, i) => s + r * colSum[i]!, 0);
  if (expected >= 1) return undefined;
  const kappa = (observed - expected) / (1 - expected);

  let a = 0;
  let b = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const pij = p[i]![j]!;
      if (i === j) a += pij * (1 - (rowSum[i]! + colSum[i]!) * (1 - kappa)) ** 2;
      else b += pij * (colSum[i]! + rowSum[j]!) ** 2;
    }
  }
  const c = (kappa - expected * (1 - kappa)) ** 2;
  const variance = (a + (1 - kappa) ** 2 * b - c) / (n * (1 - expected) ** 2);
  // Float noise can leave a perfect table a hair below zero.
  if (!(variance >= -1e-12)) return { kappa, observed, expected };
  const se = Math.sqrt(Math.max(0, variance));
  return { kappa, observed, expected, se, ...waldInterval(kappa, se, KAPPA_RANGE) };
}

/** Kappa of a 2x2 table (reading in rows, reference in columns). */
export function kappaOfTwoByTwo(t: TwoByTwo): Kappa | undefined {
  return cohenKappa([
    [t.tp, t.fp],
    [t.fn, t.tn],
  ]);
}
