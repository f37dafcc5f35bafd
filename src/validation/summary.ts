/**
 * Everything the validation report states about a cohort, from one row per assessed case
 * (the service's category and P(malignant) against the biopsy result). Pure: no I/O.
 *
 * How "indeterminate" counts (stated in the report):
 * - Main 2x2 table: ALL cases, indeterminate counted as a call for MALIGNANT. Every category but
 *   benign-favoured makes the card suggest a biopsy of the level (docs/clinical-logic.md section 4), so
 *   this table measures what the clinician is told to do, and no case is dropped (dropping the
 *   hard cases would flatter every metric).
 * - Second 2x2 table: definitive calls only (benign-favoured vs malignant-favoured), with the share
 *   of indeterminate results beside it, overall and per reference class.
 * ROC and calibration use P(malignant) of every case, whatever its category.
 */
import type { Category } from '../engine/index.js';
import { calibration, type Calibration } from './calibration.js';
import {
  diagnosticMetrics,
  twoByTwo,
  type DiagnosticMetrics,
  type Truth,
  type TwoByTwo,
} from './confusion.js';
import { kappaOfTwoByTwo, type Kappa } from './kappa.js';
import { roc, type Roc } from './roc.js';
import { proportion, type Proportion } from './wilson.js';

export const CATEGORIES: readonly Category[] = [
  'benign-favoured',
  'indeterminate',
  'malignant-favoured',
];

/** One assessed case: a patient's level with its biopsy result. */
export interface ValidationCase {
  readonly patientId: string;
  readonly level: string;
  readonly reference: Truth;
  readonly category: Category;
  /** The engine's unrounded P(malignant). */
  readonly probabilityMalignant: number;
}

export interface TableMetrics {
  readonly table: TwoByTwo;
  readonly metrics: DiagnosticMetrics;
  /** Agreement with the reference (not the paper's inter-observer kappa). */
  readonly kappa?: Kappa;
}

export interface ValidationSummary {
  readonly n: number;
  readonly positive: Truth;
  readonly references: { readonly benign: number; readonly malignant: number };
  /** The raw 3 x 2 table: category by reference. */
  readonly byCategory: Readonly<
    Record<Category, { readonly benign: number; readonly malignant: number }>
  >;
  readonly indeterminate: {
    readonly all: Proportion;
    readonly benign: Proportion;
    readonly malignant: Proportion;
  };
  /** All cases; indeterminate counted as malignant (the card suggests biopsy). */
  readonly indeterminateAsMalignant: TableMetrics;
  /** Definitive calls only; indeterminate cases left out (see `indeterminate`). */
  readonly definitiveOnly: TableMetrics;
  /** P(malignant) as the score, malignant by biopsy as the event (independent of `positive`). */
  readonly roc: Roc;
  readonly calibration: Calibration;
}

/** The call a category stands for under the "indeterminate counts as malignant" rule. */
export function callOf(category: Category): Truth {
  return category === 'benign-favoured' ? 'benign' : 'malignant';
}

function tableMetrics(pairs: { call: Truth; reference: Truth }[], positive: Truth): TableMetrics {
  const table = twoByTwo(pairs, positive);
  const kappa = kappaOfTwoByTwo(table);
  return { table, metrics: diagnosticMetrics(table), ...(kappa ? { kappa } : {}) };
}

export function summariseValidation(
  cases: readonly ValidationCase[],
  positive: Truth,
): ValidationSummary {
  const byCategory = {
    'benign-favoured': { benign: 0, malignant: 0 },
    indeterminate: { benign: 0, malignant: 0 },
    'malignant-favoured': { benign: 0, malignant: 0 },
  };
  for (const c of cases) byCategory[c.category][c.reference]++;
  const benign = cases.filter((c) => c.reference === 'benign').length;
  const malignant = cases.length - benign;
  const all = cases.map((c) => ({ call: callOf(c.category), reference: c.reference }));
  const definitive = cases
    .filter((c) => c.category !== 'indeterminate')
    .map((c) => ({ call: callOf(c.category), reference: c.reference }));
  const scored = cases.map((c) => ({
    score: c.probabilityMalignant,
    event: c.reference === 'malignant',
  }));
  return {
    n: cases.length,
    positive,
    references: { benign, malignant },
    byCategory,
    indeterminate: {
      all: proportion(
        byCategory.indeterminate.benign + byCategory.indeterminate.malignant,
        cases.length,
      ),
      benign: proportion(byCategory.indeterminate.benign, benign),
      malignant: proportion(byCategory.indeterminate.malignant, malignant),
    },
    indeterminateAsMalignant: tableMetrics(all, positive),
    definitiveOnly: tableMetrics(definitive, positive),
    roc: roc(scored),
    calibration: calibration(scored.map((s) => ({ probability: s.score, event: s.event }))),
  };
}
