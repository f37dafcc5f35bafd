/**
 * validateResource: the FHIR R4 schema (precompiled) and the vcf-finding-observation profile,
 * each error naming its element and, for an invariant, its key; input that is not JSON or not
 * FHIR gets a clear error value.
 */
import { describe, expect, it } from 'vitest';
import { validateResource, type ValidationIssue } from '../../src/fhir/index.js';
import { listExamples, loadExampleBundle } from '../profiles/load.js';
import { bool, coded, observation, quantity, searchset } from './fixtures.js';

const paths = (issues: readonly ValidationIssue[]) => issues.map((i) => i.path);
const keyed = (issues: readonly ValidationIssue[]) =>
  issues.flatMap((i) => (i.kind === 'profile' && i.key ? [[i.key, i.path]] : []));

describe('valid resources', () => {
  it.each(listExamples().filter((n) => n !== 'messy'))(
    'the %s bundle and every resource in it are valid',
    (name) => {
      const bundle = loadExampleBundle(name);
      expect(validateResource(bundle)).toMatchObject({ valid: true, issues: [] });
      for (const e of bundle.entry ?? []) expect(validateResource(e.resource).issues).toEqual([]);
    },
  );

  it('the messy bundle is valid FHIR; only its wrong-type and unknown-code findings break the profile', () => {
    const r = validateResource(loadExampleBundle('messy'));
    expect(r.issues.every((i) => i.kind === 'profile')).toBe(true);
    const entries = new Set(r.issues.map((i) => /^Bundle\.entry\[(\d+)\]/.exec(i.path)?.[1]));
    const ids = [...entries].map(
      (i) => loadExampleBundle('messy').entry?.[Number(i)]?.resource?.id,
    );
    expect(ids.sort()).toEqual([
      'vcf-example-messy-l2-lesion-extent-wrong-type',
      'vcf-example-messy-l2-unknown-code',
    ]);
  });

  it('a vcf-finding Observation is checked against the profile too', () => {
    const r = validateResource(observation('p', 'pedicle', coded('preserved')));
    expect(r).toEqual({
      valid: true,
      resourceType: 'Observation',
      profileApplied: true,
      issues: [],
    });
  });
});

describe('the FHIR R4 schema', () => {
  it('names the element of each error', () => {
    const bad = {
      ...observation('p', 'pedicle', coded('preserved')),
      status: 'done',
      valueBolean: true,
      effectiveDateTime: '2026-13-01',
    };
    const r = validateResource(bad);
    expect(r.valid).toBe(false);
    expect(paths(r.issues)).toEqual(
      expect.arrayContaining([
        'Observation.status',
        'Observation.valueBolean',
        'Observation.effectiveDateTime',
      ]),
    );
    expect(r.issues.find((i) => i.path === 'Observation.status')?.message).toContain('"final"');
  });

  it('names the element inside arrays, FHIRPath style', () => {
    const bad = observation('p', 'pedicle', {
      valueCodeableConcept: { coding: [{ system: 'x', code: 5 }] },
    });
    expect(paths(validateResource(bad).issues)).toContain(
      'Observation.valueCodeableConcept.coding[0].code',
    );
  });

  it('validates each resource of a Bundle with its own type, naming the entry', () => {
    const bundle = searchset([
      observation('a', 'pedicle', coded('preserved')),
      { ...observation('b', 'pedicle', coded('preserved')), foo: 1 },
    ]);
    const r = validateResource(bundle);
    expect(r.valid).toBe(false);
    expect(paths(r.issues)).toEqual(['Bundle.entry[1].resource.foo']);
  });

  it('checks contained resources', () => {
    const withContained = {
      ...observation('a', 'pedicle', coded('preserved')),
      contained: [{ resourceType: 'Patient', id: 'x', gender: 'robot' }],
    };
    expect(paths(validateResource(withContained).issues)).toEqual([
      'Observation.contained[0].gender',
    ]);
  });
});

describe('FHIR R4 rules the JSON schema does not express', () => {
  const rules = (r: ReturnType<typeof validateResource>) =>
    r.issues
      .filter((i) => i.kind === 'fhir-rule' || i.kind === 'invariant')
      .map((i) => ({ kind: i.kind, path: i.path }));

  it('two value[x] types: one issue naming both elements', () => {
    const r = validateResource(
      observation('x', 't1-low-signal', { valueBoolean: true, valueString: 'no' }),
    );
    expect(r.valid).toBe(false);
    expect(rules(r)).toEqual([{ kind: 'fhir-rule', path: 'Observation.value[x]' }]);
    expect(r.issues.find((i) => i.kind === 'fhir-rule')?.message).toContain(
      'valueBoolean, valueString',
    );
  });

  it.each([
    [
      'Observation',
      observation('x', 'pedicle', coded('preserved'), { effectivePeriod: { start: '2026-01-01' } }),
      'Observation.effective[x]',
    ],
    [
      'Condition onset[x]',
      {
        resourceType: 'Condition',
        subject: { reference: 'Patient/p' },
        onsetDateTime: '2020',
        onsetAge: { value: 60 },
      },
      'Condition.onset[x]',
    ],
    [
      'Condition abatement[x]',
      {
        resourceType: 'Condition',
        subject: { reference: 'Patient/p' },
        abatementString: 'yes',
        abatementBoolean: true,
      },
      'Condition.abatement[x]',
    ],
    [
      'an Observation in a Bundle',
      searchset([observation('x', 'pedicle', coded('preserved'), { valueBoolean: true })]),
      'Bundle.entry[0].resource.value[x]',
    ],
  ])('two types of one choice element (%s) are named', (_label, resource, path) => {
    expect(rules(validateResource(resource)).map((i) => i.path)).toContain(path);
  });

  it.each([
    ['effectiveDateTime', { effectiveDateTime: '2026-02-30' }, 'Observation.effectiveDateTime'],
    ['issued', { issued: '2025-02-29T10:00:00Z' }, 'Observation.issued'],
    [
      'effectivePeriod.end',
      { effectiveDateTime: undefined, effectivePeriod: { end: '2026-04-31' } },
      'Observation.effectivePeriod.end',
    ],
    [
      'meta.lastUpdated',
      { meta: { lastUpdated: '2026-06-31T00:00:00Z' } },
      'Observation.meta.lastUpdated',
    ],
  ])('a date that names no day (%s) is invalid', (_label, overrides, path) => {
    const r = validateResource(observation('x', 'pedicle', coded('preserved'), overrides));
    expect(r.valid).toBe(false);
    expect(rules(r)).toEqual([{ kind: 'fhir-rule', path }]);
  });

  it('29 February of a leap year is a day', () => {
    const r = validateResource(
      observation('x', 'pedicle', coded('preserved'), { effectiveDateTime: '2024-02-29' }),
    );
    expect(r.valid).toBe(true);
  });

  it('a Patient born on 2001-02-29 is invalid', () => {
    const r = validateResource({ resourceType: 'Patient', birthDate: '2001-02-29' });
    expect(rules(r)).toEqual([{ kind: 'fhir-rule', path: 'Patient.birthDate' }]);
  });

  it('obs-6: a value and a dataAbsentReason', () => {
    const r = validateResource(
      observation('x', 'pedicle', coded('preserved'), {
        dataAbsentReason: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' },
          ],
        },
      }),
    );
    expect(r.valid).toBe(false);
    expect(r.issues).toEqual([
      expect.objectContaining({
        kind: 'invariant',
        key: 'obs-6',
        path: 'Observation.dataAbsentReason',
      }),
    ]);
  });

  it.each([
    ['active', true],
    ['resolved', false],
    ['remission', false],
  ])('con-4: abatement[x] with clinicalStatus %s breaks it: %s', (code, breaks) => {
    const r = validateResource({
      resourceType: 'Condition',
      subject: { reference: 'Patient/p' },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code }],
      },
      abatementDateTime: '2020-05-01',
    });
    expect(r.issues.some((i) => i.kind === 'invariant' && i.key === 'con-4')).toBe(breaks);
  });
});

describe('the vcf-finding-observation profile', () => {
  it('rejects a malformed Observation, naming each element and invariant', () => {
    const malformed = observation('m', 'lesion-extent', coded('G5'), {
      category: [{ coding: [{ system: 'http://example.org', code: 'lab' }] }],
      effectiveDateTime: undefined,
      bodySite: {
        coding: [
          { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level', code: 'T13' },
        ],
      },
    });
    const r = validateResource(malformed);
    expect(r.valid).toBe(false);
    expect(r.issues.every((i) => i.kind === 'profile')).toBe(true);
    expect(keyed(r.issues)).toEqual([
      ['vcf-1', 'Observation.category'],
      ['vcf-5', 'Observation.valueCodeableConcept.coding[0].code'],
    ]);
    expect(paths(r.issues)).toEqual(
      expect.arrayContaining(['Observation.effective[x]', 'Observation.bodySite.coding[0].code']),
    );
  });

  it.each([
    ['adc', quantity(1.2, 'mm2'), 'vcf-17', 'Observation.valueQuantity.code'],
    [
      'adc',
      { valueQuantity: { value: 1.2, unit: 'mm2/s' } },
      'vcf-17',
      'Observation.valueQuantity.system',
    ],
    ['adc-reference', bool(true), 'vcf-18', 'Observation.valueBoolean'],
    ['t1-low-signal', coded('high'), 'vcf-15', 'Observation.valueCodeableConcept'],
    ['compression-degree', quantity(40, 'mm'), 'vcf-4', 'Observation.valueQuantity.code'],
    ['ct-impression', coded('G1'), 'vcf-12', 'Observation.valueCodeableConcept.coding[0].code'],
  ])('%s with a wrong value breaks %s at the value', (sign, value, key, path) => {
    expect(keyed(validateResource(observation('x', sign, value)).issues)).toEqual([[key, path]]);
  });

  it('vcf-3: no value and no dataAbsentReason', () => {
    expect(keyed(validateResource(observation('x', 'pedicle', {})).issues)).toEqual([
      ['vcf-3', 'Observation.value[x]'],
    ]);
  });

  it('an unknown vcf-finding code breaks the required binding', () => {
    const r = validateResource(observation('x', 'marrow-oedema-pattern', bool(true)));
    expect(r.issues).toEqual([
      expect.objectContaining({
        kind: 'profile',
        concern: 'code',
        path: 'Observation.code.coding[0].code',
      }),
    ]);
  });

  it('a subject that is not a Patient breaks the profile', () => {
    const r = validateResource(
      observation('x', 'pedicle', coded('preserved'), { subject: { reference: 'Group/1' } }),
    );
    expect(paths(r.issues)).toEqual(['Observation.subject.reference']);
  });

  it('an Observation without a vcf-finding code is not held to the profile', () => {
    const lab = observation('lab', 'x', bool(true), {
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
      category: undefined,
    });
    expect(validateResource(lab)).toMatchObject({ valid: true, profileApplied: false });
  });

  it('an Observation claiming the profile without a vcf-finding code breaks vcf-2', () => {
    const claimed = observation('c', 'x', bool(true), {
      meta: {
        profile: ['https://w3id.org/vcf-cds/fhir/StructureDefinition/vcf-finding-observation'],
      },
      code: { text: 'pedicle' },
    });
    expect(keyed(validateResource(claimed).issues)).toEqual([['vcf-2', 'Observation.code']]);
  });
});

describe('not JSON, not FHIR: a clear error value, never an exception', () => {
  const cyclic: Record<string, unknown> = { resourceType: 'Observation' };
  cyclic['self'] = cyclic;
  let deep: Record<string, unknown> = {};
  const deepRoot = { resourceType: 'Patient', extension: [deep] };
  for (let i = 0; i < 200; i++) {
    const next: Record<string, unknown> = {};
    deep['extension'] = [next];
    deep = next;
  }

  it.each([
    ['a string', '{"resourceType":"Patient"}', 'not-a-resource', 'a string'],
    ['a number', 42, 'not-a-resource', 'a number'],
    ['null', null, 'not-a-resource', 'null'],
    ['undefined', undefined, 'not-a-resource', 'undefined'],
    ['an array', [], 'not-a-resource', 'an array'],
    ['an object without resourceType', { id: 'x' }, 'not-a-resource', 'resourceType'],
    [
      'a misspelt resourceType',
      { resourceType: 'Observasion' },
      'unknown-resource-type',
      'Observasion',
    ],
    [
      'a resource type not validated here',
      { resourceType: 'Procedure' },
      'unsupported-resource-type',
      'Procedure',
    ],
    ['a cycle', cyclic, 'not-json', 'circular'],
    [
      'NaN',
      { resourceType: 'Observation', valueQuantity: { value: Number.NaN } },
      'not-json',
      'NaN',
    ],
    ['a function', { resourceType: 'Patient', id: () => 1 }, 'not-json', 'function'],
    ['a Date object', { resourceType: 'Patient', birthDate: new Date() }, 'not-json', 'Date'],
    ['nesting 200 levels deep', deepRoot, 'not-json', 'nested'],
  ])('%s', (_label, input, kind, words) => {
    const r = validateResource(input);
    expect(r.valid).toBe(false);
    expect(r.issues[0]?.kind).toBe(kind);
    expect(`${r.issues[0]?.path} ${r.issues[0]?.message}`).toContain(words);
  });

  it('names where in the resource the non-JSON value is', () => {
    const r = validateResource({ resourceType: 'Observation', valueQuantity: { value: Infinity } });
    expect(r.issues[0]?.path).toBe('Observation.valueQuantity.value');
  });
});
