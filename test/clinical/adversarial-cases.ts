/**
 * The patient-view adversarial patients (issue 11), one entry each: the picture as a radiologist
 * would record it, a one-line clinical comment, the hand arithmetic, and what the card must show.
 * Run by adversarial-patients.test.ts through the real HTTP app.
 *
 * Hand arithmetic: LR = (m/74)/(b/76) from the count table of docs/clinical-logic.md section 2; pre-test
 * odds 74/76 (0.974), or 0.67/0.33 (2.030) with a cancer history; ADC below 0.89: LR
 * 0.857/0.094 = 9.12, at or above: 0.143/0.906 = 0.158. The MRI impression is multiplied only
 * with no MRI sign and no ADC; the CT impression always. Every case sits far from the 0.10 / 0.90
 * thresholds, so no rounding can move it.
 *
 * Where several rules each hold a category back, `heldBy` names all of them (section 3: "Every
 * rule that held a category back is named"); where the spec leaves the order of the summary's
 * reasons open, `summaryAnyOf` accepts any of them.
 */
import { expect } from 'vitest';
import {
  OSTEOPOROTIC,
  REPORT_TIME,
  STUDY_TIME,
  without,
  type Card,
  type ClinicalStatus,
  type ConditionSpec,
  type Expected,
  type ExtraFinding,
  type PatientSpec,
  type Signs,
} from './adversarial-fixtures.js';

export interface PatientViewCase {
  /** What the radiologist sees -> what the card must say. */
  readonly name: string;
  readonly patient: PatientSpec;
  /** The card of the patient's one level (`level` is the patient's). */
  readonly expect: Omit<Expected, 'level'>;
  /** Anything else a clinician would notice on this card. */
  readonly also?: (card: Card) => void;
}

/**
 * A textbook metastasis with two red flags (pedicle destroyed, nodular enhancement), no soft
 * tissue, no diffusion: LRs 5.85 (degree-1), 2.92 (G4; safeguard not applicable, the pedicle
 * favours malignancy), 6.16 (posterior margin), 1.90 (bulging), 3.85 (vein invaded), 4.29
 * (pedicle destroyed), 0.551 (no soft tissue), 14.4 (nodular), 5.55 (T1 not low), 13.7 (T2 not
 * low). Odds 0.974 x product = 1.93e6: P > 0.9999. Three key discriminators known.
 */
export const METASTASIS: Signs = {
  'compression-degree': 'degree-1',
  'lesion-extent': 'G4',
  'lesion-location': 'anterior-posterior-margin',
  'vertebral-contour': 'outward-bulging',
  'vertebral-vein': 'invaded',
  pedicle: 'destroyed',
  'paravertebral-soft-tissue': false,
  'enhancement-pattern': 'nodular',
  't1-low-signal': false,
  't2-low-signal': false,
};

/**
 * Acute oedema of a fresh fracture as the paper's rows read it: mild compression (degree-1, LR
 * 5.85), T2 not low (13.7), DWI low (10.6), against pedicle preserved (0.0522) and no soft tissue
 * (0.551). Two key discriminators known, none malignant.
 */
const ACUTE: Signs = {
  'compression-degree': 'degree-1',
  't2-low-signal': false,
  'dwi-signal': 'low',
  pedicle: 'preserved',
  'paravertebral-soft-tissue': false,
};

/** A benign-favoured card with nothing flagged: info, no rule holding it, no biopsy proposed. */
const QUIET_BENIGN: PatientViewCase['expect'] = {
  category: 'benign-favoured',
  indicator: 'info',
  heldBy: undefined,
  biopsy: false,
};

const x = (card: Card) => card.extension['vcf-cds-assessment'];
const safeguardApplied = (applied: boolean) => (card: Card) =>
  expect(x(card).safeguardApplied, card.summary).toBe(applied);

export const CONTROLS: readonly PatientViewCase[] = [
  {
    // Odds 6.14e-7 (see OSTEOPOROTIC), no red flag, no reader against it.
    name: 'healing osteoporotic fracture, full work-up -> benign-favoured, info, no biopsy',
    patient: { id: 'ctl-osteo', level: 'L1', signs: OSTEOPOROTIC },
    expect: {
      category: 'benign-favoured',
      indicator: 'info',
      summary: ['P <1%'],
      heldBy: undefined,
      biopsy: false,
    },
  },
  {
    // The vein is not a key discriminator: LR 3.85 for 0.719, odds 6.14e-7 x 5.36 = 3.3e-6.
    name: 'one strong non-key malignant sign (basivertebral vein invaded) among benign ones -> benign-favoured, info',
    patient: {
      id: 'ctl-vein',
      level: 'T12',
      signs: { ...OSTEOPOROTIC, 'vertebral-vein': 'invaded' },
    },
    expect: QUIET_BENIGN,
  },
  {
    // T2 not low LR 13.7 for 0.478: odds 6.14e-7 x 28.6 = 1.8e-5.
    name: 'the strongest non-key row (T2 not low: oedema) among benign ones -> benign-favoured, info',
    patient: { id: 'ctl-t2', level: 'L2', signs: { ...OSTEOPOROTIC, 't2-low-signal': false } },
    expect: { category: 'benign-favoured', indicator: 'info', heldBy: undefined },
  },
];

export const RED_FLAGS: readonly PatientViewCase[] = [
  {
    // Lytic pedicle on CT in an otherwise osteoporotic-looking fracture. Odds 6.14e-7 x
    // 4.29/0.0522 = 5.0e-5: benign-favoured by P alone, held back by the red flag.
    name: 'pedicle destroyed, every other sign benign -> indeterminate, red flag named first, biopsy',
    patient: { id: 'rf-pedicle', level: 'L1', signs: { ...OSTEOPOROTIC, pedicle: 'destroyed' } },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%; pedicle destroyed'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
  },
  {
    // A small paravertebral mass beside a benign-looking fracture. Odds 6.14e-7 x 5.43/0.551 = 6.0e-6.
    name: 'paravertebral soft tissue involved, every other sign benign -> indeterminate, red flag named',
    patient: {
      id: 'rf-soft',
      level: 'T11',
      signs: { ...OSTEOPOROTIC, 'paravertebral-soft-tissue': true },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%; paravertebral soft tissue involved'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
  },
  {
    // A nodular enhancing focus in the body. Odds 6.14e-7 x 14.4/0.0579 = 1.5e-4.
    name: 'nodular enhancement, every other sign benign -> indeterminate, red flag named',
    patient: {
      id: 'rf-nodular',
      level: 'L3',
      signs: { ...OSTEOPOROTIC, 'enhancement-pattern': 'nodular' },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%; nodular enhancement'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
  },
  {
    // Restricted diffusion in a benign-looking fracture. Odds 6.14e-7 x 9.12/0.158 = 3.5e-5.
    // (High DWI with a low ADC also disagree: named after the red flag.)
    name: 'ADC 0.72 (below the 0.89 cut-off) with high DWI, every other sign benign -> indeterminate, red flag named first',
    patient: { id: 'rf-adc', level: 'T9', signs: { ...OSTEOPOROTIC, adc: 0.72 } },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%; ADC below cut-off'],
      summaryNot: ['implausibly'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
  },
  {
    // Odds 6.14e-7 x 82.2 x 9.86 = 5.0e-4.
    name: 'pedicle destroyed and soft tissue involved among benign signs -> both red flags named',
    patient: {
      id: 'rf-two',
      level: 'L4',
      signs: { ...OSTEOPOROTIC, pedicle: 'destroyed', 'paravertebral-soft-tissue': true },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['pedicle destroyed', 'paravertebral soft tissue involved'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
  },
];

export const READERS: readonly PatientViewCase[] = [
  {
    // CT malignant always counts (LR 8.60); MRI impression not multiplied (MRI signs present).
    // Odds 6.14e-7 x 8.60 = 5.3e-6: benign-favoured by P, held back by the readers.
    name: 'CT and MRI readers both "malignant", benign signs -> indeterminate, a reader named',
    patient: {
      id: 'rd-both',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, 'ct-impression': 'malignant', 'mri-impression': 'malignant' },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['MRI reader: malignant', 'CT reader: malignant'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    },
  },
  {
    // Odds stay 6.14e-7 (the impression is set aside, MRI signs present).
    name: 'MRI reader "malignant" with benign MRI signs: not multiplied in, shown, holds the level',
    patient: {
      id: 'rd-mri-mal',
      level: 'L2',
      signs: { ...OSTEOPOROTIC, 'mri-impression': 'malignant' },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%; MRI reader: malignant'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    },
  },
  {
    // METASTASIS odds 1.93e6 x CT benign 0.106 = 2.0e5: malignant-favoured by P (two key signs
    // malignant, G4 safeguard not applicable), held back by the CT reader. The red flags come
    // first in the summary, the reader after them.
    name: 'CT reader "benign" against a textbook metastasis -> indeterminate, "CT reader: benign"',
    patient: { id: 'rd-ct-ben', level: 'T8', signs: { ...METASTASIS, 'ct-impression': 'benign' } },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P >99%; pedicle destroyed', 'nodular enhancement', 'CT reader: benign'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    },
  },
  {
    // Odds 1.93e6 (impression not multiplied).
    name: 'MRI reader "benign" against a textbook metastasis: not multiplied, still holds the level',
    patient: {
      id: 'rd-mri-ben',
      level: 'T7',
      signs: { ...METASTASIS, 'mri-impression': 'benign' },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['MRI reader: benign'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    },
  },
  {
    // The control of the two above: pedicle destroyed and nodular (key-sign agreement met), G4
    // safeguard not applicable, 3 of 4 key known. Red flags are named on a malignant card too.
    name: 'the same metastasis, no reader against it -> malignant-favoured, red flags named, nothing held',
    patient: { id: 'rd-none', level: 'T8', signs: METASTASIS },
    expect: {
      category: 'malignant-favoured',
      indicator: 'warning',
      summary: ['P >99%; pedicle destroyed', 'nodular enhancement'],
      heldBy: undefined,
      biopsy: true,
    },
    also: safeguardApplied(false),
  },
  {
    // An outside report: only the readers' impressions were coded, no sign. With no MRI sign and
    // no ADC the MRI impression is multiplied: odds 0.974 x 8.60 (CT) x 11.8 (MRI) = 98.9, P 0.990.
    // Malignant by P, but 0 of 4 key discriminators known and none malignant.
    name: 'readers only (CT and MRI "malignant"), no sign recorded -> both impressions weigh, P 0.990, yet indeterminate',
    patient: {
      id: 'rd-only',
      level: 'T9',
      signs: { 'ct-impression': 'malignant', 'mri-impression': 'malignant' },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['0 of 4 key signs known', 'no key sign malignant'],
      heldBy: ['constellation-rule', 'key-sign-agreement'],
      biopsy: true,
      p: 0.99,
    },
  },
  {
    // An ADC is MRI data: the MRI impression is set aside. Odds 0.974 x 8.60 x 0.158 (ADC 1.20)
    // = 1.32, P 0.569 (multiplying the MRI impression too would give 0.94). Indeterminate by P.
    name: 'CT and MRI readers "malignant" with only an ADC of 1.20 -> MRI impression not weighed, P 0.569',
    patient: {
      id: 'rd-adc-only',
      level: 'T9',
      signs: { 'ct-impression': 'malignant', 'mri-impression': 'malignant', adc: 1.2 },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      heldBy: undefined,
      biopsy: true,
      p: 0.5693,
    },
  },
  {
    name: 'MRI reader "benign" agreeing with a benign picture -> info; the impression shown in the detail',
    patient: {
      id: 'rd-mri-agree',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, 'mri-impression': 'benign' },
    },
    expect: QUIET_BENIGN,
    also: (card) => expect(card.detail).toMatch(/MRI (reader|impression)[^\n]*benign/i),
  },
];

/** A collapsed, endplate-type fracture without contrast: the DWI-only picture of issue 11. */
const DWI_ONLY: Signs = {
  'compression-degree': 'degree-2',
  'lesion-location': 'endplate-adjacent',
  'vertebral-contour': 'normal-or-depressed',
  pedicle: 'preserved',
  'paravertebral-soft-tissue': false,
  'dwi-signal': 'high',
  't1-low-signal': true,
};

export const DIFFUSION: readonly PatientViewCase[] = [
  {
    // Pre-test 0.67 (C50.9 active). LRs 0.175, 0.860, 0.815, 0.0522 (pedicle), 0.551, 0.176 (DWI
    // high), 0.680: odds 2.030 x 4.24e-4 = 8.6e-4, P 0.00086. DWI weighs but does not count as
    // diffusion: known = pedicle, soft tissue.
    name: 'active breast cancer, pedicle preserved, no soft tissue, DWI high, no contrast, no ADC -> 2 of 4 key signs known, not benign',
    patient: {
      id: 'dwi-brca',
      level: 'T10',
      signs: DWI_ONLY,
      conditions: [{ icd10: 'C50.9', display: 'Breast cancer', clinicalStatus: 'active' }],
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['2 of 4 key signs known'],
      heldBy: ['constellation-rule'],
      biopsy: true,
      p: 0.00086,
    },
    also: (card) =>
      expect([...x(card).missingKeyDiscriminators].sort()).toEqual([
        'diffusion',
        'enhancement-pattern',
      ]),
  },
  {
    // No cancer history: odds 0.974 x 4.24e-4 x 0.158 = 6.5e-5. Known: pedicle, soft tissue, ADC.
    name: 'the same picture with an ADC of 1.30 measured -> 3 of 4 known: benign-favoured, info',
    patient: { id: 'dwi-adc', level: 'T10', signs: { ...DWI_ONLY, adc: 1.3 } },
    expect: QUIET_BENIGN,
    also: (card) => expect(x(card).missingKeyDiscriminators).toEqual(['enhancement-pattern']),
  },
];

export const G4: readonly PatientViewCase[] = [
  {
    // G4 LR set to 1; ADC 1.20. Odds 6.14e-7 / 0.474 (G1 out) = 1.3e-6.
    name: 'G4, all four benign discriminators, benign morphology -> safeguard applied, benign-favoured, info',
    patient: {
      id: 'g4-applied-benign',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, 'lesion-extent': 'G4', adc: 1.2 },
    },
    expect: QUIET_BENIGN,
    also: safeguardApplied(true),
  },
  {
    // With G4 at LR 1: 5.85 (degree-1) x 6.16 (margin) x 1.90 (bulging) x 3.85 (vein invaded)
    // x 5.55 (T1 not low) x 13.7 (T2 not low) x 10.6 (DWI low) x 0.0522 x 0.551 x 0.0579 x 0.158
    // (ADC 1.10) x 0.974 = odds 54.3, P 0.982: malignant by P, held back by the safeguard and by
    // key-sign agreement (no key discriminator malignant).
    name: 'G4, four benign discriminators, acute morphology (mild compression, oedema, DWI low) -> safeguard applied, not malignant',
    patient: {
      id: 'g4-applied-mixed',
      level: 'L2',
      signs: {
        ...ACUTE,
        'lesion-extent': 'G4',
        'lesion-location': 'anterior-posterior-margin',
        'vertebral-contour': 'outward-bulging',
        'vertebral-vein': 'invaded',
        't1-low-signal': false,
        'enhancement-pattern': 'flocculent',
        adc: 1.1,
      },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['G4 safeguard', 'no key sign malignant'],
      summaryNot: ['G4 safeguard pending'],
      heldBy: ['g4-safeguard', 'key-sign-agreement'],
      biopsy: true,
      p: 0.9819,
    },
    also: safeguardApplied(true),
  },
  {
    // G4 2.92 x degree-1 5.85 x bulging 1.90 x T1 not low 5.55 x T2 not low 13.7 x DWI low 10.6
    // x 0.0522 x 0.551 x 0.974 = odds 732, P 0.9986. Two key known, none malignant: pending.
    name: 'G4, pedicle preserved, no soft tissue, no contrast, no ADC -> safeguard pending, not malignant',
    patient: {
      id: 'g4-pending',
      level: 'T12',
      signs: {
        ...ACUTE,
        'lesion-extent': 'G4',
        'vertebral-contour': 'outward-bulging',
        't1-low-signal': false,
      },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['G4 safeguard pending', '2 of 4 key signs known', 'no key sign malignant'],
      heldBy: ['constellation-rule', 'g4-safeguard', 'key-sign-agreement'],
      biopsy: true,
      p: 0.9986,
    },
    also: safeguardApplied(false),
  },
  {
    // G4 2.92 counts; odds 6.14e-7 x 2.92/0.474 x 4.29/0.0522 = 3.1e-4.
    name: 'G4 with pedicle destroyed, other discriminators benign -> safeguard not applied, red flag holds it off benign',
    patient: {
      id: 'g4-notapplied',
      level: 'L3',
      signs: { ...OSTEOPOROTIC, 'lesion-extent': 'G4', pedicle: 'destroyed', adc: 1.2 },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['pedicle destroyed'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
    also: safeguardApplied(false),
  },
  {
    // degree-3 0.41 x G4 2.92 x bulging 1.90 x mass 5.43 x pedicle 4.29 x nodular 14.4 x DWI low
    // 10.6 x T1 not low 5.55 x T2 not low 13.7 x ADC 0.62: 9.12 x 0.974 = odds 5.5e6.
    name: 'G4 metastasis with a soft-tissue mass and low ADC -> safeguard not applied, malignant-favoured',
    patient: {
      id: 'g4-meta',
      level: 'T6',
      signs: {
        'compression-degree': 'degree-3',
        'lesion-extent': 'G4',
        'vertebral-contour': 'outward-bulging',
        'paravertebral-soft-tissue': true,
        pedicle: 'destroyed',
        'enhancement-pattern': 'nodular',
        'dwi-signal': 'low',
        't1-low-signal': false,
        't2-low-signal': false,
        adc: 0.62,
      },
    },
    expect: {
      category: 'malignant-favoured',
      indicator: 'warning',
      summary: ['P >99%'],
      heldBy: undefined,
      biopsy: true,
    },
    also: safeguardApplied(false),
  },
];

export const ACUTE_OEDEMA: readonly PatientViewCase[] = [
  {
    // 5.85 x 0.680 x 13.7 x 10.6 x 0.0522 x 0.551 x 0.974 = odds 16.2, P 0.942: malignant by P,
    // carried by compression/T2/DWI; no key sign malignant and only 2 of 4 key known.
    name: 'mild compression, T1 low, T2 bright, DWI low, pedicle preserved, no mass, no contrast -> indeterminate',
    patient: {
      id: 'osteo-acute',
      level: 'L1',
      signs: { ...ACUTE, 't1-low-signal': true },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['no key sign malignant', '2 of 4 key signs known'],
      heldBy: ['constellation-rule', 'key-sign-agreement'],
      biopsy: true,
      p: 0.9418,
    },
  },
  {
    // degree-1 5.85 x G3 1.46 x margin 6.16 x bulging 1.90 x vein not visible 1.46 x T1 low 0.680
    // x T2 not low 13.7 x DWI low 10.6 x pedicle 0.0522 x no mass 0.551 x flocculent 0.0579
    // x 0.974 = odds 23.2, P 0.959. Three key known, all benign.
    name: 'the same oedema with flocculent enhancement (3 of 4 key known, all benign) -> key-sign agreement alone holds it',
    patient: {
      id: 'osteo-acute-contrast',
      level: 'T12',
      signs: {
        ...ACUTE,
        'lesion-extent': 'G3',
        'lesion-location': 'anterior-posterior-margin',
        'vertebral-contour': 'outward-bulging',
        'vertebral-vein': 'not-visible',
        't1-low-signal': true,
        'enhancement-pattern': 'flocculent',
      },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['no key sign malignant'],
      heldBy: ['key-sign-agreement'],
      biopsy: true,
      p: 0.9586,
    },
  },
];

/** Two readers on one study: the same effective and report time, different values. */
function twoReaders(
  sign: ExtraFinding['sign'],
  a: ExtraFinding['value'],
  b: ExtraFinding['value'],
) {
  return [a, b].map((value) => ({ sign, value, effective: STUDY_TIME, issued: REPORT_TIME }));
}

export const SAME_TIME_CONFLICTS: readonly PatientViewCase[] = [
  {
    // Neither pedicle multiplied: odds 6.14e-7 / 0.0522 = 1.2e-5. Known: soft tissue,
    // enhancement, ADC (3); the red flag does not let it be benign.
    name: 'pedicle destroyed vs preserved by two readers at the same time, rest benign -> red flag, pedicle unknown, conflict named',
    patient: {
      id: 'cf-pedicle',
      level: 'L1',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: twoReaders('pedicle', 'destroyed', 'preserved'),
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: [
        'conflicting pedicle: destroyed vs preserved',
        'conflicting pedicle: preserved vs destroyed',
      ],
      heldBy: ['red-flag'],
      biopsy: true,
    },
    also: (card) => expect(x(card).missingKeyDiscriminators).toEqual(['pedicle']),
  },
  {
    // Odds 6.14e-7 / 0.0579 / 0.158 = 6.7e-5. Known: pedicle, soft tissue (DWI does not count).
    name: 'enhancement flocculent vs nodular at the same time, no ADC -> red flag and 2 of 4 key known',
    patient: {
      id: 'cf-enh',
      level: 'L2',
      signs: without(OSTEOPOROTIC, 'enhancement-pattern', 'adc'),
      extra: twoReaders('enhancement-pattern', 'flocculent', 'nodular'),
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['conflicting enhancement'],
      heldBy: ['constellation-rule', 'red-flag'],
      biopsy: true,
    },
  },
  {
    // Both ADCs benign, so no red flag; neither multiplied. Odds 6.7e-5. Known: pedicle, soft tissue.
    name: 'two ADC readings 1.20 vs 1.40 at the same time, no contrast -> ADC unknown: 2 of 4 key signs known',
    patient: {
      id: 'cf-adc',
      level: 'L3',
      signs: without(OSTEOPOROTIC, 'enhancement-pattern', 'adc'),
      extra: twoReaders('adc', 1.2, 1.4),
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['2 of 4 key signs known'],
      heldBy: ['constellation-rule'],
      biopsy: true,
    },
  },
  {
    // T2 dropped: odds 6.14e-7 / 0.478 = 1.3e-6. A non-key conflict does not keep the card off
    // info (DECISIONS.md: only a key-sign conflict does), but the summary names it (section 1).
    name: 'T2 low yes vs no at the same time (not a key sign), rest benign -> benign-favoured, conflict named, info',
    patient: {
      id: 'cf-t2',
      level: 'L4',
      signs: without(OSTEOPOROTIC, 't2-low-signal'),
      extra: twoReaders('t2-low-signal', true, false),
    },
    expect: {
      category: 'benign-favoured',
      indicator: 'info',
      summary: ['conflicting'],
      heldBy: undefined,
    },
  },
];

const conflictNamed = (card: Card) =>
  expect(`${card.summary}\n${card.detail}`).toMatch(/conflict/i);
const JANUARY = { effective: '2026-01-10T08:00:00Z', issued: '2026-01-10T12:00:00Z' };
const NOVEMBER = { effective: STUDY_TIME, issued: REPORT_TIME };

export const DATED_CONFLICTS: readonly PatientViewCase[] = [
  {
    // The later CT wins: odds as rf-pedicle, 5.0e-5.
    name: 'pedicle preserved on the January MRI, destroyed on the November CT -> destroyed wins: red flag, conflict named',
    patient: {
      id: 'dt-worse',
      level: 'L1',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: [
        { sign: 'pedicle', value: 'preserved', ...JANUARY },
        { sign: 'pedicle', value: 'destroyed', ...NOVEMBER },
      ],
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['pedicle destroyed'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
    also: conflictNamed,
  },
  {
    // The later re-read wins: odds 6.14e-7. The earlier destroyed pedicle is superseded, not a
    // same-time conflict, so no red flag; a key-sign conflict keeps the card off info.
    name: 'pedicle destroyed in January, preserved on the November re-read -> benign-favoured, but warning, conflict named',
    patient: {
      id: 'dt-better',
      level: 'L2',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: [
        { sign: 'pedicle', value: 'destroyed', ...JANUARY },
        { sign: 'pedicle', value: 'preserved', ...NOVEMBER },
      ],
    },
    expect: { category: 'benign-favoured', indicator: 'warning', heldBy: undefined },
    also: conflictNamed,
  },
];

/**
 * Acute-looking fracture with an ADC measured, no contrast: degree-1 5.85 x G3 1.46 x T2 not low
 * 13.7 x pedicle preserved 0.0522 x no mass 0.551 x ADC 1.05 0.158 = 0.529. Without a cancer
 * history: odds 0.974 x 0.529 = 0.516, P 0.340; with one: 2.030 x 0.529 = 1.075, P 0.518.
 * Indeterminate either way, no rule holding it: the probability tells the two apart.
 */
const HISTORY_PICTURE: Signs = {
  'compression-degree': 'degree-1',
  'lesion-extent': 'G3',
  't2-low-signal': false,
  pedicle: 'preserved',
  'paravertebral-soft-tissue': false,
  adc: 1.05,
};

const prostate = (c: Partial<ConditionSpec>): ConditionSpec => ({
  icd10: 'C61',
  display: 'Malignant neoplasm of prostate',
  ...c,
});

const withHistory = (
  name: string,
  id: string,
  conditions: ConditionSpec[],
  p: number,
): PatientViewCase => ({
  name,
  patient: { id, level: 'L3', signs: HISTORY_PICTURE, conditions },
  expect: { category: 'indeterminate', indicator: 'warning', heldBy: undefined, biopsy: true, p },
});

/** Counted whatever the clinicalStatus; an abatement date where FHIR con-4 allows one. */
const COUNTED: readonly [ClinicalStatus, string | undefined][] = [
  ['active', undefined],
  ['recurrence', undefined],
  ['relapse', undefined],
  ['remission', undefined],
  ['resolved', '2021-06-30'],
  ['inactive', '2020-01-15'],
];

export const CANCER_HISTORY: readonly PatientViewCase[] = [
  ...COUNTED.map(([status, abatedOn]) =>
    withHistory(
      `prostate cancer, clinicalStatus ${status} -> cancer history: pre-test 0.67, P 0.518`,
      `hx-${status}`,
      [prostate({ clinicalStatus: status, ...(abatedOn ? { abatedOn } : {}) })],
      0.5181,
    ),
  ),
  withHistory(
    'prostate cancer "active" but verificationStatus refuted -> no history: P 0.340',
    'hx-refuted',
    [prostate({ clinicalStatus: 'active', verificationStatus: 'refuted' })],
    0.3402,
  ),
  withHistory(
    'prostate cancer entered-in-error -> no history: P 0.340',
    'hx-entered-in-error',
    [prostate({ verificationStatus: 'entered-in-error' })],
    0.3402,
  ),
  withHistory('no cancer condition at all -> P 0.340 (the control)', 'hx-none', [], 0.3402),
];

export const UNIT_SLIPS: readonly PatientViewCase[] = [
  {
    // 0.75 um2/s = 0.00075 x10^-3 mm2/s, used as received: below the cut-off (LR 9.12), a red
    // flag too. Odds 3.5e-5.
    name: 'ADC 0.75 sent as um2/s (0.00075 x10^-3 mm2/s) -> "ADC implausibly low: check the unit", never info',
    patient: {
      id: 'unit-um2',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, adc: { value: 0.75, unit: 'um2/s' } },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['ADC implausibly low: check the unit', 'ADC below cut-off'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
    // The value and unit as received, beside the converted one.
    also: (card) => expect(card.detail).toMatch(/0\.75\s*(um2\/s|µm2\/s|µm²\/s)/),
  },
  {
    name: 'ADC 0.00075 sent in mm2/s (= 0.75 x10^-3) -> a plausible low ADC: red flag, not "implausibly low"',
    patient: {
      id: 'unit-mm2',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, adc: { value: 0.00075, unit: 'mm2/s' } },
    },
    expect: {
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['ADC below cut-off'],
      summaryNot: ['implausibly'],
      heldBy: ['red-flag'],
      biopsy: true,
    },
  },
  {
    name: 'ADC 1200 x10^-6 mm2/s (= 1.20) on a benign picture -> benign-favoured, info',
    patient: {
      id: 'unit-e6',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, adc: { value: 1200, unit: '10*-6.mm2/s' } },
    },
    expect: {
      category: 'benign-favoured',
      indicator: 'info',
      summaryNot: ['implausibly', 'ADC below cut-off'],
      heldBy: undefined,
    },
  },
];
