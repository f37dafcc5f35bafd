/**
 * CDS Hooks requests built from the example patients of profiles/examples (the single source of
 * the example data): a transaction Bundle becomes the prefetch an EHR would send.
 */
import type { Bundle, FhirResource } from 'fhir/r4.js';
import { loadExampleBundle } from '../profiles/load.js';

export const FINDINGS_QUERY_PATH = '/Observation';

export function resourcesOf(bundle: Bundle): FhirResource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
}

/** The example's own patient: `vcf-example-<name>`. */
export function examplePatientId(name: string): string {
  return `vcf-example-${name}`;
}

export function searchset(resources: readonly FhirResource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((r) => ({
      fullUrl: `https://ehr.example.org/fhir/${r.resourceType}/${r.id ?? ''}`,
      resource: r,
      search: { mode: 'match' },
    })),
  };
}

/** The three prefetch keys of every service, filled from an example bundle. */
export function examplePrefetch(name: string): Record<string, unknown> {
  const patientId = examplePatientId(name);
  const all = resourcesOf(loadExampleBundle(name));
  const patient = all.find((r) => r.resourceType === 'Patient' && r.id === patientId);
  if (!patient) throw new Error(`example ${name} has no Patient ${patientId}`);
  return {
    patient,
    // A sloppy server may return other subjects too (the messy example has one): sent as is.
    findings: searchset(all.filter((r) => r.resourceType === 'Observation')),
    conditions: searchset(all.filter((r) => r.resourceType === 'Condition')),
  };
}

let instance = 0;
export function hookInstance(): string {
  instance += 1;
  return `d1577c69-dfbe-44ad-ba6d-${String(instance).padStart(12, '0')}`;
}

export function patientView(
  patientId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: hookInstance(),
    context: { userId: 'Practitioner/example', patientId },
    ...extra,
  };
}

export function examplePatientView(
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return patientView(examplePatientId(name), { prefetch: examplePrefetch(name), ...extra });
}

/** A draft ServiceRequest for the order hooks. */
export function draftOrder(
  id: string,
  patientId: string,
  coding: { system: string; code: string },
  level?: string,
): Record<string, unknown> {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'draft',
    intent: 'order',
    code: { coding: [coding] },
    subject: { reference: `Patient/${patientId}` },
    ...(level
      ? {
          bodySite: [
            {
              coding: [
                {
                  system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level',
                  code: level,
                },
              ],
            },
          ],
        }
      : {}),
  };
}

export function orderRequest(
  hook: 'order-select' | 'order-sign',
  example: string,
  orders: readonly Record<string, unknown>[],
  selections?: readonly string[],
): Record<string, unknown> {
  const patientId = examplePatientId(example);
  return {
    hook,
    hookInstance: hookInstance(),
    context: {
      userId: 'Practitioner/example',
      patientId,
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: orders.map((resource) => ({ resource })),
      },
      ...(hook === 'order-select'
        ? { selections: selections ?? orders.map((o) => `ServiceRequest/${String(o['id'])}`) }
        : {}),
    },
    prefetch: examplePrefetch(example),
  };
}
