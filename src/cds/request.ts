/**
 * The CDS Hooks 2.0 request, validated with ajv (compiled once at start). Unknown fields and
 * `extension` objects are accepted and ignored, as the spec asks.
 * @see https://cds-hooks.hl7.org/2.0/#http-request_1
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { HookName } from './services.js';
import { appError, type AppError, type Issue } from '../app/errors.js';

export interface FhirAuthorization {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in?: number;
  readonly scope?: string;
  readonly subject?: string;
  readonly patient?: string;
}

export interface HookRequest {
  readonly hook: HookName;
  readonly hookInstance: string;
  readonly fhirServer?: string;
  readonly fhirAuthorization?: FhirAuthorization;
  readonly context: {
    readonly patientId: string;
    readonly userId?: string;
    readonly encounterId?: string;
    readonly selections?: readonly string[];
    readonly draftOrders?: { readonly resourceType: 'Bundle'; readonly entry?: readonly unknown[] };
  };
  readonly prefetch?: Readonly<Record<string, unknown>>;
}

const id = { type: 'string', minLength: 1, maxLength: 256 } as const;
const draftOrders = {
  type: 'object',
  required: ['resourceType'],
  properties: { resourceType: { const: 'Bundle' }, entry: { type: 'array' } },
} as const;

/** JSON Schema of the request, per hook (context fields differ). */
function requestSchema(hook: HookName) {
  const context =
    hook === 'patient-view'
      ? { required: ['patientId'], properties: { patientId: id, userId: id, encounterId: id } }
      : {
          required:
            hook === 'order-select'
              ? ['patientId', 'draftOrders', 'selections']
              : ['patientId', 'draftOrders'],
          properties: {
            patientId: id,
            userId: id,
            encounterId: id,
            draftOrders,
            selections: { type: 'array', items: id },
          },
        };
  return {
    type: 'object',
    required: ['hook', 'hookInstance', 'context'],
    properties: {
      hook: { const: hook },
      hookInstance: id,
      fhirServer: { type: 'string', pattern: '^https?://', maxLength: 2048 },
      fhirAuthorization: {
        type: 'object',
        required: ['access_token', 'token_type'],
        properties: {
          access_token: { type: 'string', minLength: 1 },
          token_type: { type: 'string', pattern: '^[Bb]earer$' },
          expires_in: { type: 'integer' },
          scope: { type: 'string' },
          subject: { type: 'string' },
          patient: { type: 'string' },
        },
      },
      context: { type: 'object', ...context },
      prefetch: { type: 'object', additionalProperties: { type: ['object', 'null'] } },
      // Declared (any value) so that `"extension": null` is dropped like the other optional fields.
      extension: {},
    },
    // The token is useless without the server it is for (spec: fhirServer is conditional on it).
    dependencies: { fhirAuthorization: ['fhirServer'] },
  } as const;
}

const schemas = {
  'patient-view': requestSchema('patient-view'),
  'order-select': requestSchema('order-select'),
  'order-sign': requestSchema('order-sign'),
};
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = {
  'patient-view': ajv.compile(schemas['patient-view']),
  'order-select': ajv.compile(schemas['order-select']),
  'order-sign': ajv.compile(schemas['order-sign']),
};

/** "/context/patientId" -> "context.patientId"; the missing property is named for `required`. */
function toIssue(e: ErrorObject): Issue {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing =
    e.keyword === 'required'
      ? (e.params as { missingProperty: string }).missingProperty
      : undefined;
  const expression =
    [path, missing].filter((p) => p !== undefined && p !== '').join('.') || '(body)';
  const message =
    missing !== undefined
      ? 'is required'
      : e.keyword === 'const' && path === 'hook'
        ? `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} for this service`
        : (e.message ?? 'is invalid');
  return {
    severity: 'error',
    code: missing ? 'required' : 'value',
    diagnostics: `${expression} ${message}`,
    expression: [expression],
  };
}

function notAnObject(body: unknown): AppError | undefined {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return undefined;
  return appError('invalid-request', [
    {
      severity: 'error',
      code: 'structure',
      diagnostics:
        'The request body is JSON but not a JSON object; a CDS Hooks request is an object.',
      expression: ['(body)'],
    },
  ]);
}

/** The 400 for a request whose `hook` is none of the hooks the service answers. */
export function hookNotServed(body: unknown, hooks: readonly HookName[]): AppError {
  return (
    notAnObject(body) ??
    appError('invalid-request', [
      {
        severity: 'error',
        code: 'value',
        diagnostics: `hook must be one of ${hooks.map((h) => JSON.stringify(h)).join(', ')} for this service`,
        expression: ['hook'],
      },
    ])
  );
}

interface ObjectSchema {
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/**
 * A copy of `value` without the optional properties `schema` declares that are `null`, at every
 * level the schema describes (context, fhirAuthorization): older clients send
 * `"fhirAuthorization": null` for "none", and CDS Hooks has no other meaning for it. A required
 * field that is null stays, and is refused. Prefetch values are not touched: there null is data
 * ("no data", not to be fetched).
 */
function withoutNullOptionals(value: unknown, schema: ObjectSchema): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  // A spread copies own properties as data (a "__proto__" key stays a key, not a prototype).
  const out: Record<string, unknown> = { ...value };
  for (const [key, declared] of Object.entries(schema.properties ?? {})) {
    if (!Object.hasOwn(out, key)) continue;
    if (out[key] === null && !schema.required?.includes(key)) delete out[key];
    else if ((declared as ObjectSchema).properties !== undefined) {
      out[key] = withoutNullOptionals(out[key], declared as ObjectSchema);
    }
  }
  return out;
}

/** The request if valid for the service's hook, else a 400 error naming every problem. */
export function parseHookRequest(body: unknown, hook: HookName): HookRequest | AppError {
  const shape = notAnObject(body);
  if (shape) return shape;
  const validate = validators[hook];
  const request = withoutNullOptionals(body, schemas[hook]);
  if (validate(request)) return request as HookRequest;
  return appError('invalid-request', (validate.errors ?? []).slice(0, 20).map(toIssue));
}
