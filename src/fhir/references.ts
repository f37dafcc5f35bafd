/**
 * Reading FHIR references: `Patient/123`, `Patient/123/_history/2`, an absolute URL ending in
 * `/Patient/123`, `urn:uuid:...` (a Bundle entry's fullUrl) and `#id` (a contained resource).
 * @see https://hl7.org/fhir/R4/references.html#literal
 */

/** FHIR's `id` type: 1-64 of letters, digits, '-' and '.'. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
/** Longer than any reference FHIR servers produce; longer strings are not parsed. */
const MAX_REFERENCE_LENGTH = 4096;

export interface ReferenceTarget {
  readonly resourceType: string;
  readonly id: string;
}

/** The type and id a literal reference names (relative or absolute URL), or undefined. */
export function referenceTarget(reference: unknown): ReferenceTarget | undefined {
  if (typeof reference !== 'string' || reference.length > MAX_REFERENCE_LENGTH) return undefined;
  const absolute = /^https?:\/\/[^/]+\//.test(reference);
  const parts = reference.split('/');
  let end = parts.length;
  if (end >= 4 && parts[end - 2] === '_history') {
    if (!FHIR_ID.test(parts[end - 1] ?? '')) return undefined;
    end -= 2;
  }
  // Relative: exactly Type/id. Absolute: scheme, '', host, [path...], Type, id.
  if (absolute ? end < 5 : end !== 2) return undefined;
  const resourceType = parts[end - 2] ?? '';
  const id = parts[end - 1] ?? '';
  return RESOURCE_TYPE.test(resourceType) && FHIR_ID.test(id) ? { resourceType, id } : undefined;
}

/**
 * Keys under which a reference may find its target in the data at hand: the reference itself (a
 * fullUrl: `urn:uuid:...` or an absolute URL) and `Type/id` when it names one.
 */
export function referenceKeys(reference: string): string[] {
  const target = referenceTarget(reference);
  const keys = [reference];
  if (target) keys.push(`${target.resourceType}/${target.id}`);
  return keys;
}
