/**
 * The red-flag rule and key-sign agreement (docs/clinical-logic.md section 3, v2). Each key discriminator
 * has a malignant value: pedicle destroyed, paravertebral soft tissue involved, nodular
 * enhancement, ADC below the cut-off. Naive Bayes lets ten correlated benign signs drown a single
 * destroyed pedicle or soft-tissue mass, and such a lesion needs tissue: a level with one is never
 * benign-favoured. Conversely a malignant call needs one of them: morphology, T1/T2 and DWI rows
 * alone (an acute osteoporotic fracture: mild compression, T2-bright oedema, DWI low) do not make
 * a tumour.
 */
import type { KeySign, RedFlag, SignConflict } from './assessment.js';
import type { Finding, Sign } from './finding.js';
import { adcBand } from './likelihood.js';
import type { AdcRule } from '../knowledge/index.js';

/** The key signs in the order the card names them. */
export const KEY_SIGNS: readonly KeySign[] = [
  'pedicle',
  'paravertebral-soft-tissue',
  'enhancement-pattern',
  'adc',
];

const KEY_SIGN_SET: ReadonlySet<Sign> = new Set(KEY_SIGNS);

export function isKeySign(sign: Sign): sign is KeySign {
  return KEY_SIGN_SET.has(sign);
}

/** Whether a value of a key sign is its malignant value (ADC: below the rule's cut-off). */
export function isMalignantKeyValue(sign: KeySign, value: Finding['value'], adc: AdcRule): boolean {
  switch (sign) {
    case 'pedicle':
      return value === 'destroyed';
    case 'paravertebral-soft-tissue':
      return value === true;
    case 'enhancement-pattern':
      return value === 'nodular';
    case 'adc':
      return typeof value === 'number' && adcBand(value, adc) === 'below-cutoff';
  }
}

/**
 * The red flags of a level: each key sign found at its malignant value, and each key sign reported
 * at the same time with conflicting values of which one is malignant. `weighed` holds the findings
 * of unconflicted signs only.
 */
export function redFlagsOf(
  weighed: ReadonlyMap<Sign, Finding>,
  conflicts: readonly SignConflict[],
  adc: AdcRule,
): RedFlag[] {
  const flags: RedFlag[] = [];
  for (const sign of KEY_SIGNS) {
    const finding = weighed.get(sign);
    if (finding !== undefined && isMalignantKeyValue(sign, finding.value, adc)) {
      flags.push({ sign, kind: 'finding', values: [finding.value] });
      continue;
    }
    const conflict = conflicts.find((c) => c.sign === sign);
    if (conflict !== undefined && conflict.values.some((v) => isMalignantKeyValue(sign, v, adc))) {
      flags.push({ sign, kind: 'conflict', values: conflict.values });
    }
  }
  return flags;
}

/**
 * Key-sign agreement: at least one key sign found (not merely one of two conflicting values) at
 * its malignant value.
 */
export function hasMalignantKeySign(flags: readonly RedFlag[]): boolean {
  return flags.some((f) => f.kind === 'finding');
}
