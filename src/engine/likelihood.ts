/**
 * Likelihood ratios for malignancy, derived from the paper's counts (docs/clinical-logic.md section 2):
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

export interface RowLikelihoodWithLog extends RowLikelihood {
  /** Math.log(lr), worked out once: the engine sums logs. */
  readonly logLr: number;
}

/**
 * sign -> value -> row. Nested maps keyed by the finding's own value (a code or a boolean): no key
 * string is built per lookup, which the hot path pays for on every finding.
 */
function buildTable(
  tables: readonly SignTable[],
): Map<Sign, Map<string | boolean, RowLikelihoodWithLog>> {
  const map = new Map<Sign, Map<string | boolean, RowLikelihoodWithLog>>();
  for (const t of tables) {
    const rows = new Map<string | boolean, RowLikelihoodWithLog>();
    for (const r of t.rows) {
      // A complement row names the printed row it complements, with the subtraction shown.
      const row =
        r.derived === 'complement' ? `complement of row '${r.paperRow}'` : `row '${r.paperRow}'`;
      const counts =
        r.derived === 'complement'
          ? `malignant ${COHORT.malignant}-${COHORT.malignant - r.malignant}=${r.malignant}/${COHORT.malignant}, benign ${COHORT.benign}-${COHORT.benign - r.benign}=${r.benign}/${COHORT.benign}`
          : `${r.meaning ? `${r.meaning}; ` : ''}malignant ${r.malignant}/${COHORT.malignant}, benign ${r.benign}/${COHORT.benign}`;
      const lr = likelihoodRatio(r);
      rows.set(r.value, {
        lr,
        logLr: Math.log(lr),
        source: {
          sourceId: 'zhao2026',
          where: `${t.table}, ${row} (${counts})`,
          counts: { benign: r.benign, malignant: r.malignant },
        },
      });
    }
    map.set(t.sign, rows);
  }
  return map;
}

const ROW_LIKELIHOODS = buildTable(SIGN_TABLES);

/** The LR of a sign value from the paper's tables, or undefined when the paper has no such row. */
export function rowLikelihood(
  sign: Sign,
  value: string | boolean,
): RowLikelihoodWithLog | undefined {
  return ROW_LIKELIHOODS.get(sign)?.get(value);
}

export type AdcBand = 'below-cutoff' | 'at-or-above-cutoff';

/** ADC below the cut-off counts for malignancy (docs/clinical-logic.md section 5). */
export function adcBand(adc: number, rule: AdcRule): AdcBand {
  return adc < rule.cutoff ? 'below-cutoff' : 'at-or-above-cutoff';
}

/**
 * LR of an ADC band from the rule's sensitivity and specificity for malignancy:
 * below: sens / (1 - spec); at or above: (1 - sens) / spec.
 */
export function adcLikelihood(band: AdcBand, rule: AdcRule): RowLikelihoodWithLog {
  const lr =
    band === 'below-cutoff'
      ? rule.sensitivity / (1 - rule.specificity)
      : (1 - rule.sensitivity) / rule.specificity;
  return {
    lr,
    logLr: Math.log(lr),
    source: {
      sourceId: rule.source,
      where: `ADC ${band === 'below-cutoff' ? '<' : '>='} ${rule.cutoff} x10^-3 mm2/s (sensitivity ${rule.sensitivity}, specificity ${rule.specificity} for malignancy)`,
    },
  };
}

interface AdcRows {
  readonly cutoff: number;
  readonly sensitivity: number;
  readonly specificity: number;
  readonly source: string;
  readonly below: RowLikelihoodWithLog;
  readonly atOrAbove: RowLikelihoodWithLog;
}

/** Both bands of a rule, worked out once per rule object (settings are made once, at start). */
const ADC_ROWS = new WeakMap<AdcRule, AdcRows>();

/**
 * adcLikelihood, remembered per rule. The numbers the rows were built from are checked on each
 * call, so a rule object changed in place is never answered from stale rows.
 */
export function adcLikelihoodOf(band: AdcBand, rule: AdcRule): RowLikelihoodWithLog {
  let rows = ADC_ROWS.get(rule);
  if (
    rows === undefined ||
    rows.cutoff !== rule.cutoff ||
    rows.sensitivity !== rule.sensitivity ||
    rows.specificity !== rule.specificity ||
    rows.source !== rule.source
  ) {
    rows = {
      cutoff: rule.cutoff,
      sensitivity: rule.sensitivity,
      specificity: rule.specificity,
      source: rule.source,
      below: adcLikelihood('below-cutoff', rule),
      atOrAbove: adcLikelihood('at-or-above-cutoff', rule),
    };
    ADC_ROWS.set(rule, rows);
  }
  return band === 'below-cutoff' ? rows.below : rows.atOrAbove;
}
