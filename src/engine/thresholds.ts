/**
 * Whether a probability reaches a category threshold, on the log-odds scale the evidence is summed
 * on (docs/clinical-logic.md section 3: >= 0.90, <= 0.10, inclusive). The engine decides with it, and every
 * display asks it too, so a shown figure never disagrees with the category.
 */

/**
 * Slack when comparing log-odds with a threshold's log-odds: a numerical tolerance, not a clinical
 * number. Exact arithmetic that lands on a threshold (e.g. a pre-test of 0.90 and no findings, or
 * LRs whose product is exactly 1) must count as reaching it, whatever the rounding of the last bit;
 * 1e-9 in log-odds is about 1e-10 in probability near 0.9, far below anything shown or meant.
 */
export const THRESHOLD_TOLERANCE_LOG_ODDS = 1e-9;

export const logit = (p: number): number => Math.log(p / (1 - p));

/** log-odds at or above the threshold's (malignant side), within the tolerance. */
export function logOddsAtOrAbove(logOdds: number, threshold: number): boolean {
  return logOdds >= logit(threshold) - THRESHOLD_TOLERANCE_LOG_ODDS;
}

/** log-odds at or below the threshold's (benign side), within the tolerance. */
export function logOddsAtOrBelow(logOdds: number, threshold: number): boolean {
  return logOdds <= logit(threshold) + THRESHOLD_TOLERANCE_LOG_ODDS;
}

/** Whether P(malignant) `p` reaches the malignant threshold (>=). */
export function reachesMalignant(p: number, threshold: number): boolean {
  return logOddsAtOrAbove(logit(p), threshold);
}

/** Whether P(malignant) `p` reaches the benign threshold (<=). */
export function reachesBenign(p: number, threshold: number): boolean {
  return logOddsAtOrBelow(logit(p), threshold);
}
