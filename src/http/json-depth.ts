/**
 * Nesting depth of a parsed JSON body, checked before anything walks it: JSON.parse is iterative,
 * but JSON.stringify, structuredClone and most validators recurse, so a hostile body nested a
 * hundred thousand levels deep would otherwise end in a stack overflow (a 500) further in.
 */

/** True when `value` nests objects/arrays deeper than `max` levels. Iterative, stops early. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as object);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Deepest nesting accepted in a request body. A CDS Hooks request holding a prefetched search
 * Bundle of Observations nests about a dozen levels (request > prefetch > Bundle > entry > resource
 * > valueCodeableConcept > coding > extension ...); 64 leaves room for extensions in extensions.
 */
export const MAX_JSON_DEPTH = 64;
