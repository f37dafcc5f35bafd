/**
 * ROC curve and area under it, with DeLong's variance (DeLong ER, DeLong DM, Clarke-Pearson DL,
 * Biometrics 1988;44:837-845) computed from mid-ranks (Sun X, Xu W, IEEE Signal Process Lett
 * 2014;21:1389-1393) and a 95% interval on the logit scale (interval.ts logitInterval): a
 * symmetric Wald interval clipped at 1, pROC's default, is too narrow near the edge, where a good
 * classifier's AUC lives (0.99996 with SE 6e-5 printed "1.000 to 1.000"). When the DeLong SE is
 * 0 (AUC 1 or 0: complete separation) no interval is given (NoInterval 'boundary'): logit(1) is
 * infinite, so no transformation helps there. Ties count 1/2 (the Mann-Whitney statistic).
 * Pure: no I/O.
 */
import { logitInterval, type Interval, type NoInterval } from './interval.js';

/** One case: its score (higher = more likely the event) and whether it has the event. */
export interface ScoredCase {
  readonly score: number;
  readonly event: boolean;
}

export interface RocPoint {
  /** Cases with score >= threshold are called the event. */
  readonly threshold: number;
  readonly fpr: number;
  readonly tpr: number;
}

export interface Roc {
  readonly nEvents: number;
  readonly nNonEvents: number;
  /** P(score of a random event case > score of a random non-event case) + 1/2 P(tie). */
  readonly auc?: number;
  /** DeLong standard error; absent with fewer than 2 cases in either group. */
  readonly se?: number;
  readonly ci?: Interval;
  /** Why there is no interval while there is an AUC (AUC 1 or 0 with SE 0: 'boundary'). */
  readonly noInterval?: NoInterval;
  /** From (0,0) to (1,1), one point per distinct score; ties make a diagonal step. */
  readonly points: readonly RocPoint[];
}

/** 1-based mid-ranks of `values` (ties share the mean of their ranks), in input order. */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank;
    start = end + 1;
  }
  return ranks;
}

function sampleVariance(xs: readonly number[], mean: number): number {
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
}

/** The empirical ROC curve's vertices, highest threshold first. */
export function rocPoints(cases: readonly ScoredCase[]): RocPoint[] {
  const m = cases.filter((c) => c.event).length;
  const n = cases.length - m;
  const sorted = [...cases].sort((a, b) => b.score - a.score);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length;) {
    const threshold = sorted[i]!.score;
    while (i < sorted.length && sorted[i]!.score === threshold) {
      if (sorted[i]!.event) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold, fpr: n === 0 ? 0 : fp / n, tpr: m === 0 ? 0 : tp / m });
  }
  return points;
}

/**
 * AUC with DeLong's standard error. With X the event scores (m) and Y the non-event scores (n),
 * the structural components are V10_i = (R(X_i) - R_X(X_i)) / n and
 * V01_j = 1 - (R(Y_j) - R_Y(Y_j)) / m (R: mid-rank among all, R_X / R_Y: among its own group);
 * AUC = mean(V10), Var = s^2(V10)/m + s^2(V01)/n.
 */
export function roc(cases: readonly ScoredCase[]): Roc {
  for (const c of cases) {
    if (!Number.isFinite(c.score)) throw new RangeError(`roc: score ${c.score} is not finite`);
  }
  const x = cases.filter((c) => c.event).map((c) => c.score);
  const y = cases.filter((c) => !c.event).map((c) => c.score);
  const m = x.length;
  const n = y.length;
  const points = rocPoints(cases);
  if (m === 0 || n === 0) return { nEvents: m, nNonEvents: n, points };

  const all = midRanks([...x, ...y]);
  const rx = midRanks(x);
  const ry = midRanks(y);
  const v10 = x.map((_, i) => (all[i]! - rx[i]!) / n);
  const v01 = y.map((_, j) => 1 - (all[m + j]! - ry[j]!) / m);
  const auc = v10.reduce((s, v) => s + v, 0) / m;
  if (m < 2 || n < 2) {
    return { nEvents: m, nNonEvents: n, auc, noInterval: 'too-few-cases', points };
  }

  const se = Math.sqrt(sampleVariance(v10, auc) / m + sampleVariance(v01, auc) / n);
  return { nEvents: m, nNonEvents: n, auc, se, ...logitInterval(auc, se), points };
}
