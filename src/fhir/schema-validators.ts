/**
 * The precompiled FHIR R4 JSON schema validators (ajv standalone code written to `generated/` by
 * `npm run generate`), loaded once when this module is imported. Loading takes a few
 * milliseconds; compiling the schema at run time would take about a second per resource type.
 * A missing or stale file stops the import with a message naming `npm run generate`: the service
 * must not start without its validators.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../project-root.js';
import {
  GENERATED_VALIDATORS_FILE,
  VALIDATED_RESOURCE_TYPES,
  type ValidatedResourceType,
} from './validated-resource-types.js';

/** One error as ajv reports it. */
export interface SchemaError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** A generated validator: true when valid, else `errors` holds why. */
export type SchemaValidate = ((data: unknown) => boolean) & {
  errors?: readonly SchemaError[] | null;
};

export interface SchemaValidators {
  /** Every resource type of FHIR R4 (to tell "not FHIR" from "not validated here"). */
  readonly r4ResourceTypes: ReadonlySet<string>;
  /** The validator of a resource type, or undefined when none was generated for it. */
  validatorFor(resourceType: string): SchemaValidate | undefined;
}

export const REGENERATE_HINT = 'run `npm run generate` (it is part of prebuild and pretest)';

/** Checks the shape of the generated module; a string says what is wrong with it. */
export function asSchemaValidators(mod: unknown): SchemaValidators | string {
  if (typeof mod !== 'object' || mod === null) return 'it is not a module';
  const exports = mod as Readonly<Record<string, unknown>>;
  const types = exports['R4_RESOURCE_TYPES'];
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) {
    return 'it lacks R4_RESOURCE_TYPES';
  }
  const byType = new Map<string, SchemaValidate>();
  for (const type of VALIDATED_RESOURCE_TYPES) {
    const fn = exports[type];
    if (typeof fn !== 'function') return `it has no validator for ${type}`;
    byType.set(type, fn as SchemaValidate);
  }
  const r4 = new Set<string>(types as string[]);
  return {
    r4ResourceTypes: r4,
    validatorFor: (resourceType) => byType.get(resourceType as ValidatedResourceType),
  };
}

async function load(): Promise<SchemaValidators> {
  const file = join(projectRoot(), GENERATED_VALIDATORS_FILE);
  if (!existsSync(file)) {
    throw new Error(`FHIR validators not found at ${file}: ${REGENERATE_HINT}.`);
  }
  const checked = asSchemaValidators(await import(pathToFileURL(file).href));
  if (typeof checked === 'string') {
    throw new Error(`FHIR validators at ${file} are out of date (${checked}): ${REGENERATE_HINT}.`);
  }
  return checked;
}

/** Loaded at import: a service without validators refuses to start rather than fail per request. */
export const SCHEMA_VALIDATORS: SchemaValidators = await load();
