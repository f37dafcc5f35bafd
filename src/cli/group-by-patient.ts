/**
 * Splits a pile of resources into one group per patient: a Patient by its id, every other
 * resource by `subject` (or `patient`) when it points at a Patient. Resources that point at no
 * patient go to every group (the FHIR layer then decides what they are worth), so a panel or a
 * shared resource is never lost.
 */
import type { Resource, SourcedResource } from './read-resources.js';

export interface PatientGroup {
  readonly patientId: string;
  readonly resources: SourcedResource[];
  /** Whether any of the patient's resources (or their Bundle) is tagged HTEST. */
  synthetic: boolean;
  /** Whether any of them carries `vcf-cds simulate`'s meta.source. */
  simulated: boolean;
}

export interface Grouped {
  /** In order of first appearance. */
  readonly patients: ReadonlyMap<string, PatientGroup>;
  /** Resources that name no patient; given to every patient's assessment. */
  readonly shared: readonly SourcedResource[];
}

const PATIENT_REFERENCE = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

function referenceOf(r: Resource): string | undefined {
  for (const key of ['subject', 'patient'] as const) {
    const ref = r[key];
    if (typeof ref === 'object' && ref !== null) {
      const s = (ref as Record<string, unknown>)['reference'];
      if (typeof s === 'string') return s;
    }
  }
  return undefined;
}

/** The patient id a resource belongs to, resolving `urn:uuid:` references through fullUrls. */
export function patientIdOf(
  item: SourcedResource,
  patientByFullUrl: ReadonlyMap<string, string>,
): string | undefined {
  const r = item.resource;
  if (r.resourceType === 'Patient') return typeof r['id'] === 'string' ? r['id'] : undefined;
  const ref = referenceOf(r);
  if (ref === undefined) return undefined;
  return patientByFullUrl.get(ref) ?? PATIENT_REFERENCE.exec(ref)?.[1];
}

/** Bundle fullUrl -> Patient id, for `urn:uuid:` (and absolute) references inside Bundles. */
export function patientFullUrls(items: readonly SourcedResource[]): Map<string, string> {
  const patientByFullUrl = new Map<string, string>();
  for (const item of items) {
    const r = item.resource;
    if (r.resourceType === 'Patient' && typeof r['id'] === 'string' && item.origin.fullUrl) {
      patientByFullUrl.set(item.origin.fullUrl, r['id']);
    }
  }
  return patientByFullUrl;
}

export function groupByPatient(
  items: readonly SourcedResource[],
  patientByFullUrl: ReadonlyMap<string, string> = patientFullUrls(items),
): Grouped {
  const patients = new Map<string, PatientGroup>();
  const shared: SourcedResource[] = [];
  for (const item of items) {
    const id = patientIdOf(item, patientByFullUrl);
    if (id === undefined) {
      shared.push(item);
      continue;
    }
    let group = patients.get(id);
    if (group === undefined) {
      group = { patientId: id, resources: [], synthetic: false, simulated: false };
      patients.set(id, group);
    }
    group.resources.push(item);
    if (item.synthetic) group.synthetic = true;
    if (item.simulated) group.simulated = true;
  }
  return { patients, shared };
}
