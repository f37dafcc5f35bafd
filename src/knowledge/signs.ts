/**
 * The paper's signs and the values each can take: the vocabulary of the input contract
 * (docs/clinical-logic.md section 1) and of the count tables (sign-counts.ts). It lives in the knowledge base
 * because the tables are written in it; the engine imports it from here.
 */

/** Coded signs and their allowed values (docs/clinical-logic.md section 1, codes of `vcf-finding-value`). */
export const CODED_SIGN_VALUES = {
  'compression-degree': ['degree-1', 'degree-2', 'degree-3'],
  'lesion-extent': ['G1', 'G2', 'G3', 'G4'],
  'lesion-location': ['endplate-adjacent', 'anterior-posterior-margin'],
  'vertebral-contour': ['normal-or-depressed', 'outward-bulging'],
  'vertebral-vein': ['not-invaded', 'invaded', 'not-visible'],
  pedicle: ['preserved', 'destroyed'],
  'enhancement-pattern': ['flocculent', 'nodular'],
  'dwi-signal': ['high', 'low'],
  'ct-impression': ['benign', 'malignant'],
  'mri-impression': ['benign', 'malignant'],
} as const;

/** Signs carried as a yes/no (valueBoolean). */
export const BOOLEAN_SIGNS = [
  'paravertebral-soft-tissue',
  't1-low-signal',
  't2-low-signal',
] as const;

/** Signs carried as a number: ADC in 10^-3 mm^2/s. */
export const QUANTITY_SIGNS = ['adc', 'adc-reference'] as const;

export type CodedSign = keyof typeof CODED_SIGN_VALUES;
export type BooleanSign = (typeof BOOLEAN_SIGNS)[number];
export type QuantitySign = (typeof QUANTITY_SIGNS)[number];
export type Sign = CodedSign | BooleanSign | QuantitySign;
export type CodedValue<S extends CodedSign> = (typeof CODED_SIGN_VALUES)[S][number];
