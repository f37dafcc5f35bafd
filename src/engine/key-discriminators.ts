/**
 * The constellation rule and the G4 safeguard (docs/clinical-logic.md section 3; the paper's Discussion on
 * the 13 of 76 benign fractures that were G4).
 */
import { G4_SAFEGUARD_MIN_BENIGN, MIN_KEY_DISCRIMINATORS_KNOWN } from '../knowledge/index.js';
import type {
  KeyDiscriminator,
  KeySign,
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

/**
 * The sign that makes each key discriminator known (docs/clinical-logic.md section 3). Diffusion is known
 * only through a measured ADC: the visual DWI signal's direction is contested (the paper reads
 * high DWI as benign, much of the literature as malignant), so it weighs by the paper's counts but
 * never completes the picture that allows a definite call.
 */
export const KEY_DISCRIMINATOR_SIGNS: Readonly<Record<KeyDiscriminator, KeySign>> = {
  pedicle: 'pedicle',
  'paravertebral-soft-tissue': 'paravertebral-soft-tissue',
  'enhancement-pattern': 'enhancement-pattern',
  diffusion: 'adc',
};

/**
 * Which key discriminators are known: their sign present and not reported with conflicting values
 * at the same time (a conflict counts as unknown, docs/clinical-logic.md section 1).
 */
export function constellation(
  bySign: ReadonlyMap<Sign, Finding>,
  conflicted: ReadonlySet<Sign>,
): { known: KeyDiscriminator[]; missing: KeyDiscriminator[]; required: number; met: boolean } {
  const known: KeyDiscriminator[] = [];
  const missing: KeyDiscriminator[] = [];
  for (const d of KEY_DISCRIMINATORS) {
    const sign = KEY_DISCRIMINATOR_SIGNS[d];
    (bySign.has(sign) && !conflicted.has(sign) ? known : missing).push(d);
  }
  const required = MIN_KEY_DISCRIMINATORS_KNOWN.value;
  return { known, missing, required, met: known.length >= required };
}

function stateOf(
  d: SafeguardDiscriminator,
  bySign: ReadonlyMap<Sign, Finding>,
  adc: AdcBand | undefined,
  flagged: ReadonlySet<KeySign>,
): SafeguardState {
  // A red flag, a conflict included, is a discriminator favouring malignancy: the safeguard
  // protects a benign-looking G4 lesion, never one with a possible destroyed pedicle.
  if (flagged.has(d)) return 'favours-malignant';
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
export function g4Safeguard(
  bySign: ReadonlyMap<Sign, Finding>,
  adc: AdcBand | undefined,
  flagged: ReadonlySet<KeySign>,
): SafeguardVerdict {
  if (bySign.get('lesion-extent')?.value !== 'G4') return { status: 'not-applicable' };
  const discriminators: { discriminator: SafeguardDiscriminator; state: SafeguardState }[] = [];
  const toObtain: SafeguardDiscriminator[] = [];
  let favoursBenign = 0;
  let favoursMalignant = 0;
  for (const discriminator of SAFEGUARD_DISCRIMINATORS) {
    const state = stateOf(discriminator, bySign, adc, flagged);
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
