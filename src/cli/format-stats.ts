/** Wording of proportions, intervals and coefficients, shared by the text and HTML reports. */
import type { Interval, NoInterval, Proportion } from '../validation/index.js';

/** 0.8947 -> "89.5%". */
export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** "[80.6%, 94.6%]" */
export function percentInterval(ci: Interval): string {
  return `${percent(ci.lower)} to ${percent(ci.upper)}`;
}

/** "89.5% (68/76; 95% CI 80.6% to 94.6%)", or "n/a (0/0)". */
export function proportionText(p: Proportion): string {
  if (p.estimate === undefined || p.ci === undefined)
    return `n/a (${p.numerator}/${p.denominator})`;
  return `${percent(p.estimate)} (${p.numerator}/${p.denominator}; 95% CI ${percentInterval(p.ci)})`;
}

/** "0.853 (95% CI 0.770 to 0.937)", or "n/a". */
export function coefficientText(value: number | undefined, ci?: Interval, digits = 3): string {
  if (value === undefined) return 'n/a';
  const v = value.toFixed(digits);
  return ci === undefined
    ? v
    : `${v} (95% CI ${ci.lower.toFixed(digits)} to ${ci.upper.toFixed(digits)})`;
}

const NO_INTERVAL_TEXT: Readonly<Record<NoInterval, string>> = {
  boundary: 'CI not estimable (boundary)',
  'zero-variance': 'CI not estimable (standard error 0)',
  'too-few-cases': 'CI not estimable (fewer than 2 cases in a class)',
};

/**
 * A kappa or AUC with its interval: "0.853 (95% CI 0.770 to 0.937)", "1.000; CI not estimable
 * (boundary)" when its standard error is 0, or "n/a".
 */
export function estimateText(
  value: number | undefined,
  ci: Interval | undefined,
  noInterval: NoInterval | undefined,
): string {
  if (value === undefined || ci !== undefined || noInterval === undefined) {
    return coefficientText(value, ci);
  }
  return `${value.toFixed(3)}; ${NO_INTERVAL_TEXT[noInterval]}`;
}
