/**
 * Proportions with a 95% Wilson score interval (Wilson EB, J Am Stat Assoc 1927;22:209-212;
 * recommended over the Wald interval for small n and for p near 0 or 1 by Newcombe RG, Stat Med
 * 1998;17:857-872, method 3). Pure: no I/O.
 */
import { Z_95, type Interval } from './interval.js';

/** numerator / denominator with its 95% Wilson interval; estimate and ci are absent when n = 0. */
export interface Proportion {
  readonly numerator: number;
  readonly denominator: number;
  readonly estimate?: number;
  readonly ci?: Interval;
}

/**
 * Wilson score interval for x successes in n trials:
 * (p + z^2/2n +/- z * sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = x/n.
 * Returns undefined when n = 0 (no information).
 */
export function wilsonInterval(x: number, n: number, z: number = Z_95): Interval | undefined {
  if (!Number.isInteger(x) || !Number.isInteger(n) || n < 0 || x < 0 || x > n) {
    throw new RangeError(`wilsonInterval: need integers 0 <= x <= n, got x=${x}, n=${n}`);
  }
  if (n === 0) return undefined;
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  // Clamp the float noise at the ends (x = 0 gives a lower bound of exactly 0 on paper).
  return {
    lower: Math.max(0, (centre - half) / denominator),
    upper: Math.min(1, (centre + half) / denominator),
  };
}

/** x / n with its 95% Wilson interval. */
export function proportion(x: number, n: number): Proportion {
  const ci = wilsonInterval(x, n);
  return ci === undefined
    ? { numerator: x, denominator: n }
    : { numerator: x, denominator: n, estimate: x / n, ci };
}
