/**
 * Is a value plain JSON data (what `JSON.parse` can produce)? The FHIR layer receives `unknown`
 * from the wire or from JavaScript callers; a cycle, a function or NaN would make the schema
 * validator recurse forever or answer nonsense, so they are caught first and named.
 */

/**
 * Deeper than any FHIR resource nests (extensions of extensions included), and the deepest request
 * body accepted: a CDS Hooks request holding a prefetched search Bundle of Observations nests
 * about a dozen levels (request > prefetch > Bundle > entry > resource > valueCodeableConcept >
 * coding > extension ...); 64 leaves room for extensions in extensions.
 */
export const MAX_JSON_DEPTH = 64;

/*
 * Nesting depth of parsed JSON, checked before anything walks it: JSON.parse is iterative, but
 * JSON.stringify, structuredClone and most validators recurse, so a hostile body nested a hundred
 * thousand levels deep would otherwise end in a stack overflow further in.
 */
/**
 * True when `value` nests objects/arrays deeper than `max` levels. Recursive, but the recursion
 * stops at `max + 1` frames, so it cannot overflow; no allocation per node (it runs on every
 * request body).
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (nestedDeeperThan(value[i], max - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    if (nestedDeeperThan((value as Record<string, unknown>)[key], max - 1)) return true;
  }
  return false;
}

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

/** The state of one walk: the objects above the current value, and the values left to visit. */
interface Walk {
  /** ancestors[0 .. depth - 1] are the objects above the value being visited. */
  readonly ancestors: object[];
  budget: number;
  /**
   * for-in also lists enumerable properties inherited from Object.prototype; JSON has none, so the
   * own-property check is made only when something has added one there.
   */
  readonly ownCheck: boolean;
}

/** A problem found, with the keys leading to it innermost first (added as the walk unwinds). */
interface Found {
  readonly message: string;
  readonly keys: (string | number)[];
}

const found = (message: string): Found => ({ message, keys: [] });
const overBudget = (): Found => found(`holds more than ${MAX_JSON_VALUES} values`);

/**
 * The first problem in one value of an array or object (`undefined` is handled by the caller). The
 * budget was counted for it already. Strings and booleans, most values, are handled in the caller's
 * loop without a call.
 */
function visitValue(x: unknown, walk: Walk, depth: number): Found | undefined {
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(x) ? undefined : found(`${x} is not a JSON number`);
    case 'object':
      return x === null ? undefined : visitObject(x, walk, depth);
    default:
      return found(`${kindOf(x)} is not JSON data`);
  }
}

/** The first problem under an object or array `depth` levels below the root. */
function visitObject(x: object, walk: Walk, depth: number): Found | undefined {
  const { ancestors } = walk;
  // Depth is bounded, so a linear search of the ancestors is cheap.
  for (let i = 0; i < depth; i++) {
    if (ancestors[i] === x) return found('refers back to itself (circular)');
  }
  if (depth >= MAX_JSON_DEPTH) return found(`is nested more than ${MAX_JSON_DEPTH} levels deep`);
  ancestors[depth] = x;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const item: unknown = x[i];
      const kind = typeof item;
      let problem: Found | undefined;
      if (item === undefined) problem = found('is undefined (not JSON data)');
      else if (--walk.budget < 0) problem = overBudget();
      else if (kind !== 'string' && kind !== 'boolean') problem = visitValue(item, walk, depth + 1);
      if (problem !== undefined) {
        problem.keys.push(i);
        return problem;
      }
    }
    return undefined;
  }
  if (!isPlainObject(x)) return found(`${kindOf(x)} is not JSON data`);
  const record = x as Record<string, unknown>;
  // for-in rather than Object.keys: V8 reads the values through its enumeration cache.
  for (const key in record) {
    if (walk.ownCheck && !Object.hasOwn(record, key)) continue;
    const item = record[key];
    if (item === undefined) continue;
    const kind = typeof item;
    let problem: Found | undefined;
    if (--walk.budget < 0) problem = overBudget();
    else if (kind !== 'string' && kind !== 'boolean') problem = visitValue(item, walk, depth + 1);
    if (problem !== undefined) {
      problem.keys.push(key);
      return problem;
    }
  }
  return undefined;
}

/** Has anything given Object.prototype an enumerable property (which for-in would list)? */
function objectPrototypeEnumerates(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/**
 * The first thing that makes `value` not JSON data, or undefined when it is JSON. Properties whose
 * value is `undefined` are taken as absent (as `JSON.stringify` does); shared sub-objects are
 * allowed, cycles are not. The path is built only for a problem: this runs on every resource.
 */
export function jsonProblem(value: unknown, path: string): JsonProblem | undefined {
  const walk: Walk = {
    ancestors: [],
    budget: MAX_JSON_VALUES,
    ownCheck: objectPrototypeEnumerates(),
  };
  const problem = --walk.budget < 0 ? overBudget() : visitValue(value, walk, 0);
  if (problem === undefined) return undefined;
  let at = path;
  for (let i = problem.keys.length - 1; i >= 0; i--) {
    at = childPath(at, problem.keys[i] as string | number);
  }
  return { path: at, message: problem.message };
}

/** "a string", "an array", "null"... for error messages about what was given instead. */
export function describeKind(x: unknown): string {
  return kindOf(x);
}
