/**
 * Properties that hold for any input: extractLevels, levelFromBodySite and validateResource never
 * throw, whatever they are given; extractLevels gives the same result whatever the order of the
 * items and of the entries; a resource is never read through a guard that hid an error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Bundle } from 'fhir/r4.js';
import {
  extractLevels,
  levelFromBodySite,
  validateResource,
  type ExtractionResult,
} from '../../src/fhir/index.js';
import { listExamples, loadExampleBundle } from '../profiles/load.js';
import { OPTIONS } from './fixtures.js';

const examples = listExamples().map((name) => ({ name, bundle: loadExampleBundle(name) }));
const optionsFor = (name: string) => ({ ...OPTIONS, patientId: `vcf-example-${name}` });

/** No resource fell into the last-resort guard: that would be a bug the guard hid. */
function noHiddenError(r: ExtractionResult): void {
  expect(r.dispositions.filter((d) => d.detail.includes('unexpected structure'))).toEqual([]);
}

/** Every path (as keys) to a value inside x. */
function pathsIn(x: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(x)) return [prefix, ...x.flatMap((v, i) => pathsIn(v, [...prefix, i]))];
  if (typeof x === 'object' && x !== null) {
    return [prefix, ...Object.entries(x).flatMap(([k, v]) => pathsIn(v, [...prefix, k]))];
  }
  return [prefix];
}

/** A deep copy of x with the value at `path` replaced. */
function replaceAt(x: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(x) ? [...x] : { ...(x as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head as string | number] = replaceAt(copy[head as string | number], rest, value);
  return copy;
}

const mutatedBundle = fc.constantFrom(...examples).chain(({ name, bundle }) => {
  const paths = pathsIn(bundle);
  return fc.record({
    name: fc.constant(name),
    bundle: fc
      .array(fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.anything(), fc.jsonValue())), {
        minLength: 1,
        maxLength: 4,
      })
      .map((edits) => edits.reduce<unknown>((b, [p, v]) => replaceAt(b, p, v), bundle)),
  });
});

describe('never throws', () => {
  it('extractLevels on anything', () => {
    fc.assert(
      fc.property(fc.array(fc.anything()), (items) => {
        noHiddenError(extractLevels(items, OPTIONS));
      }),
      { numRuns: 300 },
    );
  });

  it('extractLevels on example bundles with random parts replaced', () => {
    fc.assert(
      fc.property(mutatedBundle, ({ name, bundle }) => {
        noHiddenError(extractLevels([bundle], optionsFor(name)));
      }),
      { numRuns: 400 },
    );
  });

  it('extractLevels with options that do not respect their types', () => {
    fc.assert(
      fc.property(fc.anything(), (options) => {
        const r = extractLevels([examples[0]?.bundle], options as typeof OPTIONS);
        expect(r.levels).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('levelFromBodySite on anything', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const level = levelFromBodySite(x);
        expect(level === undefined || typeof level === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('validateResource on anything and on mutated bundles', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          mutatedBundle.map((m) => m.bundle),
        ),
        (x) => {
          expect(typeof validateResource(x).valid).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('order does not matter', () => {
  /** The example's entries shuffled by random keys and dealt into 1-4 items (pages). */
  const shuffled = fc.constantFrom(...examples).chain(({ name, bundle }) => {
    const entries = bundle.entry ?? [];
    return fc
      .record({
        keys: fc.array(fc.double({ noNaN: true }), {
          minLength: entries.length,
          maxLength: entries.length,
        }),
        pages: fc.integer({ min: 1, max: 4 }),
        type: fc.constantFrom('searchset', 'collection', 'transaction'),
      })
      .map(({ keys, pages, type }) => {
        const order = entries
          .map((e, i) => ({ e, k: keys[i] ?? 0, i }))
          .sort((a, b) => a.k - b.k || a.i - b.i)
          .map((x) => x.e);
        const items: Bundle[] = Array.from({ length: pages }, (_, p) => ({
          resourceType: 'Bundle',
          type: type as Bundle['type'],
          entry: order.filter((_, i) => i % pages === p),
        }));
        return { name, bundle, items };
      });
  });

  it('shuffled entries, split into pages, give the same result', () => {
    fc.assert(
      fc.property(shuffled, ({ name, bundle, items }) => {
        expect(extractLevels(items, optionsFor(name))).toEqual(
          extractLevels([bundle], optionsFor(name)),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('mutated bundles: reversed entries give the same result', () => {
    fc.assert(
      fc.property(mutatedBundle, ({ name, bundle }) => {
        const b = (bundle ?? {}) as { resourceType?: unknown; entry?: unknown };
        // Reversing an array inside something that is not a Bundle makes a different resource.
        fc.pre(b.resourceType === 'Bundle' && Array.isArray(b.entry));
        const reversed = { ...b, entry: [...(b.entry as unknown[])].reverse() };
        expect(extractLevels([reversed], optionsFor(name))).toEqual(
          extractLevels([bundle], optionsFor(name)),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('jsonParsed (no walk for JSON.parse output)', () => {
  it('gives the same result as the walk on any JSON value, example bundles mutated with JSON', () => {
    const jsonMutated = fc.constantFrom(...examples).chain(({ name, bundle }) =>
      fc
        .array(fc.tuple(fc.constantFrom(...pathsIn(bundle)), fc.jsonValue()), { maxLength: 4 })
        .map((edits) => ({
          name,
          // Through JSON text, as a request body arrives.
          bundle: JSON.parse(
            JSON.stringify(edits.reduce<unknown>((b, [p, v]) => replaceAt(b, p, v), bundle)),
          ) as unknown,
        })),
    );
    fc.assert(
      fc.property(jsonMutated, ({ name, bundle }) => {
        expect(extractLevels([bundle], { ...optionsFor(name), jsonParsed: true })).toEqual(
          extractLevels([bundle], optionsFor(name)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('is not trusted unless given: a value built in code is still walked', () => {
    const cyclic: Record<string, unknown> = { resourceType: 'Observation', id: 'c' };
    cyclic['self'] = cyclic;
    const result = extractLevels([cyclic], OPTIONS);
    expect(result.dispositions[0]?.detail).toMatch(/not JSON data/);
  });
});
