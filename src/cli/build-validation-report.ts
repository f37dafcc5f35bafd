/**
 * `validate`'s work, without output: assess every referenced patient through the FHIR layer and
 * engine, match each reference to its level, and summarise. A reference naming a patient the
 * cohort lacks, or a patient with several levels and no level given, is an error (a typo must not
 * silently shrink or bias the sample). So is a reference that matches no assessed level (a wrong
 * level in the CSV, or a patient without findings), unless `allowUnmatched`: then such cases are
 * listed as not counted.
 */
import { ENGINE_VERSION } from '../engine/index.js';
import { KNOWLEDGE_BASE_VERSION } from '../knowledge/index.js';
import { summariseValidation, type Truth, type ValidationCase } from '../validation/index.js';
import { CliError, placeText, type Place } from './cli-error.js';
import type { CliContext } from './cli-context.js';
import { assessGroup, patientResources, readCohort, type Cohort } from './cohort.js';
import { skippedInputs, type PatientSkippedInput } from './data-quality.js';
import { progress } from './progress.js';
import type { ReferenceResult } from './reference-result.js';
import { gatherReferences } from './reference-sources.js';
import type { ExcludedCase, ValidationReport } from './validation-report.js';

export interface ValidationOptions {
  readonly reference?: string;
  readonly positive: Truth;
  /** List references that match no assessed level as not counted, instead of an error. */
  readonly allowUnmatched?: boolean;
}

/** Runs the validation and builds the report (no output written). */
export function buildValidationReport(
  path: string,
  options: ValidationOptions,
  ctx: CliContext,
): ValidationReport {
  const cohort = readCohort(path, ctx);
  try {
    return validateCohort(cohort, path, options, ctx);
  } finally {
    cohort.dispose();
  }
}

type CountedCase = ValidationCase & { synthetic: boolean; simulated: boolean };

/**
 * Streams the cohort's patients once: each referenced patient is assessed, its references matched
 * to its levels, and only the small per-case rows are kept. Cases, exclusions and the first
 * error come out in reference order, as if every patient had been assessed first.
 */
function validateCohort(
  cohort: Cohort,
  path: string,
  options: ValidationOptions,
  ctx: CliContext,
): ValidationReport {
  const { references, from } = gatherReferences(cohort, path, options.reference);

  // Every reference must name a patient the cohort holds: a typo must not silently shrink the sample.
  for (const r of references) {
    if (!cohort.hasPatient(r.patientId)) {
      throw new CliError('ERR_REFERENCE', `no resources for this patient in ${path}`, {
        ...r.place,
        resource: r.place.resource ?? `Patient/${r.patientId}`,
      });
    }
  }

  /** Patient -> its references with their index in reference order. */
  const byPatient = new Map<string, { r: ReferenceResult; index: number }[]>();
  references.forEach((r, index) => {
    const list = byPatient.get(r.patientId);
    if (list === undefined) byPatient.set(r.patientId, [{ r, index }]);
    else list.push({ r, index });
  });
  const needed = [...byPatient.keys()];
  const firstIndex = (id: string) => byPatient.get(id)![0]!.index;

  const skipped: { index: number; items: PatientSkippedInput[] }[] = [];
  const cases: { index: number; row: CountedCase; conflicts: boolean; preliminary: boolean }[] = [];
  const excluded: { index: number; row: ExcludedCase; place: Place }[] = [];
  let severalLevels: { index: number; error: CliError } | undefined;
  const counter = progress(ctx.io, 'assessed patients', needed.length);
  let done = 0;
  for (const group of cohort.patients()) {
    const refs = byPatient.get(group.patientId);
    if (refs === undefined) continue;
    const a = assessGroup(cohort, group, ctx);
    const items = skippedInputs(a, patientResources(cohort, group)).map((s) => ({
      patientId: group.patientId,
      ...s,
    }));
    if (items.length > 0) skipped.push({ index: firstIndex(group.patientId), items });
    for (const { r, index } of refs) {
      const place = { ...r.place, resource: r.place.resource ?? `Patient/${r.patientId}` };
      const exclude = (reason: string) =>
        excluded.push({
          index,
          place,
          row: {
            patientId: r.patientId,
            ...(r.level !== undefined ? { level: r.level } : {}),
            reference: r.reference,
            reason,
            where: placeText(r.place),
          },
        });
      let report;
      if (r.level !== undefined) {
        report = a.reports.find((x) => x.level === r.level);
        if (report === undefined) {
          exclude(
            a.reports.length === 0
              ? 'no vertebral compression fracture findings for this patient'
              : `no findings at ${r.level} (findings at ${a.reports.map((x) => x.level).join(', ')})`,
          );
          continue;
        }
      } else if (a.reports.length === 1) {
        report = a.reports[0]!;
      } else if (a.reports.length === 0) {
        exclude('no vertebral compression fracture findings for this patient');
        continue;
      } else {
        if (severalLevels === undefined || index < severalLevels.index) {
          severalLevels = {
            index,
            error: new CliError(
              'ERR_REFERENCE',
              `the patient has findings at ${a.reports.length} levels (${a.reports.map((x) => x.level).join(', ')}): say which level the biopsy sampled (CSV column level, or the Observation's bodySite)`,
              place,
            ),
          };
        }
        continue;
      }
      cases.push({
        index,
        conflicts: report.quality.conflicts.length > 0,
        preliminary: report.quality.preliminary.length > 0,
        row: {
          patientId: r.patientId,
          level: report.level,
          reference: r.reference,
          category: report.assessment.category,
          probabilityMalignant: report.assessment.probabilityMalignant,
          synthetic: group.synthetic,
          simulated: group.simulated,
        },
      });
    }
    counter.tick(++done);
  }
  counter.finish();

  const byIndex = (x: { index: number }, y: { index: number }) => x.index - y.index;
  cases.sort(byIndex);
  excluded.sort(byIndex);
  skipped.sort(byIndex);
  // Several levels and no level named is an error even with --allow-unmatched (the first one in
  // reference order), as when the references were checked one by one.
  const firstUnmatched = excluded[0];
  if (severalLevels !== undefined) throw severalLevels.error;
  // A wrong level must not quietly drop a case (and with it, perhaps, every malignant one).
  if (firstUnmatched !== undefined && options.allowUnmatched !== true) {
    const more = excluded.length > 1 ? ` (${excluded.length} references match no level)` : '';
    throw new CliError(
      'ERR_REFERENCE',
      `${firstUnmatched.row.reason}${more}: correct the reference, or pass --allow-unmatched to report such cases as not counted`,
      firstUnmatched.place,
    );
  }
  return summarise(
    cohort,
    path,
    from,
    needed,
    cases.map((c) => c.row),
    {
      excluded: excluded.map((e) => e.row),
      skipped: skipped.flatMap((s) => s.items),
      casesWithConflicts: cases.filter((c) => c.conflicts).length,
      casesWithPreliminary: cases.filter((c) => c.preliminary).length,
    },
    options.positive,
    ctx,
  );
}

function summarise(
  cohort: Cohort,
  path: string,
  from: readonly string[],
  needed: readonly string[],
  cases: readonly CountedCase[],
  rest: Pick<
    ValidationReport,
    'excluded' | 'skipped' | 'casesWithConflicts' | 'casesWithPreliminary'
  >,
  positive: Truth,
  ctx: CliContext,
): ValidationReport {
  const referenced = new Set(needed);
  const perPatient = new Map<string, number>();
  for (const c of cases) perPatient.set(c.patientId, (perPatient.get(c.patientId) ?? 0) + 1);
  return {
    source: {
      path,
      files: cohort.files.length,
      referenceFrom: [...from],
      patientsInCohort: cohort.patientCount,
      syntheticCases: cases.filter((c) => c.synthetic).length,
      simulatedCases: cases.filter((c) => c.synthetic && c.simulated).length,
      generatedAt: ctx.now().toISOString(),
      engineVersion: ENGINE_VERSION,
      knowledgeBaseVersion: KNOWLEDGE_BASE_VERSION,
      settings: ctx.engine,
    },
    summary: summariseValidation(cases, positive),
    cases,
    ...rest,
    unreferencedPatients: cohort.patientCount - referenced.size,
    patientsWithSeveralCases: [...perPatient.values()].filter((n) => n > 1).length,
  };
}
