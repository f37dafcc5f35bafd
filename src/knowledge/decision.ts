/**
 * Pre-test probabilities and decision thresholds (docs/clinical-logic.md sections 3 and 5), each with its
 * source. All are settings; these are the defaults.
 */
import { COHORT } from './sign-counts.js';
import type { SourceId } from './sources.js';

export interface SourcedNumber {
  readonly value: number;
  readonly source: SourceId;
  readonly where: string;
}

/** The study's biopsy-referred cohort: 74 malignant of 150 (paper, Methods). */
export const DEFAULT_PRETEST_PROBABILITY: SourcedNumber = {
  value: COHORT.malignant / (COHORT.malignant + COHORT.benign),
  source: 'zhao2026',
  where: 'Methods, Patients (74 malignant of 150)',
};

/** Known cancer history: "up to one-third of VCFs in patients with known malignancy are benign". */
export const CANCER_HISTORY_PRETEST_PROBABILITY: SourcedNumber = {
  value: 0.67,
  source: 'luo2016',
  where: 'Introduction, quoting earlier series',
};

/** Category thresholds (docs/clinical-logic.md section 3): project decisions, settings. */
export const MALIGNANT_THRESHOLD: SourcedNumber = {
  value: 0.9,
  source: 'clinicalSpec',
  where: 'section 3, Categories',
};
export const BENIGN_THRESHOLD: SourcedNumber = {
  value: 0.1,
  source: 'clinicalSpec',
  where: 'section 3, Categories',
};

/** Constellation rule: a definitive category needs this many of the 4 key discriminators known. */
export const MIN_KEY_DISCRIMINATORS_KNOWN: SourcedNumber = {
  value: 3,
  source: 'clinicalSpec',
  where: 'section 3, Constellation rule',
};

/**
 * G4 safeguard: at least this many of the four benign discriminators favouring benign (and none
 * favouring malignant). The paper's Discussion names the four discriminators after finding 13 of
 * 76 benign fractures G4; the count is the project's rule.
 */
export const G4_SAFEGUARD_MIN_BENIGN: SourcedNumber = {
  value: 3,
  source: 'clinicalSpec',
  where: 'section 3, G4 safeguard (after Zhao 2026 Discussion)',
};

/** The card shows probabilities rounded and kept between 1% and 99% (docs/clinical-logic.md section 4). */
export const DISPLAYED_PROBABILITY_BOUNDS = {
  min: 0.01,
  max: 0.99,
  source: 'clinicalSpec',
  where: 'section 4, summary',
} as const;

/**
 * What a card may hold (docs/clinical-logic.md section 4, cards v2): a detail read in about ten seconds.
 * `drivers`: signs on the "Driven by" line ("the two or three signs that move the odds most");
 * `qualityItemsNamed`: data-quality items named before "and N more".
 */
export const CARD_LIMITS = {
  detailMaxChars: 2500,
  drivers: 3,
  qualityItemsNamed: 5,
  source: 'clinicalSpec',
  where: 'section 4, what the clinician sees',
} as const;
