/**
 * The engine's settings (docs/clinical-logic.md sections 2, 3, 5). Defaults come from the knowledge base;
 * a site may change any of them, and `settingsErrors` lists every problem.
 */
import {
  canonicalJson,
  contentHash,
  BENIGN_THRESHOLD,
  CANCER_HISTORY_PRETEST_PROBABILITY,
  DEFAULT_ADC_RULE,
  DEFAULT_PRETEST_PROBABILITY,
  MALIGNANT_THRESHOLD,
  type AdcRule,
} from '../knowledge/index.js';

export interface EngineSettings {
  /** P(malignant) before any sign: the study's 74/150 unless the site sets its own. */
  readonly pretestProbability: number;
  /** Pre-test probability when the patient has a known cancer history (never lowers the above). */
  readonly cancerHistoryPretestProbability: number;
  /** P(malignant) at or above which the category is malignant-favoured. */
  readonly malignantThreshold: number;
  /** P(malignant) at or below which the category is benign-favoured. */
  readonly benignThreshold: number;
  /** Whether DWI signal carries weight (docs/clinical-logic.md section 2, the DWI tension). */
  readonly useDwi: boolean;
  readonly adc: AdcRule;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = Object.freeze({
  pretestProbability: DEFAULT_PRETEST_PROBABILITY.value,
  cancerHistoryPretestProbability: CANCER_HISTORY_PRETEST_PROBABILITY.value,
  malignantThreshold: MALIGNANT_THRESHOLD.value,
  benignThreshold: BENIGN_THRESHOLD.value,
  useDwi: true,
  adc: DEFAULT_ADC_RULE,
});

const isOpenProbability = (x: unknown): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x > 0 && x < 1;

/** Every problem with a settings object; empty when it can be used. */
export function settingsErrors(s: EngineSettings): string[] {
  const errors: string[] = [];
  for (const key of [
    'pretestProbability',
    'cancerHistoryPretestProbability',
    'malignantThreshold',
    'benignThreshold',
  ] as const) {
    if (!isOpenProbability(s[key])) errors.push(`${key} must be a number strictly between 0 and 1`);
  }
  if (s.benignThreshold >= s.malignantThreshold) {
    errors.push('benignThreshold must be lower than malignantThreshold');
  }
  if (typeof s.useDwi !== 'boolean') errors.push('useDwi must be true or false');
  if (!(typeof s.adc.cutoff === 'number' && Number.isFinite(s.adc.cutoff) && s.adc.cutoff > 0)) {
    errors.push('adc.cutoff must be a positive number (10^-3 mm2/s)');
  }
  if (!isOpenProbability(s.adc.sensitivity)) errors.push('adc.sensitivity must be between 0 and 1');
  if (!isOpenProbability(s.adc.specificity)) errors.push('adc.specificity must be between 0 and 1');
  if (typeof s.adc.source !== 'string' || s.adc.source.trim() === '') {
    errors.push('adc.source must cite where the cut-off, sensitivity and specificity come from');
  }
  return errors;
}

/** The settings that change what the engine concludes or prints, and nothing else of the object. */
function effectiveSettings(s: EngineSettings) {
  return {
    pretestProbability: s.pretestProbability,
    cancerHistoryPretestProbability: s.cancerHistoryPretestProbability,
    malignantThreshold: s.malignantThreshold,
    benignThreshold: s.benignThreshold,
    useDwi: s.useDwi,
    adc: {
      cutoff: s.adc.cutoff,
      sensitivity: s.adc.sensitivity,
      specificity: s.adc.specificity,
      source: s.adc.source,
      protocol: s.adc.protocol,
    },
  };
}

const DEFAULT_EFFECTIVE_JSON = canonicalJson(effectiveSettings(DEFAULT_ENGINE_SETTINGS));

/**
 * Which settings an assessment was made under, for the audit record beside KNOWLEDGE_BASE_VERSION
 * and ENGINE_VERSION (which say nothing of a site's settings): `default` when the effective
 * settings (pre-test, cancer-history pre-test, thresholds, DWI, ADC rule) equal the defaults, else
 * a short stable hash of them (the knowledge base's content hash over their canonical JSON).
 */
export function settingsFingerprint(settings: EngineSettings): string {
  // Settings objects are made once at start and passed to every call: hash each once.
  const known = FINGERPRINTS.get(settings);
  if (known !== undefined) return known;
  const json = canonicalJson(effectiveSettings(settings));
  const fingerprint = json === DEFAULT_EFFECTIVE_JSON ? 'default' : contentHash(json);
  // Frozen settings cannot change after hashing; others are hashed on every call.
  if (Object.isFrozen(settings) && Object.isFrozen(settings.adc))
    FINGERPRINTS.set(settings, fingerprint);
  return fingerprint;
}

const FINGERPRINTS = new WeakMap<EngineSettings, string>();
