/** One named fixture per clinical scenario (engine level, no FHIR). */
import type { Finding } from '../../src/engine/index.js';

/** Classic osteoporotic fracture: every sign on the paper's benign side, all 14 findings. */
export const classicOsteoporotic: readonly Finding[] = [
  { sign: 'compression-degree', value: 'degree-2' },
  { sign: 'lesion-extent', value: 'G2' },
  { sign: 'lesion-location', value: 'endplate-adjacent' },
  { sign: 'vertebral-contour', value: 'normal-or-depressed' },
  { sign: 'paravertebral-soft-tissue', value: false },
  { sign: 'vertebral-vein', value: 'not-invaded' },
  { sign: 'pedicle', value: 'preserved' },
  { sign: 'enhancement-pattern', value: 'flocculent' },
  { sign: 'dwi-signal', value: 'high' },
  { sign: 't1-low-signal', value: true },
  { sign: 't2-low-signal', value: true },
  { sign: 'adc', value: 1.45 },
  { sign: 'ct-impression', value: 'benign' },
  { sign: 'mri-impression', value: 'benign' },
];

/** Classic metastatic fracture: every sign on the paper's malignant side, all 14 findings. */
export const classicMetastatic: readonly Finding[] = [
  { sign: 'compression-degree', value: 'degree-1' },
  { sign: 'lesion-extent', value: 'G4' },
  { sign: 'lesion-location', value: 'anterior-posterior-margin' },
  { sign: 'vertebral-contour', value: 'outward-bulging' },
  { sign: 'paravertebral-soft-tissue', value: true },
  { sign: 'vertebral-vein', value: 'invaded' },
  { sign: 'pedicle', value: 'destroyed' },
  { sign: 'enhancement-pattern', value: 'nodular' },
  { sign: 'dwi-signal', value: 'low' },
  { sign: 't1-low-signal', value: false },
  { sign: 't2-low-signal', value: false },
  { sign: 'adc', value: 0.72 },
  { sign: 'ct-impression', value: 'malignant' },
  { sign: 'mri-impression', value: 'malignant' },
];

/**
 * G4 with all four benign discriminators, plus malignant-leaning signs that would otherwise push
 * it over the malignant threshold (degree I compression, outward bulging, CT read as malignant).
 */
export const g4AllBenignDiscriminators: readonly Finding[] = [
  { sign: 'lesion-extent', value: 'G4' },
  { sign: 'pedicle', value: 'preserved' },
  { sign: 'paravertebral-soft-tissue', value: false },
  { sign: 'enhancement-pattern', value: 'flocculent' },
  { sign: 'adc', value: 1.3 },
  { sign: 'compression-degree', value: 'degree-1' },
  { sign: 'vertebral-contour', value: 'outward-bulging' },
  { sign: 'lesion-location', value: 'anterior-posterior-margin' },
  { sign: 'ct-impression', value: 'malignant' },
];

/** G4 with nodular enhancement and destroyed pedicles. */
export const g4NodularDestroyed: readonly Finding[] = [
  { sign: 'lesion-extent', value: 'G4' },
  { sign: 'pedicle', value: 'destroyed' },
  { sign: 'enhancement-pattern', value: 'nodular' },
  { sign: 'paravertebral-soft-tissue', value: true },
  { sign: 'adc', value: 0.7 },
];

/** Only two findings: no key discriminator known. */
export const twoFindingsOnly: readonly Finding[] = [
  { sign: 'compression-degree', value: 'degree-2' },
  { sign: 'lesion-extent', value: 'G3' },
];

/**
 * G4 with two benign discriminators known (pedicle preserved, no soft tissue), none malignant,
 * enhancement and ADC unknown, strong malignant signs besides: the G4 safeguard is pending.
 */
export const g4PendingEnhancementAdcUnknown: readonly Finding[] = [
  { sign: 'lesion-extent', value: 'G4' },
  { sign: 'pedicle', value: 'preserved' },
  { sign: 'paravertebral-soft-tissue', value: false },
  { sign: 'dwi-signal', value: 'low' },
  { sign: 't1-low-signal', value: false },
  { sign: 't2-low-signal', value: false },
  { sign: 'ct-impression', value: 'malignant' },
];
