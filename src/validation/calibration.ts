/**
 * Calibration of P(malignant) against the observed proportion malignant: ten fixed-width bins
 * [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0], with counts and a Wilson interval for each observed
 * proportion, plus the Brier score and calibration-in-the-large. Pure: no I/O.
 *
 * Why fixed tenths rather than equal-count (quantile) bins: a naive Bayes product of up to 13
 * likelihood ratios pushes most probabilities towards 0 or 1, so quantile bins would mostly
 * split the extremes and hide the sparse middle; fixed tenths keep every bin's meaning stable
 * across sites and put the service's default category thresholds (0.10 and 0.90, knowledge
 * base) on bin edges, so the first and last bins read as the definitive ranges.
 */
import { proportion, type Proportion } from './wilson.js';

/** The number of equal-width bins on [0, 1]. */
export const CALIBRATION_BIN_COUNT = 10;

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  /** True for the last bin, which includes its upper edge (1). */
  readonly closedAbove: boolean;
  readonly n: number;
  /** Mean predicted probability in the bin (absent when empty). */
  readonly meanPredicted?: number;
  /** Observed events (malignant by the reference) / n, with a 95% Wilson interval. */
  readonly observed: Proportion;
}

export interface Calibration {
  readonly bins: readonly CalibrationBin[];
  readonly n: number;
  /** Mean of (p - outcome)^2 (Brier GW, Mon Weather Rev 1950;78:1-3); absent when n = 0. */
  readonly brier?: number;
  /** Mean predicted probability vs observed event rate (calibration-in-the-large). */
  readonly meanPredicted?: number;
  readonly observedRate?: number;
}

/** The bin index of a probability: floor(10 p), with p = 1 in the last bin. */
export function binIndex(p: number, bins: number = CALIBRATION_BIN_COUNT): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`calibration: probability ${p} outside [0, 1]`);
  return Math.min(bins - 1, Math.floor(p * bins));
}

export function calibration(
  cases: readonly { readonly probability: number; readonly event: boolean }[],
  bins: number = CALIBRATION_BIN_COUNT,
): Calibration {
  const n = Array.from({ length: bins }, () => 0);
  const events = Array.from({ length: bins }, () => 0);
  const sumP = Array.from({ length: bins }, () => 0);
  let brier = 0;
  let totalP = 0;
  let totalEvents = 0;
  for (const c of cases) {
    const i = binIndex(c.probability, bins);
    n[i]!++;
    sumP[i]! += c.probability;
    const y = c.event ? 1 : 0;
    events[i]! += y;
    brier += (c.probability - y) ** 2;
    totalP += c.probability;
    totalEvents += y;
  }
  const result = n.map((count, i): CalibrationBin => ({
    lower: i / bins,
    upper: (i + 1) / bins,
    closedAbove: i === bins - 1,
    n: count,
    ...(count > 0 ? { meanPredicted: sumP[i]! / count } : {}),
    observed: proportion(events[i]!, count),
  }));
  const total = cases.length;
  return total === 0
    ? { bins: result, n: 0 }
    : {
        bins: result,
        n: total,
        brier: brier / total,
        meanPredicted: totalP / total,
        observedRate: totalEvents / total,
      };
}
