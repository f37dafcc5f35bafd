/**
 * Procedure codes the order hooks look for, and the orders vcf-cds proposes. Every code here was
 * found in a public source (cited beside it); none is written from memory.
 * CPT is (c) American Medical Association; LOINC is (c) Regenstrief Institute (used under the
 * LOINC licence); descriptors are quoted or abbreviated.
 */
import { CPT, CPT_OID, LOINC, SNOMED } from './systems.js';

export interface ProcedureCode {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

export interface LabelledCode extends ProcedureCode {
  /** Short name for a card ("Vertebroplasty"). */
  readonly label: string;
}

/** Key for code lookups: system and code together. */
export function codeKey(system: string, code: string): string {
  return `${system}|${code}`;
}

/** system|code -> label. */
export type CodeIndex = ReadonlyMap<string, string>;

/**
 * The index of a code list. A CPT code is also looked up under CPT's OID (docs/clinical-logic.md section 4):
 * an order coded `urn:oid:2.16.840.1.113883.6.12|22510` is the same vertebroplasty.
 */
export function indexCodes(codes: readonly LabelledCode[]): CodeIndex {
  return new Map(
    codes.flatMap((c) => {
      const entry = [codeKey(c.system, c.code), c.label] as const;
      return c.system === CPT ? [entry, [codeKey(CPT_OID, c.code), c.label] as const] : [entry];
    }),
  );
}

const VP =
  'Percutaneous vertebroplasty (bone biopsy included when performed), 1 vertebral body, unilateral or bilateral injection, inclusive of all imaging guidance';
const VA =
  'Percutaneous vertebral augmentation, including cavity creation (fracture reduction and bone biopsy included when performed) using mechanical device (eg, kyphoplasty), 1 vertebral body, unilateral or bilateral cannulation, inclusive of all imaging guidance';

/**
 * Vertebral augmentation in CPT. 22510-22515 are current since 2015 (CMS RAC topic 0139 lists them
 * for 2018 and 22520-22525 as "prior years"; descriptors as quoted by the Medicare LCD code list at
 * radiologybillingcoding.com, 2017-02). The retired 22520-22525 are recognised too, since order
 * catalogues outlive code years (descriptors: codingahead.com).
 */
export const AUGMENTATION_CPT: readonly LabelledCode[] = [
  { system: CPT, code: '22510', display: `${VP}; cervicothoracic`, label: 'Vertebroplasty' },
  { system: CPT, code: '22511', display: `${VP}; lumbosacral`, label: 'Vertebroplasty' },
  {
    system: CPT,
    code: '22512',
    display: `${VP}; each additional cervicothoracic or lumbosacral vertebral body`,
    label: 'Vertebroplasty',
  },
  { system: CPT, code: '22513', display: `${VA}; thoracic`, label: 'Kyphoplasty' },
  { system: CPT, code: '22514', display: `${VA}; lumbar`, label: 'Kyphoplasty' },
  {
    system: CPT,
    code: '22515',
    display: `${VA}; each additional thoracic or lumbar vertebral body`,
    label: 'Kyphoplasty',
  },
  {
    system: CPT,
    code: '22520',
    display: 'Percutaneous vertebroplasty; thoracic (retired 2015)',
    label: 'Vertebroplasty',
  },
  {
    system: CPT,
    code: '22521',
    display: 'Percutaneous vertebroplasty; lumbar (retired 2015)',
    label: 'Vertebroplasty',
  },
  {
    system: CPT,
    code: '22522',
    display:
      'Percutaneous vertebroplasty; each additional thoracic or lumbar vertebral body (retired 2015)',
    label: 'Vertebroplasty',
  },
  {
    system: CPT,
    code: '22523',
    display: 'Percutaneous vertebral augmentation (eg, kyphoplasty); thoracic (retired 2015)',
    label: 'Kyphoplasty',
  },
  {
    system: CPT,
    code: '22524',
    display: 'Percutaneous vertebral augmentation (eg, kyphoplasty); lumbar (retired 2015)',
    label: 'Kyphoplasty',
  },
  {
    system: CPT,
    code: '22525',
    display:
      'Percutaneous vertebral augmentation (eg, kyphoplasty); each additional thoracic or lumbar vertebral body (retired 2015)',
    label: 'Kyphoplasty',
  },
];

/** Biopsy of a vertebral body in CPT (descriptor: codingahead.com, CPT 20225). */
export const BIOPSY_CPT: readonly LabelledCode[] = [
  {
    system: CPT,
    code: '20225',
    display: 'Biopsy, bone, trocar, or needle; deep (eg, vertebral body, femur)',
    label: 'Biopsy',
  },
];

/**
 * SNOMED CT concepts for the same procedures come from settings with no default
 * (VCF_AUGMENTATION_SNOMED_CODES, VCF_BIOPSY_SNOMED_CODES): no public source we could reach
 * offline gave a verified concept id for vertebroplasty, kyphoplasty or needle biopsy of a
 * vertebra, and a wrong id would silently miss an order. A site lists the concepts its EHR uses.
 */
export function snomedCodes(ids: readonly string[], label: string): LabelledCode[] {
  return ids.map((code) => ({ system: SNOMED, code, display: label, label }));
}

/** What the order hooks recognise: CPT always, plus a site's SNOMED CT concepts. */
export interface OrderCodeSets {
  readonly augmentation: CodeIndex;
  readonly biopsy: CodeIndex;
}

export function orderCodeSets(site: {
  readonly augmentationSnomedCodes: readonly string[];
  readonly biopsySnomedCodes: readonly string[];
}): OrderCodeSets {
  return {
    augmentation: indexCodes([
      ...AUGMENTATION_CPT,
      ...snomedCodes(site.augmentationSnomedCodes, 'Vertebral augmentation'),
    ]),
    biopsy: indexCodes([...BIOPSY_CPT, ...snomedCodes(site.biopsySnomedCodes, 'Biopsy')]),
  };
}

/** The biopsy vcf-cds proposes. */
export const BIOPSY_OF_VERTEBRA = {
  codings: BIOPSY_CPT.map(({ system, code, display }) => ({ system, code, display })),
  text: 'Percutaneous needle biopsy of the fractured vertebral body',
};

export type Examination = 'mri-dwi' | 'mri-contrast' | 'mri-contrast-dwi' | 'ct';
export type SpineRegion = 'cervical' | 'thoracic' | 'lumbar' | 'sacral';

/** C1..C7, T1..T12, L1..L5, S1 -> region; undefined for 'unspecified'. */
export function spineRegion(level: string): SpineRegion | undefined {
  const regions: Record<string, SpineRegion> = {
    C: 'cervical',
    T: 'thoracic',
    L: 'lumbar',
    S: 'sacral',
  };
  return /^[CTLS]\d{1,2}$/.test(level) ? regions[level[0]!] : undefined;
}

const MR_SPINE_WO_W_CONTRAST = {
  thoracic: { code: '24981-3', display: 'MR Thoracic spine WO and W contrast IV' },
  lumbar: { code: '24967-2', display: 'MR Lumbar spine WO and W contrast IV' },
} as const;

/**
 * LOINC Radiology Playbook codes (display as listed in Microsoft's Azure Health Insights
 * radiology-procedure-inference documentation, Appendix A; check digits verified). Only the
 * thoracic and lumbar spine were found; no LOINC code for spine MRI with diffusion-weighted
 * imaging was found, so that order carries text only.
 */
const EXAM_LOINC: Readonly<
  Record<Examination, Partial<Record<SpineRegion, { code: string; display: string }>>>
> = {
  'mri-dwi': {},
  'mri-contrast': MR_SPINE_WO_W_CONTRAST,
  // The same examination, its protocol (DWI with an ADC map) in the order's text.
  'mri-contrast-dwi': MR_SPINE_WO_W_CONTRAST,
  ct: {
    thoracic: { code: '30597-9', display: 'CT Thoracic spine WO contrast' },
    lumbar: { code: '30620-9', display: 'CT Lumbar spine WO contrast' },
  },
};

/** Examinations that supply missing key discriminators (docs/clinical-logic.md section 4). */
export const EXAMINATIONS: Readonly<Record<Examination, { text: string }>> = {
  'mri-dwi': { text: 'MRI of the spine with diffusion-weighted imaging and an ADC map' },
  'mri-contrast': { text: 'contrast-enhanced MRI of the spine' },
  'mri-contrast-dwi': {
    text: 'contrast-enhanced MRI of the spine with diffusion-weighted imaging and an ADC map',
  },
  ct: { text: 'CT of the fractured vertebra' },
};

/** The codings of an examination for a level (empty where no verified code exists). */
export function examinationCodings(exam: Examination, level: string): ProcedureCode[] {
  const region = spineRegion(level);
  const found = region ? EXAM_LOINC[exam][region] : undefined;
  return found ? [{ system: LOINC, ...found }] : [];
}
