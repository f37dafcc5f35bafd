/** Wording of proportions, intervals and coefficients, shared by the text and HTML reports. */
import type { Interval, Proportion } from '../validation/index.js';

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
