/**
 * 95% intervals shared by the statistics: the normal quantile, the interval type, and the Wald
 * interval of an estimate with its standard error, which says why it is absent when SE is 0.
 * Pure: no I/O.
 */

/**
 * The 0.975 quantile of the standard normal distribution: the z of a two-sided 95% interval.
 * A statistical constant, not a clinical number.
 */
export const Z_95 = 1.959963984540054;

/** A closed interval [lower, upper]. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/**
 * Why an estimate carries no 95% interval:
 * - 'boundary': it sits on the edge of its range (kappa 1 or -1, AUC 1 or 0) and its Wald standard
 *   error is 0, so estimate +/- 1.96 SE would be a zero-width interval claiming certainty that a
 *   finite sample cannot give; none is printed rather than a false "1.000 to 1.000";
 * - 'zero-variance': the standard error is 0 off the boundary (every score tied);
 * - 'too-few-cases': fewer than 2 cases in a class (DeLong's variance needs 2).
 */
export type NoInterval = 'boundary' | 'zero-variance' | 'too-few-cases';

/**
 * Below this a standard error is float noise around 0 (sums of x/n that should cancel): an SE of
 * 1e-9 would take some 1e17 cases. A numerical tolerance, not a clinical number.
 */
const ZERO_SE = 1e-9;

/** A Wald interval estimate +/- z SE clipped to [min, max], or why there is none (SE 0). */
export function waldInterval(
  estimate: number,
  se: number,
  range: Interval,
): { readonly ci: Interval } | { readonly noInterval: NoInterval } {
  if (se < ZERO_SE) {
    const onEdge = estimate === range.lower || estimate === range.upper;
    return { noInterval: onEdge ? 'boundary' : 'zero-variance' };
  }
  return {
    ci: {
      lower: Math.max(range.lower, estimate - Z_95 * se),
      upper: Math.min(range.upper, estimate + Z_95 * se),
    },
  };
}

/**
 * A 95% interval for a probability-scale estimate p in (0, 1) with standard error se, built on
 * the logit scale and transformed back: logit(p) +/- z se / (p (1 - p)) (delta method). It stays
 * inside (0, 1) and is asymmetric near the edge, where a Wald interval clipped at 1 is too narrow
 * (Qin G, Hotilovac L, Stat Methods Med Res 2008;17:207-221, for the AUC). SE 0: see NoInterval.
 */
export function logitInterval(
  estimate: number,
  se: number,
): { readonly ci: Interval } | { readonly noInterval: NoInterval } {
  if (se < ZERO_SE || estimate <= 0 || estimate >= 1) {
    return waldInterval(estimate, 0, { lower: 0, upper: 1 });
  }
  const centre = Math.log(estimate / (1 - estimate));
  const half = (Z_95 * se) / (estimate * (1 - estimate));
  const expit = (x: number) => 1 / (1 + Math.exp(-x));
  return { ci: { lower: expit(centre - half), upper: expit(centre + half) } };
}
