/**
 * Every handling rule of docs/clinical-logic.md section 1, each with a resource that exercises it, as the
 * card will see it: findings per level, notes, and a disposition with its reason.
 */
import { describe, expect, it } from 'vitest';
import { extractLevels } from '../../src/fhir/index.js';
import {
  absentEnhancement,
  absoluteSubjectPedicle,
  bool,
  breastCancer,
  coded,
  condition,
  degreeEarlier,
  degreeLater,
  dispositionOf,
  enteredInErrorPedicle,
  extract,
  findingsAt,
  icd10,
  levelSite,
  noSitePedicle,
  observation,
  OPTIONS,
  otherPatientPedicle,
  outOfValueSetExtent,
  panel,
  panelDwi,
  PATIENT_ID,
  patient,
  percentDegree,
  preliminaryPedicle,
  quantity,
  searchset,
  snomedSite,
  snomedT12Pedicle,
  textSitePedicle,
  umAdc,
  unknownCode,
  unknownUnitAdc,
  wrongTypeExtent,
  type Json,
} from './fixtures.js';
import { SNOMED, UCUM, VALUE_SYSTEM } from '../profiles/contract.js';

describe('status', () => {
  it.each(['final', 'amended', 'corrected'])('%s: used, no note', (status) => {
    const r = extract(observation('p', 'pedicle', coded('preserved'), { status }));
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'preserved' });
    expect(r.levels[0]?.notes).toEqual([]);
    expect(dispositionOf(r, 'Observation/p')?.use).toBe('used');
  });

  it('preliminary: used, and a preliminary note names it', () => {
    const r = extract(preliminaryPedicle);
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'preserved' });
    expect(r.levels[0]?.notes).toEqual([
      { kind: 'preliminary', sign: 'pedicle', ref: 'Observation/prelim-pedicle' },
    ]);
  });

  it.each(['registered', 'cancelled', 'entered-in-error', 'unknown'])(
    '%s: ignored with reason status, the sign stays unknown',
    (status) => {
      const r = extract(observation('p', 'pedicle', coded('destroyed'), { status }));
      expect(r.levels).toEqual([]);
      expect(dispositionOf(r, 'Observation/p')).toMatchObject({
        use: 'ignored',
        reason: 'status',
        sign: 'pedicle',
      });
      expect(dispositionOf(r, 'Observation/p')?.detail).toContain(status);
    },
  );

  it('an ignored finding does not conflict with a used one', () => {
    const r = extract(observation('ok', 'pedicle', coded('preserved')), enteredInErrorPedicle);
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'preserved' });
    expect(r.levels[0]?.notes).toEqual([]);
  });
});

describe('FHIR R4 rules the JSON schema does not express', () => {
  it('valueBoolean and valueString together: invalid, naming both, never one picked', () => {
    const two = observation('two', 't1-low-signal', { valueBoolean: true, valueString: 'no' });
    const r = extract(two);
    expect(r.levels).toEqual([]);
    const d = dispositionOf(r, 'Observation/two');
    expect(d).toMatchObject({ use: 'ignored', reason: 'invalid-resource' });
    expect(d?.detail).toContain('Observation.value[x] has 2 types (valueBoolean, valueString)');
  });

  it('effectiveDateTime and effectiveInstant together: invalid, naming both', () => {
    const two = observation('two', 'pedicle', coded('preserved'), {
      effectiveInstant: '2026-03-01T10:00:00.000Z',
    });
    const d = dispositionOf(extract(two), 'Observation/two');
    expect(d).toMatchObject({ reason: 'invalid-resource' });
    expect(d?.detail).toContain('effectiveDateTime, effectiveInstant');
  });

  it('an effectiveDateTime of 2026-02-30 names no day: invalid', () => {
    const r = extract(
      observation('feb', 'pedicle', coded('preserved'), { effectiveDateTime: '2026-02-30' }),
    );
    const d = dispositionOf(r, 'Observation/feb');
    expect(d).toMatchObject({ reason: 'invalid-resource' });
    expect(d?.detail).toContain(
      'Observation.effectiveDateTime "2026-02-30" is not a calendar date',
    );
  });

  it('a value with a dataAbsentReason (obs-6): ignored as data-absent, the contradiction named', () => {
    const both = observation('both', 'pedicle', coded('destroyed'), {
      dataAbsentReason: absentEnhancement['dataAbsentReason'],
    });
    const r = extract(both);
    expect(r.levels).toEqual([]);
    const d = dispositionOf(r, 'Observation/both');
    expect(d).toMatchObject({ use: 'ignored', reason: 'data-absent' });
    expect(d?.detail).toContain('obs-6');
  });
});

describe('dataAbsentReason', () => {
  it('ignored with reason data-absent', () => {
    const r = extract(absentEnhancement);
    expect(r.levels).toEqual([]);
    expect(dispositionOf(r, 'Observation/absent-enhancement')).toMatchObject({
      use: 'ignored',
      reason: 'data-absent',
    });
  });
});

describe('subject', () => {
  it("another patient's finding is ignored, and the card does not name that patient", () => {
    const r = extract(otherPatientPedicle);
    const d = dispositionOf(r, 'Observation/other-pedicle');
    expect(d).toMatchObject({ use: 'ignored', reason: 'other-subject' });
    expect(d?.detail).not.toContain('someone-else');
  });

  it('an absolute URL ending in /Patient/<id> is the hook patient', () => {
    expect(findingsAt(extract(absoluteSubjectPedicle), 'L1')).toEqual({ pedicle: 'preserved' });
  });

  it('a urn:uuid subject resolving to the hook patient in the same Bundle is the hook patient', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:8d3f7c62-2c39-4a1e-9d6b-0a8f1f0f4c11',
          resource: patient(),
          request: { method: 'PUT', url: `Patient/${PATIENT_ID}` },
        },
        {
          fullUrl: 'urn:uuid:2b1e0c8a-7e55-4f0e-8a4b-9b7e3f1d2c33',
          resource: observation('u', 'pedicle', coded('preserved'), {
            subject: { reference: 'urn:uuid:8d3f7c62-2c39-4a1e-9d6b-0a8f1f0f4c11' },
          }),
          request: { method: 'PUT', url: 'Observation/u' },
        },
      ],
    };
    expect(findingsAt(extractLevels([bundle], OPTIONS), 'L1')).toEqual({ pedicle: 'preserved' });
  });

  it.each([
    ['a Group', { reference: `Group/${PATIENT_ID}` }],
    ['an identifier only', { identifier: { value: PATIENT_ID } }],
    ['a contained reference', { reference: '#p' }],
  ])('%s as subject is not the hook patient', (_label, subject) => {
    const r = extract(observation('s', 'pedicle', coded('preserved'), { subject }));
    expect(r.levels).toEqual([]);
    expect(dispositionOf(r, 'Observation/s')).toMatchObject({ reason: 'other-subject' });
  });

  it('no subject at all breaks the profile (subject 1..1)', () => {
    const r = extract(observation('s', 'pedicle', coded('preserved'), { subject: undefined }));
    expect(dispositionOf(r, 'Observation/s')).toMatchObject({ reason: 'profile-violation' });
    expect(dispositionOf(r, 'Observation/s')?.detail).toContain('Observation.subject');
  });
});

describe('same finding twice for one level', () => {
  it('the latest effective[x] wins and the conflict names both findings', () => {
    // Given later-first, to show the order of entries does not matter.
    const r = extract(degreeLater, degreeEarlier);
    expect(findingsAt(r, 'L1')).toEqual({ 'compression-degree': 'degree-3' });
    expect(r.levels[0]?.notes).toEqual([
      {
        kind: 'conflict',
        sign: 'compression-degree',
        kept: { ref: 'Observation/degree-later', value: 'degree-3' },
        superseded: [{ ref: 'Observation/degree-earlier', value: 'degree-2' }],
      },
    ]);
    expect(dispositionOf(r, 'Observation/degree-earlier')?.use).toBe('superseded');
    expect(r.levels[0]?.provenance).toEqual([
      { sign: 'compression-degree', ref: 'Observation/degree-later' },
    ]);
  });

  it('the same value twice: the later is used, no conflict', () => {
    const r = extract(
      observation('a', 'pedicle', coded('preserved')),
      observation('b', 'pedicle', coded('preserved'), {
        effectiveDateTime: '2026-02-05T10:00:00Z',
      }),
    );
    expect(r.levels[0]?.notes).toEqual([]);
    expect(r.levels[0]?.provenance).toEqual([{ sign: 'pedicle', ref: 'Observation/b' }]);
  });

  it('the same effective[x]: the later issued wins', () => {
    const r = extract(
      observation('a', 'pedicle', coded('destroyed'), { issued: '2026-02-01T18:00:00Z' }),
      observation('b', 'pedicle', coded('preserved'), { issued: '2026-02-01T12:00:00Z' }),
    );
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'destroyed' });
    expect(r.levels[0]?.notes[0]).toMatchObject({ kind: 'conflict', sign: 'pedicle' });
  });

  it.each([
    ['effectivePeriod.end', { effectivePeriod: { start: '2026-01-01', end: '2026-02-20' } }],
    ['effectivePeriod.start (no end)', { effectivePeriod: { start: '2026-02-20T08:00:00Z' } }],
    ['effectiveInstant', { effectiveInstant: '2026-02-20T08:00:00.000Z' }],
  ])('%s orders findings as effectiveDateTime does', (_label, effective) => {
    const later = observation('later', 'pedicle', coded('destroyed'), {
      effectiveDateTime: undefined,
      ...effective,
    });
    const r = extract(observation('earlier', 'pedicle', coded('preserved')), later);
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'destroyed' });
  });

  it('a date without time cannot be ordered against a time that day: issued decides', () => {
    const r = extract(
      observation('dated', 'pedicle', coded('destroyed'), {
        effectiveDateTime: '2026-02-01',
        issued: '2026-02-02T09:00:00Z',
      }),
      observation('timed', 'pedicle', coded('preserved')),
    );
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'destroyed' });
  });

  it('findings that disagree and cannot be ordered are no finding, but a conflict the engine is told of', () => {
    const r = extract(
      observation('x', 'pedicle', coded('preserved')),
      observation('y', 'pedicle', coded('destroyed')),
      observation('z', 'dwi-signal', coded('high')),
    );
    expect(findingsAt(r, 'L1')).toEqual({ 'dwi-signal': 'high' });
    expect(r.levels[0]?.conflicts).toEqual([
      {
        sign: 'pedicle',
        reports: [
          { ref: 'Observation/x', value: 'preserved' },
          { ref: 'Observation/y', value: 'destroyed' },
        ],
      },
    ]);
    for (const ref of ['Observation/x', 'Observation/y']) {
      const d = dispositionOf(r, ref);
      expect(d).toMatchObject({ use: 'used', level: 'L1', sign: 'pedicle' });
      expect(d?.detail).toContain('neither is weighed');
    }
  });

  it('a level whose only findings conflict at the same time is still a level', () => {
    const r = extract(
      observation('x', 'pedicle', coded('preserved')),
      observation('y', 'pedicle', coded('destroyed')),
    );
    expect(r.levels.map((l) => l.level)).toEqual(['L1']);
    expect(r.levels[0]?.findings).toEqual([]);
    expect(r.levels[0]?.conflicts.map((c) => c.sign)).toEqual(['pedicle']);
  });

  it('different levels are different findings', () => {
    const r = extract(
      observation('a', 'pedicle', coded('preserved')),
      observation('b', 'pedicle', coded('destroyed'), { bodySite: levelSite('L2') }),
    );
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'preserved' });
    expect(findingsAt(r, 'L2')).toEqual({ pedicle: 'destroyed' });
    expect(r.levels.map((l) => l.level)).toEqual(['L1', 'L2']);
  });
});

describe('unknown codes, wrong values, unknown units', () => {
  it('an unknown vcf-finding code: unknown-code', () => {
    const d = dispositionOf(extract(unknownCode), 'Observation/unknown-code');
    expect(d).toMatchObject({ use: 'ignored', reason: 'unknown-code' });
    expect(d?.detail).toContain('marrow-oedema-pattern');
  });

  it('an Observation with no vcf-finding code (a LOINC vital sign): unknown-code', () => {
    const bp = observation('bp', 'x', bool(true), {
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    });
    expect(dispositionOf(extract(bp), 'Observation/bp')).toMatchObject({ reason: 'unknown-code' });
  });

  it('two different vcf-finding codes on one Observation: unknown-code (which one is unclear)', () => {
    const two = observation('two', 'pedicle', coded('preserved'), {
      code: {
        coding: [
          { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding', code: 'pedicle' },
          { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding', code: 'dwi-signal' },
        ],
      },
    });
    expect(dispositionOf(extract(two), 'Observation/two')).toMatchObject({
      reason: 'unknown-code',
    });
  });

  it('a wrong value type: wrong-value, naming the type', () => {
    const d = dispositionOf(extract(wrongTypeExtent), 'Observation/string-extent');
    expect(d).toMatchObject({ use: 'ignored', reason: 'wrong-value', sign: 'lesion-extent' });
    expect(d?.detail).toContain('wrong value type (valueString)');
  });

  it('a coded value outside its ValueSet: wrong-value, naming the code', () => {
    const d = dispositionOf(extract(outOfValueSetExtent), 'Observation/g5-extent');
    expect(d).toMatchObject({ reason: 'wrong-value' });
    expect(d?.detail).toContain('"G5"');
    expect(d?.detail).toContain('vcf-5');
  });

  it('two codings that disagree (pedicle preserved and destroyed): wrong-value, neither used', () => {
    const pedicle = observation('both', 'pedicle', {
      valueCodeableConcept: {
        coding: [
          { system: VALUE_SYSTEM, code: 'preserved' },
          { system: VALUE_SYSTEM, code: 'destroyed' },
        ],
      },
    });
    const r = extract(pedicle);
    expect(r.levels).toEqual([]);
    const d = dispositionOf(r, 'Observation/both');
    expect(d).toMatchObject({ use: 'ignored', reason: 'wrong-value', sign: 'pedicle' });
    expect(d?.detail).toBe('codings disagree: preserved, destroyed');
  });

  it('the same code twice, or beside a coding of another system, is one value', () => {
    const pedicle = observation('twice', 'pedicle', {
      valueCodeableConcept: {
        coding: [
          { system: VALUE_SYSTEM, code: 'destroyed' },
          { system: SNOMED, code: '263840002' },
          { system: VALUE_SYSTEM, code: 'destroyed', display: 'Destroyed' },
        ],
      },
    });
    expect(findingsAt(extract(pedicle), 'L1')).toEqual({ pedicle: 'destroyed' });
  });

  it('a boolean sign given as a code: wrong-value', () => {
    const r = extract(observation('b', 't1-low-signal', coded('high')));
    expect(dispositionOf(r, 'Observation/b')).toMatchObject({ reason: 'wrong-value' });
  });

  it('an ADC in an unit outside the contract: unknown-unit, naming it', () => {
    const d = dispositionOf(extract(unknownUnitAdc), 'Observation/cm2-adc');
    expect(d).toMatchObject({ reason: 'unknown-unit', sign: 'adc' });
    expect(d?.detail).toContain('"cm2/s"');
  });

  it('an ADC with only a unit display string (no UCUM code): unknown-unit, never a guess', () => {
    const adc = observation('display-adc', 'adc', {
      valueQuantity: { value: 1.2, unit: '10*-3.mm2/s' },
    });
    expect(dispositionOf(extract(adc), 'Observation/display-adc')).toMatchObject({
      reason: 'unknown-unit',
    });
  });

  it('an ADC whose unit code is from another system: unknown-unit', () => {
    const adc = observation(
      'other-system',
      'adc',
      quantity(1.2, '10*-3.mm2/s', {
        system: 'http://example.org/units',
      }),
    );
    expect(dispositionOf(extract(adc), 'Observation/other-system')).toMatchObject({
      reason: 'unknown-unit',
    });
  });

  it('an ADC with a comparator ("< 0.5") is not an exact value: wrong-value', () => {
    const adc = observation('lt-adc', 'adc', quantity(0.5, '10*-3.mm2/s', { comparator: '<' }));
    expect(dispositionOf(extract(adc), 'Observation/lt-adc')).toMatchObject({
      reason: 'wrong-value',
    });
  });

  it('an ADC of zero: wrong-value', () => {
    const adc = observation('zero-adc', 'adc', quantity(0, '10*-3.mm2/s'));
    expect(dispositionOf(extract(adc), 'Observation/zero-adc')).toMatchObject({
      reason: 'wrong-value',
    });
  });

  it('not valid FHIR (a misspelt element): invalid-resource, naming the element', () => {
    const bad = { ...observation('typo', 'pedicle', coded('preserved')), valueBolean: true };
    const d = dispositionOf(extract(bad), 'Observation/typo');
    expect(d).toMatchObject({ reason: 'invalid-resource' });
    expect(d?.detail).toContain('Observation.valueBolean');
  });

  it('no imaging category breaks the profile (vcf-1)', () => {
    const r = extract(observation('cat', 'pedicle', coded('preserved'), { category: undefined }));
    expect(dispositionOf(r, 'Observation/cat')).toMatchObject({ reason: 'profile-violation' });
  });

  it('no effective[x] breaks the profile', () => {
    const r = extract(
      observation('eff', 'pedicle', coded('preserved'), { effectiveDateTime: undefined }),
    );
    const d = dispositionOf(r, 'Observation/eff');
    expect(d).toMatchObject({ reason: 'profile-violation' });
    expect(d?.detail).toContain('Observation.effective[x]');
  });

  it('neither value nor dataAbsentReason breaks the profile (vcf-3)', () => {
    const d = dispositionOf(extract(observation('nv', 'pedicle', {})), 'Observation/nv');
    expect(d).toMatchObject({ reason: 'profile-violation' });
    expect(d?.detail).toContain('vcf-3');
  });
});

describe('units (UCUM)', () => {
  it.each([
    ['10*-3.mm2/s', 1.2],
    ['mm2/s', 0.0012],
    ['10*-6.mm2/s', 1200],
    ['um2/s', 1200],
  ])('ADC %s -> 1.2 x10^-3 mm2/s', (code, value) => {
    const r = extract(observation('adc', 'adc', quantity(value, code)));
    expect(findingsAt(r, 'L1')).toEqual({ adc: 1.2 });
  });

  it('a value at a cut-off stays at it after conversion (no floating-point drift)', () => {
    const r = extract(observation('adc', 'adc', quantity(0.00089, 'mm2/s')));
    expect(findingsAt(r, 'L1')).toEqual({ adc: 0.89 });
  });

  it('the conversion is shown in the disposition', () => {
    const d = dispositionOf(extract(umAdc), 'Observation/um-adc');
    expect(d?.use).toBe('used');
    expect(d?.detail).toContain('1200 um2/s = 1.2 x10^-3 mm2/s');
  });

  it('adc-reference is read like adc', () => {
    const r = extract(observation('ref', 'adc-reference', quantity(1500, 'um2/s')));
    expect(findingsAt(r, 'L1')).toEqual({ 'adc-reference': 1.5 });
  });
});

describe('ADC plausibility (free water at 37 °C; the configured minimum)', () => {
  it('a malignant 0.72 sent as mm2/s (prefix left off) is 720 x10^-3: above free water, not read', () => {
    const r = extract(observation('adc', 'adc', quantity(0.72, 'mm2/s')));
    expect(r.levels).toEqual([]);
    const d = dispositionOf(r, 'Observation/adc');
    expect(d).toMatchObject({ use: 'ignored', reason: 'wrong-value', sign: 'adc' });
    expect(d?.detail).toContain('ADC 0.72 mm2/s = 720 x10^-3 mm2/s is above the diffusivity');
    expect(d?.detail).toContain('free water at 37 °C (3.04 x10^-3 mm2/s');
    expect(d?.detail).toContain('check the unit');
  });

  it.each([
    [3.04, 'used'],
    [3.05, 'ignored'],
  ])('ADC %d x10^-3 mm2/s: %s (the bound itself is a possible value)', (value, use) => {
    const r = extract(observation('adc', 'adc', quantity(value, '10*-3.mm2/s')));
    expect(dispositionOf(r, 'Observation/adc')?.use).toBe(use);
  });

  it('adc-reference is bounded as adc is', () => {
    const r = extract(observation('ref', 'adc-reference', quantity(1500, '10*-3.mm2/s')));
    const d = dispositionOf(r, 'Observation/ref');
    expect(d).toMatchObject({ reason: 'wrong-value', sign: 'adc-reference' });
    expect(d?.detail).toContain('ADC of adjacent normal vertebra 1500 x10^-3 mm2/s is above');
  });

  it('without adcMinimum a tiny ADC is read (only > 0 holds: there is no published lower bound)', () => {
    const r = extract(observation('adc', 'adc', quantity(1.2, 'um2/s')));
    expect(findingsAt(r, 'L1')).toEqual({ adc: 0.0012 });
  });

  it('with adcMinimum, 1.2 um2/s (0.0012 x10^-3) is below it: not read, and the unit is suspected', () => {
    const r = extractLevels([searchset([observation('adc', 'adc', quantity(1.2, 'um2/s'))])], {
      ...OPTIONS,
      adcMinimum: 0.1,
    });
    expect(r.levels).toEqual([]);
    const d = dispositionOf(r, 'Observation/adc');
    expect(d).toMatchObject({ reason: 'wrong-value' });
    expect(d?.detail).toBe(
      'ADC 1.2 um2/s = 0.0012 x10^-3 mm2/s is below the configured minimum (adcMinimum 0.1 x10^-3 mm2/s): check the unit',
    );
  });

  it('with adcMinimum, a value at the minimum and the adc-reference below it are judged alike', () => {
    const r = extractLevels(
      [
        searchset([
          observation('at', 'adc', quantity(0.1, '10*-3.mm2/s')),
          observation('ref', 'adc-reference', quantity(0.05, '10*-3.mm2/s')),
        ]),
      ],
      { ...OPTIONS, adcMinimum: 0.1 },
    );
    expect(findingsAt(r, 'L1')).toEqual({ adc: 0.1 });
    expect(dispositionOf(r, 'Observation/ref')).toMatchObject({ reason: 'wrong-value' });
  });

  it.each([-1, 0, Number.NaN, 5, '0.1'])(
    'an adcMinimum that is no number in (0, 3.04) (%s) is not applied, and a note says so',
    (adcMinimum) => {
      const r = extractLevels(
        [searchset([observation('adc', 'adc', quantity(0.05, '10*-3.mm2/s'))])],
        {
          ...OPTIONS,
          adcMinimum: adcMinimum as number,
        },
      );
      expect(findingsAt(r, 'L1')).toEqual({ adc: 0.05 });
      expect(r.notes.some((n) => n.includes('ADC minimum setting'))).toBe(true);
    },
  );
});

describe('compression degree as % height loss', () => {
  it.each([
    [20, 'degree-1'],
    [50, 'degree-2'],
    [80, 'degree-3'],
    // The boundaries (Methods, MRI signs (1): degree I < 1/3, II 1/3-2/3, III > 2/3).
    [33.3, 'degree-1'],
    [100 / 3, 'degree-2'],
    [66.6, 'degree-2'],
    [200 / 3, 'degree-2'],
    [66.7, 'degree-3'],
    [100, 'degree-3'],
  ])('%s percent -> %s', (percent, grade) => {
    const r = extract(
      observation('pct', 'compression-degree', {
        valueQuantity: { value: percent, unit: '%', system: UCUM, code: '%' },
      }),
    );
    expect(findingsAt(r, 'L1')).toEqual({ 'compression-degree': grade });
  });

  it('the grading is shown in the disposition', () => {
    const d = dispositionOf(extract(percentDegree), 'Observation/pct-degree');
    expect(d?.detail).toContain('50% height loss read as degree-2');
  });

  it('0 % height loss is no compression: wrong-value, not degree-1', () => {
    const r = extract(
      observation('pct', 'compression-degree', {
        valueQuantity: { value: 0, unit: '%', system: UCUM, code: '%' },
      }),
    );
    expect(r.levels).toEqual([]);
    const d = dispositionOf(r, 'Observation/pct');
    expect(d).toMatchObject({ reason: 'wrong-value' });
    expect(d?.detail).toContain('0 % height loss is no compression');
  });

  it('more than 100%: wrong-value', () => {
    const r = extract(
      observation('pct', 'compression-degree', {
        valueQuantity: { value: 140, unit: '%', system: UCUM, code: '%' },
      }),
    );
    expect(dispositionOf(r, 'Observation/pct')).toMatchObject({ reason: 'wrong-value' });
  });

  it('a length instead of a percentage: unknown-unit', () => {
    const r = extract(observation('mm', 'compression-degree', quantity(8, 'mm')));
    expect(dispositionOf(r, 'Observation/mm')).toMatchObject({ reason: 'unknown-unit' });
  });
});

describe('bodySite -> level', () => {
  it('a vertebral-level code is the level', () => {
    const r = extract(
      observation('a', 'pedicle', coded('preserved'), { bodySite: levelSite('T12') }),
    );
    expect(r.levels.map((l) => l.level)).toEqual(['T12']);
  });

  it('SNOMED CT 23215003 is T12 (ConceptMap)', () => {
    expect(extract(snomedT12Pedicle).levels.map((l) => l.level)).toEqual(['T12']);
  });

  it('no bodySite: level unspecified, after the spine levels', () => {
    const r = extract(noSitePedicle, observation('a', 'dwi-signal', coded('high')));
    expect(r.levels.map((l) => l.level)).toEqual(['L1', 'unspecified']);
  });

  it.each([
    ['free text only', { text: 'T12' }],
    ['a SNOMED CT code the ConceptMap does not map', snomedSite('421060004')],
    ['a code not in vertebral-level', levelSite('T13')],
    [
      'codings naming two levels',
      {
        coding: [
          { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level', code: 'T11' },
          { system: SNOMED, code: '23215003' },
        ],
      },
    ],
  ])('%s: ignored as unknown-level, never put in unspecified', (_label, bodySite) => {
    const r = extract(observation('site', 'pedicle', coded('preserved'), { bodySite }));
    expect(r.levels).toEqual([]);
    expect(dispositionOf(r, 'Observation/site')).toMatchObject({ reason: 'unknown-level' });
  });

  it('codings naming T12 and L1: the detail names both levels', () => {
    const bodySite = {
      coding: [
        { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level', code: 'T12' },
        { system: SNOMED, code: '66794005' },
      ],
    };
    const r = extract(observation('two', 'pedicle', coded('preserved'), { bodySite }));
    expect(dispositionOf(r, 'Observation/two')?.detail).toBe(
      'bodySite codings name different levels: T12, L1',
    );
  });

  it('a vertebral-level code and a SNOMED CT code of the same level are that level', () => {
    const bodySite = {
      coding: [
        { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level', code: 'T12' },
        { system: SNOMED, code: '280849005' },
      ],
    };
    const r = extract(observation('same', 'pedicle', coded('preserved'), { bodySite }));
    expect(r.levels.map((l) => l.level)).toEqual(['T12']);
  });

  it('the text-only fixture is ignored as unknown-level', () => {
    expect(dispositionOf(extract(textSitePedicle), 'Observation/text-pedicle')).toMatchObject({
      reason: 'unknown-level',
    });
  });
});

describe('panels (hasMember)', () => {
  const r = extract(panel, panelDwi);

  it('members are followed within the data at hand, contained ones included, each used once', () => {
    expect(findingsAt(r, 'L1')).toEqual({ 'dwi-signal': 'low', 't1-low-signal': true });
    expect(r.dispositions.filter((d) => d.ref === 'Observation/panel-dwi')).toHaveLength(1);
    expect(dispositionOf(r, 'Observation/panel#t1')?.use).toBe('used');
  });

  it('the panel itself is context, not a finding', () => {
    expect(dispositionOf(r, 'Observation/panel')?.use).toBe('context');
  });

  it('a member not at hand is noted', () => {
    expect(r.notes.some((n) => n.includes('Observation/not-here'))).toBe(true);
  });

  it('panels that list each other do not loop', () => {
    const a = {
      ...panel,
      id: 'a',
      contained: undefined,
      hasMember: [{ reference: 'Observation/b' }],
    };
    const b = {
      ...panel,
      id: 'b',
      contained: undefined,
      hasMember: [{ reference: 'Observation/a' }],
    };
    const result = extract(
      JSON.parse(JSON.stringify(a)) as Json,
      JSON.parse(JSON.stringify(b)) as Json,
    );
    expect(result.dispositions.map((d) => d.use)).toEqual(['context', 'context']);
  });

  it.each([
    [
      'status entered-in-error',
      { status: 'entered-in-error' },
      'status',
      'status is entered-in-error',
    ],
    [
      "another patient's subject",
      { subject: { reference: 'Patient/someone-else' } },
      'other-subject',
      "subject is not the hook's patient",
    ],
  ])(
    'a panel with %s: its contained final member is not used, and the reason names the panel',
    (_label, overrides, reason, why) => {
      const excluded = { ...panel, ...overrides, hasMember: [{ reference: '#t1' }] };
      const result = extract(JSON.parse(JSON.stringify(excluded)) as Json);
      expect(result.levels).toEqual([]);
      const member = dispositionOf(result, 'Observation/panel#t1');
      expect(member).toMatchObject({ use: 'ignored', reason });
      expect(member?.detail).toContain(`contained in Observation/panel, whose ${why}`);
      expect(dispositionOf(result, 'Observation/panel')).toMatchObject({ use: 'ignored', reason });
    },
  );

  it("an excluded panel's members that are resources of their own keep their own status", () => {
    const excluded = { ...panel, status: 'entered-in-error' };
    const result = extract(JSON.parse(JSON.stringify(excluded)) as Json, panelDwi);
    expect(findingsAt(result, 'L1')).toEqual({ 'dwi-signal': 'low' });
    expect(dispositionOf(result, 'Observation/panel#t1')?.use).toBe('ignored');
  });

  it('a member reached only through a urn:uuid fullUrl is found', () => {
    const member = observation('m', 'pedicle', coded('preserved'));
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:4c1c1b3e-1f6e-4c2a-9a55-3a0c8e2b7d10',
          resource: {
            ...panel,
            contained: undefined,
            hasMember: [{ reference: 'urn:uuid:0e7d1c59-8b6a-4f7e-a3f4-5c2d9e1b8a22' }],
          },
        },
        { fullUrl: 'urn:uuid:0e7d1c59-8b6a-4f7e-a3f4-5c2d9e1b8a22', resource: member },
      ],
    };
    const result = extractLevels([JSON.parse(JSON.stringify(bundle))], OPTIONS);
    expect(dispositionOf(result, 'Observation/panel')?.detail).toContain('Observation/m');
    expect(result.notes).toEqual([]);
  });
});

const clinicalResolved = () => ({
  clinicalStatus: {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' },
    ],
  },
});

describe('known cancer history (Conditions)', () => {
  it('an active, confirmed ICD-10 C50.9 Condition is a known cancer history, with evidence', () => {
    const r = extract(breastCancer);
    expect(r.knownCancerHistory).toBe(true);
    expect(r.cancerHistoryEvidence).toEqual([
      {
        ref: 'Condition/breast-cancer',
        system: 'http://hl7.org/fhir/sid/icd-10',
        code: 'C50.9',
        display: 'Malignant neoplasm of breast, unspecified',
      },
    ]);
    expect(dispositionOf(r, 'Condition/breast-cancer')?.use).toBe('context');
  });

  it.each([
    ['ICD-10-CM C7A.0', icd10('C7A.0', 'http://hl7.org/fhir/sid/icd-10-cm')],
    ['ICD-10-GM C79.5', icd10('C79.5', 'http://fhir.de/CodeSystem/bfarm/icd-10-gm')],
    ['ICD-10 without the dot', icd10('C509')],
    ['ICD-10 C97', icd10('C97')],
    ['SNOMED CT of the configured list', { system: SNOMED, code: '363346000' }],
  ])('%s counts', (_label, coding) => {
    expect(extract(condition('c', coding)).knownCancerHistory).toBe(true);
  });

  it.each([
    ['ICD-10 D05.1 (in situ)', icd10('D05.1')],
    ['ICD-10 C98 (not a code)', icd10('C98')],
    ['lower-case c50.9', icd10('c50.9')],
    ['C50.9 in an unknown system', icd10('C50.9', 'http://example.org/codes')],
    ['a SNOMED CT concept not in the configured list', { system: SNOMED, code: '254837009' }],
  ])('%s does not count (not-relevant)', (_label, coding) => {
    const r = extract(condition('c', coding));
    expect(r.knownCancerHistory).toBe(false);
    const d = dispositionOf(r, 'Condition/c');
    expect(d).toMatchObject({ reason: 'not-relevant' });
    expect(d?.detail).toBe('not ICD-10 C00-C97 and not in the configured SNOMED CT list');
  });

  const breastSnomed = {
    system: SNOMED,
    code: '254837009',
    display: 'Malignant neoplasm of breast',
  };

  it('an active cancer coded only in SNOMED CT outside the list: the card is told it was not checked', () => {
    const r = extract(condition('x', breastSnomed));
    expect(r.knownCancerHistory).toBe(false);
    expect(r.notes).toEqual([
      '1 active Condition(s) coded outside ICD-10 and the configured SNOMED CT cancer list (VCF_CANCER_SNOMED_CODES) were not checked for cancer: Condition/x (SNOMED CT 254837009 Malignant neoplasm of breast).',
    ]);
  });

  it.each([
    ['a known cancer history was found', [condition('x', breastSnomed), breastCancer]],
    ['the Condition is resolved', [condition('x', breastSnomed, clinicalResolved())]],
    [
      'the Condition is refuted',
      [
        condition('x', breastSnomed, {
          verificationStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
                code: 'refuted',
              },
            ],
          },
        }),
      ],
    ],
    ['it is ICD-10 coded (checked: I10)', [condition('x', icd10('I10'))]],
    [
      'it is another patient',
      [condition('x', breastSnomed, { subject: { reference: 'Patient/o' } })],
    ],
  ])('no such note when %s', (_label, resources) => {
    expect(extract(...resources).notes.filter((n) => n.includes('not checked for cancer'))).toEqual(
      [],
    );
  });

  it('the note counts every unchecked Condition and names five', () => {
    const many = Array.from({ length: 7 }, (_, i) => condition(`x${i}`, breastSnomed));
    const note = extract(...many).notes[0] ?? '';
    expect(note).toMatch(/^7 active Condition\(s\)/);
    expect(note).toContain('Condition/x4 (');
    expect(note).not.toContain('Condition/x5 (');
    expect(note).toContain('and 2 more.');
  });

  const clinical = (code: string) => ({
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }],
    },
  });
  const verification = (code: string) => ({
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }],
    },
  });

  it('a clinicalStatus in another code system is named as such, not as "no clinicalStatus"', () => {
    const r = extract(
      condition('c', icd10('C50.9'), {
        clinicalStatus: {
          coding: [{ system: 'http://hl7.org/fhir/condition-clinical', code: 'active' }],
        },
      }),
    );
    // Whatever the clinicalStatus says, and however it is coded, a cancer is a cancer history.
    expect(r.knownCancerHistory).toBe(true);
    expect(dispositionOf(r, 'Condition/c')).toMatchObject({ use: 'context' });
  });

  it('a verificationStatus in another code system cannot tell refuted: not counted, and said why', () => {
    const r = extract(
      condition('c', icd10('C50.9'), {
        verificationStatus: {
          coding: [{ system: 'http://hl7.org/fhir/condition-ver-status', code: 'refuted' }],
        },
      }),
    );
    expect(r.knownCancerHistory).toBe(false);
    expect(dispositionOf(r, 'Condition/c')?.detail).toContain(
      'is not from the condition-ver-status code system',
    );
  });

  it('an abated cancer (abatement[x]) is a cancer history, and the context says abated', () => {
    const r = extract(condition('c', icd10('C50.9'), { abatementDateTime: '2020-05-01' }));
    expect(r.knownCancerHistory).toBe(true);
    expect(dispositionOf(r, 'Condition/c')?.detail).toContain('abated');
  });

  it('a resolved Condition with abatement[x] counts, listed as resolved', () => {
    const r = extract(
      condition('c', icd10('C50.9'), { ...clinicalResolved(), abatementDateTime: '2020-05-01' }),
    );
    expect(r.knownCancerHistory).toBe(true);
    expect(dispositionOf(r, 'Condition/c')?.detail).toContain('clinicalStatus resolved');
  });

  // A cancer in remission is a history of malignancy: the cancer-history pre-test probability is
  // about patients with known malignancy (docs/clinical-logic.md section 1).
  it.each(['recurrence', 'relapse', 'remission', 'resolved', 'inactive'])(
    'clinicalStatus %s counts',
    (code) => {
      expect(extract(condition('c', icd10('C50.9'), clinical(code))).knownCancerHistory).toBe(true);
    },
  );

  it('no clinicalStatus counts', () => {
    const r = extract(condition('c', icd10('C50.9'), { clinicalStatus: undefined }));
    expect(r.knownCancerHistory).toBe(true);
  });

  it.each([
    ['verificationStatus refuted', verification('refuted'), 'refuted'],
    ['verificationStatus entered-in-error', verification('entered-in-error'), 'entered-in-error'],
  ])('%s does not count, and the card says why', (_label, overrides, mention) => {
    const r = extract(condition('c', icd10('C50.9'), overrides));
    expect(r.knownCancerHistory).toBe(false);
    const d = dispositionOf(r, 'Condition/c');
    expect(d).toMatchObject({ use: 'ignored', reason: 'status' });
    expect(d?.detail).toContain(mention);
  });

  it('a cancer Condition that cannot be read (a dateTime without its time zone) makes the data incomplete', () => {
    const r = extract(condition('c', icd10('C50.9'), { recordedDate: '2026-03-01T10:00:00' }));
    expect(r.knownCancerHistory).toBe(false);
    expect(dispositionOf(r, 'Condition/c')).toMatchObject({ reason: 'invalid-resource' });
    expect(r.dataIncomplete).toBe(true);
    expect(r.notes.some((n) => n.includes('a known cancer history may be missing'))).toBe(true);
    // Another patient's unreadable cancer, or an unreadable non-cancer Condition, changes nothing.
    const other = extract(
      condition('c', icd10('C50.9'), {
        recordedDate: '2026-03-01T10:00:00',
        subject: { reference: 'Patient/other' },
      }),
    );
    expect(other.dataIncomplete).toBe(false);
  });

  it('a provisional diagnosis counts, and a note says it is provisional', () => {
    const r = extract(condition('c', icd10('C50.9'), verification('provisional')));
    expect(r.knownCancerHistory).toBe(true);
    expect(r.notes.some((n) => n.includes('provisional'))).toBe(true);
  });

  it("another patient's cancer is not this patient's history", () => {
    const r = extract(condition('c', icd10('C50.9'), { subject: { reference: 'Patient/other' } }));
    expect(r.knownCancerHistory).toBe(false);
    expect(dispositionOf(r, 'Condition/c')).toMatchObject({ reason: 'other-subject' });
  });
});

describe('patient age (context only)', () => {
  it('whole years at now', () => {
    // NOW is 2026-03-01: born 1950-06-15 -> 75.
    expect(extract(patient()).patient).toEqual({ ref: `Patient/${PATIENT_ID}`, ageYears: 75 });
    expect(extract(patient(PATIENT_ID, '1950-03-01')).patient?.ageYears).toBe(76);
    expect(extract(patient(PATIENT_ID, '1950-03-02')).patient?.ageYears).toBe(75);
  });

  it('a partial birth date gives an age only when it is certain', () => {
    expect(extract(patient(PATIENT_ID, '1950')).patient).toEqual({ ref: `Patient/${PATIENT_ID}` });
    expect(extract(patient(PATIENT_ID, '1950-06')).patient?.ageYears).toBe(75);
  });

  it('another Patient is ignored', () => {
    const r = extract(patient('someone-else'));
    expect(r.patient).toBeUndefined();
    expect(dispositionOf(r, 'Patient/someone-else')).toMatchObject({ reason: 'other-subject' });
  });
});

describe('what arrives: Bundles, pages, OperationOutcomes, junk', () => {
  it('searchset pages given as separate items are read together; a resource on two pages counts once', () => {
    const a = observation('a', 'pedicle', coded('preserved'));
    const b = observation('b', 'dwi-signal', coded('high'));
    const r = extractLevels([searchset([a, b]), searchset([b]), patient()], OPTIONS);
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'preserved', 'dwi-signal': 'high' });
    expect(r.dispositions.filter((d) => d.ref === 'Observation/b')).toHaveLength(1);
  });

  it('an OperationOutcome (alone or in a searchset) becomes a note, never a crash', () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'warning', code: 'processing', diagnostics: 'Unknown search parameter "x"' },
      ],
    };
    const r = extractLevels(
      [
        outcome,
        searchset([{ ...outcome, id: 'oo1' }, observation('a', 'pedicle', coded('preserved'))]),
      ],
      OPTIONS,
    );
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'preserved' });
    expect(r.notes.some((n) => n.includes('Unknown search parameter'))).toBe(true);
  });

  it('a search result with a next page not given is noted (findings may be missing)', () => {
    const page = searchset([observation('a', 'pedicle', coded('preserved'))], {
      link: [
        { relation: 'self', url: 'https://example.org/fhir/Observation?patient=p' },
        { relation: 'next', url: 'https://example.org/fhir/Observation?patient=p&page=2' },
      ],
    });
    expect(extractLevels([page], OPTIONS).notes.some((n) => n.includes('further page'))).toBe(true);
    const page2 = searchset([], {
      link: [{ relation: 'self', url: 'https://example.org/fhir/Observation?patient=p&page=2' }],
    });
    expect(extractLevels([page, page2], OPTIONS).notes).toEqual([]);
  });

  it('a resource type this service does not read is listed as not-relevant', () => {
    const r = extract({
      resourceType: 'Procedure',
      id: 'pr',
      status: 'completed',
      subject: { reference: 'Patient/x' },
    });
    expect(dispositionOf(r, 'Procedure/pr')).toMatchObject({
      use: 'ignored',
      reason: 'not-relevant',
    });
  });

  it('items that are not FHIR are skipped with a note; an entry without resourceType is invalid', () => {
    const r = extractLevels(
      [
        '<html>',
        42,
        null,
        { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { id: 'x' } }] },
      ],
      OPTIONS,
    );
    expect(r.levels).toEqual([]);
    expect(r.notes.some((n) => n.includes('a string'))).toBe(true);
    expect(r.dispositions).toEqual([
      expect.objectContaining({
        use: 'ignored',
        reason: 'invalid-resource',
        resourceType: 'unknown',
      }),
    ]);
  });

  it('one resource given twice with different content and no version: neither copy is used', () => {
    const r = extractLevels(
      [
        searchset([observation('dup', 'pedicle', coded('preserved'))]),
        searchset([observation('dup', 'pedicle', coded('destroyed'))]),
      ],
      OPTIONS,
    );
    expect(r.levels).toEqual([]);
    expect(dispositionOf(r, 'Observation/dup')).toMatchObject({ reason: 'unresolved-conflict' });
  });

  it('one resource given twice: the higher meta.versionId is the current one', () => {
    const v = (n: string, value: string) =>
      observation('dup', 'pedicle', coded(value), { meta: { versionId: n } });
    const r = extractLevels(
      [searchset([v('3', 'destroyed')]), searchset([v('2', 'preserved')])],
      OPTIONS,
    );
    expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'destroyed' });
    expect(dispositionOf(r, 'Observation/dup')).toMatchObject({ use: 'used', versionId: '3' });
  });
});

describe('an OperationOutcome among the data (issue 12)', () => {
  const outcome = (severity: string) => ({
    resourceType: 'OperationOutcome',
    id: `oo-${severity}`,
    issue: [{ severity, code: 'incomplete', diagnostics: 'Result set truncated' }],
  });
  const finding = observation('oo-pedicle', 'pedicle', coded('preserved'));

  it.each(['error', 'fatal'])(
    'severity %s: the data may be incomplete, and a note says so',
    (s) => {
      const r = extract(finding, outcome(s));
      expect(r.dataIncomplete).toBe(true);
      expect(r.notes).toContain(
        `Data may be incomplete: the data source reported ${s} incomplete: Result set truncated; findings it did not return may change this assessment.`,
      );
      expect(findingsAt(r, 'L1')).toEqual({ pedicle: 'preserved' });
    },
  );

  it.each(['warning', 'information'])('severity %s: a note only', (s) => {
    const r = extract(finding, outcome(s));
    expect(r.dataIncomplete).toBe(false);
    expect(r.notes).toContain(`The data source reported: ${s} incomplete: Result set truncated.`);
  });

  it('no OperationOutcome: complete', () => {
    expect(extract(finding).dataIncomplete).toBe(false);
  });
});
