/**
 * What a card must say before anything else (docs/clinical-logic.md section 4): the red flags, every rule
 * that held the category back, reader discordance, and the data problems that keep a card off
 * `info`. Each reason has its few summary words and its one detail line, so the summary and the
 * detail cannot disagree. The judgements themselves come from the engine (Assessment) and the
 * FHIR layer (DataQuality); this file only words them.
 */
import {
  isKeySign,
  type Assessment,
  type KeySign,
  type RedFlag,
  type SafeguardDiscriminator,
  type Sign,
} from '../engine/index.js';
import { ADC_IMPLAUSIBLY_LOW, SOURCES } from '../knowledge/index.js';
import { categoryLabel, formatAdc, type Thresholds } from './format.js';
import { NO_PATIENT_CONTEXT, type LevelReport, type PatientContext } from './level-report.js';
import { clip, literal } from './markdown.js';

export interface Reason {
  /** Lower-case words for the summary, e.g. "pedicle destroyed". */
  readonly short: string;
  /** Set on red flags: every one must reach the summary, in fewer words if need be. */
  readonly redFlag?: { readonly compact: string };
  /** False for a detail line that held nothing back (a G4 safeguard not applied). */
  readonly inSummary?: false;
  /** One markdown line for the detail. */
  readonly line: string;
  /** Keeps a benign-favoured card off `info`. */
  readonly alert: boolean;
}

/** A key sign at its malignant value, in the summary's words. */
const RED_FLAG_WORDS: Readonly<Record<KeySign, string>> = {
  pedicle: 'pedicle destroyed',
  'paravertebral-soft-tissue': 'paravertebral soft tissue involved',
  'enhancement-pattern': 'nodular enhancement',
  adc: 'ADC below cut-off',
};

/** A sign's name inside a sentence ("pedicle", "T2 low signal"). */
const SIGN_WORDS: Readonly<Record<Sign, string>> = {
  'compression-degree': 'compression degree',
  'lesion-extent': 'lesion extent',
  'lesion-location': 'lesion location',
  'vertebral-contour': 'contour',
  'paravertebral-soft-tissue': 'paravertebral soft tissue',
  'vertebral-vein': 'vertebral vein',
  pedicle: 'pedicle',
  'enhancement-pattern': 'enhancement',
  'dwi-signal': 'DWI signal',
  't1-low-signal': 'T1 low signal',
  't2-low-signal': 'T2 low signal',
  adc: 'ADC',
  'adc-reference': 'reference ADC',
  'ct-impression': 'CT impression',
  'mri-impression': 'MRI impression',
};

/** A value in a few words ("destroyed", "yes", "0.75"): the summary has no room for more. */
function shortValue(value: string | boolean | number, t: Thresholds): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return formatAdc(value, t.adcCutoff);
  return value;
}

const READER: Readonly<Record<'ct-impression' | 'mri-impression', string>> = {
  'ct-impression': 'CT reader',
  'mri-impression': 'MRI reader',
};

const SAFEGUARD_WORDS: Readonly<Record<SafeguardDiscriminator, string>> = {
  pedicle: 'pedicle preserved',
  'paravertebral-soft-tissue': 'no paravertebral soft-tissue mass',
  'enhancement-pattern': 'flocculent, non-nodular enhancement',
  adc: 'ADC in the benign range',
};

const STATE_MARK = {
  'favours-benign': 'yes',
  'favours-malignant': 'no',
  unknown: 'unknown',
} as const;

/** What to obtain for each benign discriminator of the G4 safeguard. */
const TO_OBTAIN: Readonly<Record<SafeguardDiscriminator, string>> = {
  pedicle: 'pedicle morphology (CT or MRI)',
  'paravertebral-soft-tissue': 'paravertebral soft tissue (MRI)',
  'enhancement-pattern': 'contrast-enhanced MRI',
  adc: 'an ADC map',
};

function conflictValues(values: readonly (string | boolean | number)[], t: Thresholds): string {
  return values.map((v) => shortValue(v, t)).join(' vs ');
}

function redFlagReason(flag: RedFlag, a: Assessment, r: LevelReport, t: Thresholds): Reason {
  const held = a.limitedBy.includes('red-flag')
    ? ` P alone would give ${categoryLabel(a.probabilityCategory)}; a key sign of malignancy keeps this level from benign-favoured (red-flag rule).`
    : ' A key sign of malignancy: never benign-favoured.';
  if (flag.kind === 'conflict') {
    const reports = r.quality.sameTime.find((c) => c.sign === flag.sign)?.reports ?? [];
    const named = reports
      .slice(0, 2)
      .map((x) => `${literal(clip(x.value, 40))} (${literal(clip(x.ref, 50))})`)
      .join(' vs ');
    const more = reports.length > 2 ? ` and ${reports.length - 2} more` : '';
    return {
      short: `conflicting ${SIGN_WORDS[flag.sign]}: ${conflictValues(flag.values, t)}`,
      redFlag: { compact: `conflicting ${SIGN_WORDS[flag.sign]}` },
      line: `- **Red flag: conflicting ${SIGN_WORDS[flag.sign]}**: ${named}${more} at the same time; neither is weighed, and one reading is a malignant sign.${held}`,
      alert: true,
    };
  }
  const value =
    flag.sign === 'adc' && typeof flag.values[0] === 'number'
      ? ` (${formatAdc(flag.values[0], t.adcCutoff)} < ${t.adcCutoff} x10^-3 mm2/s)`
      : '';
  return {
    short: RED_FLAG_WORDS[flag.sign],
    redFlag: { compact: RED_FLAG_WORDS[flag.sign] },
    line: `- **Red flag: ${RED_FLAG_WORDS[flag.sign]}**${value}.${held}`,
    alert: true,
  };
}

function implausibleAdcReason(r: LevelReport, t: Thresholds): Reason | undefined {
  const adc = r.assessment.adc;
  if (adc === undefined || !adc.implausiblyLow) return undefined;
  const sent = r.adcReceived;
  const received =
    sent !== undefined ? `, received as ${sent.value} ${literal(clip(sent.unit, 20))}` : '';
  return {
    short: 'ADC implausibly low: check the unit',
    line: `- **ADC implausibly low: check the unit**: ${formatAdc(adc.value, t.adcCutoff)} x10^-3 mm2/s${received}, below ${ADC_IMPLAUSIBLY_LOW.value} x10^-3 mm2/s, far below any vertebral marrow value reported (a likely unit slip). Used as received.`,
    alert: true,
  };
}

function discordanceReasons(a: Assessment): Reason[] {
  return a.readerDiscordance.map((d) => ({
    short: `${READER[d.sign]}: ${d.value}`,
    line: `- **${READER[d.sign]}: ${d.value}**, against signs that give ${categoryLabel(a.probabilityCategory)}: held at indeterminate (reader discordance).`,
    alert: true,
  }));
}

function safeguardReason(a: Assessment): Reason | undefined {
  const s = a.safeguard;
  if (s.status === 'not-applicable') return undefined;
  const states = s.discriminators
    .map((d) => `${SAFEGUARD_WORDS[d.discriminator]}: ${STATE_MARK[d.state]}`)
    .join(', ');
  const obtain =
    s.toObtain.length > 0
      ? ` Before a G4 lesion is called malignant, obtain: ${s.toObtain.map((d) => TO_OBTAIN[d]).join('; ')}.`
      : '';
  const head =
    s.status === 'applied'
      ? `**G4 safeguard applied** (${states}): ${s.favoursBenign} of 4 favour benign, none malignancy; G4 weighs LR 1 and this level is not called malignant-favoured.`
      : s.status === 'pending'
        ? `**G4 safeguard pending** (${states}): none favours malignancy yet, too few known to apply it; not called malignant-favoured until they are.`
        : `**G4 safeguard not applied** (${states}): needs 3 favouring benign and none malignancy.`;
  return {
    short: s.status === 'pending' ? 'G4 safeguard pending' : 'G4 safeguard',
    line: `- ${head}${obtain}`,
    alert: false,
    // In the summary only when it held the category back (a safeguard applied to a level that is
    // benign-favoured anyway, or not applied, held nothing).
    ...(a.limitedBy.includes('g4-safeguard') ? {} : { inSummary: false as const }),
  };
}

const KEY_WORDS = {
  pedicle: 'pedicle',
  'paravertebral-soft-tissue': 'soft tissue',
  'enhancement-pattern': 'enhancement',
  diffusion: 'ADC',
} as const;

function constellationReason(a: Assessment): Reason | undefined {
  const c = a.constellation;
  if (c.met) return undefined;
  const known = c.known.length === 0 ? 'none' : c.known.map((d) => KEY_WORDS[d]).join(', ');
  const held = a.limitedBy.includes('constellation-rule')
    ? ` P alone would give ${categoryLabel(a.probabilityCategory)}; held at indeterminate (constellation rule).`
    : '';
  return {
    short: `${c.known.length} of 4 key signs known`,
    line: `- **${c.known.length} of 4 key signs known** (${known}); a definite category needs ${c.required}. Diffusion counts only as a measured ADC.${held}`,
    alert: false,
  };
}

function keySignAgreementReason(a: Assessment): Reason | undefined {
  if (!a.limitedBy.includes('key-sign-agreement')) return undefined;
  return {
    short: 'no key sign malignant',
    line: `- **No key sign malignant**: P alone would give malignant-favoured, carried by rows other than the key signs; a malignant call needs a destroyed pedicle, soft tissue, nodular enhancement or ADC below the cut-off (key-sign agreement).`,
    alert: false,
  };
}

/** Same-time conflicts that are not red flags (a non-key sign, or no malignant key value). */
function otherConflictReasons(r: LevelReport, t: Thresholds): Reason[] {
  const flagged = new Set(
    r.assessment.redFlags.filter((f) => f.kind === 'conflict').map((f) => f.sign),
  );
  return r.assessment.conflicts
    .filter((c) => !flagged.has(c.sign as KeySign))
    .map((c) => ({
      short: `conflicting ${SIGN_WORDS[c.sign]}`,
      line: `- **Conflicting ${SIGN_WORDS[c.sign]}**: ${conflictValues(c.values, t)} reported at the same time; neither is weighed.`,
      // Named, but only a key sign's conflict keeps a benign card off info (a key sign's with a
      // malignant value is a red flag; two benign ADCs make the constellation short instead).
      alert: isKeySign(c.sign),
    }));
}

function diffusionReason(a: Assessment): Reason | undefined {
  if (a.diffusionDisagreement === undefined) return undefined;
  const line =
    a.diffusionDisagreement === 'high-dwi-low-adc'
      ? `- **DWI and ADC disagree**: high DWI with ADC below the cut-off is restricted diffusion, which the wider literature ties to malignancy (${SOURCES.baur1998.label}, external), while the paper's DWI row counts high DWI as benign. Review the diffusion images.`
      : `- **DWI and ADC disagree**: low DWI counts towards malignancy in the paper's direction, the ADC at or above the cut-off towards benign. Review the diffusion images.`;
  return { short: 'DWI and ADC disagree', line, alert: true };
}

/** Conflicts resolved by date (the latest kept): named; a key sign's keeps the card off info. */
function datedConflictReason(r: LevelReport): Reason | undefined {
  const conflicts = r.quality.conflicts;
  if (conflicts.length === 0) return undefined;
  const key = conflicts.some((c) => isKeySign(c.sign));
  const signs = conflicts.map((c) => SIGN_WORDS[c.sign]).join(', ');
  return {
    short: 'conflicting findings',
    line: `- **Conflicting findings over time** (${signs}): the latest was used; see Data quality.`,
    alert: key,
  };
}

/**
 * Findings of this level that could not be used: the result stands without them (a destroyed
 * pedicle with an invalid date, an ADC whose unit made it impossible), so the card is never quiet.
 */
function rejectedReason(r: LevelReport): Reason | undefined {
  const lost = r.rejected ?? [];
  const first = lost.find((x) => isKeySign(x.sign)) ?? lost[0];
  if (first === undefined) return undefined;
  const unit = /check the unit/.test(first.detail) ? ': check the unit' : '';
  const more = lost.length > 1 ? ` (+${lost.length - 1} more)` : '';
  const named = lost
    .slice(0, 2)
    .map((x) => literal(clip(x.detail, 110)))
    .join('; ');
  return {
    short: `${SIGN_WORDS[first.sign]} not used${unit}${more}`,
    line: `- **${lost.length === 1 ? '1 finding' : `${lost.length} findings`} of this level not used**, the result stands without ${lost.length === 1 ? 'it' : 'them'}: ${named}${lost.length > 2 ? '; …' : ''}. Correct and resend.`,
    alert: true,
  };
}

/**
 * A benign-favoured level in a patient with a known malignancy: the model's pre-test already holds
 * the history, yet a metastasis can look benign; the card is not quiet about it.
 */
function cancerHistoryReason(a: Assessment, patient: PatientContext): Reason | undefined {
  if (a.category !== 'benign-favoured' || patient.cancerHistory.length === 0) return undefined;
  return {
    short: 'known cancer history',
    line: '- **Known cancer history**: benign-favoured on imaging, in a patient with a known malignancy; biopsy if the clinical picture or the course does not fit.',
    alert: true,
  };
}

/** The data the EHR sent was flagged incomplete (an error OperationOutcome beside the findings). */
function incompleteReason(patient: PatientContext): Reason | undefined {
  if (patient.dataIncomplete !== true) return undefined;
  return {
    short: 'data may be incomplete',
    line: '- **Data may be incomplete**: the data source reported an error beside the findings, or a search page was not read (see Data quality); a finding not received cannot weigh.',
    alert: true,
  };
}

/**
 * Every reason, in the order the summary names them: red flags first, then what else makes the
 * result unsafe to read quickly, then the rules that held the category back.
 */
export function reasonsOf(r: LevelReport, patient: PatientContext, t: Thresholds): Reason[] {
  const a = r.assessment;
  const out: (Reason | undefined)[] = [
    ...a.redFlags.map((f) => redFlagReason(f, a, r, t)),
    implausibleAdcReason(r, t),
    rejectedReason(r),
    ...discordanceReasons(a),
    incompleteReason(patient),
    cancerHistoryReason(a, patient),
    safeguardReason(a),
    keySignAgreementReason(a),
    constellationReason(a),
    ...otherConflictReasons(r, t),
    diffusionReason(a),
    datedConflictReason(r),
  ];
  return out.filter((x): x is Reason => x !== undefined);
}

/** The reasons a summary (or a one-line rationale) names, in order. */
export function summaryReasons(reasons: readonly Reason[]): Reason[] {
  return reasons.filter((x) => x.inSummary !== false);
}

/**
 * The summary's reasons in its words, for a text without a card (the RiskAssessment rationale, the
 * command line's table), with the assessment's own thresholds and ADC cut-off.
 */
export function summaryWords(
  r: LevelReport,
  patient: PatientContext = NO_PATIENT_CONTEXT,
): string[] {
  const a = r.assessment;
  return summaryReasons(
    reasonsOf(r, patient, { ...a.thresholds, adcCutoff: a.adcRule.cutoff }),
  ).map((x) => x.short);
}
