/**
 * The primary paper's per-sign counts (Zhao et al. 2026, Tables 2-5), from which every
 * likelihood ratio is derived: LR = (malignant / 74) / (benign / 76) (docs/clinical-logic.md section 2).
 */
import type { Sign } from './signs.js';

/** The study cohort: 150 patients with a single VCF, biopsy-proven (paper, Methods "Patients"). */
export const COHORT = { benign: 76, malignant: 74 } as const;

export interface CountRow {
  /** The value as it appears in a Finding (a code, or true/false). */
  readonly value: string | boolean;
  /** The row's label in the paper (for a complement row: the printed row it complements). */
  readonly paperRow: string;
  /** What the row means, where the paper's label alone would mislead. */
  readonly meaning?: string;
  readonly benign: number;
  readonly malignant: number;
  /** Set when the row is the complement of the printed row `paperRow` (cohort - printed count). */
  readonly derived?: 'complement';
}

export interface SignTable {
  readonly sign: Sign;
  readonly table: 'Table 2' | 'Table 3' | 'Table 4' | 'Table 5';
  /** The paper's heading for this group of rows. */
  readonly paperSign: string;
  /** Pearson chi-square printed by the paper for this comparison, when it printed one. */
  readonly reportedChiSquare?: number;
  readonly rows: readonly CountRow[];
}

const complement = 'complement' as const;

export const SIGN_TABLES: readonly SignTable[] = [
  {
    sign: 'compression-degree',
    table: 'Table 2',
    paperSign: 'Compression degree',
    reportedChiSquare: 63.466,
    rows: [
      { value: 'degree-1', paperRow: 'Degree I (<1/3)', benign: 10, malignant: 57 },
      { value: 'degree-2', paperRow: 'Degree II (1/3-2/3)', benign: 41, malignant: 7 },
      { value: 'degree-3', paperRow: 'Degree III (>2/3)', benign: 25, malignant: 10 },
    ],
  },
  {
    sign: 'lesion-extent',
    table: 'Table 2',
    paperSign: 'Lesion range',
    reportedChiSquare: 26.275,
    rows: [
      { value: 'G1', paperRow: 'G1', benign: 26, malignant: 12 },
      { value: 'G2', paperRow: 'G2', benign: 25, malignant: 8 },
      { value: 'G3', paperRow: 'G3', benign: 12, malignant: 17 },
      { value: 'G4', paperRow: 'G4', benign: 13, malignant: 37 },
    ],
  },
  {
    sign: 'lesion-location',
    table: 'Table 3',
    paperSign: 'Location of lesions',
    reportedChiSquare: 8.176,
    rows: [
      {
        value: 'endplate-adjacent',
        paperRow: 'Adjacent to the endplates',
        benign: 74,
        malignant: 62,
      },
      {
        value: 'anterior-posterior-margin',
        paperRow: 'Anterior and posterior margins of the vertebral body',
        benign: 2,
        malignant: 12,
      },
    ],
  },
  {
    sign: 'vertebral-contour',
    table: 'Table 3',
    paperSign: 'Post-compression state of the vertebrae',
    reportedChiSquare: 4.74,
    rows: [
      { value: 'normal-or-depressed', paperRow: 'Normal or depressed', benign: 63, malignant: 50 },
      { value: 'outward-bulging', paperRow: 'Outward bulging', benign: 13, malignant: 24 },
    ],
  },
  {
    sign: 'paravertebral-soft-tissue',
    table: 'Table 3',
    paperSign: 'Soft tissues surrounding the vertebrae',
    reportedChiSquare: 30.093,
    rows: [
      { value: true, paperRow: 'Yes', benign: 7, malignant: 37 },
      { value: false, paperRow: 'No', benign: 69, malignant: 37 },
    ],
  },
  {
    sign: 'vertebral-vein',
    table: 'Table 3',
    paperSign: 'Vertebral vein morphology',
    reportedChiSquare: 10.382,
    rows: [
      { value: 'not-invaded', paperRow: 'Not invaded', benign: 60, malignant: 42 },
      { value: 'invaded', paperRow: 'Invaded', benign: 4, malignant: 15 },
      { value: 'not-visible', paperRow: 'Not clearly visible', benign: 12, malignant: 17 },
    ],
  },
  {
    sign: 'pedicle',
    table: 'Table 4',
    paperSign: 'Morphology of pedicles',
    reportedChiSquare: 83.705,
    rows: [
      {
        value: 'preserved',
        paperRow: 'Low signal on T1WI',
        meaning: 'the pedicle row without destruction, read as preserved',
        benign: 59,
        malignant: 3,
      },
      { value: 'destroyed', paperRow: 'Destruction', benign: 17, malignant: 71 },
    ],
  },
  {
    sign: 'enhancement-pattern',
    table: 'Table 4',
    paperSign: 'Changes after enhancement',
    reportedChiSquare: 116.18,
    rows: [
      { value: 'flocculent', paperRow: 'Flocculent enhancement', benign: 71, malignant: 4 },
      { value: 'nodular', paperRow: 'Nodular enhancement', benign: 5, malignant: 70 },
    ],
  },
  {
    sign: 'dwi-signal',
    table: 'Table 4',
    paperSign: 'Alterations in the signal of the compressed vertebrae (DWI)',
    reportedChiSquare: 87.13,
    rows: [
      { value: 'high', paperRow: 'High signal in DWI', benign: 70, malignant: 12 },
      { value: 'low', paperRow: 'Low signal in DWI', benign: 6, malignant: 62 },
    ],
  },
  {
    sign: 't1-low-signal',
    table: 'Table 4',
    paperSign: 'Low signal in T1WI',
    reportedChiSquare: 19.983,
    rows: [
      { value: true, paperRow: 'Low signal in T1WI', benign: 71, malignant: 47 },
      {
        value: false,
        paperRow: 'Low signal in T1WI',
        benign: 5,
        malignant: 27,
        derived: complement,
      },
    ],
  },
  {
    sign: 't2-low-signal',
    table: 'Table 4',
    paperSign: 'Low signal in T2WI',
    reportedChiSquare: 46.033,
    rows: [
      { value: true, paperRow: 'Low signal in T2WI', benign: 73, malignant: 34 },
      {
        value: false,
        paperRow: 'Low signal in T2WI',
        benign: 3,
        malignant: 40,
        derived: complement,
      },
    ],
  },
  {
    sign: 'ct-impression',
    table: 'Table 5',
    paperSign: 'CT diagnosis',
    rows: [
      { value: 'benign', paperRow: 'CT: benign', benign: 68, malignant: 7 },
      { value: 'malignant', paperRow: 'CT: malignant', benign: 8, malignant: 67 },
    ],
  },
  {
    sign: 'mri-impression',
    table: 'Table 5',
    paperSign: 'MRI diagnosis',
    rows: [
      { value: 'benign', paperRow: 'MRI: benign', benign: 70, malignant: 5 },
      { value: 'malignant', paperRow: 'MRI: malignant', benign: 6, malignant: 69 },
    ],
  },
];

/**
 * Table 5, "Combined CT+MRI" rows: the consensus reading of both modalities. Not an evidence row
 * (it is not a sign a site records) but the paper's headline result, used to reproduce Table 6.
 */
export const COMBINED_READING_COUNTS = {
  table: 'Table 5',
  rows: [
    { value: 'benign', paperRow: 'Combined CT+MRI: benign', benign: 73, malignant: 2 },
    { value: 'malignant', paperRow: 'Combined CT+MRI: malignant', benign: 3, malignant: 72 },
  ],
} as const;

/**
 * Table 6 as published (percentages, benign as the positive class), for the reproduction test of
 * the validation metrics. `kappa` is the paper's inter-observer agreement, not agreement with
 * pathology.
 */
export const PUBLISHED_DIAGNOSTIC_EFFICACY = {
  table: 'Table 6',
  positiveClass: 'benign',
  rows: {
    ct: {
      accuracy: 90.0,
      sensitivity: 89.47,
      specificity: 90.54,
      ppv: 90.67,
      npv: 89.33,
      kappa: 0.87,
    },
    mri: {
      accuracy: 92.67,
      sensitivity: 92.11,
      specificity: 93.24,
      ppv: 93.33,
      npv: 92.0,
      kappa: 0.85,
    },
    combined: {
      accuracy: 96.67,
      sensitivity: 96.05,
      specificity: 97.3,
      ppv: 97.33,
      npv: 96.0,
      kappa: 0.92,
    },
  },
} as const;
