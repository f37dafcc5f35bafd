/**
 * The FHIR layer's public face: resources at hand -> findings per vertebral level (with what was
 * used, ignored and why), the bodySite -> level mapping, and validation against the FHIR R4
 * schema and the vcf-finding-observation profile.
 * @see docs/clinical-logic.md section 1; src/fhir/README.md
 */
export type {
  Disposition,
  ExtractionOptions,
  ExtractionResult,
  IgnoreReason,
  LevelExtraction,
  LevelNote,
} from './extraction-result.js';
export { extractLevels } from './extract-levels.js';
export { MAX_JSON_DEPTH, nestedDeeperThan } from './json-value.js';
export { checkOutcomes, isOperationOutcome } from './operation-outcome.js';
export { levelFromBodySite, levelRank, UNSPECIFIED_LEVEL } from './vertebral-level.js';
export {
  validateResource,
  type ValidationIssue,
  type ValidationResult,
} from './validate-resource.js';
export type { ProfileConcern, ProfileIssue } from './profile-rules.js';
export { VALIDATED_RESOURCE_TYPES } from './validated-resource-types.js';
