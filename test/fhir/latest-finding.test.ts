/**
 * The same finding many times: selectLatest gives what the rule "the latest effective[x] wins,
 * then issued" gives, read pair by pair, and copies by the thousand are handled (one used, the
 * others superseded), not only a handful.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isAfter, type TimeInterval } from '../../src/fhir/effective-time.js';
import { selectLatest, type Candidate } from '../../src/fhir/latest-finding.js';
import { extractLevels } from '../../src/fhir/index.js';
import { coded, dispositionOf, findingsAt, observation, OPTIONS, searchset } from './fixtures.js';

/** The rule pair by pair: those no other one is surely after (the quadratic form). */
function latestByPairs(
  candidates: readonly Candidate[],
  time: (c: Candidate) => TimeInterval | undefined,
): Candidate[] {
  return candidates.filter((c) => !candidates.some((o) => o !== c && isAfter(time(o), time(c))));
}

const interval = fc.option(
  fc
    .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 }))
    .map(([lo, span]) => ({ lo, hi: lo + span })),
  { nil: undefined },
);
const candidate = fc
  .tuple(
    fc.integer({ min: 0, max: 999 }),
    fc.constantFrom('preserved', 'destroyed'),
    fc.boolean(),
    fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5 })),
    interval,
  )
  .map(([n, value, preliminary, [lo, span], issued]): Candidate => ({
    ref: `Observation/${n}`,
    finding: { sign: 'pedicle', value } as Candidate['finding'],
    preliminary,
    effective: { lo, hi: lo + span },
    ...(issued ? { issued } : {}),
  }));

describe('selectLatest', () => {
  it('keeps exactly those no other finding is surely after, by effective[x] then issued', () => {
    fc.assert(
      fc.property(fc.array(candidate, { minLength: 2, maxLength: 12 }), (list) => {
        const byRef = [...list].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
        const front = latestByPairs(
          latestByPairs(byRef, (c) => c.effective),
          (c) => c.issued,
        );
        const s = selectLatest(list);
        const kept =
          s.kind === 'chosen'
            ? [
                s.kept,
                ...s.superseded.filter((x) => x.why.startsWith('the same')).map((x) => x.candidate),
              ]
            : s.tied;
        expect(new Set(kept)).toEqual(new Set(front));
        expect(s.superseded.length + (s.kind === 'chosen' ? 1 : s.tied.length)).toBe(list.length);
      }),
      { numRuns: 2000 },
    );
  });
});

/** n copies of one Observation under new ids (shallow copies: the ids are all that differ). */
function copiesOf(value: string, n: number): Record<string, unknown>[] {
  const base = observation('base', 'pedicle', coded(value));
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    id: `copy-${String(i).padStart(5, '0')}`,
  }));
}

describe('20,000 copies of one finding under new ids', () => {
  it('one is used, every other one is superseded as the same finding', () => {
    const copies = copiesOf('destroyed', 20_000);
    const r = extractLevels([searchset(copies)], { ...OPTIONS, jsonParsed: true });
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'destroyed' });
    expect(r.levels[0]?.notes).toEqual([]);
    expect(r.dispositions.filter((d) => d.use === 'used')).toHaveLength(1);
    expect(dispositionOf(r, 'Observation/copy-00000')?.use).toBe('used');
    const superseded = r.dispositions.filter((d) => d.use === 'superseded');
    expect(superseded).toHaveLength(19_999);
    expect(superseded.every((d) => d.detail.includes('the same finding, reported again'))).toBe(
      true,
    );
  });

  it('one later copy among them wins, the others are superseded by it', () => {
    const copies = copiesOf('preserved', 20_000);
    copies.push(
      observation('later', 'pedicle', coded('destroyed'), {
        effectiveDateTime: '2026-02-20T10:00:00Z',
      }),
    );
    const r = extractLevels([searchset(copies)], { ...OPTIONS, jsonParsed: true });
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'destroyed' });
    const conflict = r.levels[0]?.notes[0];
    expect(conflict).toMatchObject({ kind: 'conflict', kept: { ref: 'Observation/later' } });
    expect(r.dispositions.filter((d) => d.use === 'superseded')).toHaveLength(20_000);
  });
});
