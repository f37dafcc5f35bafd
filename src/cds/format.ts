/** Wording shared by the summary, the detail and the RiskAssessment. */
import type { Category } from '../engine/index.js';
import { DISPLAYED_PROBABILITY_BOUNDS } from '../knowledge/index.js';

const CATEGORY_LABEL: Readonly<Record<Category, string>> = {
  'benign-favoured': 'benign-favoured',
  'malignant-favoured': 'malignant-favoured',
  indeterminate: 'indeterminate',
};

export function categoryLabel(c: Category): string {
  return CATEGORY_LABEL[c];
}

/**
 * A probability as a whole percent kept between 1% and 99% (CLINICAL-SPEC section 4): a model
 * built on 150 patients cannot support "0%" or "100%", so the bounds read "<1%" and ">99%".
 */
export function formatProbability(p: number): string {
  const { min, max } = DISPLAYED_PROBABILITY_BOUNDS;
  if (p < min) return `<${Math.round(min * 100)}%`;
  if (p > max) return `>${Math.round(max * 100)}%`;
  return `${Math.round(p * 100)}%`;
}

/** "T12" stays "T12"; the level without a bodySite reads as such. */
export function levelLabel(level: string): string {
  return level === 'unspecified' ? 'Unspecified level' : level;
}
