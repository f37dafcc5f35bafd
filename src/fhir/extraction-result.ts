/**
 * What the FHIR layer hands the CDS layer: the engine's findings per vertebral level, with the
 * provenance of each, and a disposition for every resource it was given (used, superseded,
 * context, or ignored and why). docs/clinical-logic.md section 1: each handling rule must be visible on
 * the card, so every rule that fires leaves a trace here.
 */
import type { Finding, Sign } from '../engine/index.js';

/** Why a resource was not used. Stable codes (tests and the audit rely on them). */
export type IgnoreReason =
  /** Not JSON FHIR: no resourceType, or fails the FHIR R4 JSON schema. */
  | 'invalid-resource'
  /** A vcf-finding Observation that breaks a rule of the profile (names the rule and element). */
  | 'profile-violation'
  /** Observation.status other than final, amended, corrected, preliminary. */
  | 'status'
  /** Observation.dataAbsentReason present. */
  | 'data-absent'
  /** Observation.subject (or Condition.subject) is not the hook's patient. */
  | 'other-subject'
  /** Observation.code not one of the 15 codes of the input contract. */
  | 'unknown-code'
  /** value[x] of the wrong type for its code, or a code outside its ValueSet. */
  | 'wrong-value'
  /** valueQuantity with a unit that cannot be converted to the contract's unit. */
  | 'unknown-unit'
  /** bodySite given but not mappable to a vertebral level. */
  | 'unknown-level'
  /**
   * Added by the FHIR layer: findings for one sign and level that disagree and cannot be ordered
   * (same effective[x] and issued, or issued missing), or one resource given twice with different
   * content and no version to choose by. None of them is used: choosing would be a guess.
   */
  | 'unresolved-conflict'
  /** Not a resource type this service reads (e.g. a Procedure in the findings search). */
  | 'not-relevant';

export interface Disposition {
  /** "Observation/abc"; a resource without id is named by its fullUrl or its position. */
  readonly ref: string;
  readonly resourceType: string;
  readonly versionId?: string;
  readonly use: 'used' | 'superseded' | 'context' | 'ignored';
  readonly reason?: IgnoreReason;
  /** Plain words for the card, e.g. "status entered-in-error (only final, amended, corrected or preliminary are used)". */
  readonly detail: string;
  readonly level?: string;
  readonly sign?: Sign;
}

/** Something about one level the card must say (docs/clinical-logic.md section 1 handling rules). */
export type LevelNote =
  | { readonly kind: 'preliminary'; readonly sign: Sign; readonly ref: string }
  | {
      readonly kind: 'conflict';
      readonly sign: Sign;
      readonly kept: { readonly ref: string; readonly value: Finding['value'] };
      readonly superseded: readonly { readonly ref: string; readonly value: Finding['value'] }[];
    }
  | { readonly kind: 'note'; readonly detail: string };

export interface LevelExtraction {
  /** 'C1'..'S1', or 'unspecified' for findings without a bodySite. */
  readonly level: string;
  /** At most one finding per sign (the latest wins), ready for the engine. */
  readonly findings: readonly Finding[];
  readonly notes: readonly LevelNote[];
  /** The resource behind each finding used; an ADC's value and unit as sent. */
  readonly provenance: readonly {
    readonly sign: Sign;
    readonly ref: string;
    readonly versionId?: string;
    readonly received?: { readonly value: number; readonly unit: string };
  }[];
  /**
   * Signs reported with different values that neither effective[x] nor issued orders (two
   * readers): not findings, but the engine must know them (docs/clinical-logic.md section 1: not weighed,
   * unknown for the constellation, a red flag when one value is a key sign's malignant value).
   */
  readonly conflicts: readonly {
    readonly sign: Sign;
    /** Each resource and the value it reports, ordered by ref. */
    readonly reports: readonly {
      readonly ref: string;
      readonly versionId?: string;
      readonly value: Finding['value'];
    }[];
  }[];
}

export interface ExtractionResult {
  /** Levels in spine order (C1..S1), 'unspecified' last; no entry for a level without findings. */
  readonly levels: readonly LevelExtraction[];
  readonly knownCancerHistory: boolean;
  /** The active Conditions that mark a known cancer history. */
  readonly cancerHistoryEvidence: readonly {
    readonly ref: string;
    readonly system: string;
    readonly code: string;
    readonly display?: string;
  }[];
  /** The hook's Patient, when at hand: age in whole years at `now` (context only, no weight). */
  readonly patient?: { readonly ref: string; readonly ageYears?: number };
  /** One per resource met (Bundles unpacked, panels followed). */
  readonly dispositions: readonly Disposition[];
  /** Notes on the data as a whole (e.g. an OperationOutcome inside a prefetched search). */
  readonly notes: readonly string[];
  /** An OperationOutcome with an error or fatal issue was in the data: it may be incomplete. */
  readonly dataIncomplete: boolean;
}

export interface ExtractionOptions {
  /** The hook's patient (context.patientId): other subjects are ignored. */
  readonly patientId: string;
  /** SNOMED CT concepts that mark a malignant neoplasm, besides ICD-10 C00-C97. */
  readonly cancerSnomedCodes: readonly string[];
  /** The clock, for the patient's age. */
  readonly now: Date;
  /**
   * The smallest ADC (and adc-reference) accepted, in 10^-3 mm2/s: a site's setting, with no
   * default, since no published physical lower bound exists. Unset, only "greater than zero"
   * holds. The upper bound is always the diffusivity of free water at 37 °C (knowledge base).
   */
  readonly adcMinimum?: number;
  /**
   * The items are straight from JSON.parse (a request body, a server's answer) and checked to nest
   * no deeper than MAX_JSON_DEPTH (nestedDeeperThan): JSON data by construction, so no resource is
   * walked to prove it (the walk costs more than the rest of the extraction of most resources).
   * Leave it out for values built in code, which may hold cycles, functions or NaN.
   */
  readonly jsonParsed?: boolean;
}
