/**
 * Adversarial patients (issue 11, clinical safety v2), written by a spine radiologist from
 * CLINICAL-SPEC sections 1-5 and DECISIONS.md, independently of the engine: each is a realistic
 * picture sent as prefetch through the real HTTP app, and each asserts what a clinician would
 * notice on the card (category, indicator, summary words, the rules in `heldBy`, the biopsy
 * proposal).
 *
 * Hand arithmetic: LR = (m/74)/(b/76) from the count table of section 2; pre-test odds 74/76
 * (0.974), 0.67/0.33 (2.030) with a cancer history; ADC below 0.89: LR 0.857/0.094 = 9.12, at or
 * above: 0.143/0.906 = 0.158. The MRI impression is multiplied only with no MRI sign and no ADC;
 * the CT impression always. Every case sits far from the 0.10 / 0.90 thresholds.
 *
 * Where several rules each hold a category back, `heldBy` is expected to name all of them
 * (section 3: "Every rule that held a category back is named").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.js';
import {
  CPT_OID,
  OSTEOPOROTIC,
  REPORT_TIME,
  STUDY_TIME,
  cardFor,
  expectCard,
  order,
  orderCall,
  patient,
  patientViewCall,
  without,
  type Card,
  type ClinicalStatus,
  type ConditionSpec,
  type Signs,
} from './adversarial-fixtures.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.close();
});

/** The one card of a patient-view call for a patient with findings at one level. */
async function onlyCard(spec: Parameters<typeof patient>[0]): Promise<Card> {
  const cards = await patientViewCall(svc, patient(spec));
  expect(cards.map((c) => c.summary)).toHaveLength(1);
  return cards[0]!;
}

// CPT codes (src/terminology/procedures.ts): vertebroplasty 22510 cervicothoracic, 22511
// lumbosacral; kyphoplasty 22513 thoracic, 22514 lumbar; bone biopsy, deep 20225.
const VP_THORACIC = '22510';
const VP_LUMBAR = '22511';
const KP_THORACIC = '22513';
const KP_LUMBAR = '22514';
const BIOPSY = '20225';

/**
 * A textbook malignant picture with two red flags (pedicle destroyed, nodular enhancement), no
 * soft tissue, no diffusion: LRs 5.85 (degree-1), 2.92 (G4, safeguard not applicable: the pedicle
 * favours malignancy), 6.16 (posterior margin), 1.90 (bulging), 3.85 (vein invaded), 4.29
 * (pedicle destroyed), 0.551 (no soft tissue), 14.4 (nodular), 5.55 (T1 not low), 13.7 (T2 not
 * low). Odds 0.974 x product = 1.93e6: P > 0.9999. Three key discriminators known.
 */
const METASTASIS: Signs = {
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

describe('controls: benign pictures stay quiet, a strong non-key sign is not a red flag', () => {
  it('healing osteoporotic fracture, full work-up -> benign-favoured, info, no biopsy', async () => {
    // P: odds 6.14e-7 (see OSTEOPOROTIC), well under 0.10; no red flag, no reader against it.
    const card = await onlyCard({ id: 'ctl-osteo', level: 'L1', signs: OSTEOPOROTIC });
    expectCard(card, {
      level: 'L1',
      category: 'benign-favoured',
      indicator: 'info',
      summary: ['P <1%'],
      heldBy: undefined,
      biopsy: false,
    });
  });

  it('one strong non-key malignant sign (basivertebral vein invaded) among benign ones -> still benign-favoured, info', async () => {
    // The vein is not a key discriminator: LR 3.85 instead of 0.719, odds 6.14e-7 x 5.36 = 3.3e-6.
    const card = await onlyCard({
      id: 'ctl-vein',
      level: 'T12',
      signs: { ...OSTEOPOROTIC, 'vertebral-vein': 'invaded' },
    });
    expectCard(card, {
      level: 'T12',
      category: 'benign-favoured',
      indicator: 'info',
      heldBy: undefined,
      biopsy: false,
    });
  });

  it('the strongest non-key row (T2 not low, oedema) among benign ones -> benign-favoured, info', async () => {
    // T2 not low LR 13.7 instead of 0.478: odds 6.14e-7 x 28.6 = 1.76e-5.
    const card = await onlyCard({
      id: 'ctl-t2',
      level: 'L2',
      signs: { ...OSTEOPOROTIC, 't2-low-signal': false },
    });
    expectCard(card, {
      level: 'L2',
      category: 'benign-favoured',
      indicator: 'info',
      heldBy: undefined,
    });
  });
});

describe('red flags: one key discriminator at its malignant value is never drowned', () => {
  it('pedicle destroyed, every other sign benign -> indeterminate, red flag named, biopsy', async () => {
    // Lytic pedicle on CT in an otherwise osteoporotic-looking fracture. P: 6.14e-7 x 4.29/0.0522
    // = odds 5.0e-5, P < 0.0001: benign-favoured by P alone, held back by the red flag.
    const card = await onlyCard({
      id: 'rf-pedicle',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, pedicle: 'destroyed' },
    });
    expectCard(card, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%; pedicle destroyed'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });

  it('paravertebral soft tissue involved, every other sign benign -> indeterminate, red flag named', async () => {
    // A small paravertebral mass beside a benign-looking fracture. Odds 6.14e-7 x 5.43/0.551 = 6.0e-6.
    const card = await onlyCard({
      id: 'rf-soft',
      level: 'T11',
      signs: { ...OSTEOPOROTIC, 'paravertebral-soft-tissue': true },
    });
    expectCard(card, {
      level: 'T11',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['paravertebral soft tissue involved'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });

  it('nodular enhancement, every other sign benign -> indeterminate, red flag named', async () => {
    // A nodular enhancing focus in the body. Odds 6.14e-7 x 14.4/0.0579 = 1.5e-4.
    const card = await onlyCard({
      id: 'rf-nodular',
      level: 'L3',
      signs: { ...OSTEOPOROTIC, 'enhancement-pattern': 'nodular' },
    });
    expectCard(card, {
      level: 'L3',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['nodular enhancement'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });

  it('ADC 0.72 (below the 0.89 cut-off) with high DWI, every other sign benign -> indeterminate, red flag named first', async () => {
    // Restricted diffusion in a benign-looking fracture. Odds 6.14e-7 x 9.12/0.158 = 3.5e-5.
    // (High DWI with a low ADC also disagree: named after the red flag, if room.)
    const card = await onlyCard({
      id: 'rf-adc',
      level: 'T9',
      signs: { ...OSTEOPOROTIC, adc: 0.72 },
    });
    expectCard(card, {
      level: 'T9',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%; ADC below cut-off'],
      summaryNot: ['implausibly'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });

  it('pedicle destroyed and soft tissue involved among benign signs -> both red flags named', async () => {
    // Odds 6.14e-7 x 82.2 x 9.86 = 5.0e-4, P 0.0005.
    const card = await onlyCard({
      id: 'rf-two',
      level: 'L4',
      signs: { ...OSTEOPOROTIC, pedicle: 'destroyed', 'paravertebral-soft-tissue': true },
    });
    expectCard(card, {
      level: 'L4',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['pedicle destroyed', 'paravertebral soft tissue involved'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });
});

describe('readers against signs: a reader pointing the other way holds the level at indeterminate', () => {
  it('CT and MRI readers both "malignant", benign signs -> indeterminate, reader named', async () => {
    // CT impression malignant always counts (LR 8.60); MRI impression not multiplied (MRI signs
    // present). Odds 6.14e-7 x 8.60 = 5.3e-6: benign-favoured by P, held back by the readers.
    const card = await onlyCard({
      id: 'rd-both',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, 'ct-impression': 'malignant', 'mri-impression': 'malignant' },
    });
    expectCard(card, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['MRI reader: malignant', 'CT reader: malignant'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    });
  });

  it('MRI reader "malignant" with benign MRI signs: not multiplied in, but shown and holding the level', async () => {
    // Odds stay 6.14e-7 (the impression is set aside, MRI signs present): P < 0.0001.
    const card = await onlyCard({
      id: 'rd-mri-mal',
      level: 'L2',
      signs: { ...OSTEOPOROTIC, 'mri-impression': 'malignant' },
    });
    expectCard(card, {
      level: 'L2',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P <1%', 'MRI reader: malignant'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    });
  });

  it('CT reader "benign" against a textbook metastasis -> indeterminate, "CT reader: benign"', async () => {
    // METASTASIS odds 1.93e6 x CT benign 0.106 = 2.0e5, P > 0.9999: malignant-favoured by P
    // (two key signs malignant, G4 safeguard not applicable), held back by the CT reader.
    const card = await onlyCard({
      id: 'rd-ct-ben',
      level: 'T8',
      signs: { ...METASTASIS, 'ct-impression': 'benign' },
    });
    expectCard(card, {
      level: 'T8',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['P >99%', 'CT reader: benign'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    });
  });

  it('MRI reader "benign" against a textbook metastasis: set aside in the sum, still holds the level', async () => {
    // Odds 1.93e6 (impression not multiplied): P > 0.9999.
    const card = await onlyCard({
      id: 'rd-mri-ben',
      level: 'T7',
      signs: { ...METASTASIS, 'mri-impression': 'benign' },
    });
    expectCard(card, {
      level: 'T7',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['MRI reader: benign'],
      heldBy: ['reader-discordance'],
      biopsy: true,
    });
  });

  it('the same metastasis without a reader against it -> malignant-favoured, nothing held back', async () => {
    // The control of the two cases above: odds 1.93e6, pedicle destroyed and nodular (key-sign
    // agreement met), G4 safeguard not applicable, 3 of 4 key known.
    const card = await onlyCard({ id: 'rd-none', level: 'T8', signs: METASTASIS });
    expectCard(card, {
      level: 'T8',
      category: 'malignant-favoured',
      indicator: 'warning',
      summary: ['P >99%', 'pedicle destroyed', 'nodular enhancement'],
      heldBy: undefined,
      biopsy: true,
    });
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(false);
  });

  it('MRI reader "benign" agreeing with a benign picture: info, and the impression is shown in the detail', async () => {
    const card = await onlyCard({
      id: 'rd-mri-agree',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, 'mri-impression': 'benign' },
    });
    expectCard(card, {
      level: 'L1',
      category: 'benign-favoured',
      indicator: 'info',
      heldBy: undefined,
      biopsy: false,
    });
    expect(card.detail).toMatch(/MRI (reader|impression)[^\n]*benign/i);
  });
});

describe('diffusion completes the constellation only through a measured ADC', () => {
  it('active breast cancer, pedicle preserved, no soft tissue, DWI high, no contrast, no ADC -> not benign-favoured: 2 of 4 key signs known', async () => {
    // Pre-test 0.67 (C50.9 active). LRs 0.175 (degree-2), 0.860, 0.815, 0.0522 (pedicle), 0.551,
    // 0.176 (DWI high), 0.680 (T1 low): odds 2.030 x 4.24e-4 = 8.6e-4, P 0.0009. DWI weighs but
    // does not count as diffusion: known = pedicle, soft tissue.
    const card = await onlyCard({
      id: 'dwi-brca',
      level: 'T10',
      signs: {
        'compression-degree': 'degree-2',
        'lesion-location': 'endplate-adjacent',
        'vertebral-contour': 'normal-or-depressed',
        pedicle: 'preserved',
        'paravertebral-soft-tissue': false,
        'dwi-signal': 'high',
        't1-low-signal': true,
      },
      conditions: [{ icd10: 'C50.9', display: 'Breast cancer', clinicalStatus: 'active' }],
    });
    expectCard(card, {
      level: 'T10',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['2 of 4 key signs known'],
      heldBy: ['constellation-rule'],
      biopsy: true,
      p: 0.00086,
    });
    expect([...card.extension['vcf-cds-assessment'].missingKeyDiscriminators].sort()).toEqual([
      'diffusion',
      'enhancement-pattern',
    ]);
  });

  it('the same picture with an ADC of 1.30 measured -> 3 of 4 known: benign-favoured, info', async () => {
    // No cancer history here: odds 0.974 x 4.24e-4 x 0.158 = 6.5e-5. Known: pedicle, soft tissue, ADC.
    const card = await onlyCard({
      id: 'dwi-adc',
      level: 'T10',
      signs: {
        'compression-degree': 'degree-2',
        'lesion-location': 'endplate-adjacent',
        'vertebral-contour': 'normal-or-depressed',
        pedicle: 'preserved',
        'paravertebral-soft-tissue': false,
        'dwi-signal': 'high',
        't1-low-signal': true,
        adc: 1.3,
      },
    });
    expectCard(card, {
      level: 'T10',
      category: 'benign-favoured',
      indicator: 'info',
      heldBy: undefined,
      biopsy: false,
    });
    expect(card.extension['vcf-cds-assessment'].missingKeyDiscriminators).toEqual([
      'enhancement-pattern',
    ]);
  });
});

describe('G4 with mixed signs', () => {
  it('G4 with all four benign discriminators and benign morphology -> safeguard applied, benign-favoured, info', async () => {
    // G4 LR set to 1; ADC 1.20. Odds 6.14e-7 x 1/0.474 (G1 out) = 1.3e-6.
    const card = await onlyCard({
      id: 'g4-applied-benign',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, 'lesion-extent': 'G4', adc: 1.2 },
    });
    expectCard(card, {
      level: 'L1',
      category: 'benign-favoured',
      indicator: 'info',
      heldBy: undefined,
      biopsy: false,
    });
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(true);
  });

  it('G4, four benign discriminators, but acute morphology (mild compression, oedema, DWI low) -> safeguard applied, never malignant-favoured', async () => {
    // With G4 at LR 1: 5.85 (degree-1) x 6.16 (margin) x 1.90 (bulging) x 3.85 (vein invaded)
    // x 5.55 (T1 not low) x 13.7 (T2 not low) x 10.6 (DWI low) x 0.0522 x 0.551 x 0.0579 x 0.158
    // (ADC 1.10) x 0.974 = odds 54.3, P 0.982: malignant-favoured by P, held back by the safeguard
    // and by key-sign agreement (no key discriminator malignant).
    const card = await onlyCard({
      id: 'g4-applied-mixed',
      level: 'L2',
      signs: {
        'lesion-extent': 'G4',
        'compression-degree': 'degree-1',
        'lesion-location': 'anterior-posterior-margin',
        'vertebral-contour': 'outward-bulging',
        'vertebral-vein': 'invaded',
        't1-low-signal': false,
        't2-low-signal': false,
        'dwi-signal': 'low',
        pedicle: 'preserved',
        'paravertebral-soft-tissue': false,
        'enhancement-pattern': 'flocculent',
        adc: 1.1,
      },
    });
    expectCard(card, {
      level: 'L2',
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['G4 safeguard', 'no key sign malignant'],
      summaryNot: ['G4 safeguard pending'],
      heldBy: ['g4-safeguard', 'key-sign-agreement'],
      biopsy: true,
      p: 0.9819,
    });
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(true);
  });

  it('G4, pedicle preserved and no soft tissue, no contrast, no ADC -> safeguard pending, not malignant-favoured', async () => {
    // G4 2.92 x degree-1 5.85 x bulging 1.90 x T1 not low 5.55 x T2 not low 13.7 x DWI low 10.6
    // x 0.0522 x 0.551 x 0.974 = odds 732, P 0.9986. Two key known; none malignant.
    const card = await onlyCard({
      id: 'g4-pending',
      level: 'T12',
      signs: {
        'lesion-extent': 'G4',
        'compression-degree': 'degree-1',
        'vertebral-contour': 'outward-bulging',
        't1-low-signal': false,
        't2-low-signal': false,
        'dwi-signal': 'low',
        pedicle: 'preserved',
        'paravertebral-soft-tissue': false,
      },
    });
    expectCard(card, {
      level: 'T12',
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['G4 safeguard pending', '2 of 4 key signs known', 'no key sign malignant'],
      heldBy: ['constellation-rule', 'g4-safeguard', 'key-sign-agreement'],
      biopsy: true,
      p: 0.9986,
    });
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(false);
  });

  it('G4 with pedicle destroyed, other discriminators benign -> safeguard not applied, red flag holds it off benign', async () => {
    // G4 2.92 counts; odds 6.14e-7 x 2.92/0.474 x 4.29/0.0522 = 3.1e-4, P 0.0003.
    const card = await onlyCard({
      id: 'g4-notapplied',
      level: 'L3',
      signs: { ...OSTEOPOROTIC, 'lesion-extent': 'G4', pedicle: 'destroyed', adc: 1.2 },
    });
    expectCard(card, {
      level: 'L3',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['pedicle destroyed'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(false);
  });

  it('G4 metastasis with soft-tissue mass and low ADC -> safeguard not applied, malignant-favoured', async () => {
    // degree-3 0.41 x G4 2.92 x bulging 1.90 x mass 5.43 x pedicle 4.29 x nodular 14.4 x DWI low
    // 10.6 x T1 not low 5.55 x T2 not low 13.7 x ADC 0.62: 9.12 -> odds >> 9: P > 0.99.
    const card = await onlyCard({
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
    });
    expectCard(card, {
      level: 'T6',
      category: 'malignant-favoured',
      indicator: 'warning',
      summary: ['P >99%'],
      heldBy: undefined,
      biopsy: true,
    });
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(false);
  });
});

describe('acute osteoporotic oedema is never called malignant on morphology alone', () => {
  it('mild compression, T1 low, T2 bright, DWI low, pedicle preserved, no mass, no contrast -> indeterminate', async () => {
    // 5.85 x 0.680 x 13.7 x 10.6 x 0.0522 x 0.551 x 0.974 = odds 16.2, P 0.942: malignant by P,
    // carried by compression/T2/DWI; no key sign malignant and only 2 of 4 key known.
    const card = await onlyCard({
      id: 'osteo-acute',
      level: 'L1',
      signs: {
        'compression-degree': 'degree-1',
        't1-low-signal': true,
        't2-low-signal': false,
        'dwi-signal': 'low',
        pedicle: 'preserved',
        'paravertebral-soft-tissue': false,
      },
    });
    expectCard(card, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: ['no key sign malignant', '2 of 4 key signs known'],
      heldBy: ['constellation-rule', 'key-sign-agreement'],
      biopsy: true,
      p: 0.9418,
    });
  });

  it('the same oedema with flocculent enhancement (3 of 4 key known, all benign) -> key-sign agreement alone holds it', async () => {
    // degree-1 5.85 x G3 1.46 x margin 6.16 x bulging 1.90 x vein not visible 1.46 x T1 low 0.680
    // x T2 not low 13.7 x DWI low 10.6 x pedicle 0.0522 x no mass 0.551 x flocculent 0.0579
    // x 0.974 = odds 23.2, P 0.959.
    const card = await onlyCard({
      id: 'osteo-acute-contrast',
      level: 'T12',
      signs: {
        'compression-degree': 'degree-1',
        'lesion-extent': 'G3',
        'lesion-location': 'anterior-posterior-margin',
        'vertebral-contour': 'outward-bulging',
        'vertebral-vein': 'not-visible',
        't1-low-signal': true,
        't2-low-signal': false,
        'dwi-signal': 'low',
        pedicle: 'preserved',
        'paravertebral-soft-tissue': false,
        'enhancement-pattern': 'flocculent',
      },
    });
    expectCard(card, {
      level: 'T12',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['no key sign malignant'],
      heldBy: ['key-sign-agreement'],
      biopsy: true,
      p: 0.9586,
    });
  });
});

describe('same-time conflicts between two readers', () => {
  /** Two readers on one study: the same effective time and report time, different values. */
  const twoReaders = (
    sign: 'pedicle' | 'enhancement-pattern' | 'adc' | 't2-low-signal',
    a: unknown,
    b: unknown,
  ) =>
    [a, b].map((value) => ({
      sign,
      value: value as never,
      effective: STUDY_TIME,
      issued: REPORT_TIME,
    }));

  it('pedicle destroyed vs preserved at the same time, rest benign -> red flag, pedicle unknown, conflict named', async () => {
    // Neither pedicle multiplied: odds 6.14e-7 / 0.0522 = 1.2e-5. Known: soft tissue,
    // enhancement, ADC (3): the constellation holds; the red flag does not let it be benign.
    const card = await onlyCard({
      id: 'cf-pedicle',
      level: 'L1',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: twoReaders('pedicle', 'destroyed', 'preserved'),
    });
    expectCard(card, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summaryAnyOf: [
        'conflicting pedicle: destroyed vs preserved',
        'conflicting pedicle: preserved vs destroyed',
      ],
      heldBy: ['red-flag'],
      biopsy: true,
    });
    expect(card.extension['vcf-cds-assessment'].missingKeyDiscriminators).toEqual(['pedicle']);
  });

  it('enhancement flocculent vs nodular at the same time, no ADC -> red flag and 2 of 4 key known', async () => {
    // Odds 6.14e-7 / 0.0579 / 0.158 = 6.7e-5. Known: pedicle, soft tissue (DWI does not count).
    const card = await onlyCard({
      id: 'cf-enh',
      level: 'L2',
      signs: without(OSTEOPOROTIC, 'enhancement-pattern', 'adc'),
      extra: twoReaders('enhancement-pattern', 'flocculent', 'nodular'),
    });
    expectCard(card, {
      level: 'L2',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['conflicting enhancement'],
      heldBy: ['constellation-rule', 'red-flag'],
      biopsy: true,
    });
  });

  it('two ADC readings 1.20 vs 1.40 at the same time, no contrast -> ADC unknown: 2 of 4 key signs known', async () => {
    // Both benign, so no red flag; neither multiplied. Odds 6.7e-5 (as above). Known: pedicle,
    // soft tissue.
    const card = await onlyCard({
      id: 'cf-adc',
      level: 'L3',
      signs: without(OSTEOPOROTIC, 'enhancement-pattern', 'adc'),
      extra: twoReaders('adc', 1.2, 1.4),
    });
    expectCard(card, {
      level: 'L3',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['2 of 4 key signs known'],
      heldBy: ['constellation-rule'],
      biopsy: true,
    });
  });

  it('T2 low yes vs no at the same time (not a key sign), rest benign -> benign-favoured, conflict named, still info', async () => {
    // T2 dropped: odds 6.14e-7 / 0.478 = 1.3e-6. A non-key conflict keeps the card off nothing
    // (DECISIONS.md: only a key-sign conflict does), but the summary names it.
    const card = await onlyCard({
      id: 'cf-t2',
      level: 'L4',
      signs: without(OSTEOPOROTIC, 't2-low-signal'),
      extra: twoReaders('t2-low-signal', true, false),
    });
    expectCard(card, {
      level: 'L4',
      category: 'benign-favoured',
      indicator: 'info',
      summary: ['conflicting'],
      heldBy: undefined,
    });
  });
});

describe('conflicts by date: the later finding wins and the conflict is named', () => {
  it('pedicle preserved on the January MRI, destroyed on the November CT -> destroyed wins: red flag', async () => {
    const card = await onlyCard({
      id: 'dt-worse',
      level: 'L1',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: [
        {
          sign: 'pedicle',
          value: 'preserved',
          effective: '2026-01-10T08:00:00Z',
          issued: '2026-01-10T12:00:00Z',
        },
        { sign: 'pedicle', value: 'destroyed', effective: STUDY_TIME, issued: REPORT_TIME },
      ],
    });
    expectCard(card, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['pedicle destroyed'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
    expect(`${card.summary}\n${card.detail}`).toMatch(/conflict/i);
  });

  it('pedicle destroyed in January, preserved on the November re-read -> preserved wins: benign-favoured, but not info (key-sign conflict)', async () => {
    const card = await onlyCard({
      id: 'dt-better',
      level: 'L2',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: [
        {
          sign: 'pedicle',
          value: 'destroyed',
          effective: '2026-01-10T08:00:00Z',
          issued: '2026-01-10T12:00:00Z',
        },
        { sign: 'pedicle', value: 'preserved', effective: STUDY_TIME, issued: REPORT_TIME },
      ],
    });
    expectCard(card, {
      level: 'L2',
      category: 'benign-favoured',
      indicator: 'warning',
      heldBy: undefined,
    });
    expect(`${card.summary}\n${card.detail}`).toMatch(/conflict/i);
  });
});

describe('cancer history counts in every clinicalStatus; only refuted / entered-in-error exclude it', () => {
  /**
   * Acute-looking fracture with an ADC measured, no contrast: degree-1 5.85 x G3 1.46 x T2 not
   * low 13.7 x pedicle preserved 0.0522 x no mass 0.551 x ADC 1.05 0.158 = 0.529.
   * Without history: odds 0.974 x 0.529 = 0.516, P 0.340. With history: 2.030 x 0.529 = 1.075,
   * P 0.518. Indeterminate either way, no rule holding it.
   */
  const picture: Signs = {
    'compression-degree': 'degree-1',
    'lesion-extent': 'G3',
    't2-low-signal': false,
    pedicle: 'preserved',
    'paravertebral-soft-tissue': false,
    adc: 1.05,
  };
  const P_NO_HISTORY = 0.3402;
  const P_HISTORY = 0.5181;

  const prostate = (c: Partial<ConditionSpec>): ConditionSpec => ({
    icd10: 'C61',
    display: 'Malignant neoplasm of prostate',
    ...c,
  });

  const counted: [ClinicalStatus, string | undefined][] = [
    ['active', undefined],
    ['recurrence', undefined],
    ['relapse', undefined],
    ['remission', undefined],
    ['resolved', '2021-06-30'],
    ['inactive', '2020-01-15'],
  ];
  it.each(counted)('clinicalStatus %s -> pre-test 0.67, P 0.518', async (status, abatedOn) => {
    const card = await onlyCard({
      id: `hx-${status}`,
      level: 'L3',
      signs: picture,
      conditions: [prostate({ clinicalStatus: status, ...(abatedOn ? { abatedOn } : {}) })],
    });
    expectCard(card, {
      level: 'L3',
      category: 'indeterminate',
      indicator: 'warning',
      heldBy: undefined,
      biopsy: true,
      p: P_HISTORY,
    });
  });

  it.each([
    ['refuted', prostate({ clinicalStatus: 'active', verificationStatus: 'refuted' })],
    ['entered-in-error', prostate({ verificationStatus: 'entered-in-error' })],
  ] as const)('verificationStatus %s -> no history: P 0.340', async (name, c) => {
    const card = await onlyCard({ id: `hx-${name}`, level: 'L3', signs: picture, conditions: [c] });
    expectCard(card, {
      level: 'L3',
      category: 'indeterminate',
      indicator: 'warning',
      heldBy: undefined,
      p: P_NO_HISTORY,
    });
  });

  it('no cancer condition at all -> P 0.340 (the control)', async () => {
    const card = await onlyCard({ id: 'hx-none', level: 'L3', signs: picture });
    expectCard(card, {
      level: 'L3',
      category: 'indeterminate',
      indicator: 'warning',
      heldBy: undefined,
      p: P_NO_HISTORY,
    });
  });
});

describe('unit slips in the ADC', () => {
  it('ADC 0.75 sent as um2/s (0.00075 x10^-3 mm2/s) -> implausibly low named, never info', async () => {
    // Used as received: below the cut-off (LR 9.12), a red flag too. Odds 3.5e-5.
    const card = await onlyCard({
      id: 'unit-um2',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, adc: { value: 0.75, unit: 'um2/s' } },
    });
    expectCard(card, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['ADC implausibly low: check the unit', 'ADC below cut-off'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
    // The value and unit as received are shown beside the converted one.
    expect(card.detail).toMatch(/0\.75\s*(um2\/s|µm2\/s|µm²\/s)/);
  });

  it('ADC 0.00075 sent in mm2/s (= 0.75 x10^-3) -> a plausible low ADC: red flag, not "implausibly low"', async () => {
    const card = await onlyCard({
      id: 'unit-mm2',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, adc: { value: 0.00075, unit: 'mm2/s' } },
    });
    expectCard(card, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['ADC below cut-off'],
      summaryNot: ['implausibly'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });

  it('ADC 1200 x10^-6 mm2/s (= 1.20) on a benign picture -> benign-favoured, info', async () => {
    const card = await onlyCard({
      id: 'unit-e6',
      level: 'L1',
      signs: { ...OSTEOPOROTIC, adc: { value: 1200, unit: '10*-6.mm2/s' } },
    });
    expectCard(card, {
      level: 'L1',
      category: 'benign-favoured',
      indicator: 'info',
      summaryNot: ['implausibly', 'ADC below cut-off'],
      heldBy: undefined,
    });
  });
});

describe('order hooks: every augmentation is checked', () => {
  it.each(['order-sign', 'order-select'] as const)(
    '%s: vertebroplasty of T12 for a patient with no findings at all -> critical, no biopsy ordered',
    async (hook) => {
      const p = patient({ id: `ord-none-${hook}` });
      const cards = await orderCall(svc, hook, p, [order('vp1', p, VP_THORACIC, 'T12')]);
      expect(cards).toHaveLength(1);
      expectCard(cards[0]!, {
        level: 'T12',
        category: 'indeterminate',
        indicator: 'critical',
        summary: ['vertebroplasty ordered without biopsy'],
        summaryHead: false,
        heldBy: undefined,
        biopsy: true,
      });
    },
  );

  it('no findings, a vertebroplasty of T12 and a kyphoplasty of L1 -> one critical card each', async () => {
    const p = patient({ id: 'ord-none-two' });
    const cards = await orderCall(svc, 'order-select', p, [
      order('vp1', p, VP_THORACIC, 'T12'),
      order('kp1', p, KP_LUMBAR, 'L1'),
    ]);
    expect(cards.map((c) => c.extension['vcf-cds-assessment'].level).sort()).toEqual(['L1', 'T12']);
    expect(cards.map((c) => c.indicator)).toEqual(['critical', 'critical']);
    expect(cardFor(cards, 'L1').summary.toLowerCase()).toContain(
      'kyphoplasty ordered without biopsy',
    );
  });

  it('no findings, kyphoplasty of L1 with a biopsy of L1 -> warning, not critical', async () => {
    const p = patient({ id: 'ord-none-bx' });
    const cards = await orderCall(svc, 'order-sign', p, [
      order('kp1', p, KP_LUMBAR, 'L1'),
      order('bx1', p, BIOPSY, 'L1'),
    ]);
    expect(cards).toHaveLength(1);
    expectCard(cards[0]!, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['biopsy ordered with the kyphoplasty'],
      summaryHead: false,
      heldBy: undefined,
    });
  });

  it('pedicle-destroyed level (otherwise benign) -> vertebroplasty without biopsy is critical, red flag named', async () => {
    const p = patient({
      id: 'ord-rf',
      level: 'L2',
      signs: { ...OSTEOPOROTIC, pedicle: 'destroyed' },
    });
    const cards = await orderCall(svc, 'order-sign', p, [order('vp1', p, VP_LUMBAR, 'L2')]);
    expectCard(cardFor(cards, 'L2'), {
      level: 'L2',
      category: 'indeterminate',
      indicator: 'critical',
      summary: ['pedicle destroyed', 'vertebroplasty ordered without biopsy'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });

  it('soft-tissue level on order-select (vcf-procedure-select) -> kyphoplasty without biopsy is critical', async () => {
    const p = patient({
      id: 'ord-rf-select',
      level: 'T11',
      signs: { ...OSTEOPOROTIC, 'paravertebral-soft-tissue': true },
    });
    const cards = await orderCall(svc, 'order-select', p, [order('kp1', p, KP_THORACIC, 'T11')]);
    expectCard(cardFor(cards, 'T11'), {
      level: 'T11',
      category: 'indeterminate',
      indicator: 'critical',
      summary: ['paravertebral soft tissue involved', 'kyphoplasty ordered without biopsy'],
      heldBy: ['red-flag'],
      biopsy: true,
    });
  });

  it('a benign level, kyphoplasty on order-select -> info, never critical (the control)', async () => {
    const p = patient({ id: 'ord-benign', level: 'L1', signs: OSTEOPOROTIC });
    const cards = await orderCall(svc, 'order-select', p, [order('kp1', p, KP_LUMBAR, 'L1')]);
    expectCard(cardFor(cards, 'L1'), {
      level: 'L1',
      category: 'benign-favoured',
      indicator: 'info',
      heldBy: undefined,
      biopsy: false,
    });
  });

  it('findings recorded without a bodySite (malignant picture), kyphoplasty of L2 -> critical, the unlocalised findings named', async () => {
    // Unspecified: degree-1, G4, pedicle destroyed, mass, T2 not low, CT malignant: P > 0.9999
    // but only 2 of 4 key known; red flags either way.
    const p = patient({
      id: 'ord-unloc',
      level: null,
      signs: {
        'compression-degree': 'degree-1',
        'lesion-extent': 'G4',
        pedicle: 'destroyed',
        'paravertebral-soft-tissue': true,
        't2-low-signal': false,
        'ct-impression': 'malignant',
      },
    });
    const cards = await orderCall(svc, 'order-sign', p, [order('kp1', p, KP_LUMBAR, 'L2')]);
    const card = cardFor(cards, 'L2');
    expect(card.indicator).toBe('critical');
    expect(card.summary.toLowerCase()).toContain('kyphoplasty ordered without biopsy');
    expect(card.summary.length).toBeLessThan(140);
    expect(card.detail.length).toBeLessThanOrEqual(2500);
    expect(card.detail).toMatch(/unspecified|without a (vertebral )?level|no (vertebral )?level/i);
  });

  it('L1 benign, plus a CT report without a level saying the pedicle is destroyed -> kyphoplasty of L1 is critical', async () => {
    const p = patient({
      id: 'ord-unloc-rf',
      level: 'L1',
      signs: OSTEOPOROTIC,
      extra: [{ sign: 'pedicle', value: 'destroyed', level: null }],
    });
    const cards = await orderCall(svc, 'order-sign', p, [order('kp1', p, KP_LUMBAR, 'L1')]);
    const card = cardFor(cards, 'L1');
    expect(card.indicator).toBe('critical');
    expect(card.summary.toLowerCase()).toContain('kyphoplasty ordered without biopsy');
    expect(card.detail).toMatch(/unspecified|without a (vertebral )?level|no (vertebral )?level/i);
  });

  it('CPT under its OID: vertebroplasty of a metastatic L2 -> critical', async () => {
    const p = patient({ id: 'ord-oid', level: 'L2', signs: METASTASIS });
    const cards = await orderCall(svc, 'order-sign', p, [
      order('vp1', p, VP_LUMBAR, 'L2', CPT_OID),
    ]);
    expectCard(cardFor(cards, 'L2'), {
      level: 'L2',
      category: 'malignant-favoured',
      indicator: 'critical',
      summary: ['vertebroplasty ordered without biopsy'],
      heldBy: undefined,
      biopsy: true,
    });
  });

  it('CPT under its OID for both the kyphoplasty and the biopsy -> the biopsy is seen: warning', async () => {
    const p = patient({ id: 'ord-oid-bx', level: 'L2', signs: METASTASIS });
    const cards = await orderCall(svc, 'order-sign', p, [
      order('kp1', p, KP_LUMBAR, 'L2', CPT_OID),
      order('bx1', p, BIOPSY, 'L2', CPT_OID),
    ]);
    expectCard(cardFor(cards, 'L2'), {
      level: 'L2',
      category: 'malignant-favoured',
      indicator: 'warning',
      summary: ['biopsy ordered with the kyphoplasty'],
      heldBy: undefined,
    });
  });
});
