/**
 * The example bundles: valid transactions, every code known, every coded value in its ValueSet,
 * and each scenario holding the findings profiles/examples/README.md lists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bundle, Coding, Condition, Observation, Patient, Resource } from 'fhir/r4.js';
import {
  ADC_UNITS,
  FINDING_SYSTEM,
  LEVEL_SYSTEM,
  OBSERVATION_CATEGORY,
  SNOMED,
  SPEC_BOOLEAN,
  SPEC_CODED,
  SPEC_QUANTITY,
  UCUM,
  VALUE_SYSTEM,
} from './contract.js';
import {
  EXAMPLES_DIR,
  listExamples,
  loadAllExampleBundles,
  loadCodeSystem,
  loadConceptMap,
  loadExampleBundle,
  loadValueSet,
} from './load.js';

const EXAMPLES = [
  'benign',
  'g4-malignant',
  'g4-safeguard',
  'incomplete',
  'malignant',
  'messy',
  'two-level',
];
const USED_STATUSES = ['final', 'amended', 'corrected', 'preliminary'];

const resourcesOf = (b: Bundle): Resource[] =>
  (b.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
const observationsOf = (b: Bundle) =>
  resourcesOf(b).filter((r): r is Observation => r.resourceType === 'Observation');
const hookPatientId = (name: string) => `vcf-example-${name}`;

const codeSets = new Map(
  ['vcf-finding', 'vcf-finding-value', 'vertebral-level'].map((id) => {
    const cs = loadCodeSystem(id);
    return [cs.url ?? '', new Map((cs.concept ?? []).map((c) => [c.code, c.display]))];
  }),
);
const snomedToLevel = new Map(
  (loadConceptMap('snomed-vertebra-to-vertebral-level').group?.[0]?.element ?? []).map((e) => [
    e.code ?? '',
    e.target?.[0]?.code ?? '',
  ]),
);
const valueSetCodes = (id: string) =>
  (loadValueSet(id).compose?.include ?? []).flatMap((i) =>
    (i.concept ?? []).map((c) => `${i.system ?? ''}|${c.code}`),
  );

/** Every object with a `reference` string, anywhere in a resource. */
function referencesIn(x: unknown): string[] {
  if (Array.isArray(x)) return x.flatMap(referencesIn);
  if (x && typeof x === 'object') {
    return Object.entries(x).flatMap(([k, v]) =>
      k === 'reference' && typeof v === 'string' ? [v] : referencesIn(v),
    );
  }
  return [];
}
/** Every Coding (an object with system and code), anywhere in a resource. */
function codingsIn(x: unknown): Coding[] {
  if (Array.isArray(x)) return x.flatMap(codingsIn);
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const here =
      typeof o['system'] === 'string' && typeof o['code'] === 'string' && !('value' in o)
        ? [o as Coding]
        : [];
    return [...here, ...Object.values(o).flatMap(codingsIn)];
  }
  return [];
}

const signOf = (o: Observation) => o.code.coding?.find((c) => c.system === FINDING_SYSTEM)?.code;
function levelOf(o: Observation): string | undefined {
  const codings = o.bodySite?.coding ?? [];
  const own = codings.find((c) => c.system === LEVEL_SYSTEM)?.code;
  if (own) return own;
  const sct = codings.find((c) => c.system === SNOMED)?.code;
  return sct === undefined ? undefined : snomedToLevel.get(sct);
}

type Plain = string | boolean | number;
/** The finding's value as the contract reads it (ADC in 10^-3 mm2/s), or undefined. */
function plainValue(o: Observation): Plain | undefined {
  if (o.valueBoolean !== undefined) return o.valueBoolean;
  if (o.valueCodeableConcept)
    return o.valueCodeableConcept.coding?.find((c) => c.system === VALUE_SYSTEM)?.code;
  if (o.valueQuantity?.value !== undefined) {
    const factor: Record<string, number> = {
      '10*-3.mm2/s': 1,
      'mm2/s': 1000,
      '10*-6.mm2/s': 0.001,
      'um2/s': 0.001,
    };
    return o.valueQuantity.value * (factor[o.valueQuantity.code ?? ''] ?? NaN);
  }
  return undefined;
}

/** How an Observation departs from the input contract of docs/clinical-logic.md section 1 (empty: it conforms). */
function contractProblems(o: Observation, patientId: string): string[] {
  const problems: string[] = [];
  if (o.hasMember) problems.push('panel');
  if (!USED_STATUSES.includes(o.status)) problems.push('status');
  if (o.dataAbsentReason) problems.push('data-absent');
  if (o.subject?.reference !== `Patient/${patientId}`) problems.push('other-subject');
  if (
    !o.category?.some((c) =>
      c.coding?.some((x) => x.system === OBSERVATION_CATEGORY && x.code === 'imaging'),
    )
  ) {
    problems.push('category');
  }
  if (!o.effectiveDateTime) problems.push('effective');
  if (!o.issued) problems.push('issued');
  if (levelOf(o) === undefined) problems.push('level');
  const sign = signOf(o);
  if (sign === undefined) return o.hasMember ? problems : [...problems, 'no-finding-code'];
  if (!codeSets.get(FINDING_SYSTEM)?.has(sign)) return [...problems, 'unknown-code'];
  if (o.dataAbsentReason) return problems;
  const coded = SPEC_CODED[sign];
  if (coded) {
    const v = o.valueCodeableConcept?.coding?.find((c) => c.system === VALUE_SYSTEM)?.code;
    const pct =
      sign === 'compression-degree' &&
      o.valueQuantity?.code === '%' &&
      o.valueQuantity.system === UCUM;
    if (v === undefined && !pct) problems.push('wrong-value-type');
    else if (v !== undefined && !coded.values.includes(v)) problems.push('value-not-in-valueset');
  } else if (SPEC_BOOLEAN.includes(sign)) {
    if (typeof o.valueBoolean !== 'boolean') problems.push('wrong-value-type');
  } else if (SPEC_QUANTITY.includes(sign)) {
    const q = o.valueQuantity;
    if (q?.value === undefined) problems.push('wrong-value-type');
    else if (q.system !== UCUM || !ADC_UNITS.includes(q.code ?? '')) problems.push('unit');
  }
  return problems;
}

/** Level -> sign -> value of the Observations that conform to the contract. */
function findingsByLevel(
  b: Bundle,
  patientId: string,
): Record<string, Record<string, Plain | undefined>> {
  const out: Record<string, Record<string, Plain | undefined>> = {};
  for (const o of observationsOf(b)) {
    if (contractProblems(o, patientId).length > 0) continue;
    const level = levelOf(o) ?? 'unspecified';
    const sign = signOf(o) ?? '?';
    const forLevel = (out[level] ??= {});
    expect(forLevel[sign], `${o.id ?? ''}: ${sign} twice at ${level}`).toBeUndefined();
    forLevel[sign] = plainValue(o);
  }
  return out;
}

/** The messy bundle's deliberate departures from the contract, by resource id. */
const MESSY_DEPARTURES: Record<string, string[]> = {
  'vcf-example-messy-l2-pedicle-entered-in-error': ['status'],
  'vcf-example-messy-l2-enhancement-pattern-absent': ['data-absent'],
  'vcf-example-messy-l2-unknown-code': ['unknown-code'],
  'vcf-example-messy-l2-lesion-extent-wrong-type': ['wrong-value-type'],
  'vcf-example-messy-other-l2-pedicle': ['other-subject'],
  'vcf-example-messy-l2-mri-panel': ['panel'],
};

describe('the example set', () => {
  it('is the seven patients of the brief', () => {
    expect(listExamples()).toEqual(EXAMPLES);
  });

  it('loadExampleBundle refuses an unknown name', () => {
    expect(() => loadExampleBundle('../CodeSystem-vcf-finding')).toThrow();
  });

  it('README lists every bundle', () => {
    const readme = readFileSync(join(EXAMPLES_DIR, 'README.md'), 'utf8');
    for (const name of listExamples()) {
      expect(readme).toContain(`\`${name}.bundle.json\``);
      expect(readme).toContain(`\`${hookPatientId(name)}\``);
    }
  });

  it('uses each resource id once across all bundles (they can share one server)', () => {
    const keys = loadAllExampleBundles().flatMap(({ bundle }) =>
      resourcesOf(bundle).map((r) => `${r.resourceType}/${r.id ?? ''}`),
    );
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});

describe.each(EXAMPLES)('bundle %s', (name) => {
  const bundle = loadExampleBundle(name);
  const patientId = hookPatientId(name);

  it('is a transaction of PUTs with fullUrl and request on every entry', () => {
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry?.length).toBeGreaterThan(1);
    for (const e of bundle.entry ?? []) {
      const r = e.resource;
      expect(r?.id, e.fullUrl).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      const key = `${r?.resourceType ?? ''}/${r?.id ?? ''}`;
      expect(e.fullUrl).toBe(`https://example.org/fhir/${key}`);
      expect(e.request).toEqual({ method: 'PUT', url: key });
    }
  });

  it('has unique ids, and every reference resolves inside the bundle', () => {
    const keys = resourcesOf(bundle).map((r) => `${r.resourceType}/${r.id ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    const refs = resourcesOf(bundle).flatMap(referencesIn);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+$/);
      expect(keys, ref).toContain(ref);
    }
  });

  it("has the hook's Patient, synthetic and clearly fake", () => {
    const patients = resourcesOf(bundle).filter((r): r is Patient => r.resourceType === 'Patient');
    expect(patients.map((p) => p.id)).toContain(patientId);
    for (const p of patients) {
      expect(p.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['male', 'female', 'other', 'unknown']).toContain(p.gender);
      expect(p.name?.[0]?.family).toMatch(/^Example-/);
      expect(p.meta?.tag).toContainEqual(expect.objectContaining({ code: 'HTEST' }));
    }
  });

  it('uses only codes that exist in the CodeSystems (bar the deliberate unknown code)', () => {
    const unknown: string[] = [];
    for (const r of resourcesOf(bundle)) {
      for (const c of codingsIn(r)) {
        const known = codeSets.get(c.system ?? '');
        if (c.system === SNOMED)
          expect(snomedToLevel.has(c.code ?? ''), `${r.id ?? ''}: SNOMED ${c.code ?? ''}`).toBe(
            true,
          );
        if (!known) continue;
        if (!known.has(c.code ?? '')) unknown.push(`${r.id ?? ''}:${c.code ?? ''}`);
        else if (c.display !== undefined)
          expect(c.display, `${r.id ?? ''}: ${c.code ?? ''}`).toBe(known.get(c.code ?? ''));
      }
    }
    expect(unknown).toEqual(
      name === 'messy' ? ['vcf-example-messy-l2-unknown-code:marrow-oedema-pattern'] : [],
    );
  });

  it('codes every coded sign value from its ValueSet', () => {
    let checked = 0;
    for (const o of observationsOf(bundle)) {
      const sign = signOf(o);
      const coded = sign === undefined ? undefined : SPEC_CODED[sign];
      if (!coded || !o.valueCodeableConcept) continue;
      const members = valueSetCodes(coded.valueSet);
      for (const c of o.valueCodeableConcept.coding ?? []) {
        expect(members, o.id).toContain(`${c.system ?? ''}|${c.code ?? ''}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('writes every finding as the contract says (messy: only its deliberate departures)', () => {
    const problems = Object.fromEntries(
      observationsOf(bundle)
        .map((o) => [o.id ?? '', contractProblems(o, patientId)] as const)
        .filter(([, p]) => p.length > 0),
    );
    expect(problems).toEqual(name === 'messy' ? MESSY_DEPARTURES : {});
  });
});

const BENIGN_L = {
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
const MALIGNANT_L = {
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

describe('the scenarios of the brief', () => {
  it.each([
    ['benign', { L1: BENIGN_L }],
    ['malignant', { T10: MALIGNANT_L }],
    [
      'g4-safeguard',
      {
        T12: {
          'lesion-extent': 'G4',
          pedicle: 'preserved',
          'paravertebral-soft-tissue': false,
          'enhancement-pattern': 'flocculent',
          adc: 1.3,
          'compression-degree': 'degree-1',
        },
      },
    ],
    [
      'g4-malignant',
      {
        T8: {
          'lesion-extent': 'G4',
          'enhancement-pattern': 'nodular',
          pedicle: 'destroyed',
          'paravertebral-soft-tissue': true,
          adc: 0.7,
        },
      },
    ],
    ['incomplete', { L4: { 'compression-degree': 'degree-2', 'lesion-extent': 'G3' } }],
    ['two-level', { T12: BENIGN_L, L3: MALIGNANT_L }],
  ])('%s holds exactly its findings', (name, expected) => {
    expect(findingsByLevel(loadExampleBundle(name), hookPatientId(name))).toEqual(expected);
  });

  it('incomplete: one of its two findings is preliminary', () => {
    const obs = observationsOf(loadExampleBundle('incomplete'));
    expect(obs.map((o) => o.status).sort()).toEqual(['final', 'preliminary']);
  });

  it('two-level: T12 is coded only in SNOMED CT, and the patient has active breast cancer (ICD-10 C50.9)', () => {
    const b = loadExampleBundle('two-level');
    const t12 = observationsOf(b).filter((o) => levelOf(o) === 'T12');
    expect(t12).toHaveLength(14);
    for (const o of t12)
      expect(o.bodySite?.coding?.map((c) => `${c.system ?? ''}|${c.code ?? ''}`)).toEqual([
        `${SNOMED}|23215003`,
      ]);
    const conditions = resourcesOf(b).filter((r): r is Condition => r.resourceType === 'Condition');
    expect(conditions).toHaveLength(1);
    expect(conditions[0]).toMatchObject({
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
        ],
      },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'C50.9' }] },
      subject: { reference: 'Patient/vcf-example-two-level' },
    });
  });

  it('no example but two-level has a Condition', () => {
    for (const name of EXAMPLES.filter((n) => n !== 'two-level')) {
      expect(
        resourcesOf(loadExampleBundle(name)).some((r) => r.resourceType === 'Condition'),
        name,
      ).toBe(false);
    }
  });

  describe('messy', () => {
    const b = loadExampleBundle('messy');
    const obs = observationsOf(b);
    const byId = (suffix: string) => {
      const o = obs.find((x) => x.id === `vcf-example-messy-${suffix}`);
      if (!o) throw new Error(`missing ${suffix}`);
      return o;
    };

    it('has one conflict: compression degree twice at L2, different values, the later degree-3', () => {
      const earlier = byId('l2-compression-degree-earlier');
      const later = byId('l2-compression-degree-later');
      expect([signOf(earlier), levelOf(earlier)]).toEqual([signOf(later), levelOf(later)]);
      expect(plainValue(earlier)).not.toBe(plainValue(later));
      expect(Date.parse(later.effectiveDateTime ?? '')).toBeGreaterThan(
        Date.parse(earlier.effectiveDateTime ?? ''),
      );
      expect(plainValue(later)).toBe('degree-3');
    });

    it('has an ADC of 1200 um2/s, which is 1.2 x10^-3 mm2/s', () => {
      const adc = byId('l2-adc');
      expect(adc.valueQuantity).toEqual({
        value: 1200,
        unit: 'um2/s',
        system: UCUM,
        code: 'um2/s',
      });
      expect(plainValue(adc)).toBeCloseTo(1.2, 10);
    });

    it('has a panel whose hasMember points at two findings of the same patient and level', () => {
      const panel = byId('l2-mri-panel');
      expect(signOf(panel)).toBeUndefined();
      const members = (panel.hasMember ?? []).map((r) =>
        obs.find((o) => `Observation/${o.id ?? ''}` === r.reference),
      );
      expect(members).toHaveLength(2);
      for (const m of members) {
        expect(m && signOf(m)).toBeDefined();
        expect(m?.subject?.reference).toBe('Patient/vcf-example-messy');
        expect(m && levelOf(m)).toBe('L2');
      }
    });

    it("has another patient's finding, and that patient in the bundle", () => {
      const other = byId('other-l2-pedicle');
      expect(other.subject?.reference).toBe('Patient/vcf-example-messy-other');
      expect(
        resourcesOf(b).some(
          (r) => r.resourceType === 'Patient' && r.id === 'vcf-example-messy-other',
        ),
      ).toBe(true);
    });

    it('README describes every messy resource', () => {
      const readme = readFileSync(join(EXAMPLES_DIR, 'README.md'), 'utf8');
      for (const o of obs)
        expect(readme, o.id).toContain(`\`${(o.id ?? '').replace('vcf-example-messy-', '')}\``);
    });
  });
});
