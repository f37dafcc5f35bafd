/**
 * Every example bundle of profiles/examples/ through extractLevels: exactly the findings, levels,
 * notes and dispositions that profiles/examples/README.md describes.
 */
import { describe, expect, it } from 'vitest';
import type { Bundle } from 'fhir/r4.js';
import { extractLevels, type ExtractionResult } from '../../src/fhir/index.js';
import { CANCER_SNOMED_CODES_DEFAULT } from '../../src/terminology/index.js';
import { listExamples, loadExampleBundle } from '../profiles/load.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function run(name: string, items: unknown[] = [loadExampleBundle(name)]): ExtractionResult {
  return extractLevels(items, {
    patientId: `vcf-example-${name}`,
    cancerSnomedCodes: CANCER_SNOMED_CODES_DEFAULT,
    now: NOW,
  });
}

const ref = (name: string, suffix: string) => `Observation/vcf-example-${name}-${suffix}`;
const findingsOf = (r: ExtractionResult, level: string) =>
  Object.fromEntries(
    (r.levels.find((l) => l.level === level)?.findings ?? []).map((f) => [f.sign, f.value]),
  );

const BENIGN_14 = {
  'compression-degree': 'degree-2',
  'lesion-extent': 'G2',
  'lesion-location': 'endplate-adjacent',
  'vertebral-contour': 'normal-or-depressed',
  'paravertebral-soft-tissue': false,
  'vertebral-vein': 'not-invaded',
  pedicle: 'preserved',
  'enhancement-pattern': 'flocculent',
  'dwi-signal': 'high',
  't1-low-signal': true,
  't2-low-signal': true,
  adc: 1.45,
  'ct-impression': 'benign',
  'mri-impression': 'benign',
};
const MALIGNANT_13 = {
  'compression-degree': 'degree-1',
  'lesion-extent': 'G4',
  'lesion-location': 'anterior-posterior-margin',
  'vertebral-contour': 'outward-bulging',
  'paravertebral-soft-tissue': true,
  'vertebral-vein': 'invaded',
  pedicle: 'destroyed',
  'enhancement-pattern': 'nodular',
  'dwi-signal': 'low',
  't1-low-signal': false,
  't2-low-signal': false,
  adc: 0.72,
  'ct-impression': 'malignant',
};

describe('every example bundle', () => {
  it.each(listExamples())('%s: every resource is used or context, except in messy', (name) => {
    const r = run(name);
    const other = r.dispositions.filter((d) => d.use !== 'used' && d.use !== 'context');
    if (name !== 'messy') expect(other).toEqual([]);
    // One disposition per resource of the bundle.
    expect(r.dispositions).toHaveLength(loadExampleBundle(name).entry?.length ?? -1);
    expect(r.patient?.ref).toBe(`Patient/vcf-example-${name}`);
  });
});

describe('benign', () => {
  const r = run('benign');
  it('L1 with all 14 findings, no notes, no cancer history', () => {
    expect(r.levels.map((l) => l.level)).toEqual(['L1']);
    expect(findingsOf(r, 'L1')).toEqual(BENIGN_14);
    expect(r.levels[0]?.notes).toEqual([]);
    expect(r.knownCancerHistory).toBe(false);
    expect(r.notes).toEqual([]);
  });
  it('born 1950-04-17: 75 on 2026-03-01, for context', () => {
    expect(r.patient).toEqual({ ref: 'Patient/vcf-example-benign', ageYears: 75 });
  });
});

describe('malignant', () => {
  const r = run('malignant');
  it('T10 with the 13 findings, no MRI impression, no cancer history', () => {
    expect(r.levels.map((l) => l.level)).toEqual(['T10']);
    expect(findingsOf(r, 'T10')).toEqual(MALIGNANT_13);
    expect(r.knownCancerHistory).toBe(false);
  });
});

describe('g4-safeguard', () => {
  it('T12 with its 6 findings', () => {
    const r = run('g4-safeguard');
    expect(r.levels.map((l) => l.level)).toEqual(['T12']);
    expect(findingsOf(r, 'T12')).toEqual({
      'lesion-extent': 'G4',
      pedicle: 'preserved',
      'paravertebral-soft-tissue': false,
      'enhancement-pattern': 'flocculent',
      adc: 1.3,
      'compression-degree': 'degree-1',
    });
  });
});

describe('g4-malignant', () => {
  it('T8 with its 5 findings', () => {
    const r = run('g4-malignant');
    expect(r.levels.map((l) => l.level)).toEqual(['T8']);
    expect(findingsOf(r, 'T8')).toEqual({
      'lesion-extent': 'G4',
      'enhancement-pattern': 'nodular',
      pedicle: 'destroyed',
      'paravertebral-soft-tissue': true,
      adc: 0.7,
    });
  });
});

describe('incomplete', () => {
  it('L4: degree-2 and G3, the G3 preliminary and noted', () => {
    const r = run('incomplete');
    expect(findingsOf(r, 'L4')).toEqual({
      'compression-degree': 'degree-2',
      'lesion-extent': 'G3',
    });
    expect(r.levels[0]?.notes).toEqual([
      { kind: 'preliminary', sign: 'lesion-extent', ref: ref('incomplete', 'l4-lesion-extent') },
    ]);
  });
});

describe('two-level', () => {
  const r = run('two-level');
  it('T12 from SNOMED CT 23215003 with the 14 benign findings, L3 with the 13 malignant ones', () => {
    expect(r.levels.map((l) => l.level)).toEqual(['T12', 'L3']);
    expect(findingsOf(r, 'T12')).toEqual(BENIGN_14);
    expect(findingsOf(r, 'L3')).toEqual(MALIGNANT_13);
  });
  it('known cancer history from the ICD-10 C50.9 Condition', () => {
    expect(r.knownCancerHistory).toBe(true);
    expect(r.cancerHistoryEvidence).toEqual([
      expect.objectContaining({
        ref: 'Condition/vcf-example-two-level-breast-cancer',
        system: 'http://hl7.org/fhir/sid/icd-10',
        code: 'C50.9',
      }),
    ]);
  });
});

describe('messy', () => {
  const r = run('messy');
  const disposition = (suffix: string) =>
    r.dispositions.find((d) => d.ref === ref('messy', suffix));

  it('L2: the usable findings, ADC 1200 um2/s read as 1.2', () => {
    expect(r.levels.map((l) => l.level)).toEqual(['L2']);
    expect(findingsOf(r, 'L2')).toEqual({
      'compression-degree': 'degree-3',
      pedicle: 'preserved',
      'paravertebral-soft-tissue': false,
      'dwi-signal': 'high',
      't2-low-signal': true,
      adc: 1.2,
    });
  });

  it('the compression-degree conflict is named (degree-2 vs degree-3), the later one kept', () => {
    expect(r.levels[0]?.notes).toEqual([
      {
        kind: 'conflict',
        sign: 'compression-degree',
        kept: { ref: ref('messy', 'l2-compression-degree-later'), value: 'degree-3' },
        superseded: [{ ref: ref('messy', 'l2-compression-degree-earlier'), value: 'degree-2' }],
      },
    ]);
    expect(disposition('l2-compression-degree-earlier')?.use).toBe('superseded');
  });

  it('six ignored resources, each with the right reason', () => {
    const ignored = r.dispositions.filter((d) => d.use === 'ignored').map((d) => [d.ref, d.reason]);
    expect(ignored).toEqual([
      [ref('messy', 'l2-enhancement-pattern-absent'), 'data-absent'],
      [ref('messy', 'l2-lesion-extent-wrong-type'), 'wrong-value'],
      [ref('messy', 'l2-pedicle-entered-in-error'), 'status'],
      [ref('messy', 'l2-unknown-code'), 'unknown-code'],
      [ref('messy', 'other-l2-pedicle'), 'other-subject'],
      ['Patient/vcf-example-messy-other', 'other-subject'],
    ]);
    expect(disposition('l2-lesion-extent-wrong-type')?.detail).toContain('wrong value type');
  });

  it('panel members are used once; the panel is context, not a finding', () => {
    expect(disposition('l2-mri-panel')).toMatchObject({ use: 'context' });
    for (const member of ['l2-dwi-signal', 'l2-t2-low-signal']) {
      expect(r.dispositions.filter((d) => d.ref === ref('messy', member))).toEqual([
        expect.objectContaining({ use: 'used' }),
      ]);
    }
    expect(r.notes).toEqual([]);
  });

  it('enhancement pattern stays missing (no guess from the absent finding)', () => {
    expect(findingsOf(r, 'L2')).not.toHaveProperty('enhancement-pattern');
  });
});

describe('order of entries and items', () => {
  it.each(listExamples())(
    '%s: reversed entries, or one entry per item, give the same result',
    (name) => {
      const bundle: Bundle = loadExampleBundle(name);
      const reversed = { ...bundle, entry: [...(bundle.entry ?? [])].reverse() };
      const pages = (bundle.entry ?? []).map((e) => ({ ...bundle, entry: [e] })).reverse();
      const expected = run(name);
      expect(run(name, [reversed])).toEqual(expected);
      expect(run(name, pages)).toEqual(expected);
    },
  );
});
