/**
 * The input contract of docs/clinical-logic.md section 1, copied here by hand so that the FHIR artefacts
 * are checked against the spec itself (and, separately, against the engine's vocabulary).
 */
export const BASE = 'https://w3id.org/vcf-cds/fhir';
export const FINDING_SYSTEM = `${BASE}/CodeSystem/vcf-finding`;
export const VALUE_SYSTEM = `${BASE}/CodeSystem/vcf-finding-value`;
export const LEVEL_SYSTEM = `${BASE}/CodeSystem/vertebral-level`;
export const SNOMED = 'http://snomed.info/sct';
export const UCUM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** The 15 Observation.code values, in the spec table's order. */
export const SPEC_FINDING_CODES = [
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
  'adc',
  'adc-reference',
  'ct-impression',
  'mri-impression',
] as const;
export type SpecFinding = (typeof SPEC_FINDING_CODES)[number];

/** Coded signs, their values, and the ValueSet each is bound to. */
export const SPEC_CODED: Readonly<Record<string, { values: readonly string[]; valueSet: string }>> =
  {
    'compression-degree': {
      values: ['degree-1', 'degree-2', 'degree-3'],
      valueSet: 'compression-degree',
    },
    'lesion-extent': { values: ['G1', 'G2', 'G3', 'G4'], valueSet: 'lesion-extent' },
    'lesion-location': {
      values: ['endplate-adjacent', 'anterior-posterior-margin'],
      valueSet: 'lesion-location',
    },
    'vertebral-contour': {
      values: ['normal-or-depressed', 'outward-bulging'],
      valueSet: 'vertebral-contour',
    },
    'vertebral-vein': {
      values: ['not-invaded', 'invaded', 'not-visible'],
      valueSet: 'vertebral-vein',
    },
    pedicle: { values: ['preserved', 'destroyed'], valueSet: 'pedicle' },
    'enhancement-pattern': { values: ['flocculent', 'nodular'], valueSet: 'enhancement-pattern' },
    'dwi-signal': { values: ['high', 'low'], valueSet: 'dwi-signal' },
    'ct-impression': { values: ['benign', 'malignant'], valueSet: 'ct-impression' },
    'mri-impression': { values: ['benign', 'malignant'], valueSet: 'mri-impression' },
  };

export const SPEC_BOOLEAN: readonly string[] = [
  'paravertebral-soft-tissue',
  't1-low-signal',
  't2-low-signal',
];
export const SPEC_QUANTITY: readonly string[] = ['adc', 'adc-reference'];
/** UCUM codes accepted for ADC; the first is the preferred one. */
export const ADC_UNITS: readonly string[] = ['10*-3.mm2/s', 'mm2/s', '10*-6.mm2/s', 'um2/s'];

/** Every coded value of the brief for CodeSystem vcf-finding-value. */
export const SPEC_VALUE_CODES: readonly string[] = [
  'degree-1',
  'degree-2',
  'degree-3',
  'G1',
  'G2',
  'G3',
  'G4',
  'endplate-adjacent',
  'anterior-posterior-margin',
  'normal-or-depressed',
  'outward-bulging',
  'not-invaded',
  'invaded',
  'not-visible',
  'preserved',
  'destroyed',
  'flocculent',
  'nodular',
  'high',
  'low',
  'benign',
  'malignant',
];

export const SPEC_LEVELS: readonly string[] = [
  ...Array.from({ length: 7 }, (_, i) => `C${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `T${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `L${i + 1}`),
  'S1',
];
