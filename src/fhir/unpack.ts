/**
 * The items at hand (prefetch values, pages from the FHIR server: Bundles of any type, single
 * resources, OperationOutcomes) -> one list of resources, each named once, and an index to
 * resolve references within them. A resource given twice (two pages, prefetch and search) counts
 * once. Nothing here depends on the order of the items.
 */
import { canonicalJson, shortHash } from './canonical-json.js';
import type { Disposition } from './extraction-result.js';
import { describeKind, jsonProblem } from './json-value.js';
import { isFhirId, referenceTarget } from './references.js';
import { timeInterval, isAfter } from './effective-time.js';
import { validateBundleShell } from './validate-resource.js';

type Json = Readonly<Record<string, unknown>>;

/**
 * One resource met in the data, named for dispositions and references. Every property is always
 * present (undefined when it does not apply): one object shape for all, on a path run per resource.
 */
export interface MetResource {
  /** `Observation/abc`; else its fullUrl; else `Observation/(no id <hash>)`; contained: `Observation/p#m1`. */
  readonly ref: string;
  /** Its resourceType, or 'unknown' when it has none. */
  readonly resourceType: string;
  readonly resource: Json;
  readonly fullUrl: string | undefined;
  readonly versionId: string | undefined;
  /** Not JSON data: why (such a resource is named but never read). */
  readonly notJson: string | undefined;
}

export interface UnpackedData {
  /** Sorted by ref, one per ref. */
  readonly resources: readonly MetResource[];
  /** Resources given twice with different content and nothing to choose by. */
  readonly unresolved: readonly Disposition[];
  readonly notes: readonly string[];
  /** A search result links to a further page not among the data: findings may be missing. */
  readonly pagesMissing?: boolean;
  /** Finds a resource by ref, fullUrl or `Type/id`. */
  resolve(reference: string): MetResource | undefined;
}

/** Bundles in Bundles, arrays in arrays: deeper than anything a FHIR server or a client sends. */
const MAX_NESTING = 8;

const asObject = (x: unknown): Json | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : undefined;

function metaVersion(resource: Json): string | undefined {
  const v = asObject(resource['meta'])?.['versionId'];
  return typeof v === 'string' ? v : undefined;
}

/** The ref of a resource that is not contained (see MetResource.ref). */
function refOf(
  type: string,
  id: string | undefined,
  url: string | undefined,
  resource: Json,
  notJson: boolean,
): string {
  if (id !== undefined) return `${type}/${id}`;
  const fromUrl = referenceTarget(url);
  if (fromUrl && fromUrl.resourceType === type) return `${type}/${fromUrl.id}`;
  if (url !== undefined) return url;
  // The content hash is the name of last resort: only a resource without id or fullUrl needs it.
  return `${type}/(${notJson ? 'not JSON data' : `no id ${shortHash(canonicalJson(resource))}`})`;
}

/**
 * Names a resource; `container` for a contained one. `jsonParsed`: the resource came from JSON.parse
 * within the depth bound (ExtractionOptions.jsonParsed), so it is not walked.
 */
export function nameResource(
  resource: Json,
  fullUrl: unknown,
  container: string | undefined,
  jsonParsed: boolean,
): MetResource {
  const givenType = resource['resourceType'];
  const type = typeof givenType === 'string' ? givenType : 'unknown';
  const givenId = resource['id'];
  const id = typeof givenId === 'string' && isFhirId(givenId) ? givenId : undefined;
  const url = typeof fullUrl === 'string' && fullUrl.length > 0 ? fullUrl : undefined;
  const problem = jsonParsed ? undefined : jsonProblem(resource, type);
  return {
    ref:
      container !== undefined
        ? `${container}#${id ?? '(no id)'}`
        : refOf(type, id, url, resource, problem !== undefined),
    resourceType: type,
    resource,
    fullUrl: url,
    versionId: problem ? undefined : metaVersion(resource),
    notJson: problem ? `${problem.path} ${problem.message}` : undefined,
  };
}

/** The `next` links of a searchset Bundle, and its `self` link. */
function links(bundle: Json): { self: string[]; next: string[] } {
  const list = Array.isArray(bundle['link']) ? (bundle['link'] as unknown[]) : [];
  const of = (relation: string) =>
    list
      .map(asObject)
      .filter((l) => l?.['relation'] === relation && typeof l['url'] === 'string')
      .map((l) => String(l?.['url']));
  return { self: of('self'), next: of('next') };
}

interface Collected {
  readonly jsonParsed: boolean;
  met: MetResource[];
  notes: string[];
  selfLinks: Set<string>;
  nextLinks: Set<string>;
}

function collect(item: unknown, fullUrl: unknown, depth: number, into: Collected): void {
  if (item === undefined || item === null) return;
  if (depth > MAX_NESTING) {
    into.notes.push(`Data nested more than ${MAX_NESTING} levels deep was not read.`);
    return;
  }
  if (Array.isArray(item)) {
    for (const x of item as unknown[]) collect(x, undefined, depth + 1, into);
    return;
  }
  const resource = asObject(item);
  if (!resource) {
    into.notes.push(`An item that is not a FHIR resource (${describeKind(item)}) was skipped.`);
    return;
  }
  if (resource['resourceType'] !== 'Bundle') {
    into.met.push(nameResource(resource, fullUrl, undefined, into.jsonParsed));
    return;
  }
  const shell = validateBundleShell(resource);
  if (shell.issues.some((i) => i.kind === 'not-json')) {
    // Where the walk met it first depends on the order of entries; each entry says for itself.
    into.notes.push('A Bundle holds data that is not JSON; its entries were read one by one.');
  } else if (!shell.valid) {
    // Entry positions left out and the first problem by text, so the note does not depend on order.
    const problems = [
      ...new Set(shell.issues.map((i) => `${i.path.replace(/\[\d+\]/g, '')} ${i.message}`)),
    ].sort();
    const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
    into.notes.push(
      `A Bundle is not valid FHIR (${problems[0] ?? 'unreadable'}${more}); its entries were read one by one.`,
    );
  }
  if (resource['type'] === 'searchset') {
    const { self, next } = links(resource);
    self.forEach((l) => into.selfLinks.add(l));
    next.forEach((l) => into.nextLinks.add(l));
  }
  const entries = Array.isArray(resource['entry']) ? (resource['entry'] as unknown[]) : [];
  for (const e of entries) {
    const entry = asObject(e);
    if (!entry) continue;
    if (entry['resource'] !== undefined)
      collect(entry['resource'], entry['fullUrl'], depth + 1, into);
    const outcome = asObject(entry['response'])?.['outcome'];
    if (outcome !== undefined) collect(outcome, undefined, depth + 1, into);
  }
}

/** The later of two copies by meta.versionId (both numbers) or meta.lastUpdated; else undefined. */
function laterCopy(a: MetResource, b: MetResource): MetResource | undefined {
  const va = a.versionId;
  const vb = b.versionId;
  if (va !== undefined && vb !== undefined && /^\d+$/.test(va) && /^\d+$/.test(vb)) {
    if (Number(va) !== Number(vb)) return Number(va) > Number(vb) ? a : b;
  }
  const ta = timeInterval(asObject(a.resource['meta'])?.['lastUpdated']);
  const tb = timeInterval(asObject(b.resource['meta'])?.['lastUpdated']);
  if (isAfter(ta, tb)) return a;
  if (isAfter(tb, ta)) return b;
  return undefined;
}

const byRef = (a: MetResource, b: MetResource) => (a.ref < b.ref ? -1 : a.ref === b.ref ? 0 : 1);

/** One copy per ref: identical copies merge; different ones are ordered by version, else set aside. */
function dedupe(met: readonly MetResource[]): { kept: MetResource[]; unresolved: Disposition[] } {
  // A stable sort: the copies of one ref end up next to each other, in the order they were met.
  const sorted = [...met].sort(byRef);
  const kept: MetResource[] = [];
  const unresolved: Disposition[] = [];
  for (let start = 0; start < sorted.length;) {
    const first = sorted[start] as MetResource;
    let end = start + 1;
    while (end < sorted.length && (sorted[end] as MetResource).ref === first.ref) end++;
    if (end - start === 1) kept.push(first);
    else resolveCopies(sorted.slice(start, end), kept, unresolved);
    start = end;
  }
  return { kept, unresolved };
}

/** Several copies of one ref: the one to keep, or an unresolved-conflict disposition. */
function resolveCopies(
  copies: readonly MetResource[],
  kept: MetResource[],
  unresolved: Disposition[],
): void {
  const ref = copies[0]?.ref ?? '';
  const distinct = new Map<string, MetResource>();
  for (const c of copies) {
    distinct.set(c.notJson ? `not-json:${c.notJson}` : canonicalJson(c.resource), c);
  }
  const variants = [...distinct.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // The latest copy must be later than every other one; otherwise nothing tells which is current.
  const latest = variants
    .map(([, m]) => m)
    .find((candidate) =>
      variants.every(
        ([, other]) => other === candidate || laterCopy(candidate, other) === candidate,
      ),
    );
  if (latest) {
    kept.push(latest);
  } else {
    const first = variants[0]?.[1];
    unresolved.push({
      ref,
      resourceType: first?.resourceType ?? 'unknown',
      use: 'ignored',
      reason: 'unresolved-conflict',
      detail: `given ${variants.length} times with different content and no version to tell which is current`,
    });
  }
}

/** Each resource under its ref, its fullUrl and the `Type/id` its fullUrl names; the first one wins. */
function indexOf(resources: readonly MetResource[]): Map<string, MetResource> {
  const index = new Map<string, MetResource>();
  const add = (key: string, m: MetResource) => {
    if (!index.has(key)) index.set(key, m);
  };
  for (const m of resources) {
    add(m.ref, m);
    if (m.fullUrl !== undefined) {
      add(m.fullUrl, m);
      const target = referenceTarget(m.fullUrl);
      if (target) add(`${target.resourceType}/${target.id}`, m);
    }
  }
  return index;
}

/** Unpacks the items; never throws. `jsonParsed`: see ExtractionOptions.jsonParsed. */
export function unpack(items: unknown, jsonParsed = false): UnpackedData {
  const into: Collected = {
    jsonParsed,
    met: [],
    notes: [],
    selfLinks: new Set(),
    nextLinks: new Set(),
  };
  collect(items, undefined, 0, into);
  const { kept, unresolved } = dedupe(into.met);
  let index: Map<string, MetResource> | undefined;
  const notes = [...into.notes];
  const pagesMissing = [...into.nextLinks].some((next) => !into.selfLinks.has(next));
  if (pagesMissing) {
    notes.push(
      'A further page of a search was not given: findings on later pages, if any, were not read.',
    );
  }
  return {
    ...(pagesMissing ? { pagesMissing } : {}),
    resources: kept,
    unresolved,
    notes,
    resolve: (reference) => {
      // Built at the first look-up: most data hold only references read without it (Patient/123).
      index ??= indexOf(kept);
      const found = index.get(reference);
      if (found) return found;
      const target = referenceTarget(reference);
      return target ? index.get(`${target.resourceType}/${target.id}`) : undefined;
    },
  };
}
