/** Wording shared by the summary, the detail and the RiskAssessment. */
import {
  reachesBenign,
  reachesMalignant,
  type Category,
  type EngineSettings,
} from '../engine/index.js';
import { DISPLAYED_PROBABILITY_BOUNDS } from '../knowledge/index.js';

const CATEGORY_LABEL: Readonly<Record<Category, string>> = {
  'benign-favoured': 'benign-favoured',
  'malignant-favoured': 'malignant-favoured',
  indeterminate: 'indeterminate',
};

export function categoryLabel(c: Category): string {
  return CATEGORY_LABEL[c];
}

/** The cut-points a displayed number must not appear to cross (the engine settings in force). */
export interface Thresholds {
  readonly malignant: number;
  readonly benign: number;
  readonly adcCutoff: number;
}

export function thresholdsOf(settings: EngineSettings): Thresholds {
  return {
    malignant: settings.malignantThreshold,
    benign: settings.benignThreshold,
    adcCutoff: settings.adc.cutoff,
  };
}

const percent = (x: number) => Math.round(x * 100);

/**
 * A probability as a whole percent kept between 1% and 99% (docs/clinical-logic.md section 4): a model
 * built on 150 patients cannot support "0%" or "100%", so the bounds read "<1%" and ">99%".
 * Rounding never crosses a category threshold: near one, a tenth of a percent is shown, rounded
 * away from it (0.8988 with the threshold at 0.90 reads "89.8%", not "90%" on an indeterminate
 * card; 0.1002 reads "10.1%").
 */
export function formatProbability(
  p: number,
  thresholds?: Pick<Thresholds, 'malignant' | 'benign'>,
): string {
  const { min, max } = DISPLAYED_PROBABILITY_BOUNDS;
  if (p < min) return `<${percent(min)}%`;
  if (p > max) return `>${percent(max)}%`;
  const shown = percent(p);
  if (thresholds !== undefined) {
    const { malignant, benign } = thresholds;
    // "Reaches" as the engine decides it (log-odds, with its tolerance): 0.8999999999999999 from a
    // pre-test of exactly 0.90 reaches 0.90 and reads "90%".
    if (!reachesMalignant(p, malignant) && shown >= percent(malignant))
      return `${(Math.floor(p * 1000) / 10).toFixed(1)}%`;
    if (!reachesBenign(p, benign) && shown <= percent(benign))
      return `${(Math.ceil(p * 1000) / 10).toFixed(1)}%`;
  }
  return `${shown}%`;
}

/**
 * An ADC in 10^-3 mm2/s: two decimals, three when that would round onto the cut-off (0.886 must
 * not read "0.89, below the cut-off 0.89"), two significant digits for values under 0.1.
 */
export function formatAdc(value: number, cutoff: number): string {
  if (value < 0.1) return value.toPrecision(2);
  const two = value.toFixed(2);
  return value !== cutoff && Number(two) === cutoff ? value.toFixed(3) : two;
}

/** "T12" stays "T12"; the level without a bodySite reads as such. */
export function levelLabel(level: string): string {
  return level === 'unspecified' ? 'Unspecified level' : level;
}
