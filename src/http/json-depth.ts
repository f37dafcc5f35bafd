/**
 * Nesting depth of a parsed JSON body, checked before anything walks it: JSON.parse is iterative,
 * but JSON.stringify, structuredClone and most validators recurse, so a hostile body nested a
 * hundred thousand levels deep would otherwise end in a stack overflow (a 500) further in.
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

/**
 * Deepest nesting accepted in a request body. A CDS Hooks request holding a prefetched search
 * Bundle of Observations nests about a dozen levels (request > prefetch > Bundle > entry > resource
 * > valueCodeableConcept > coding > extension ...); 64 leaves room for extensions in extensions.
 */
export const MAX_JSON_DEPTH = 64;
