/**
 * `vcf-cds assess FILE [--json] [--patient ID]`: every patient's levels in a FHIR Bundle, NDJSON
 * file or directory, assessed exactly as the CDS service assesses them.
 */
import { riskAssessment } from '../cds/risk-assessment.js';
import { parseArgs, stringOption } from './args.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './cli-context.js';
import { assessGroup, patientResources, readCohort } from './cohort.js';
import { levelNotes, skippedInputs, skippedText } from './data-quality.js';
import { ASSESS_FOOTER, patientTable } from './assess-table.js';
import { progress } from './progress.js';
import { SYNTHETIC_TAG } from './synthetic-tag.js';

export const ASSESS_USAGE = `Usage: vcf-cds assess FILE [--json] [--patient ID]

  FILE          a FHIR Bundle (.json), NDJSON of resources (.ndjson), or a directory of them
  --patient ID  only this patient (default: every patient in FILE)
  --json        a FHIR Bundle (collection) of RiskAssessment resources instead of the table

Every resource not used (with its reason and where it was read) and every conflicting or
preliminary finding is listed under its patient (--json: in RiskAssessment.note).
`;

/** Runs `assess`; returns the exit code (errors are thrown as CliError). */
export function assessCommand(argv: readonly string[], ctx: CliContext): number {
  const args = parseArgs(argv, { values: ['patient'], switches: ['json'] });
  if (args.positional.length !== 1) {
    throw new CliError('ERR_USAGE', `assess needs exactly one FILE\n\n${ASSESS_USAGE}`);
  }
  const path = args.positional[0]!;
  const only = stringOption(args, 'patient');
  const cohort = readCohort(path);
  const groups = [...cohort.patients.values()].filter(
    (g) => only === undefined || g.patientId === only,
  );
  if (groups.length === 0) {
    throw new CliError(
      'ERR_RESOURCE',
      only === undefined
        ? 'no Patient and no resource naming a patient'
        : `no resources for Patient/${only}`,
      { file: path },
    );
  }
  const now = ctx.now();
  const json = args.options['json'] === true;
  const counter = progress(ctx.io, 'assessed patients', groups.length);
  const tables: string[] = [];
  const entries: Record<string, unknown>[] = [];
  /** --json: the patients whose unused resources no RiskAssessment can carry (no level assessed). */
  const unreported: string[] = [];
  let skippedCount = 0;
  let skippedPatients = 0;
  groups.forEach((group, i) => {
    const assessed = assessGroup(cohort, group, ctx);
    const skipped = skippedInputs(assessed, patientResources(cohort, group));
    if (skipped.length > 0) {
      skippedCount += skipped.length;
      skippedPatients++;
    }
    if (json) {
      // FHIR Annotations: the level's own notes, then what the patient's data lacked.
      const shared = [
        ...assessed.patient.notes,
        ...skipped.map((s) => `Not used: ${skippedText(s)}`),
      ];
      for (const report of assessed.reports) {
        const id = ctx.newId();
        const resource = riskAssessment(report, group.patientId, id, now, assessed.patient);
        const notes = [...levelNotes(report), ...shared].map((text) => ({ text }));
        resource['note'] = [...(resource['note'] as unknown[]), ...notes];
        // Output about synthetic input stays labelled synthetic.
        if (group.synthetic) resource['meta'] = { tag: [SYNTHETIC_TAG] };
        entries.push({ fullUrl: `urn:uuid:${id}`, resource });
      }
      if (assessed.reports.length === 0 && skipped.length > 0) {
        unreported.push(
          `vcf-cds: warning: Patient/${group.patientId}: no level assessed; not used:\n${skipped.map((s) => `  - ${skippedText(s)}\n`).join('')}`,
        );
      }
    } else {
      tables.push(patientTable(group.patientId, assessed, group.synthetic, skipped));
    }
    counter.tick(i + 1);
  });
  counter.finish();
  if (json && skippedCount > 0) {
    // stdout holds only the Bundle; what was set aside is said on stderr too, not only in notes.
    ctx.io.err(
      `vcf-cds: warning: ${skippedCount} resource(s) of ${skippedPatients} patient(s) not used; each is listed in RiskAssessment.note of its patient's levels\n${unreported.join('')}`,
    );
  }
  if (json) {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: now.toISOString(),
      entry: entries,
    };
    ctx.io.out(`${JSON.stringify(bundle, null, 2)}\n`);
  } else {
    ctx.io.out(`${tables.join('\n')}\n${ASSESS_FOOTER}`);
  }
  return 0;
}
