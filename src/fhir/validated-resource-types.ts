/**
 * The resource types with a precompiled FHIR R4 schema validator, shared by the generator
 * (`scripts/generate-fhir-validators.ts`) and the loader (`validators.ts`). Adding a type here and
 * running `npm run generate` is all it takes to validate it.
 */
export const VALIDATED_RESOURCE_TYPES = [
  'Bundle',
  'Condition',
  'Observation',
  'OperationOutcome',
  'Patient',
  'ServiceRequest',
] as const;

export type ValidatedResourceType = (typeof VALIDATED_RESOURCE_TYPES)[number];

/** Where the generator writes the validators, relative to the project root (gitignored). */
export const GENERATED_VALIDATORS_FILE = 'generated/fhir-validators.js';
