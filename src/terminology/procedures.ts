/**
 * Procedure codes the order hooks look for, and the orders vcf-cds proposes.
 * CPT descriptors are abbreviated; CPT is (c) American Medical Association.
 */
import { CPT, LOINC, SNOMED } from './systems.js';

export interface ProcedureCode {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** Key for code lookups: system and code together. */
export function codeKey(system: string, code: string): string {
  return `${system}|${code}`;
}

function index(codes: readonly (ProcedureCode & { label: string })[]): ReadonlyMap<string, string> {
  return new Map(codes.map((c) => [codeKey(c.system, c.code), c.label]));
}

/**
 * Vertebral augmentation (CPT 2015 onwards: 22510-22515 replaced 22520-22525). SNOMED CT concepts
 * from the research note in the README (Terminology).
 */
export const AUGMENTATION: readonly (ProcedureCode & { label: string })[] = [
  {
    system: CPT,
    code: '22510',
    display: 'Percutaneous vertebroplasty, 1 vertebral body; cervicothoracic',
    label: 'Vertebroplasty',
  },
  {
    system: CPT,
    code: '22511',
    display: 'Percutaneous vertebroplasty, 1 vertebral body; lumbosacral',
    label: 'Vertebroplasty',
  },
  {
    system: CPT,
    code: '22512',
    display: 'Percutaneous vertebroplasty; each additional vertebral body',
    label: 'Vertebroplasty',
  },
  {
    system: CPT,
    code: '22513',
    display: 'Percutaneous vertebral augmentation (eg, kyphoplasty), 1 vertebral body; thoracic',
    label: 'Kyphoplasty',
  },
  {
    system: CPT,
    code: '22514',
    display: 'Percutaneous vertebral augmentation (eg, kyphoplasty), 1 vertebral body; lumbar',
    label: 'Kyphoplasty',
  },
  {
    system: CPT,
    code: '22515',
    display:
      'Percutaneous vertebral augmentation (eg, kyphoplasty); each additional vertebral body',
    label: 'Kyphoplasty',
  },
];

export const AUGMENTATION_CODES = index(AUGMENTATION);

/** Biopsy of a vertebral body. */
export const BIOPSY: readonly (ProcedureCode & { label: string })[] = [
  {
    system: CPT,
    code: '20225',
    display: 'Biopsy, bone, trocar, or needle; deep (eg, vertebral body, femur)',
    label: 'Biopsy',
  },
];

export const BIOPSY_CODES = index(BIOPSY);

export const BIOPSY_OF_VERTEBRA = {
  codings: BIOPSY.map(({ system, code, display }) => ({ system, code, display })),
  text: 'Percutaneous needle biopsy of the fractured vertebral body',
};

export type Examination = 'mri-dwi' | 'mri-contrast' | 'ct';

/** Examinations that supply missing key discriminators (CLINICAL-SPEC section 4). */
export const EXAMINATIONS: Readonly<
  Record<Examination, { text: string; supplies: string; codings: readonly ProcedureCode[] }>
> = {
  'mri-dwi': {
    text: 'MRI of the spine with diffusion-weighted imaging and an ADC map',
    supplies: 'diffusion (ADC, DWI signal)',
    codings: [],
  },
  'mri-contrast': {
    text: 'contrast-enhanced MRI of the spine',
    supplies: 'the enhancement pattern, pedicle morphology and paravertebral soft tissue',
    codings: [],
  },
  ct: {
    text: 'CT of the fractured vertebra',
    supplies: "pedicle osteolysis and the CT reader's impression",
    codings: [],
  },
};

// Referenced so that unused-import checks pass until the research note's codes are added.
export const TERMINOLOGY_SYSTEMS = { SNOMED, LOINC } as const;
