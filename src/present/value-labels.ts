/**
 * The words a card uses for the coded values of the input contract (docs/clinical-logic.md section 1): the
 * code alone ("degree-2", "anterior-posterior-margin") makes a reader guess; the paper's own terms
 * (Tables 2-4) with the code keep it checkable against the data.
 */
import { formatFindingValue, type Finding } from '../engine/index.js';

const VALUE_WORDS: Readonly<Record<string, string>> = {
  'degree-1': 'degree 1 (<1/3 height loss)',
  'degree-2': 'degree 2 (1/3-2/3 height loss)',
  'degree-3': 'degree 3 (>2/3 height loss)',
  G1: 'G1 (<1/4 of the body)',
  G2: 'G2 (1/4-2/4 of the body)',
  G3: 'G3 (2/4-3/4 of the body)',
  G4: 'G4 (entire vertebral body)',
  'endplate-adjacent': 'adjacent to the endplate',
  'anterior-posterior-margin': 'anterior/posterior margin',
  'normal-or-depressed': 'normal or depressed',
  'outward-bulging': 'outward bulging',
  'not-invaded': 'not invaded',
  invaded: 'invaded',
  'not-visible': 'not visible',
  preserved: 'preserved (no destruction)',
  destroyed: 'destroyed',
  flocculent: 'flocculent',
  nodular: 'nodular',
  high: 'high',
  low: 'low',
  benign: 'benign',
  malignant: 'malignant',
};

/** A finding's value in words: the paper's terms for codes, units for ADC, yes/no for booleans. */
export function valueWords(finding: Finding): string {
  if (typeof finding.value === 'string') return VALUE_WORDS[finding.value] ?? finding.value;
  return formatFindingValue(finding);
}
