/**
 * The signs the engine reasons about: the input contract of docs/clinical-logic.md section 1, as plain values.
 * No FHIR here: the FHIR layer turns Observations into these.
 */

import {
  BOOLEAN_SIGNS,
  CODED_SIGN_VALUES,
  QUANTITY_SIGNS,
  type BooleanSign,
  type CodedSign,
  type CodedValue,
  type QuantitySign,
  type Sign,
} from '../knowledge/index.js';

// The vocabulary lives in the knowledge base (the paper's signs and their values); re-exported here
// so the engine's public face still offers it.
export { BOOLEAN_SIGNS, CODED_SIGN_VALUES, QUANTITY_SIGNS };
export type { BooleanSign, CodedSign, CodedValue, QuantitySign, Sign };

/** One observed sign of one vertebral level. ADC values are in 10^-3 mm^2/s. */
export type Finding =
  | { [S in CodedSign]: { readonly sign: S; readonly value: CodedValue<S> } }[CodedSign]
  | { readonly sign: BooleanSign; readonly value: boolean }
  | { readonly sign: QuantitySign; readonly value: number };

/**
 * The eleven MRI signs whose presence makes the reader's MRI impression redundant
 * (docs/clinical-logic.md section 2: `mri-impression` counts only when none of them and no ADC is present).
 */
export const MRI_SIGNS: readonly Sign[] = [
  'compression-degree',
  'lesion-extent',
  'lesion-location',
  'vertebral-contour',
  'paravertebral-soft-tissue',
  'vertebral-vein',
  'pedicle',
  'enhancement-pattern',
  'dwi-signal',
  't1-low-signal',
  't2-low-signal',
];

const MRI_SIGN_SET: ReadonlySet<Sign> = new Set(MRI_SIGNS);

/** Every sign, in the order the card lists them (docs/clinical-logic.md section 1 table order). */
export const SIGNS: readonly Sign[] = [
  ...MRI_SIGNS,
  'adc',
  'adc-reference',
  'ct-impression',
  'mri-impression',
];

/** Human labels for the card, in the paper's words. */
export const SIGN_LABELS: Readonly<Record<Sign, string>> = {
  'compression-degree': 'Compression degree',
  'lesion-extent': 'Lesion extent',
  'lesion-location': 'Lesion location',
  'vertebral-contour': 'Post-compression contour',
  'paravertebral-soft-tissue': 'Paravertebral soft tissue involved',
  'vertebral-vein': 'Vertebral vein',
  pedicle: 'Pedicle',
  'enhancement-pattern': 'Enhancement pattern',
  'dwi-signal': 'DWI signal (b=800)',
  't1-low-signal': 'Low signal on T1WI',
  't2-low-signal': 'Low signal on T2WI',
  adc: 'ADC',
  'adc-reference': 'ADC of adjacent normal vertebra',
  'ct-impression': "CT reader's impression",
  'mri-impression': "MRI reader's impression",
};

// Sets, so that checking a sign or a value is one lookup, not a scan (the hot path checks each).
const SIGN_SET: ReadonlySet<string> = new Set(SIGNS);
const BOOLEAN_SIGN_SET: ReadonlySet<string> = new Set(BOOLEAN_SIGNS);
const QUANTITY_SIGN_SET: ReadonlySet<string> = new Set(QUANTITY_SIGNS);
const CODED_VALUE_SETS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(CODED_SIGN_VALUES).map(([sign, values]) => [sign, new Set<string>(values)]),
);

export function isSign(x: unknown): x is Sign {
  return typeof x === 'string' && SIGN_SET.has(x);
}

export function isCodedSign(sign: Sign): sign is CodedSign {
  return CODED_VALUE_SETS.has(sign);
}

export function isBooleanSign(sign: Sign): sign is BooleanSign {
  return BOOLEAN_SIGN_SET.has(sign);
}

export function isQuantitySign(sign: Sign): sign is QuantitySign {
  return QUANTITY_SIGN_SET.has(sign);
}

/** How a sign's value is carried: its allowed codes, a yes/no, or a number. */
export type SignKind = ReadonlySet<string> | 'boolean' | 'quantity';

const SIGN_KINDS: ReadonlyMap<string, SignKind> = new Map<string, SignKind>([
  ...CODED_VALUE_SETS,
  ...BOOLEAN_SIGNS.map((s) => [s, 'boolean'] as const),
  ...QUANTITY_SIGNS.map((s) => [s, 'quantity'] as const),
]);

/** The kind of `x` if it is a sign of the contract, else undefined: one lookup for both. */
export function signKind(x: unknown): SignKind | undefined {
  return typeof x === 'string' ? SIGN_KINDS.get(x) : undefined;
}

/** Whether `sign` is one of the eleven MRI signs. */
export function isMriSign(sign: Sign): boolean {
  return MRI_SIGN_SET.has(sign);
}

/** A value shown on a card: coded values as they are, booleans as yes/no, ADC with its unit. */
export function formatFindingValue(finding: Finding): string {
  if (typeof finding.value === 'boolean') return finding.value ? 'yes' : 'no';
  if (typeof finding.value === 'number') return `${finding.value.toFixed(2)} x10^-3 mm2/s`;
  return finding.value;
}
