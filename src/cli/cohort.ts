/**
 * The resources of a cohort path, grouped per patient and ready to assess, read as a stream: one
 * pass over the files numbers the patients, sets the biopsy reference Observations aside (they
 * must never reach the assessment; only their reference result is kept) and files each resource
 * under its patient (patient-batches.ts); the patients are then handed out one at a time, each
 * with all its resources wherever they were in the input. Memory stays flat with input size: one
 * batch of patients, the resources that name no patient, and an id per patient.
 */
import { statSync } from 'node:fs';
import { assessPatient, type PatientAssessment } from '../app/assess-patient.js';
import { levelFromBodySite } from '../fhir/index.js';
import type { CliContext } from './cli-context.js';
import { patientFullUrls, patientIdOf, type PatientGroup } from './group-by-patient.js';
import { DEFAULT_BATCH_OPTIONS, PatientBatches } from './patient-batches.js';
import { progress } from './progress.js';
import { forEachResourceUnit, listResourceFiles, type SourcedResource } from './read-resources.js';
import {
  isReferenceObservation,
  referenceFromObservation,
  type ReferenceResult,
} from './reference-result.js';

/** A cohort path read and filed per patient; reference results kept apart. */
export interface Cohort {
  readonly files: readonly string[];
  readonly directory: boolean;
  /** Patients in order of first appearance. */
  readonly patientIds: () => Iterable<string>;
  readonly hasPatient: (id: string) => boolean;
  readonly patientCount: number;
  /** Resources that name no patient; given to every patient's assessment. */
  readonly shared: readonly SourcedResource[];
  /** The reference results of the biopsy Observations among the resources. */
  readonly fhirReferences: readonly ReferenceResult[];
  /** Every patient with all its resources, in order of first appearance, one at a time. */
  readonly patients: () => Generator<PatientGroup>;
  /** Removes temporary files; call when done, also after an error. */
  readonly dispose: () => void;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // reading it will name the error
  }
}

/** Reads a file or directory of FHIR resources (see read-resources.ts) in one streaming pass. */
export function readCohort(path: string, ctx: Pick<CliContext, 'io' | 'batches'>): Cohort {
  const { files, directory } = listResourceFiles(path);
  const sizes = files.map(sizeOf);
  const total = sizes.reduce((a, b) => a + b, 0);
  const batches = new PatientBatches(total, ctx.batches ?? DEFAULT_BATCH_OPTIONS);
  const shared: SourcedResource[] = [];
  const fhirReferences: ReferenceResult[] = [];
  const counter = progress(ctx.io, 'read', total, { unit: 'bytes' });
  try {
    let before = 0;
    files.forEach((file, i) => {
      forEachResourceUnit(file, (items, bytesRead) => {
        // A urn:uuid reference resolves inside its own Bundle (FHIR R4 Bundle, "Resolving references").
        const fullUrls = patientFullUrls(items);
        for (const item of items) {
          const patientId = patientIdOf(item, fullUrls);
          if (isReferenceObservation(item.resource)) {
            const r = referenceFromObservation(item, patientId, levelFromBodySite);
            if (r !== undefined) fhirReferences.push(r);
          } else if (patientId === undefined) shared.push(item);
          else batches.add(patientId, item);
        }
        counter.tick(before + bytesRead);
      });
      before += sizes[i]!;
    });
    counter.finish();
  } catch (error) {
    counter.finish();
    batches.dispose();
    throw error;
  }
  return {
    files,
    directory,
    patientIds: () => batches.patientIds,
    hasPatient: (id) => batches.has(id),
    patientCount: batches.size,
    shared,
    fhirReferences,
    *patients() {
      for (const { patientId, items } of batches.patients()) {
        yield {
          patientId,
          resources: [...items],
          synthetic: items.some((i) => i.synthetic),
          simulated: items.some((i) => i.simulated),
        };
      }
    },
    dispose: () => batches.dispose(),
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
