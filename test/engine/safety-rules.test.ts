/**
 * The clinical safety rules of docs/clinical-logic.md section 3 (v2), one describe per rule, at the engine:
 * red flag, key-sign agreement, reader discordance, same-time conflicts, implausibly low ADC.
 * Each expectation fails when its rule is taken out of src/engine.
 */
import { describe, expect, it } from 'vitest';
import { assessLevel, type Finding, type Sign, type SignConflict } from '../../src/engine/index.js';
import { classicMetastatic, classicOsteoporotic } from './fixtures.js';

const replace = (findings: readonly Finding[], ...by: Finding[]): Finding[] => [
  ...findings.filter((f) => !by.some((b) => b.sign === f.sign)),
  ...by,
];
const without = (findings: readonly Finding[], ...signs: Sign[]) =>
  findings.filter((f) => !signs.includes(f.sign));

/** Every benign sign but the readers: P(malignant) far below 0.10 on its own. */
const benignSigns = without(classicOsteoporotic, 'ct-impression', 'mri-impression');

describe('red-flag rule: a key sign at its malignant value is never benign-favoured', () => {
  const flags: [string, Finding][] = [
    ['pedicle destroyed', { sign: 'pedicle', value: 'destroyed' }],
    ['soft tissue involved', { sign: 'paravertebral-soft-tissue', value: true }],
    ['nodular enhancement', { sign: 'enhancement-pattern', value: 'nodular' }],
    ['ADC below the cut-off', { sign: 'adc', value: 0.7 }],
  ];
  it.each(flags)('%s among ten benign signs', (_name, flag) => {
    const a = assessLevel({ findings: replace(benignSigns, flag) });
    // The probability alone drowns the flag: that is what the rule is for.
    expect(a.probabilityMalignant).toBeLessThan(0.1);
    expect(a.probabilityCategory).toBe('benign-favoured');
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['red-flag']);
    expect(a.redFlags).toEqual([{ sign: flag.sign, kind: 'finding', values: [flag.value] }]);
  });

  it('a red flag does not hold back a malignant-favoured level', () => {
    const a = assessLevel({ findings: classicMetastatic });
    expect(a.category).toBe('malignant-favoured');
    expect(a.limitedBy).toEqual([]);
    expect(a.redFlags.map((f) => f.sign)).toEqual([
      'pedicle',
      'paravertebral-soft-tissue',
      'enhancement-pattern',
      'adc',
    ]);
  });

  it('a missing key sign that came back malignant never reads benign-favoured in the what-ifs', () => {
    const a = assessLevel({ findings: without(benignSigns, 'pedicle') });
    const pedicle = a.whatIf.find((w) => w.discriminator === 'pedicle');
    expect(pedicle?.ifBenign.category).toBe('benign-favoured');
    expect(pedicle?.ifMalignant.probabilityMalignant).toBeLessThan(0.1);
    expect(pedicle?.ifMalignant.category).toBe('indeterminate');
  });
});

describe('key-sign agreement: malignant-favoured needs a key sign at its malignant value', () => {
  /** Every non-key malignant row, three key signs known at their benign value. */
  const malignantMorphology: Finding[] = [
    { sign: 'compression-degree', value: 'degree-1' },
    { sign: 'lesion-location', value: 'anterior-posterior-margin' },
    { sign: 'vertebral-vein', value: 'invaded' },
    { sign: 'dwi-signal', value: 'low' },
    { sign: 't1-low-signal', value: false },
    { sign: 't2-low-signal', value: false },
    { sign: 'pedicle', value: 'preserved' },
    { sign: 'paravertebral-soft-tissue', value: false },
    { sign: 'adc', value: 1.2 },
  ];

  it('morphology, signal and DWI rows alone: indeterminate, held by key-sign agreement only', () => {
    const a = assessLevel({ findings: malignantMorphology });
    expect(a.constellation.met).toBe(true);
    expect(a.probabilityCategory).toBe('malignant-favoured');
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['key-sign-agreement']);
    expect(a.redFlags).toEqual([]);
  });

  it('one key sign at its malignant value lets the call stand', () => {
    const a = assessLevel({
      findings: [...malignantMorphology, { sign: 'enhancement-pattern', value: 'nodular' }],
    });
    expect(a.category).toBe('malignant-favoured');
    expect(a.limitedBy).toEqual([]);
  });

  it('the acute osteoporotic picture (mild compression, T2 bright, DWI low) is never malignant-favoured', () => {
    const acute: Finding[] = [
      { sign: 'compression-degree', value: 'degree-1' },
      { sign: 't2-low-signal', value: false },
      { sign: 'dwi-signal', value: 'low' },
      { sign: 'pedicle', value: 'preserved' },
      { sign: 'paravertebral-soft-tissue', value: false },
    ];
    const a = assessLevel({ findings: acute });
    expect(a.probabilityMalignant).toBeGreaterThan(0.9);
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['constellation-rule', 'key-sign-agreement']);
    expect(a.caveats).toContain('t1-t2-complement-rows');
  });
});

describe('reader discordance: a reader against the category holds it at indeterminate', () => {
  it('CT and MRI readers both "malignant" against benign signs', () => {
    const a = assessLevel({
      findings: replace(
        classicOsteoporotic,
        { sign: 'ct-impression', value: 'malignant' },
        { sign: 'mri-impression', value: 'malignant' },
      ),
    });
    expect(a.probabilityCategory).toBe('benign-favoured');
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['reader-discordance']);
    // The MRI impression is not multiplied in (MRI signs present) but still counts as a reader.
    expect(a.setAside.map((s) => s.sign)).toContain('mri-impression');
    expect(a.readerDiscordance).toEqual([
      { sign: 'ct-impression', value: 'malignant' },
      { sign: 'mri-impression', value: 'malignant' },
    ]);
  });

  it('a CT reader "benign" against a malignant picture', () => {
    const a = assessLevel({
      findings: replace(classicMetastatic, { sign: 'ct-impression', value: 'benign' }),
    });
    expect(a.probabilityCategory).toBe('malignant-favoured');
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['reader-discordance']);
  });

  it('readers who agree change nothing', () => {
    expect(assessLevel({ findings: classicOsteoporotic }).category).toBe('benign-favoured');
    expect(assessLevel({ findings: classicMetastatic }).category).toBe('malignant-favoured');
  });
});

describe('same-time conflicts: not weighed, unknown, a red flag when one value is malignant', () => {
  const pedicleConflict: SignConflict[] = [{ sign: 'pedicle', values: ['destroyed', 'preserved'] }];

  it('neither value is multiplied in and the pedicle counts as unknown', () => {
    const rest = without(benignSigns, 'pedicle');
    const a = assessLevel({ findings: rest, conflicts: pedicleConflict });
    const b = assessLevel({ findings: rest });
    expect(a.probabilityMalignant).toBeCloseTo(b.probabilityMalignant, 12);
    expect(a.evidence.some((e) => e.sign === 'pedicle')).toBe(false);
    expect(a.missingKeyDiscriminators).toContain('pedicle');
    expect(a.conflicts).toEqual(pedicleConflict);
  });

  it('one of the values is the malignant one: a red flag', () => {
    const a = assessLevel({
      findings: without(benignSigns, 'pedicle'),
      conflicts: pedicleConflict,
    });
    expect(a.redFlags).toEqual([
      { sign: 'pedicle', kind: 'conflict', values: ['destroyed', 'preserved'] },
    ]);
    expect(a.category).toBe('indeterminate');
    expect(a.limitedBy).toEqual(['red-flag']);
  });

  it('a conflict with no malignant value is no red flag, and a finding of that sign is not weighed', () => {
    const a = assessLevel({
      findings: benignSigns,
      conflicts: [{ sign: 't2-low-signal', values: [true, false] }],
    });
    expect(a.redFlags).toEqual([]);
    expect(a.evidence.some((e) => e.sign === 't2-low-signal')).toBe(false);
    expect(a.setAside).toContainEqual({
      finding: { sign: 't2-low-signal', value: true },
      sign: 't2-low-signal',
      reason: 'conflicting-sign',
    });
  });

  it('a conflicting key sign is no malignant key sign for the agreement rule', () => {
    const a = assessLevel({
      findings: classicMetastatic.filter(
        (f) =>
          !['pedicle', 'paravertebral-soft-tissue', 'enhancement-pattern', 'adc'].includes(f.sign),
      ),
      conflicts: pedicleConflict,
    });
    expect(a.limitedBy).toContain('key-sign-agreement');
    expect(a.category).toBe('indeterminate');
  });
});

describe('implausibly low ADC (below 0.1 x10^-3 mm2/s): flagged, used as received', () => {
  it('0.00075 (0.75 sent as um2/s) is flagged, weighed below the cut-off, a red flag', () => {
    const a = assessLevel({ findings: replace(benignSigns, { sign: 'adc', value: 0.00075 }) });
    expect(a.adc).toMatchObject({ value: 0.00075, band: 'below-cutoff', implausiblyLow: true });
    expect(a.redFlags.map((f) => f.sign)).toEqual(['adc']);
  });

  it('a plausible ADC is not flagged', () => {
    const a = assessLevel({ findings: replace(benignSigns, { sign: 'adc', value: 0.75 }) });
    expect(a.adc?.implausiblyLow).toBe(false);
  });
});

describe('drivers: the signs that move the odds most', () => {
  it('at most three, largest |ln LR| first, no LR of 1', () => {
    const a = assessLevel({ findings: classicOsteoporotic });
    expect(a.drivers.length).toBe(3);
    const weights = a.drivers.map((e) => Math.abs(Math.log(e.lr)));
    expect([...weights].sort((x, y) => y - x)).toEqual(weights);
    const all = a.evidence.map((e) => Math.abs(Math.log(e.lr)));
    expect(Math.min(...weights)).toBeGreaterThanOrEqual(
      [...all].sort((x, y) => y - x)[2] ?? Infinity,
    );
  });
});
