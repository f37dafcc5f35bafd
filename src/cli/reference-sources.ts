/**
 * Where `validate` finds the reference (biopsy) results: a CSV file (given, or reference.csv in
 * the cohort directory) and/or biopsy Observations among the resources; merged, and refused when
 * there are none (see reference-result.ts for both formats).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error.js';
import type { Cohort } from './cohort.js';
import { readText } from './files.js';
import {
  BIOPSY_REFERENCE_CODE,
  mergeReferences,
  parseReferenceCsv,
  type ReferenceResult,
} from './reference-result.js';

/** Every reference result for the cohort at `path`, and a description of where they came from. */
export function gatherReferences(
  cohort: Cohort,
  path: string,
  csvOption: string | undefined,
): { references: ReferenceResult[]; from: string[] } {
  const from: string[] = [];
  const all: ReferenceResult[] = [];
  const csv =
    csvOption ??
    (cohort.directory && existsSync(join(path, 'reference.csv'))
      ? join(path, 'reference.csv')
      : undefined);
  if (csv !== undefined) {
    all.push(...parseReferenceCsv(readText(csv), csv));
    from.push(`CSV ${csv}`);
  }
  const fromFhir = cohort.fhirReferences;
  if (fromFhir.length > 0) {
    all.push(...fromFhir);
    from.push(
      `${fromFhir.length} FHIR biopsy Observations (${BIOPSY_REFERENCE_CODE.system}|${BIOPSY_REFERENCE_CODE.code})`,
    );
  }
  if (all.length === 0) {
    throw new CliError(
      'ERR_REFERENCE',
      `no reference results: give --reference FILE.csv, put reference.csv in the cohort directory, or include biopsy Observations (${BIOPSY_REFERENCE_CODE.system}|${BIOPSY_REFERENCE_CODE.code})`,
      { file: path },
    );
  }
  return { references: mergeReferences(all), from };
}
