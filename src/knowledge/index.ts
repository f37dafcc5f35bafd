/**
 * The knowledge base: every clinical number vcf-cds uses, with its source. Changing a number is a
 * one-file change here, and it changes KNOWLEDGE_BASE_VERSION.
 */
import { DEFAULT_ADC_RULE, COMPRESSION_DEGREE_BOUNDS, PUBLISHED_ADC_ALTERNATIVES } from './adc.js';
import { canonicalJson, contentHash } from './content-hash.js';
import {
  BENIGN_THRESHOLD,
  CARD_LIMITS,
  CANCER_HISTORY_PRETEST_PROBABILITY,
  DEFAULT_PRETEST_PROBABILITY,
  DISPLAYED_PROBABILITY_BOUNDS,
  G4_SAFEGUARD_MIN_BENIGN,
  MALIGNANT_THRESHOLD,
  MIN_KEY_DISCRIMINATORS_KNOWN,
} from './decision.js';
import {
  COHORT,
  COMBINED_READING_COUNTS,
  PUBLISHED_DIAGNOSTIC_EFFICACY,
  SIGN_TABLES,
} from './sign-counts.js';
import { BOOLEAN_SIGNS, CODED_SIGN_VALUES, QUANTITY_SIGNS } from './signs.js';
import { SOURCES } from './sources.js';
import {
  ADC_IMPLAUSIBLY_LOW,
  FREE_WATER_DIFFUSIVITY_37C,
  WATER_SELF_DIFFUSION_FIT,
} from './adc-plausibility.js';
import { LR_STRENGTH_BANDS } from './lr-strength.js';

export * from './adc.js';
export * from './adc-plausibility.js';
export * from './lr-strength.js';
export * from './decision.js';
export * from './sign-counts.js';
export * from './signs.js';
export * from './sources.js';
export { knowledgeErrors, pearsonChiSquare } from './integrity.js';
export { canonicalJson, contentHash } from './content-hash.js';

/** Semantic version of the knowledge base's structure and meaning; bump it by hand on a change. */
export const KNOWLEDGE_BASE_SEMVER = '1.1.0';

/**
 * Everything the version covers: every number, table, rule and source of the knowledge base. A
 * test checks that every data export of this module is in here, so a new entry cannot be missed.
 */
export const KNOWLEDGE_CONTENT = {
  CODED_SIGN_VALUES,
  BOOLEAN_SIGNS,
  QUANTITY_SIGNS,
  COHORT,
  SIGN_TABLES,
  COMBINED_READING_COUNTS,
  PUBLISHED_DIAGNOSTIC_EFFICACY,
  DEFAULT_ADC_RULE,
  PUBLISHED_ADC_ALTERNATIVES,
  COMPRESSION_DEGREE_BOUNDS,
  DEFAULT_PRETEST_PROBABILITY,
  CANCER_HISTORY_PRETEST_PROBABILITY,
  MALIGNANT_THRESHOLD,
  BENIGN_THRESHOLD,
  MIN_KEY_DISCRIMINATORS_KNOWN,
  G4_SAFEGUARD_MIN_BENIGN,
  DISPLAYED_PROBABILITY_BOUNDS,
  CARD_LIMITS,
  WATER_SELF_DIFFUSION_FIT,
  FREE_WATER_DIFFUSIVITY_37C,
  ADC_IMPLAUSIBLY_LOW,
  LR_STRENGTH_BANDS,
  SOURCES,
} as const;

/** `semver+contenthash` of a knowledge base's content (the hash over its canonical JSON). */
export function knowledgeBaseVersion(content: unknown, semver: string = KNOWLEDGE_BASE_SEMVER) {
  return `${semver}+${contentHash(canonicalJson(content))}`;
}

/** `semver+contenthash`: changes whenever any number (or source) in the knowledge base changes. */
export const KNOWLEDGE_BASE_VERSION = knowledgeBaseVersion(KNOWLEDGE_CONTENT);
