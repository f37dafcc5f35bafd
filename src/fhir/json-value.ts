/**
 * Is a value plain JSON data (what `JSON.parse` can produce)? The FHIR layer receives `unknown`
 * from the wire or from JavaScript callers; a cycle, a function or NaN would make the schema
 * validator recurse forever or answer nonsense, so they are caught first and named.
 */

/** Deeper than any FHIR resource nests (extensions of extensions included). */
export const MAX_JSON_DEPTH = 64;

export interface JsonProblem {
  /** FHIRPath-like location, e.g. `Observation.valueQuantity.value`. */
  readonly path: string;
  readonly message: string;
}

/** Appends a property or an array index to a FHIRPath-like path. */
export function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') {
    const name = (Object.getPrototypeOf(x) as { constructor?: { name?: unknown } } | null)
      ?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name} object` : 'an object';
  }
  return `a ${typeof x}`;
}

function isPlainObject(x: object): boolean {
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * More values than any resource holds: past this a shared sub-object (allowed, as in a DAG) could
 * make the walk exponential, so the walk stops.
 */
export const MAX_JSON_VALUES = 5_000_000;

/**
 * The first thing that makes `value` not JSON data, or undefined when it is JSON. Properties whose
 * value is `undefined` are taken as absent (as `JSON.stringify` does); shared sub-objects are
 * allowed, cycles are not. The path is built only for a problem: this runs on every resource.
 */
export function jsonProblem(value: unknown, path: string): JsonProblem | undefined {
  const ancestors: object[] = [];
  const keys: (string | number)[] = [];
  let budget = MAX_JSON_VALUES;
  const problem = (message: string): JsonProblem => ({
    path: keys.reduce<string>((p, k) => childPath(p, k), path),
    message,
  });

  function visit(x: unknown): JsonProblem | undefined {
    if (--budget < 0) return problem(`holds more than ${MAX_JSON_VALUES} values`);
    switch (typeof x) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
        return Number.isFinite(x) ? undefined : problem(`${x} is not a JSON number`);
      case 'object':
        break;
      default:
        return problem(`${kindOf(x)} is not JSON data`);
    }
    if (x === null) return undefined;
    // Depth is bounded, so a linear search of the ancestors is cheap.
    if (ancestors.includes(x)) return problem('refers back to itself (circular)');
    if (ancestors.length >= MAX_JSON_DEPTH) {
      return problem(`is nested more than ${MAX_JSON_DEPTH} levels deep`);
    }
    const isArray = Array.isArray(x);
    if (!isArray && !isPlainObject(x)) return problem(`${kindOf(x)} is not JSON data`);
    ancestors.push(x);
    let found: JsonProblem | undefined;
    if (isArray) {
      for (let i = 0; i < x.length && found === undefined; i++) {
        keys.push(i);
        const item: unknown = x[i];
        found = item === undefined ? problem('is undefined (not JSON data)') : visit(item);
        keys.pop();
      }
    } else {
      const record = x as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const item = record[key];
        if (item === undefined) continue;
        keys.push(key);
        found = visit(item);
        keys.pop();
        if (found !== undefined) break;
      }
    }
    ancestors.pop();
    return found;
  }

  return visit(value);
}

/** "a string", "an array", "null"... for error messages about what was given instead. */
export function describeKind(x: unknown): string {
  return kindOf(x);
}
