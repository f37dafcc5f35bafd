/**
 * `validate`'s work, without output: assess every referenced patient through the FHIR layer and
 * engine, match each reference to its level, and summarise. A reference naming a patient the
 * cohort lacks, or a patient with several levels and no level given, is an error (a typo must not
 * silently shrink or bias the sample). So is a reference that matches no assessed level (a wrong
 * level in the CSV, or a patient without findings), unless `allowUnmatched`: then such cases are
 * listed as not counted.
 */
import type { PatientAssessment } from '../cds/level-reports.js';
import { ENGINE_VERSION } from '../engine/index.js';
import { KNOWLEDGE_BASE_VERSION } from '../knowledge/index.js';
import { summariseValidation, type Truth, type ValidationCase } from '../validation/index.js';
import { CliError, placeText, type Place } from './cli-error.js';
import type { CliContext } from './cli-context.js';
import { assessGroup, patientResources, readCohort } from './cohort.js';
import { skippedInputs, type PatientSkippedInput } from './data-quality.js';
import { progress } from './progress.js';
import { gatherReferences } from './reference-sources.js';
import type { ExcludedCase, ValidationReport } from './validation-report.js';

/** Runs the validation and builds the report (no output written). */
export function buildValidationReport(
  path: string,
  options: {
    readonly reference?: string;
    readonly positive: Truth;
    /** List references that match no assessed level as not counted, instead of an error. */
    readonly allowUnmatched?: boolean;
  },
  ctx: CliContext,
): ValidationReport {
  const cohort = readCohort(path);
  const { references, from } = gatherReferences(cohort, path, options.reference);

  // Every reference must name a patient the cohort holds: a typo must not silently shrink the sample.
  for (const r of references) {
    if (!cohort.patients.has(r.patientId)) {
      throw new CliError('ERR_REFERENCE', `no resources for this patient in ${path}`, {
        ...r.place,
        resource: r.place.resource ?? `Patient/${r.patientId}`,
      });
    }
  }

  const needed = [...new Set(references.map((r) => r.patientId))];
  const assessed = new Map<string, PatientAssessment>();
  const skipped: PatientSkippedInput[] = [];
  const counter = progress(ctx.io, 'assessed patients', needed.length);
  needed.forEach((id, i) => {
    const group = cohort.patients.get(id)!;
    const a = assessGroup(cohort, group, ctx);
    assessed.set(id, a);
    for (const s of skippedInputs(a, patientResources(cohort, group)))
      skipped.push({ patientId: id, ...s });
    counter.tick(i + 1);
  });
  counter.finish();

  const cases: (ValidationCase & { synthetic: boolean; simulated: boolean })[] = [];
  let casesWithConflicts = 0;
  let casesWithPreliminary = 0;
  const excluded: ExcludedCase[] = [];
  let firstUnmatched: { place: Place; reason: string } | undefined;
  for (const r of references) {
    const a = assessed.get(r.patientId)!;
    const exclude = (reason: string) => {
      firstUnmatched ??= {
        place: { ...r.place, resource: r.place.resource ?? `Patient/${r.patientId}` },
        reason,
      };
      excluded.push({
        patientId: r.patientId,
        ...(r.level !== undefined ? { level: r.level } : {}),
        reference: r.reference,
        reason,
        where: placeText(r.place),
      });
    };
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
      throw new CliError(
        'ERR_REFERENCE',
        `the patient has findings at ${a.reports.length} levels (${a.reports.map((x) => x.level).join(', ')}): say which level the biopsy sampled (CSV column level, or the Observation's bodySite)`,
        { ...r.place, resource: r.place.resource ?? `Patient/${r.patientId}` },
      );
    }
    if (report.quality.conflicts.length > 0) casesWithConflicts++;
    if (report.quality.preliminary.length > 0) casesWithPreliminary++;
    cases.push({
      patientId: r.patientId,
      level: report.level,
      reference: r.reference,
      category: report.assessment.category,
      probabilityMalignant: report.assessment.probabilityMalignant,
      synthetic: cohort.patients.get(r.patientId)!.synthetic,
      simulated: cohort.patients.get(r.patientId)!.simulated,
    });
  }

  // A wrong level must not quietly drop a case (and with it, perhaps, every malignant one).
  if (firstUnmatched !== undefined && options.allowUnmatched !== true) {
    const more = excluded.length > 1 ? ` (${excluded.length} references match no level)` : '';
    throw new CliError(
      'ERR_REFERENCE',
      `${firstUnmatched.reason}${more}: correct the reference, or pass --allow-unmatched to report such cases as not counted`,
      firstUnmatched.place,
    );
  }

  const referenced = new Set(needed);
  const perPatient = new Map<string, number>();
  for (const c of cases) perPatient.set(c.patientId, (perPatient.get(c.patientId) ?? 0) + 1);
  return {
    source: {
      path,
      files: cohort.files.length,
      referenceFrom: from,
      patientsInCohort: cohort.patients.size,
      syntheticCases: cases.filter((c) => c.synthetic).length,
      simulatedCases: cases.filter((c) => c.synthetic && c.simulated).length,
      generatedAt: ctx.now().toISOString(),
      engineVersion: ENGINE_VERSION,
      knowledgeBaseVersion: KNOWLEDGE_BASE_VERSION,
      settings: ctx.engine,
    },
    summary: summariseValidation(cases, options.positive),
    cases,
    excluded,
    skipped,
    casesWithConflicts,
    casesWithPreliminary,
    unreferencedPatients: [...cohort.patients.keys()].filter((id) => !referenced.has(id)).length,
    patientsWithSeveralCases: [...perPatient.values()].filter((n) => n > 1).length,
  };
}
