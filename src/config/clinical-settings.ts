/**
 * The clinical settings (VCF_* variables): the engine's settings and the terminology a site adds.
 * Shared by the service and the command line, so a site validates exactly what it runs.
 */
import { DEFAULT_ENGINE_SETTINGS, settingsErrors, type EngineSettings } from '../engine/index.js';
import { FREE_WATER_DIFFUSIVITY_37C } from '../knowledge/index.js';
import { CANCER_SNOMED_CODES_DEFAULT } from '../terminology/index.js';
import { envReader, isProbability, type Env, type EnvReader } from './env-reader.js';

export interface ClinicalSettings {
  readonly engine: EngineSettings;
  /** SNOMED CT codes that mark a Condition as malignant neoplasm (besides ICD-10 C00-C97). */
  readonly cancerSnomedCodes: readonly string[];
  /**
   * SNOMED CT concepts the order hooks treat as vertebral augmentation / vertebral biopsy, beside
   * the CPT codes. No default: no verified concept id was available (src/terminology/procedures.ts).
   */
  readonly augmentationSnomedCodes: readonly string[];
  readonly biopsySnomedCodes: readonly string[];
  /**
   * Smallest ADC (and adc-reference) accepted, in 10^-3 mm2/s. No default: no published physical
   * lower bound exists (the upper one is free water at 37 C, in the knowledge base).
   */
  readonly adcMinimum?: number;
}

const PROBABILITY = 'expected a number between 0 and 1';

/** A site ADC rule replaces cut-off, sensitivity, specificity and source together (docs/clinical-logic.md 5). */
function adcRule(env: Env, read: EnvReader): EngineSettings['adc'] {
  const keys = ['VCF_ADC_CUTOFF', 'VCF_ADC_SENSITIVITY', 'VCF_ADC_SPECIFICITY', 'VCF_ADC_SOURCE'];
  const given = keys.filter((k) => read.text(k) !== undefined);
  if (given.length === 0) return DEFAULT_ENGINE_SETTINGS.adc;
  if (given.length < keys.length) {
    read.errors.push(
      `${keys.join(', ')} must be set together (a site's own ADC rule); missing: ${keys.filter((k) => !given.includes(k)).join(', ')}`,
    );
    return DEFAULT_ENGINE_SETTINGS.adc;
  }
  return {
    cutoff: read.num(
      'VCF_ADC_CUTOFF',
      NaN,
      (n) => n > 0,
      'expected a positive number (10^-3 mm2/s)',
    ),
    sensitivity: read.num('VCF_ADC_SENSITIVITY', NaN, isProbability, PROBABILITY),
    specificity: read.num('VCF_ADC_SPECIFICITY', NaN, isProbability, PROBABILITY),
    source: env['VCF_ADC_SOURCE'] ?? '',
    protocol: read.text('VCF_ADC_PROTOCOL') ?? 'site protocol (VCF_ADC_PROTOCOL not set)',
  };
}

/** Reads the VCF_* settings; `errors` names every problem. */
export function loadClinicalSettings(env: Env): {
  settings: ClinicalSettings;
  errors: string[];
} {
  const read = envReader(env);
  const d = DEFAULT_ENGINE_SETTINGS;
  const adc = Object.freeze(adcRule(env, read));
  // Frozen: read once at start, never changed (the engine may then remember what it derived).
  const engine: EngineSettings = Object.freeze({
    pretestProbability: read.num(
      'VCF_PRETEST_PROBABILITY',
      d.pretestProbability,
      isProbability,
      PROBABILITY,
    ),
    cancerHistoryPretestProbability: read.num(
      'VCF_CANCER_HISTORY_PRETEST_PROBABILITY',
      d.cancerHistoryPretestProbability,
      isProbability,
      PROBABILITY,
    ),
    malignantThreshold: read.num(
      'VCF_MALIGNANT_THRESHOLD',
      d.malignantThreshold,
      isProbability,
      PROBABILITY,
    ),
    benignThreshold: read.num(
      'VCF_BENIGN_THRESHOLD',
      d.benignThreshold,
      isProbability,
      PROBABILITY,
    ),
    useDwi: read.bool('VCF_USE_DWI', d.useDwi),
    adc,
  });
  // Cross-checks (thresholds against each other) only once every value could be read.
  if (read.errors.length === 0) {
    read.errors.push(...settingsErrors(engine).map((e) => `engine setting: ${e}`));
  }
  const settings: ClinicalSettings = {
    engine,
    cancerSnomedCodes: read.snomedList('VCF_CANCER_SNOMED_CODES', CANCER_SNOMED_CODES_DEFAULT),
    augmentationSnomedCodes: read.snomedList('VCF_AUGMENTATION_SNOMED_CODES', []),
    biopsySnomedCodes: read.snomedList('VCF_BIOPSY_SNOMED_CODES', []),
    ...(read.text('VCF_ADC_MINIMUM') !== undefined
      ? {
          adcMinimum: read.num(
            'VCF_ADC_MINIMUM',
            NaN,
            (n) => n > 0 && n < FREE_WATER_DIFFUSIVITY_37C.value,
            `expected a number above 0 and below ${FREE_WATER_DIFFUSIVITY_37C.value} (10^-3 mm2/s, the diffusivity of free water at 37 C)`,
          ),
        }
      : {}),
  };
  return { settings, errors: read.errors };
}
