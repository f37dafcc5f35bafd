/**
 * Reading FHIR references: `Patient/123`, `Patient/123/_history/2`, an absolute URL ending in
 * `/Patient/123`, `urn:uuid:...` (a Bundle entry's fullUrl) and `#id` (a contained resource).
 * Every resource has a reference or two read, so this is done with string operations rather than
 * a split and regexes; `FHIR_ID` and the comments give the rules in their regex form.
 * @see https://hl7.org/fhir/R4/references.html#literal
 */

/** FHIR's `id` type: 1-64 of letters, digits, '-' and '.'. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Longer than any reference FHIR servers produce; longer strings are not parsed. */
const MAX_REFERENCE_LENGTH = 4096;

/** `FHIR_ID.test(text.slice(start, end))`, without the slice. */
function isIdBetween(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 64) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) || // a-z
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x30 && c <= 0x39) || // 0-9
      c === 0x2d || // -
      c === 0x2e; // .
    if (!ok) return false;
  }
  return true;
}

/** `FHIR_ID.test(text)` for a string. */
export function isFhirId(text: string): boolean {
  return isIdBetween(text, 0, text.length);
}

/** `/^[A-Z][A-Za-z]{1,63}$/` (a resource type's name) on `text.slice(start, end)`. */
function isResourceTypeBetween(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 2 || length > 64) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const upper = c >= 0x41 && c <= 0x5a;
    if (!(upper || (i > start && c >= 0x61 && c <= 0x7a))) return false;
  }
  return true;
}

/** The last '/' before `index`, or -1. */
function slashBefore(text: string, index: number): number {
  return index <= 0 ? -1 : text.lastIndexOf('/', index - 1);
}

/**
 * Where the host of `^https?:\/\/[^/]+\/` ends (the index of its closing '/'), or -1 when the
 * text does not start so.
 */
function hostEnd(text: string): number {
  const start = text.startsWith('http://') ? 7 : text.startsWith('https://') ? 8 : -1;
  if (start === -1) return -1;
  const end = text.indexOf('/', start);
  return end > start ? end : -1;
}

export interface ReferenceTarget {
  readonly resourceType: string;
  readonly id: string;
}

/**
 * The last reference read and its target. A subject is read twice (profile, then patient), and
 * the findings of one study name the same patient: most reads are of the reference just read.
 * The target is frozen, as it is handed out more than once.
 */
const last: { reference: string | undefined; target: ReferenceTarget | undefined } = {
  reference: undefined,
  target: undefined,
};

/**
 * The type and id a literal reference names (relative or absolute URL), or undefined. Relative:
 * exactly `Type/id`; absolute: `http(s)://host/[path/]Type/id`; either may end in
 * `/_history/<version id>`.
 */
export function referenceTarget(reference: unknown): ReferenceTarget | undefined {
  if (typeof reference !== 'string' || reference.length > MAX_REFERENCE_LENGTH) return undefined;
  if (reference !== last.reference) {
    last.reference = reference;
    last.target = parseReference(reference);
  }
  return last.target;
}

function parseReference(reference: string): ReferenceTarget | undefined {
  let idEnd = reference.length;
  let beforeId = reference.lastIndexOf('/');
  if (beforeId === -1) return undefined;
  let beforeType = slashBefore(reference, beforeId);
  // `.../_history/<v>` (at least three slashes): the version must be an id; Type/id come before it.
  if (beforeType !== -1 && beforeId - beforeType === 9) {
    const beforeHistory = slashBefore(reference, beforeType);
    if (beforeHistory !== -1 && reference.startsWith('_history', beforeType + 1)) {
      if (!isIdBetween(reference, beforeId + 1, idEnd)) return undefined;
      idEnd = beforeType;
      beforeId = beforeHistory;
      beforeType = slashBefore(reference, beforeHistory);
    }
  }
  // Absolute: Type comes after the host's '/'. Relative: nothing before Type.
  const host = hostEnd(reference);
  if (host !== -1 ? beforeType < host : beforeType !== -1) return undefined;
  const typeStart = beforeType + 1;
  if (
    !isResourceTypeBetween(reference, typeStart, beforeId) ||
    !isIdBetween(reference, beforeId + 1, idEnd)
  ) {
    return undefined;
  }
  return Object.freeze({
    resourceType: reference.slice(typeStart, beforeId),
    id: reference.slice(beforeId + 1, idEnd),
  });
}
