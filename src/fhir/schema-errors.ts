/**
 * ajv's errors in the words of FHIR: a FHIRPath-like element path
 * (`Observation.valueCodeableConcept.coding[0].code`) and a message a person can act on.
 */
import { childPath } from './json-value.js';
import type { SchemaError } from './schema-validators.js';

/** `/valueCodeableConcept/coding/0/code` under `Observation` -> `Observation.valueCodeableConcept.coding[0].code`. */
export function pathFromPointer(root: string, instancePath: string): string {
  if (instancePath === '') return root;
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>(
      // FHIR JSON has no property named by digits only: a numeric segment is an array index.
      (path, segment) => childPath(path, /^\d+$/.test(segment) ? Number(segment) : segment),
      root,
    );
}

/** The FHIR type whose rule failed, from a schema path such as `#/definitions/dateTime/pattern`. */
function fhirTypeOf(schemaPath: string): string | undefined {
  return /#\/definitions\/([A-Za-z0-9_]+)\/[^/]+$/.exec(schemaPath)?.[1];
}

function param(e: SchemaError, name: string): string {
  const value = e.params[name];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface DescribedError {
  readonly path: string;
  readonly message: string;
}

/** One ajv error as an element path and plain words. */
export function describeSchemaError(root: string, e: SchemaError): DescribedError {
  const at = pathFromPointer(root, e.instancePath);
  const fhirType = fhirTypeOf(e.schemaPath);
  switch (e.keyword) {
    case 'required':
      return { path: childPath(at, param(e, 'missingProperty')), message: 'is required' };
    case 'additionalProperties':
      return {
        path: childPath(at, param(e, 'additionalProperty')),
        message: 'is not an element FHIR R4 defines here',
      };
    case 'type':
      return {
        path: at,
        message: `must be a JSON ${param(e, 'type')}${fhirType ? ` (FHIR ${fhirType})` : ''}`,
      };
    case 'pattern':
      return { path: at, message: `is not a valid FHIR ${fhirType ?? 'value'}` };
    case 'enum': {
      const allowed = e.params['allowedValues'];
      return {
        path: at,
        message: Array.isArray(allowed)
          ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
          : 'is not an allowed value',
      };
    }
    case 'const':
      return { path: at, message: `must be ${JSON.stringify(e.params['allowedValue'])}` };
    default:
      return { path: at, message: e.message ?? `breaks the schema rule "${e.keyword}"` };
  }
}
