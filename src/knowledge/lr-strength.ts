/**
 * How much a likelihood ratio moves the probability, in words, for the card's "Points to" column:
 * an LR of 0.86 and one of 0.05 must not read the same. The bands are the Users' Guides' (external
 * to the primary paper): LR > 10 or < 0.1 large, 5-10 or 0.1-0.2 moderate, 2-5 or 0.2-0.5 small,
 * 0.5-2 marginal ("rarely important").
 */

export type LrStrength = 'large' | 'moderate' | 'small' | 'marginal';

/** Upper LR bound of each band towards malignancy; the benign side uses the reciprocals. */
export const LR_STRENGTH_BANDS: readonly {
  readonly strength: LrStrength;
  readonly above: number;
}[] = Object.freeze([
  { strength: 'large', above: 10 },
  { strength: 'moderate', above: 5 },
  { strength: 'small', above: 2 },
  { strength: 'marginal', above: 1 },
]);

/** The band of an LR (LR 1 is no evidence and has none). */
export function lrStrength(lr: number): LrStrength | undefined {
  if (!(lr > 0) || lr === 1) return undefined;
  const towards = lr > 1 ? lr : 1 / lr;
  return LR_STRENGTH_BANDS.find((b) => towards > b.above)?.strength ?? 'marginal';
}
