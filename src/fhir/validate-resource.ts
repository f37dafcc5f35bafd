/**
 * Validation of one FHIR resource in two parts: the FHIR R4 JSON schema (precompiled ajv
 * validators, see schema-validators.ts) and, for a vcf-finding Observation, the rules of the
 * vcf-finding-observation profile (profile-rules.ts). Every error names its element
 * (FHIRPath-like) and, for a profile invariant, its key. Never throws: input that is not JSON or
 * not FHIR is an error value like any other.
 * @see docs/clinical-logic.md section 1; profiles/StructureDefinition-vcf-finding-observation.json
 */
import { fhirRuleIssues, type FhirInvariantIssue, type FhirRuleIssue } from './fhir-rules.js';
import { describeKind, jsonProblem } from './json-value.js';
import { profileApplies, profileIssues, type ProfileIssue } from './profile-rules.js';
import { describeSchemaError } from './schema-errors.js';
import { SCHEMA_VALIDATORS } from './schema-validators.js';
import { VALIDATED_RESOURCE_TYPES } from './validated-resource-types.js';

/** One reason a resource is not valid. */
export type ValidationIssue =
  /** Not JSON data (a cycle, a function, NaN, undefined in an array, nested too deep). */
  | { readonly kind: 'not-json'; readonly path: string; readonly message: string }
  /** JSON, but not an object with a resourceType string. */
  | { readonly kind: 'not-a-resource'; readonly path: string; readonly message: string }
  /** resourceType is not a resource type of FHIR R4. */
  | { readonly kind: 'unknown-resource-type'; readonly path: string; readonly message: string }
  /** A FHIR R4 resource type this service has no validator for (only at the top level). */
  | { readonly kind: 'unsupported-resource-type'; readonly path: string; readonly message: string }
  /** Breaks the FHIR R4 JSON schema; `keyword` is ajv's (required, type, pattern, ...). */
  | {
      readonly kind: 'schema';
      readonly path: string;
      readonly message: string;
      readonly keyword: string;
    }
  /** Breaks a FHIR R4 rule the JSON schema does not express (one choice type, calendar dates). */
  | FhirRuleIssue
  /** Breaks a base invariant of FHIR R4 that a handling rule covers (obs-6, con-4). */
  | FhirInvariantIssue
  | ProfileIssue;

export interface ValidationResult {
  readonly valid: boolean;
  /** The resourceType when there is one (a string), valid or not. */
  readonly resourceType?: string;
  /** True when the vcf-finding-observation profile's rules were applied (to it or inside it). */
  readonly profileApplied: boolean;
  readonly issues: readonly ValidationIssue[];
}

const SUPPORTED = VALIDATED_RESOURCE_TYPES.join(', ');

function resourceTypeOf(x: unknown): string | undefined {
  const type =
    typeof x === 'object' && x !== null
      ? (x as { resourceType?: unknown }).resourceType
      : undefined;
  return typeof type === 'string' ? type : undefined;
}

interface Found {
  issues: ValidationIssue[];
  profileApplied: boolean;
}

/**
 * Validates `resource` found at `root`, and (when `nested`) the resources nested in it: Bundle
 * entries and contained resources.
 */
function check(
  resource: unknown,
  root: string,
  topLevel: boolean,
  found: Found,
  nested = true,
): void {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    found.issues.push({
      kind: 'not-a-resource',
      path: root,
      message: `${describeKind(resource)} is not a FHIR resource (expected a parsed JSON object with a resourceType)`,
    });
    return;
  }
  const type = resourceTypeOf(resource);
  if (type === undefined) {
    found.issues.push({
      kind: 'not-a-resource',
      path: `${root}.resourceType`,
      message: 'is missing: a FHIR resource names its type in resourceType',
    });
    return;
  }
  if (!SCHEMA_VALIDATORS.r4ResourceTypes.has(type)) {
    found.issues.push({
      kind: 'unknown-resource-type',
      path: `${root}.resourceType`,
      message: `${JSON.stringify(type)} is not a FHIR R4 resource type`,
    });
    return;
  }
  const validate = SCHEMA_VALIDATORS.validatorFor(type);
  if (validate === undefined) {
    // A nested resource this service does not read (a Procedure in a searchset) is not its business.
    if (topLevel) {
      found.issues.push({
        kind: 'unsupported-resource-type',
        path: root,
        message: `${type} is not validated here (validated: ${SUPPORTED})`,
      });
    }
    return;
  }
  const path = topLevel ? type : root;
  if (!validate(resource)) {
    for (const e of validate.errors ?? []) {
      found.issues.push({ kind: 'schema', keyword: e.keyword, ...describeSchemaError(path, e) });
    }
  }
  for (const issue of fhirRuleIssues(resource as Readonly<Record<string, unknown>>, type, path)) {
    found.issues.push(issue);
  }
  if (profileApplies(resource)) {
    found.profileApplied = true;
    for (const issue of profileIssues(resource, path)) found.issues.push(issue);
  }
  if (!nested) return;
  const r = resource as { entry?: unknown; contained?: unknown };
  if (type === 'Bundle' && Array.isArray(r.entry)) {
    r.entry.forEach((entry: unknown, i) => {
      const e = (typeof entry === 'object' && entry !== null ? entry : {}) as {
        resource?: unknown;
        response?: { outcome?: unknown };
      };
      if (e.resource !== undefined) check(e.resource, `${path}.entry[${i}].resource`, false, found);
      const outcome = e.response?.outcome;
      if (outcome !== undefined) {
        check(outcome, `${path}.entry[${i}].response.outcome`, false, found);
      }
    });
  }
  if (Array.isArray(r.contained)) {
    r.contained.forEach((c: unknown, i) => check(c, `${path}.contained[${i}]`, false, found));
  }
}

interface ValidateOptions {
  /** Validate Bundle entries and contained resources too. */
  readonly nested: boolean;
  /** The caller has found it to be JSON data already: no second walk. */
  readonly knownJson: boolean;
}
const ANY_VALUE: ValidateOptions = { nested: true, knownJson: false };
const KNOWN_JSON: ValidateOptions = { nested: true, knownJson: true };
const SHELL: ValidateOptions = { nested: false, knownJson: false };

/**
 * Validates one resource against the FHIR R4 JSON schema and, for an Observation with a
 * vcf-finding code (or claiming the profile), the vcf-finding-observation profile. Resources in
 * a Bundle and contained resources are validated too, each with its own type's rules. Never
 * throws.
 * @see docs/clinical-logic.md section 1
 */
export function validateResource(resource: unknown): ValidationResult {
  return validate(resource, ANY_VALUE);
}

/**
 * validateResource for a resource the caller has already found to be JSON data (`jsonProblem`):
 * the extraction names every resource first, and need not walk it twice.
 */
export function validateJsonResource(resource: unknown): ValidationResult {
  return validate(resource, KNOWN_JSON);
}

/** An entry's resource reduced to what the Bundle's own schema looks at: its resourceType. */
function stub(resource: unknown): unknown {
  return typeof resource === 'object' && resource !== null && !Array.isArray(resource)
    ? { resourceType: (resource as { resourceType?: unknown }).resourceType }
    : resource;
}

/**
 * A Bundle's own elements only (entry resources are checked as the schema of Bundle does, an
 * object with a resourceType): the extraction unpacks Bundles and validates every entry on its own.
 */
export function validateBundleShell(bundle: unknown): ValidationResult {
  const b = bundle as { entry?: unknown } | null;
  const shell =
    typeof b === 'object' && b !== null && Array.isArray(b.entry)
      ? {
          ...b,
          entry: (b.entry as unknown[]).map((e) => {
            if (typeof e !== 'object' || e === null || Array.isArray(e)) return e;
            const entry = e as { resource?: unknown; response?: unknown };
            const response = entry.response as { outcome?: unknown } | undefined;
            return {
              ...entry,
              ...(entry.resource !== undefined ? { resource: stub(entry.resource) } : {}),
              ...(typeof response === 'object' &&
              response !== null &&
              response.outcome !== undefined
                ? { response: { ...response, outcome: stub(response.outcome) } }
                : {}),
            };
          }),
        }
      : bundle;
  return validate(shell, SHELL);
}

function validate(resource: unknown, options: ValidateOptions): ValidationResult {
  const type = resourceTypeOf(resource);
  const root = type ?? 'resource';
  // Not an object at all: say that first, rather than "not JSON" about a string or a number.
  const problem =
    typeof resource === 'object' && resource !== null && !options.knownJson
      ? jsonProblem(resource, root)
      : undefined;
  if (problem !== undefined) {
    return {
      valid: false,
      ...(type !== undefined ? { resourceType: type } : {}),
      profileApplied: false,
      issues: [{ kind: 'not-json', ...problem }],
    };
  }
  const found: Found = { issues: [], profileApplied: false };
  check(resource, root, true, found, options.nested);
  const valid = found.issues.length === 0;
  return type !== undefined
    ? { valid, resourceType: type, profileApplied: found.profileApplied, issues: found.issues }
    : { valid, profileApplied: found.profileApplied, issues: found.issues };
}
