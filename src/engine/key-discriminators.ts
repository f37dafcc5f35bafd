/**
 * The constellation rule and the G4 safeguard (CLINICAL-SPEC section 3; the paper's Discussion on
 * the 13 of 76 benign fractures that were G4).
 */
import { G4_SAFEGUARD_MIN_BENIGN, MIN_KEY_DISCRIMINATORS_KNOWN } from '../knowledge/index.js';
import type {
  KeyDiscriminator,
  SafeguardDiscriminator,
  SafeguardState,
  SafeguardVerdict,
} from './assessment.js';
import type { Finding, Sign } from './finding.js';
import type { AdcBand } from './likelihood.js';

export const KEY_DISCRIMINATORS: readonly KeyDiscriminator[] = [
  'pedicle',
  'paravertebral-soft-tissue',
  'enhancement-pattern',
  'diffusion',
];

/** The signs that make each key discriminator known (CLINICAL-SPEC section 3: diffusion is ADC or DWI). */
export const KEY_DISCRIMINATOR_SIGNS: Readonly<Record<KeyDiscriminator, readonly Sign[]>> = {
  pedicle: ['pedicle'],
  'paravertebral-soft-tissue': ['paravertebral-soft-tissue'],
  'enhancement-pattern': ['enhancement-pattern'],
  diffusion: ['adc', 'dwi-signal'],
};

/**
 * Which key discriminators are known. Diffusion is known from ADC, or from DWI signal when DWI
 * carries weight: a DWI reading the site has chosen to ignore does not make the picture complete.
 */
export function constellation(
  bySign: ReadonlyMap<Sign, Finding>,
  useDwi: boolean,
): { known: KeyDiscriminator[]; missing: KeyDiscriminator[]; required: number; met: boolean } {
  const known: KeyDiscriminator[] = [];
  const missing: KeyDiscriminator[] = [];
  for (const d of KEY_DISCRIMINATORS) {
    const isKnown = KEY_DISCRIMINATOR_SIGNS[d].some(
      (sign) => bySign.has(sign) && (sign !== 'dwi-signal' || useDwi),
    );
    (isKnown ? known : missing).push(d);
  }
  const required = MIN_KEY_DISCRIMINATORS_KNOWN.value;
  return { known, missing, required, met: known.length >= required };
}

function stateOf(
  d: SafeguardDiscriminator,
  bySign: ReadonlyMap<Sign, Finding>,
  adc?: AdcBand,
): SafeguardState {
  if (d === 'adc') {
    if (adc === undefined) return 'unknown';
    return adc === 'at-or-above-cutoff' ? 'favours-benign' : 'favours-malignant';
  }
  const f = bySign.get(d);
  if (f === undefined) return 'unknown';
  // Paper, Discussion: (1) pedicles preserved, (2) no paravertebral soft-tissue mass,
  // (3) flocculent, non-nodular enhancement, (4) higher ADC.
  const benign =
    d === 'pedicle' ? 'preserved' : d === 'paravertebral-soft-tissue' ? false : 'flocculent';
  return f.value === benign ? 'favours-benign' : 'favours-malignant';
}

const SAFEGUARD_DISCRIMINATORS: readonly SafeguardDiscriminator[] = [
  'pedicle',
  'paravertebral-soft-tissue',
  'enhancement-pattern',
  'adc',
];

/**
 * G4 safeguard: when lesion extent is G4 and at least three of the four benign discriminators favour
 * benign with none favouring malignant, the G4 finding weighs nothing and the level may not be
 * called malignant-favoured. While it could still apply (none favours malignancy, some unknown),
 * it is pending: the level is not called malignant-favoured either, until the unknown ones are in.
 */
export function g4Safeguard(bySign: ReadonlyMap<Sign, Finding>, adc?: AdcBand): SafeguardVerdict {
  if (bySign.get('lesion-extent')?.value !== 'G4') return { status: 'not-applicable' };
  const discriminators: { discriminator: SafeguardDiscriminator; state: SafeguardState }[] = [];
  const toObtain: SafeguardDiscriminator[] = [];
  let favoursBenign = 0;
  let favoursMalignant = 0;
  for (const discriminator of SAFEGUARD_DISCRIMINATORS) {
    const state = stateOf(discriminator, bySign, adc);
    discriminators.push({ discriminator, state });
    if (state === 'favours-benign') favoursBenign++;
    else if (state === 'favours-malignant') favoursMalignant++;
    else toObtain.push(discriminator);
  }
  const needed = G4_SAFEGUARD_MIN_BENIGN.value;
  // Pending: nothing favours malignancy yet, and the unknown ones could still make it apply.
  const status =
    favoursMalignant > 0
      ? 'not-applied'
      : favoursBenign >= needed
        ? 'applied'
        : favoursBenign + toObtain.length >= needed
          ? 'pending'
          : 'not-applied';
  return {
    status,
    discriminators,
    favoursBenign,
    favoursMalignant,
    toObtain,
  };
}
