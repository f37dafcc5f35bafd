/** Every JSON file of profiles/ is valid FHIR R4 JSON (HL7's JSON schema). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from 'fhir/r4.js';
import {
  createFhirValidator,
  loadRawSchema,
  missingDefinitions,
  SUPPLIED_DEFINITIONS,
  type FhirValidator,
} from '../../src/fhir/fhir-schema.js';
import { listExamples, listProfileJsonFiles, loadExampleBundle, loadProfileJson } from './load.js';

let validator: FhirValidator;
beforeAll(() => {
  validator = createFhirValidator();
});

describe('the FHIR R4 JSON schema', () => {
  it('lacks exactly the definitions the validator supplies', () => {
    expect(missingDefinitions(loadRawSchema())).toEqual(Object.keys(SUPPLIED_DEFINITIONS).sort());
  });

  it('rejects what is not FHIR (the validator can fail)', () => {
    const ok = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueBoolean: true,
    };
    expect(validator.validate(ok)).toEqual([]);
    expect(validator.validate({ ...ok, code: undefined })).not.toEqual([]); // code 1..1
    expect(validator.validate({ ...ok, valueBolean: true })).not.toEqual([]); // unknown property
    expect(validator.validate({ ...ok, effectiveDateTime: '2026-13-01' })).not.toEqual([]);
    expect(validator.validate({ ...ok, resourceType: 'Observasion' })).not.toEqual([]);
    expect(
      validator.validate({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: { ...ok, foo: 1 } }],
      }),
    ).not.toEqual([]);
  });
});

describe('profiles/ JSON files', () => {
  const files = listProfileJsonFiles();

  it('include the terminology, the profile, the ConceptMap and the examples', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'CodeSystem-vcf-finding.json',
        'CodeSystem-vcf-finding-value.json',
        'CodeSystem-vertebral-level.json',
        'StructureDefinition-vcf-finding-observation.json',
        'ConceptMap-snomed-vertebra-to-vertebral-level.json',
        'ValueSet-vcf-finding-code.json',
        'ValueSet-vertebral-level.json',
        ...listExamples().map((n) => `examples/${n}.bundle.json`),
      ]),
    );
  });

  it.each(files)('%s is valid FHIR R4 JSON', (file) => {
    expect(validator.validate(loadProfileJson(file))).toEqual([]);
  });

  it.each(files.filter((f) => !f.startsWith('examples/')))(
    '%s has id, url and file name that agree',
    (file) => {
      const r = loadProfileJson(file) as { resourceType: string; id: string; url: string };
      expect(file).toBe(`${r.resourceType}-${r.id}.json`);
      expect(r.url).toBe(`https://w3id.org/vcf-cds/fhir/${r.resourceType}/${r.id}`);
    },
  );
});

describe('example bundle entries', () => {
  it.each(listExamples())('every resource of %s is valid on its own', (name) => {
    const bundle: Bundle = loadExampleBundle(name);
    const errors = (bundle.entry ?? []).flatMap((e) =>
      validator.validate(e.resource).map((msg) => `${e.fullUrl ?? '?'}: ${msg}`),
    );
    expect(errors).toEqual([]);
  });
});
