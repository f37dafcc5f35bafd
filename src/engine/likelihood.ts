/**
 * Likelihood ratios for malignancy, derived from the paper's counts (CLINICAL-SPEC section 2):
 * LR = (malignant / 74) / (benign / 76). Nothing here is a number of its own: each LR is computed
 * from knowledge/sign-counts.ts once, at module load.
 */
import { COHORT, SIGN_TABLES, type AdcRule, type SignTable } from '../knowledge/index.js';
import type { Sign } from './finding.js';

/** Where an LR comes from: the table and row of the paper, or the external ADC rule. */
export interface EvidenceSource {
  readonly sourceId: string;
  /** e.g. "Table 4, row 'Nodular enhancement' (70/74 malignant vs 5/76 benign)". */
  readonly where: string;
  readonly counts?: { readonly benign: number; readonly malignant: number };
}

export interface RowLikelihood {
  readonly lr: number;
  readonly source: EvidenceSource;
}

/** LR of one row of counts. */
export function likelihoodRatio(counts: { benign: number; malignant: number }): number {
  return counts.malignant / COHORT.malignant / (counts.benign / COHORT.benign);
}

function rowKey(sign: Sign, value: string | boolean): string {
  return `${sign}\u0000${String(value)}`;
}

function buildTable(tables: readonly SignTable[]): Map<string, RowLikelihood> {
  const map = new Map<string, RowLikelihood>();
  for (const t of tables) {
    for (const r of t.rows) {
      const derived = r.derived ? `; ${r.derived}` : '';
      map.set(rowKey(t.sign, r.value), {
        lr: likelihoodRatio(r),
        source: {
          sourceId: 'zhao2026',
          where: `${t.table}, row '${r.paperRow}' (malignant ${r.malignant}/${COHORT.malignant}, benign ${r.benign}/${COHORT.benign}${derived})`,
          counts: { benign: r.benign, malignant: r.malignant },
        },
      });
    }
  }
  return map;
}

const ROW_LIKELIHOODS = buildTable(SIGN_TABLES);

/** The LR of a sign value from the paper's tables, or undefined when the paper has no such row. */
export function rowLikelihood(sign: Sign, value: string | boolean): RowLikelihood | undefined {
  return ROW_LIKELIHOODS.get(rowKey(sign, value));
}

export type AdcBand = 'below-cutoff' | 'at-or-above-cutoff';

/** ADC below the cut-off counts for malignancy (CLINICAL-SPEC section 5). */
export function adcBand(adc: number, rule: AdcRule): AdcBand {
  return adc < rule.cutoff ? 'below-cutoff' : 'at-or-above-cutoff';
}

/**
 * LR of an ADC band from the rule's sensitivity and specificity for malignancy:
 * below: sens / (1 - spec); at or above: (1 - sens) / spec.
 */
export function adcLikelihood(band: AdcBand, rule: AdcRule): RowLikelihood {
  const lr =
    band === 'below-cutoff'
      ? rule.sensitivity / (1 - rule.specificity)
      : (1 - rule.sensitivity) / rule.specificity;
  return {
    lr,
    source: {
      sourceId: rule.source,
      where: `ADC ${band === 'below-cutoff' ? '<' : '>='} ${rule.cutoff} x10^-3 mm2/s (sensitivity ${rule.sensitivity}, specificity ${rule.specificity} for malignancy)`,
    },
  };
}
