import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_SETTINGS,
  assessLevel,
  settingsErrors,
  type EngineSettings,
  type Finding,
} from '../../src/engine/index.js';
import {
  classicOsteoporotic,
  g4AllBenignDiscriminators,
  g4PendingEnhancementAdcUnknown,
} from './fixtures.js';

const without = (findings: readonly Finding[], ...signs: string[]) =>
  findings.filter((f) => !signs.includes(f.sign));
const lrOf = (findings: readonly Finding[]) =>
  findings.reduce((acc, f) => {
    const a = assessLevel({ findings: [f] });
    return acc * (a.evidence[0]?.lr ?? 1);
  }, 1);
const odds = (p: number) => p / (1 - p);

describe('combining evidence (docs/clinical-logic.md section 3)', () => {
  it('post-test odds = pre-test odds x product of LRs, pre-test 74/150 by default', () => {
    const findings: Finding[] = [
      { sign: 'pedicle', value: 'destroyed' },
      { sign: 'enhancement-pattern', value: 'flocculent' },
      { sign: 'paravertebral-soft-tissue', value: true },
    ];
    const a = assessLevel({ findings });
    expect(a.pretest).toEqual({ probability: 74 / 150, basis: 'study-cohort' });
    const expected = odds(74 / 150) * lrOf(findings);
    expect(odds(a.probabilityMalignant)).toBeCloseTo(expected, 9);
  });

  it('no findings: the pre-test probability, indeterminate', () => {
    const a = assessLevel({ findings: [] });
    expect(a.probabilityMalignant).toBeCloseTo(74 / 150, 12);
    expect(a.category).toBe('indeterminate');
  });

  it('a known cancer history raises the pre-test probability to 0.67 (Luo 2016)', () => {
    const a = assessLevel({ findings: [], knownCancerHistory: true });
    expect(a.pretest).toEqual({ probability: 0.67, basis: 'cancer-history' });
    expect(a.probabilityMalignant).toBeCloseTo(0.67, 12);
  });

  it('a site pre-test setting is used, and cancer history never lowers it', () => {
    const site: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, pretestProbability: 0.08 };
    expect(assessLevel({ findings: [] }, site).pretest).toEqual({
      probability: 0.08,
      basis: 'site-setting',
    });
    const high: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, pretestProbability: 0.8 };
    expect(assessLevel({ findings: [], knownCancerHistory: true }, high).pretest.probability).toBe(
      0.8,
    );
  });

  it('categories at the thresholds: >= 0.90 malignant-favoured, <= 0.10 benign-favoured, both settings', () => {
    // All four key discriminators known, P(malignant) about 0.92: between the thresholds' reach.
    const picture: Finding[] = [
      { sign: 'pedicle', value: 'destroyed' },
      { sign: 'paravertebral-soft-tissue', value: true },
      { sign: 'enhancement-pattern', value: 'flocculent' },
      { sign: 'adc', value: 0.6 },
    ];
    const p = assessLevel({ findings: picture }).probabilityMalignant;
    expect(p).toBeGreaterThan(0.9);
    expect(p).toBeLessThan(0.95);
    expect(assessLevel({ findings: picture }).category).toBe('malignant-favoured');
    const exactly: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, malignantThreshold: p };
    expect(assessLevel({ findings: picture }, exactly).category).toBe('malignant-favoured');
    const above: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, malignantThreshold: p + 1e-9 };
    expect(assessLevel({ findings: picture }, above).category).toBe('indeterminate');
    const q = assessLevel({ findings: classicOsteoporotic }).probabilityMalignant;
    const benignAt: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, benignThreshold: q };
    expect(assessLevel({ findings: classicOsteoporotic }, benignAt).category).toBe(
      'benign-favoured',
    );
    const benignBelow: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, benignThreshold: q / 2 };
    expect(assessLevel({ findings: classicOsteoporotic }, benignBelow).category).toBe(
      'indeterminate',
    );
  });
});

describe('inclusive thresholds on the log-odds scale', () => {
  it('a pre-test of exactly 0.90 with no findings reaches malignant-favoured by probability', () => {
    const a = assessLevel(
      { findings: [] },
      { ...DEFAULT_ENGINE_SETTINGS, pretestProbability: 0.9 },
    );
    // 1 / (1 + exp(-logit(0.9))) rounds to 0.8999999999999999: the log-odds comparison is not fooled.
    expect(a.probabilityMalignant).toBeCloseTo(0.9, 12);
    expect(a.probabilityCategory).toBe('malignant-favoured');
    expect(a.category).toBe('indeterminate'); // no key discriminator known, none malignant
    expect(a.limitedBy).toEqual(['constellation-rule', 'key-sign-agreement']);
  });

  it('a pre-test of exactly 0.10 with no findings reaches benign-favoured by probability', () => {
    const a = assessLevel(
      { findings: [] },
      { ...DEFAULT_ENGINE_SETTINGS, pretestProbability: 0.1 },
    );
    expect(a.probabilityCategory).toBe('benign-favoured');
  });

  it('the tolerance is tiny: a millionth short of a threshold is not reaching it', () => {
    const below = assessLevel(
      { findings: [] },
      { ...DEFAULT_ENGINE_SETTINGS, pretestProbability: 0.9 - 1e-6 },
    );
    expect(below.probabilityCategory).toBe('indeterminate');
    const above = assessLevel(
      { findings: [] },
      { ...DEFAULT_ENGINE_SETTINGS, pretestProbability: 0.1 + 1e-6 },
    );
    expect(above.probabilityCategory).toBe('indeterminate');
  });
});

describe('constellation rule', () => {
  const strongMalignantNoKeys: Finding[] = [
    { sign: 'compression-degree', value: 'degree-1' },
    { sign: 'lesion-extent', value: 'G4' },
    { sign: 'lesion-location', value: 'anterior-posterior-margin' },
    { sign: 'vertebral-vein', value: 'invaded' },
    { sign: 'ct-impression', value: 'malignant' },
    { sign: 'pedicle', value: 'destroyed' },
    { sign: 'enhancement-pattern', value: 'nodular' },
  ];

  it('two key discriminators known: indeterminate even when P >= 0.90', () => {
    const a = assessLevel({ findings: strongMalignantNoKeys });
    expect(a.probabilityMalignant).toBeGreaterThan(0.99);
    expect(a.probabilityCategory).toBe('malignant-favoured');
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['constellation-rule']);
    expect(a.missingKeyDiscriminators).toEqual(['paravertebral-soft-tissue', 'diffusion']);
  });

  it('three of four known: the definitive category stands', () => {
    const a = assessLevel({
      findings: [...strongMalignantNoKeys, { sign: 'paravertebral-soft-tissue', value: true }],
    });
    expect(a.category).toBe('malignant-favoured');
    expect(a.constellation).toMatchObject({ met: true, required: 3, missing: ['diffusion'] });
  });

  it('DWI signal never makes diffusion known (its direction is contested): only a measured ADC does', () => {
    const withDwi = [...strongMalignantNoKeys, { sign: 'dwi-signal', value: 'low' } as Finding];
    for (const useDwi of [true, false]) {
      const a = assessLevel({ findings: withDwi }, { ...DEFAULT_ENGINE_SETTINGS, useDwi });
      expect(a.category).toBe('indeterminate');
      expect(a.limitedBy).toEqual(['constellation-rule']);
      expect(a.missingKeyDiscriminators).toContain('diffusion');
    }
    // DWI still weighs by the paper's counts (62/74 vs 6/76) while the site keeps it.
    const dwi = assessLevel({ findings: withDwi }).evidence.find((e) => e.sign === 'dwi-signal');
    expect(dwi?.lr).toBeCloseTo(62 / 74 / (6 / 76), 12);
    const withAdc = [...withDwi, { sign: 'adc', value: 0.6 } as Finding];
    expect(assessLevel({ findings: withAdc }).category).toBe('malignant-favoured');
  });

  it('ADC alone makes diffusion known: it can be the third key discriminator, DWI setting on or off', () => {
    const findings: Finding[] = [
      { sign: 'pedicle', value: 'destroyed' },
      { sign: 'paravertebral-soft-tissue', value: true },
      { sign: 'adc', value: 0.6 },
      { sign: 'vertebral-vein', value: 'invaded' },
    ];
    for (const useDwi of [true, false]) {
      const a = assessLevel({ findings }, { ...DEFAULT_ENGINE_SETTINGS, useDwi });
      expect(a.constellation).toMatchObject({
        known: ['pedicle', 'paravertebral-soft-tissue', 'diffusion'],
        missing: ['enhancement-pattern'],
        met: true,
      });
      expect(a.category).toBe('malignant-favoured');
    }
  });

  it("a what-if's category obeys the constellation rule: one more key discriminator is not enough", () => {
    // Only the pedicle is known; strong malignant signs besides.
    const findings: Finding[] = [
      { sign: 'pedicle', value: 'destroyed' },
      { sign: 'compression-degree', value: 'degree-1' },
      { sign: 'lesion-location', value: 'anterior-posterior-margin' },
      { sign: 'ct-impression', value: 'malignant' },
    ];
    const a = assessLevel({ findings });
    expect(a.constellation.known).toEqual(['pedicle']);
    for (const w of a.whatIf) {
      expect(w.ifMalignant.probabilityMalignant).toBeGreaterThan(0.99);
      expect(w.ifMalignant.category).toBe('indeterminate');
    }
  });

  it("a what-if's category obeys the G4 safeguard, applied or pending, and matches assessing it for real", () => {
    const findings: Finding[] = [
      ...g4PendingEnhancementAdcUnknown,
      { sign: 'vertebral-vein', value: 'invaded' },
    ];
    const a = assessLevel({ findings });
    const enhancement = a.whatIf.find((w) => w.discriminator === 'enhancement-pattern');
    // Flocculent makes three benign: the safeguard applies and holds the level.
    expect(enhancement?.ifBenign.probabilityMalignant).toBeGreaterThan(0.9);
    expect(enhancement?.ifBenign.category).toBe('indeterminate');
    const real = assessLevel({
      findings: [...findings, { sign: 'enhancement-pattern', value: 'flocculent' }],
    });
    expect(enhancement?.ifBenign).toEqual({
      category: real.category,
      probabilityMalignant: real.probabilityMalignant,
    });
    expect(enhancement?.ifMalignant.category).toBe('malignant-favoured');

    // Pending in the what-if: without the pedicle, flocculent gives two benign and ADC unknown.
    const noPedicle = assessLevel({ findings: without(findings, 'pedicle') });
    const e2 = noPedicle.whatIf.find((w) => w.discriminator === 'enhancement-pattern');
    expect(e2?.ifBenign.probabilityMalignant).toBeGreaterThan(0.9);
    expect(e2?.ifBenign.category).toBe('indeterminate');
  });

  it('for each missing discriminator, the category either way', () => {
    const a = assessLevel({ findings: strongMalignantNoKeys });
    const soft = a.whatIf.find((w) => w.discriminator === 'paravertebral-soft-tissue');
    expect(soft?.ifMalignant.category).toBe('malignant-favoured');
    expect(soft?.ifBenign.category).toBe('malignant-favoured');
    const diffusion = a.whatIf.find((w) => w.discriminator === 'diffusion');
    expect(diffusion?.ifBenignFinding).toBe('ADC >= 0.89 x10^-3 mm2/s');
    expect(diffusion?.ifMalignantFinding).toBe('ADC < 0.89 x10^-3 mm2/s');
  });
});

describe('G4 safeguard', () => {
  it('applies with three benign discriminators and one unknown, and names what to obtain', () => {
    const a = assessLevel({ findings: without(g4AllBenignDiscriminators, 'adc') });
    expect(a.safeguard).toMatchObject({ status: 'applied', favoursBenign: 3, toObtain: ['adc'] });
    expect(a.category).not.toBe('malignant-favoured');
  });

  it('caps the category: never malignant-favoured while it applies', () => {
    const heavy: Finding[] = [
      ...g4AllBenignDiscriminators,
      { sign: 'vertebral-vein', value: 'invaded' },
      { sign: 't2-low-signal', value: false },
      { sign: 't1-low-signal', value: false },
    ];
    const a = assessLevel({ findings: heavy, knownCancerHistory: true });
    expect(a.safeguard.status).toBe('applied');
    expect(a.probabilityCategory).toBe('malignant-favoured');
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toContain('g4-safeguard');
  });

  it('does not apply when any discriminator favours malignancy', () => {
    const one = g4AllBenignDiscriminators.map((f) =>
      f.sign === 'enhancement-pattern' ? ({ sign: f.sign, value: 'nodular' } as Finding) : f,
    );
    const a = assessLevel({ findings: one });
    expect(a.safeguard).toMatchObject({
      status: 'not-applied',
      favoursBenign: 3,
      favoursMalignant: 1,
    });
    expect(a.evidence.find((e) => e.sign === 'lesion-extent')?.lr).toBeCloseTo(
      37 / 74 / (13 / 76),
      12,
    );
  });

  it('with only two benign discriminators known and none malignant it is pending, not applied', () => {
    const a = assessLevel({ findings: without(g4AllBenignDiscriminators, 'adc', 'pedicle') });
    expect(a.safeguard).toMatchObject({
      status: 'pending',
      favoursBenign: 2,
      favoursMalignant: 0,
      toObtain: ['pedicle', 'adc'],
    });
    // Pending is not applied: the G4 finding keeps the LR of its row.
    const g4 = a.evidence.find((e) => e.sign === 'lesion-extent');
    expect(g4?.lr).toBeCloseTo(37 / 74 / (13 / 76), 12);
    expect(g4?.neutralisedBySafeguard).toBeUndefined();
  });

  it('with two known benign and none malignant (pending) a G4 lesion is not called malignant-favoured', () => {
    // The audit's case: pedicle preserved, no soft tissue, DWI low, T1/T2 not low, CT malignant;
    // enhancement and ADC unknown. P(malignant) alone is above 0.998.
    const findings = g4PendingEnhancementAdcUnknown;
    const a = assessLevel({ findings });
    // Two key signs known (DWI does not count), none malignant: three rules hold it, each alone.
    expect(a.constellation.met).toBe(false);
    expect(a.probabilityMalignant).toBeGreaterThan(0.998);
    expect(a.probabilityCategory).toBe('malignant-favoured');
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['constellation-rule', 'g4-safeguard', 'key-sign-agreement']);
    expect(a.safeguard).toMatchObject({
      status: 'pending',
      toObtain: ['enhancement-pattern', 'adc'],
    });
    expect(a.evidence.find((e) => e.sign === 'lesion-extent')?.lr).toBeCloseTo(2.923, 3);

    // Once a discriminator favours malignancy the hold lifts; once three favour benign it applies.
    const nodular = assessLevel({
      findings: [...findings, { sign: 'enhancement-pattern', value: 'nodular' }],
    });
    expect(nodular.safeguard.status).toBe('not-applied');
    expect(nodular.category).toBe('malignant-favoured');
    const flocculent = assessLevel({
      findings: [...findings, { sign: 'enhancement-pattern', value: 'flocculent' }],
    });
    expect(flocculent.safeguard.status).toBe('applied');
    expect(flocculent.category).not.toBe('malignant-favoured');
  });

  it('the neutralised G4 LR is not multiplied in: P = pre-test odds x the LRs shown, G4 at 1', () => {
    const a = assessLevel({ findings: g4AllBenignDiscriminators });
    expect(a.safeguard.status).toBe('applied');
    expect(a.evidence.find((e) => e.sign === 'lesion-extent')?.lr).toBe(1);
    const shown = a.evidence.reduce((acc, e) => acc * e.lr, 1);
    expect(odds(a.probabilityMalignant)).toBeCloseTo(odds(74 / 150) * shown, 9);
  });

  it('never holds back a benign-favoured level, applied or pending', () => {
    const benignSide: Finding[] = [
      { sign: 'dwi-signal', value: 'high' },
      { sign: 'ct-impression', value: 'benign' },
      { sign: 'compression-degree', value: 'degree-2' },
    ];
    const applied = assessLevel({
      findings: [
        ...without(g4AllBenignDiscriminators, 'compression-degree', 'ct-impression'),
        ...benignSide,
      ],
    });
    expect(applied.safeguard.status).toBe('applied');
    expect(applied.category).toBe('benign-favoured');
    expect(applied.limitedBy).toEqual([]);
    const pending = assessLevel({
      findings: [
        { sign: 'lesion-extent', value: 'G4' },
        { sign: 'pedicle', value: 'preserved' },
        { sign: 'paravertebral-soft-tissue', value: false },
        ...benignSide,
      ],
    });
    // Pending means fewer than three known benign discriminators and none malignant, so fewer than
    // three key signs known: the constellation rule holds it, never the safeguard.
    expect(pending.safeguard.status).toBe('pending');
    expect(pending.probabilityCategory).toBe('benign-favoured');
    expect(pending.limitedBy).toEqual(['constellation-rule']);
  });

  it('ADC below the cut-off favours malignancy; DWI does not stand in for ADC', () => {
    const low = g4AllBenignDiscriminators.map((f) =>
      f.sign === 'adc' ? ({ sign: 'adc', value: 0.5 } as Finding) : f,
    );
    expect(assessLevel({ findings: low }).safeguard).toMatchObject({
      status: 'not-applied',
      favoursMalignant: 1,
    });
    const dwi = [
      ...without(g4AllBenignDiscriminators, 'adc'),
      { sign: 'dwi-signal', value: 'high' } as Finding,
    ];
    expect(assessLevel({ findings: dwi }).safeguard).toMatchObject({ toObtain: ['adc'] });
  });

  it('is not applicable below G4', () => {
    const g3 = g4AllBenignDiscriminators.map((f) =>
      f.sign === 'lesion-extent' ? ({ sign: f.sign, value: 'G3' } as Finding) : f,
    );
    expect(assessLevel({ findings: g3 }).safeguard).toEqual({ status: 'not-applicable' });
  });
});

describe('evidence rules', () => {
  it('mri-impression counts only when no MRI sign and no ADC is present', () => {
    const alone = assessLevel({ findings: [{ sign: 'mri-impression', value: 'malignant' }] });
    expect(alone.evidence.map((e) => e.sign)).toEqual(['mri-impression']);
    const withSign = assessLevel({
      findings: [
        { sign: 'mri-impression', value: 'malignant' },
        { sign: 't2-low-signal', value: true },
      ],
    });
    expect(withSign.evidence.map((e) => e.sign)).toEqual(['t2-low-signal']);
    expect(withSign.setAside).toContainEqual(
      expect.objectContaining({ reason: 'mri-impression-superseded' }),
    );
    const withAdc = assessLevel({
      findings: [
        { sign: 'mri-impression', value: 'benign' },
        { sign: 'adc', value: 1.2 },
      ],
    });
    expect(withAdc.evidence.map((e) => e.sign)).toEqual(['adc']);
  });

  // docs/clinical-logic.md section 2, written out by hand: each of the eleven MRI signs, and ADC.
  const MRI_SIGN_EXAMPLES: readonly Finding[] = [
    { sign: 'compression-degree', value: 'degree-2' },
    { sign: 'lesion-extent', value: 'G2' },
    { sign: 'lesion-location', value: 'endplate-adjacent' },
    { sign: 'vertebral-contour', value: 'outward-bulging' },
    { sign: 'paravertebral-soft-tissue', value: false },
    { sign: 'vertebral-vein', value: 'not-visible' },
    { sign: 'pedicle', value: 'preserved' },
    { sign: 'enhancement-pattern', value: 'nodular' },
    { sign: 'dwi-signal', value: 'high' },
    { sign: 't1-low-signal', value: true },
    { sign: 't2-low-signal', value: false },
    { sign: 'adc', value: 1.1 },
  ];
  it.each(MRI_SIGN_EXAMPLES.map((f) => [f.sign, f] as const))(
    '%s on its own supersedes the MRI impression',
    (_sign, f) => {
      const a = assessLevel({ findings: [{ sign: 'mri-impression', value: 'malignant' }, f] });
      expect(a.evidence.map((e) => e.sign)).toEqual([f.sign]);
      expect(a.setAside).toEqual([
        expect.objectContaining({ sign: 'mri-impression', reason: 'mri-impression-superseded' }),
      ]);
      const expected = odds(74 / 150) * (a.evidence[0]?.lr ?? Number.NaN);
      expect(odds(a.probabilityMalignant)).toBeCloseTo(expected, 9);
    },
  );

  it('a DWI signal dropped by the setting carries no weight, so the MRI impression counts', () => {
    const a = assessLevel(
      {
        findings: [
          { sign: 'mri-impression', value: 'malignant' },
          { sign: 'dwi-signal', value: 'low' },
        ],
      },
      { ...DEFAULT_ENGINE_SETTINGS, useDwi: false },
    );
    expect(a.evidence.map((e) => e.sign)).toEqual(['mri-impression']);
    expect(a.setAside).toEqual([
      expect.objectContaining({ sign: 'dwi-signal', reason: 'dwi-disabled' }),
    ]);
    // (69/74) / (6/76) = 11.81
    expect(odds(a.probabilityMalignant)).toBeCloseTo(odds(74 / 150) * (69 / 74 / (6 / 76)), 9);
    // Another MRI sign beside the dropped DWI still supersedes it.
    const withT2 = assessLevel(
      {
        findings: [
          { sign: 'mri-impression', value: 'malignant' },
          { sign: 'dwi-signal', value: 'low' },
          { sign: 't2-low-signal', value: true },
        ],
      },
      { ...DEFAULT_ENGINE_SETTINGS, useDwi: false },
    );
    expect(withT2.evidence.map((e) => e.sign)).toEqual(['t2-low-signal']);
  });

  it('ct-impression always counts, beside MRI signs', () => {
    const a = assessLevel({ findings: classicOsteoporotic });
    expect(a.evidence.map((e) => e.sign)).toContain('ct-impression');
  });

  it('DWI counts in the paper direction with the tension caveat; the setting drops it', () => {
    const low = assessLevel({ findings: [{ sign: 'dwi-signal', value: 'low' }] });
    expect(low.evidence[0]?.direction).toBe('malignant');
    expect(low.caveats).toContain('dwi-direction-tension');
    const off = assessLevel(
      { findings: [{ sign: 'dwi-signal', value: 'low' }] },
      { ...DEFAULT_ENGINE_SETTINGS, useDwi: false },
    );
    expect(off.evidence).toEqual([]);
    expect(off.setAside).toContainEqual(expect.objectContaining({ reason: 'dwi-disabled' }));
    expect(off.caveats).not.toContain('dwi-direction-tension');
  });

  it('ADC: below the cut-off for malignancy, the cut-off itself in the benign range, protocol caveat', () => {
    const at = assessLevel({ findings: [{ sign: 'adc', value: 0.89 }] });
    expect(at.adc).toMatchObject({
      band: 'at-or-above-cutoff',
      cutoff: 0.89,
      sourceId: 'wonglaksanapimon2012',
    });
    expect(at.evidence[0]?.direction).toBe('benign');
    expect(at.caveats).toContain('adc-protocol-dependent');
    const below = assessLevel({ findings: [{ sign: 'adc', value: 0.889 }] });
    expect(below.evidence[0]?.direction).toBe('malignant');
  });

  it('a site ADC rule replaces cut-off, sensitivity and specificity together', () => {
    const site: EngineSettings = {
      ...DEFAULT_ENGINE_SETTINGS,
      adc: {
        cutoff: 1.14,
        sensitivity: 0.8,
        specificity: 0.9,
        source: 'Site protocol 2026',
        protocol: 'b 0/400/1000',
      },
    };
    const a = assessLevel({ findings: [{ sign: 'adc', value: 1.0 }] }, site);
    expect(a.adc).toMatchObject({
      band: 'below-cutoff',
      cutoff: 1.14,
      sourceId: 'Site protocol 2026',
    });
    expect(a.evidence[0]?.lr).toBeCloseTo(0.8 / 0.1, 10);
  });

  it('adc-reference carries no weight; the ratio is shown', () => {
    const a = assessLevel({
      findings: [
        { sign: 'adc', value: 1.2 },
        { sign: 'adc-reference', value: 0.6 },
      ],
    });
    expect(a.evidence.map((e) => e.sign)).toEqual(['adc']);
    expect(a.adc?.referenceRatio).toBeCloseTo(2, 12);
    expect(a.setAside).toContainEqual(
      expect.objectContaining({ sign: 'adc-reference', reason: 'no-published-weight' }),
    );
  });

  it('invalid and duplicate findings are set aside, never guessed', () => {
    const a = assessLevel({
      findings: [
        { sign: 'pedicle', value: 'partly' },
        { sign: 'adc', value: -1 },
        { sign: 'paravertebral-soft-tissue', value: 'yes' },
        { sign: 'pedicle', value: 'destroyed' },
        { sign: 'pedicle', value: 'preserved' },
      ] as unknown as Finding[],
    });
    expect(a.evidence.map((e) => `${e.sign}=${String(e.finding.value)}`)).toEqual([
      'pedicle=destroyed',
    ]);
    expect(a.setAside.map((s) => s.reason)).toEqual([
      'invalid-finding',
      'invalid-finding',
      'invalid-finding',
      'duplicate-sign',
    ]);
  });

  it('always carries the caveats and both versions', () => {
    const a = assessLevel({ findings: [] });
    expect(a.caveats).toEqual([
      'biopsy-reference-standard',
      'single-centre-study',
      'independence-assumption',
    ]);
    expect(a.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(a.knowledgeBaseVersion).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]+$/);
  });
});

describe('settings', () => {
  it('defaults: pre-test 74/150 (0.67 with cancer history), thresholds 0.90/0.10, DWI on, ADC 0.89', () => {
    expect(DEFAULT_ENGINE_SETTINGS).toEqual({
      pretestProbability: 74 / 150,
      cancerHistoryPretestProbability: 0.67,
      malignantThreshold: 0.9,
      benignThreshold: 0.1,
      useDwi: true,
      adc: expect.objectContaining({
        cutoff: 0.89,
        sensitivity: 0.857,
        specificity: 0.906,
        source: 'wonglaksanapimon2012',
      }),
    });
  });

  it('defaults are valid; every bad key is reported', () => {
    expect(settingsErrors(DEFAULT_ENGINE_SETTINGS)).toEqual([]);
    const bad = {
      ...DEFAULT_ENGINE_SETTINGS,
      pretestProbability: 1,
      benignThreshold: 0.95,
      adc: { ...DEFAULT_ENGINE_SETTINGS.adc, cutoff: 0, source: '' },
    };
    const errors = settingsErrors(bad);
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toMatch(
      /pretestProbability[\s\S]*benignThreshold[\s\S]*adc.cutoff[\s\S]*adc.source/,
    );
  });
});
