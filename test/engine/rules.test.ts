import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_SETTINGS,
  assessLevel,
  settingsErrors,
  type EngineSettings,
  type Finding,
} from '../../src/engine/index.js';
import { classicOsteoporotic, g4AllBenignDiscriminators } from './fixtures.js';

const without = (findings: readonly Finding[], ...signs: string[]) =>
  findings.filter((f) => !signs.includes(f.sign));
const lrOf = (findings: readonly Finding[]) =>
  findings.reduce((acc, f) => {
    const a = assessLevel({ findings: [f] });
    return acc * (a.evidence[0]?.lr ?? 1);
  }, 1);
const odds = (p: number) => p / (1 - p);

describe('combining evidence (CLINICAL-SPEC section 3)', () => {
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

  it('diffusion is known from DWI when DWI carries weight, not when the setting drops it', () => {
    const withDwi = [...strongMalignantNoKeys, { sign: 'dwi-signal', value: 'low' } as Finding];
    expect(assessLevel({ findings: withDwi }).category).toBe('malignant-favoured');
    const noDwi: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, useDwi: false };
    const a = assessLevel({ findings: withDwi }, noDwi);
    expect(a.category).toBe('indeterminate');
    expect(a.missingKeyDiscriminators).toContain('diffusion');
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

  it('does not apply with only two benign discriminators known', () => {
    const a = assessLevel({ findings: without(g4AllBenignDiscriminators, 'adc', 'pedicle') });
    expect(a.safeguard).toMatchObject({
      status: 'not-applied',
      favoursBenign: 2,
      toObtain: ['pedicle', 'adc'],
    });
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
