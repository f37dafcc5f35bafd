/**
 * The resources of a cohort path, grouped per patient and ready to assess: reads the files,
 * sets the biopsy reference Observations aside (they must never reach the assessment), and runs
 * each patient through the same FHIR layer and engine the CDS service uses.
 */
import { assessPatient, type PatientAssessment } from '../cds/level-reports.js';
import type { CliContext } from './cli-context.js';
import {
  groupByPatient,
  patientFullUrls,
  patientIdOf,
  type PatientGroup,
} from './group-by-patient.js';
import { listResourceFiles, readResourceFile, type SourcedResource } from './read-resources.js';
import { isReferenceObservation } from './reference-result.js';

/** A cohort path read and grouped; reference Observations kept apart. */
export interface Cohort {
  readonly files: readonly string[];
  readonly directory: boolean;
  readonly patients: ReadonlyMap<string, PatientGroup>;
  readonly shared: readonly SourcedResource[];
  /** Biopsy reference Observations found among the resources, with their patient. */
  readonly referenceObservations: readonly {
    readonly item: SourcedResource;
    readonly patientId: string | undefined;
  }[];
}

/** Reads a file or directory of FHIR resources (see read-resources.ts). */
export function readCohort(path: string): Cohort {
  const { files, directory } = listResourceFiles(path);
  const items = files.flatMap((f) => readResourceFile(f));
  const findings: SourcedResource[] = [];
  const references: SourcedResource[] = [];
  for (const item of items)
    (isReferenceObservation(item.resource) ? references : findings).push(item);
  const patientByFullUrl = patientFullUrls(items);
  const { patients, shared } = groupByPatient(findings, patientByFullUrl);
  const referenceObservations = references.map((item) => ({
    item,
    patientId: patientIdOf(item, patientByFullUrl),
  }));
  return {
    files,
    directory,
    patients,
    shared,
    referenceObservations,
  };
}

/**
 * The resources of one patient as the FHIR layer reads a search result: one collection Bundle
 * whose entries keep the fullUrls they had in their files, so a `urn:uuid:` subject still names
 * the patient (without them the FHIR layer would set every such finding aside as another
 * patient's).
 */
function asCollection(items: readonly SourcedResource[]): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: items.map((s) =>
      s.origin.fullUrl !== undefined
        ? { fullUrl: s.origin.fullUrl, resource: s.resource }
        : { resource: s.resource },
    ),
  };
}

/** What one patient's assessment reads: its own resources and those that name no patient. */
export function patientResources(cohort: Cohort, group: PatientGroup): SourcedResource[] {
  return [...group.resources, ...cohort.shared];
}

/** One patient through the FHIR layer and the engine, exactly as the CDS service does it. */
export function assessGroup(
  cohort: Cohort,
  group: PatientGroup,
  ctx: CliContext,
): PatientAssessment {
  const items = [asCollection(patientResources(cohort, group))];
  return assessPatient(group.patientId, items, {
    engine: ctx.engine,
    cancerSnomedCodes: ctx.cancerSnomedCodes,
    ...(ctx.adcMinimum !== undefined ? { adcMinimum: ctx.adcMinimum } : {}),
    now: ctx.now,
  });
}
