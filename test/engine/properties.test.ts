import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOOLEAN_SIGNS,
  CODED_SIGN_VALUES,
  DEFAULT_ENGINE_SETTINGS,
  MRI_SIGNS,
  assessLevel,
  rowLikelihood,
  type CodedSign,
  type Finding,
  type Sign,
} from '../../src/engine/index.js';

const codedFinding = fc
  .constantFrom(...(Object.keys(CODED_SIGN_VALUES) as CodedSign[]))
  .chain((sign) =>
    fc.constantFrom(...CODED_SIGN_VALUES[sign]).map((value) => ({ sign, value }) as Finding),
  );
const booleanFinding = fc
  .record({ sign: fc.constantFrom(...BOOLEAN_SIGNS), value: fc.boolean() })
  .map((f) => f as Finding);
const adcFinding = fc
  .record({
    sign: fc.constantFrom('adc' as const, 'adc-reference' as const),
    value: fc.double({ min: 0.05, max: 4, noNaN: true }),
  })
  .map((f) => f as Finding);
const finding = fc.oneof(codedFinding, booleanFinding, adcFinding);

/** A level's findings with at most one per sign, as the FHIR layer delivers them. */
const level = fc.uniqueArray(finding, { selector: (f) => f.sign, maxLength: 15 });
const settings = fc.record({ useDwi: fc.boolean(), knownCancerHistory: fc.boolean() });

/** LR of a finding on its own, as the engine would multiply it. */
function lrOf(f: Finding): number | undefined {
  if (f.sign === 'adc' || f.sign === 'adc-reference') return undefined;
  return rowLikelihood(f.sign, f.value as string | boolean)?.lr;
}

describe('engine properties (random inputs)', () => {
  it('adding a finding whose LR > 1 never lowers P(malignant)', () => {
    fc.assert(
      fc.property(
        level,
        codedFinding.filter((f) => (lrOf(f) ?? 0) > 1),
        settings,
        (base, added, s) => {
          if (base.some((f) => f.sign === added.sign)) return;
          // An MRI sign replaces the reader's MRI impression (section 2): compare without it.
          const supersedes = (MRI_SIGNS as readonly Sign[]).includes(added.sign);
          const before = supersedes ? base.filter((f) => f.sign !== 'mri-impression') : base;
          const cfg = { ...DEFAULT_ENGINE_SETTINGS, useDwi: s.useDwi };
          const p0 = assessLevel(
            { findings: before, knownCancerHistory: s.knownCancerHistory },
            cfg,
          ).probabilityMalignant;
          const p1 = assessLevel(
            { findings: [...before, added], knownCancerHistory: s.knownCancerHistory },
            cfg,
          ).probabilityMalignant;
          expect(p1).toBeGreaterThanOrEqual(p0 * (1 - 1e-12));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the safeguard never yields malignant-favoured when it applies', () => {
    const g4Level = level.map((fs) => [
      { sign: 'lesion-extent', value: 'G4' } as Finding,
      ...fs.filter((f) => f.sign !== 'lesion-extent'),
    ]);
    fc.assert(
      fc.property(g4Level, settings, (fs, s) => {
        const a = assessLevel(
          { findings: fs, knownCancerHistory: s.knownCancerHistory },
          { ...DEFAULT_ENGINE_SETTINGS, useDwi: s.useDwi },
        );
        if (a.safeguard.status === 'applied' || a.safeguard.status === 'pending') {
          expect(a.category).not.toBe('malignant-favoured');
        }
        // Pending exactly when nothing favours malignancy and fewer than three favour benign.
        if (a.safeguard.status !== 'not-applicable') {
          const { favoursBenign: b, favoursMalignant: m } = a.safeguard;
          expect(a.safeguard.status).toBe(m > 0 ? 'not-applied' : b >= 3 ? 'applied' : 'pending');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('each what-if is the assessment the level would get with that finding added', () => {
    // The value each side stands for, written out by hand (ADC: the cut-off, and half of it).
    const SIDES = {
      pedicle: [
        { sign: 'pedicle', value: 'preserved' },
        { sign: 'pedicle', value: 'destroyed' },
      ],
      'paravertebral-soft-tissue': [
        { sign: 'paravertebral-soft-tissue', value: false },
        { sign: 'paravertebral-soft-tissue', value: true },
      ],
      'enhancement-pattern': [
        { sign: 'enhancement-pattern', value: 'flocculent' },
        { sign: 'enhancement-pattern', value: 'nodular' },
      ],
      diffusion: [
        { sign: 'adc', value: 0.89 },
        { sign: 'adc', value: 0.445 },
      ],
    } as const satisfies Record<string, readonly [Finding, Finding]>;
    fc.assert(
      fc.property(level, settings, (fs, s) => {
        const cfg = { ...DEFAULT_ENGINE_SETTINGS, useDwi: s.useDwi };
        const history = s.knownCancerHistory;
        const a = assessLevel({ findings: fs, knownCancerHistory: history }, cfg);
        for (const w of a.whatIf) {
          const [benign, malignant] = SIDES[w.discriminator];
          for (const [added, outcome] of [
            [benign, w.ifBenign],
            [malignant, w.ifMalignant],
          ] as const) {
            const real = assessLevel(
              {
                findings: [...fs.filter((f) => f.sign !== added.sign), added],
                knownCancerHistory: history,
              },
              cfg,
            );
            expect(outcome).toEqual({
              category: real.category,
              probabilityMalignant: real.probabilityMalignant,
            });
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a definitive category always has at least 3 of 4 key discriminators known', () => {
    fc.assert(
      fc.property(level, (fs) => {
        const a = assessLevel({ findings: fs });
        if (a.category !== 'indeterminate')
          expect(a.constellation.known.length).toBeGreaterThanOrEqual(3);
      }),
      { numRuns: 2000 },
    );
  });

  it('the output is identical for identical input, whatever the order of the findings', () => {
    fc.assert(
      fc.property(level, settings, (fs, s) => {
        const input = { findings: fs, knownCancerHistory: s.knownCancerHistory };
        const a = assessLevel(input);
        expect(assessLevel(structuredClone(input))).toEqual(a);
        const reversed = assessLevel({ ...input, findings: [...fs].reverse() });
        expect(reversed.probabilityMalignant).toBe(a.probabilityMalignant);
        expect(reversed.category).toBe(a.category);
      }),
      { numRuns: 1000 },
    );
  });

  it('no input throws, and P(malignant) is always a probability', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (findings, history) => {
        const a = assessLevel({ findings, knownCancerHistory: history } as never);
        expect(a.probabilityMalignant).toBeGreaterThanOrEqual(0);
        expect(a.probabilityMalignant).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            sign: fc.oneof(fc.string(), fc.constantFrom('adc', 'pedicle', '__proto__')),
            value: fc.anything(),
          }),
        ),
        (fs) => {
          expect(() => assessLevel({ findings: fs as never })).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
    expect(() => assessLevel(undefined as never)).not.toThrow();
  });
});
