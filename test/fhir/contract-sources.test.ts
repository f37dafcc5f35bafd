/**
 * The FHIR layer reads its rules from the published artefacts (StructureDefinition, CodeSystems,
 * ConceptMap) and its validators from generated/: these agree with the engine's vocabulary, and a
 * bad source stops the service with a clear message rather than being read wrongly.
 */
import { describe, expect, it } from 'vitest';
import { BOOLEAN_SIGNS, CODED_SIGN_VALUES, QUANTITY_SIGNS, SIGNS } from '../../src/engine/index.js';
import { levelFromBodySite } from '../../src/fhir/index.js';
import { PROFILE, readProfileContract } from '../../src/fhir/profile-contract.js';
import { asSchemaValidators, SCHEMA_VALIDATORS } from '../../src/fhir/schema-validators.js';
import { VALIDATED_RESOURCE_TYPES } from '../../src/fhir/validated-resource-types.js';
import { VERTEBRAL_LEVELS } from '../../src/terminology/index.js';
import { ADC_UNITS, LEVEL_SYSTEM, SNOMED, SPEC_LEVELS } from '../profiles/contract.js';
import { loadConceptMap, loadStructureDefinition } from '../profiles/load.js';

describe('the profile as the FHIR layer reads it', () => {
  it('has a value rule for each of the 15 signs, keyed vcf-4 .. vcf-18', () => {
    expect([...PROFILE.valueRules.keys()].sort()).toEqual([...SIGNS].sort());
    expect([...PROFILE.valueRules.values()].map((r) => r.key).sort()).toEqual(
      Array.from({ length: 15 }, (_, i) => `vcf-${i + 4}`).sort(),
    );
    expect([PROFILE.category.key, PROFILE.findingCode.key, PROFILE.valueOrAbsent.key]).toEqual([
      'vcf-1',
      'vcf-2',
      'vcf-3',
    ]);
  });

  it("agrees with the engine's coded values, booleans and quantities", () => {
    for (const [sign, values] of Object.entries(CODED_SIGN_VALUES)) {
      expect(PROFILE.valueRules.get(sign)?.coded?.codes, sign).toEqual([...values]);
    }
    for (const sign of BOOLEAN_SIGNS)
      expect(PROFILE.valueRules.get(sign)?.boolean, sign).toBe(true);
    for (const sign of QUANTITY_SIGNS) {
      expect(PROFILE.valueRules.get(sign)?.quantity?.units, sign).toEqual([...ADC_UNITS]);
    }
    expect(PROFILE.valueRules.get('compression-degree')?.quantity?.units).toEqual(['%']);
  });

  it('requires subject, effective[x] and category; allows three value types', () => {
    expect([...PROFILE.requiredElements].sort()).toEqual([
      'Observation.category',
      'Observation.effective[x]',
      'Observation.subject',
    ]);
    expect([...PROFILE.valueTypes].sort()).toEqual(['Boolean', 'CodeableConcept', 'Quantity']);
  });

  it('refuses a StructureDefinition whose invariant it cannot read', () => {
    const sd = structuredClone(loadStructureDefinition('vcf-finding-observation'));
    const root = sd.differential?.element?.[0];
    root?.constraint?.push({
      key: 'vcf-99',
      severity: 'error',
      human: 'Observation.note SHALL be empty.',
      expression: 'note.empty()',
    });
    expect(readProfileContract(sd)).toBe('vcf-99: invariant not recognised');
  });
});

describe('levelFromBodySite and the ConceptMap', () => {
  const elements = loadConceptMap('snomed-vertebra-to-vertebral-level').group?.[0]?.element ?? [];

  it.each(elements.map((e) => [e.code, e.target?.[0]?.code]))(
    'SNOMED CT %s -> %s',
    (code, level) => {
      expect(levelFromBodySite({ coding: [{ system: SNOMED, code }] })).toBe(level);
    },
  );

  it('every vertebral-level code is its own level', () => {
    expect(
      SPEC_LEVELS.map((code) => levelFromBodySite({ coding: [{ system: LEVEL_SYSTEM, code }] })),
    ).toEqual([...VERTEBRAL_LEVELS]);
  });

  it('a SNOMED CT code needs the SNOMED CT system', () => {
    expect(
      levelFromBodySite({ coding: [{ system: LEVEL_SYSTEM, code: '23215003' }] }),
    ).toBeUndefined();
    expect(levelFromBodySite({ coding: [{ code: '23215003' }] })).toBeUndefined();
  });

  it('two codings naming the same level agree; a coding of another system is passed over', () => {
    expect(
      levelFromBodySite({
        coding: [
          { system: 'http://example.org/local', code: 'X' },
          { system: LEVEL_SYSTEM, code: 'T12' },
          { system: SNOMED, code: '23215003' },
        ],
      }),
    ).toBe('T12');
  });
});

describe('the generated validators', () => {
  it('are loaded for every type the service validates', () => {
    for (const type of VALIDATED_RESOURCE_TYPES) {
      expect(SCHEMA_VALIDATORS.validatorFor(type), type).toBeTypeOf('function');
    }
    expect(SCHEMA_VALIDATORS.r4ResourceTypes.has('Observation')).toBe(true);
    expect(SCHEMA_VALIDATORS.r4ResourceTypes.size).toBeGreaterThan(140);
  });

  it('a module that lacks a validator is refused, saying which', () => {
    const partial = { R4_RESOURCE_TYPES: ['Observation'], Observation: () => true };
    expect(asSchemaValidators(partial)).toMatch(/^it has no validator for /);
    expect(asSchemaValidators({})).toBe('it lacks R4_RESOURCE_TYPES');
  });
});
