/**
 * What the card renderer needs about one level: the engine's assessment plus the data-quality
 * facts the FHIR layer found (docs/clinical-logic.md section 1: each handling rule visible on the card).
 */
import type { Assessment, Sign } from '../engine/index.js';

export interface DataQuality {
  /** Signs whose value rests on a preliminary Observation. */
  readonly preliminary: readonly { readonly sign: Sign; readonly ref: string }[];
  /** The same sign reported with different values: the latest was kept. */
  readonly conflicts: readonly {
    readonly sign: Sign;
    readonly kept: { readonly ref: string; readonly value: string };
    readonly superseded: readonly { readonly ref: string; readonly value: string }[];
  }[];
  /**
   * The same sign reported with different values at the same time (two readers): none was weighed
   * (the engine's `conflicts`); each resource and its value, in words.
   */
  readonly sameTime: readonly {
    readonly sign: Sign;
    readonly reports: readonly { readonly ref: string; readonly value: string }[];
  }[];
  /** Other notes, already worded (e.g. a panel member not at hand). */
  readonly other: readonly string[];
}

export interface LevelReport {
  /** 'C1'..'S1' or 'unspecified'. */
  readonly level: string;
  readonly assessment: Assessment;
  readonly quality: DataQuality;
  /** Resources behind the findings used, for RiskAssessment.basis and the audit. */
  readonly basis: readonly { readonly ref: string; readonly versionId?: string }[];
  /** Findings recorded for this level that could not be used, when none could (a no-findings card). */
  readonly rejectedFindings?: number;
  /**
   * Findings recorded for this level that could not be used (a unit error, an invalid date...):
   * the result stands without them, so the card says so and is never `info`.
   */
  readonly rejected?: readonly { readonly sign: Sign; readonly detail: string }[];
  /** The ADC weighed, as sent (value and UCUM unit), when a unit was converted or it is implausible. */
  readonly adcReceived?: { readonly value: number; readonly unit: string };
}

/** A level with no usable finding: nothing was assessed, whatever the engine's prior says. */
export function hasNoFindings(r: LevelReport): boolean {
  const a = r.assessment;
  return a.evidence.length === 0 && a.setAside.length === 0 && a.conflicts.length === 0;
}

export interface PatientContext {
  readonly ageYears?: number;
  /** Conditions that mark a known cancer history. */
  readonly cancerHistory: readonly { readonly ref: string; readonly label: string }[];
  /** Resources not used for any level, and why (already worded); the level and sign when known. */
  readonly ignored: readonly {
    readonly ref: string;
    readonly reason: string;
    readonly level?: string;
    readonly sign?: Sign;
  }[];
  /** Notes about the data as a whole (e.g. an OperationOutcome inside a prefetched search). */
  readonly notes: readonly string[];
  /**
   * The data carried an error OperationOutcome (the source says it may be cut short): the card
   * says "data may be incomplete" and is never `info`. The worded note is among `notes`.
   */
  readonly dataIncomplete?: boolean;
  /** Levels with usable findings: the study enrolled single fractures only (a caveat when > 1). */
  readonly assessedLevels: number;
}

/** A patient of whom nothing is known: no history, nothing ignored, no note. */
export const NO_PATIENT_CONTEXT: PatientContext = Object.freeze({
  cancerHistory: [],
  ignored: [],
  notes: [],
  assessedLevels: 0,
});
