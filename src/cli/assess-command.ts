/**
 * `vcf-cds assess FILE [--json] [--patient ID]`: every patient's levels in a FHIR Bundle, NDJSON
 * file or directory, assessed exactly as the CDS service assesses them.
 */
import { riskAssessment } from '../present/risk-assessment.js';
import { parseArgs, stringOption } from './args.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './cli-context.js';
import { assessGroup, patientResources, readCohort, type Cohort } from './cohort.js';
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
  const cohort = readCohort(path, ctx);
  try {
    assessCohort(cohort, path, only, args.options['json'] === true, ctx);
  } finally {
    cohort.dispose();
  }
  return 0;
}

/** Indents every line but the first (an entry inside the pretty-printed Bundle). */
const indent = (text: string, pad: string) => text.replace(/\n/g, `\n${pad}`);

/**
 * Assesses patient after patient and writes each one's output as it comes (a table, or a Bundle
 * entry inside a Bundle written piece by piece), so the output never has to fit in memory either.
 */
function assessCohort(
  cohort: Cohort,
  path: string,
  only: string | undefined,
  json: boolean,
  ctx: CliContext,
): void {
  const total = only === undefined ? cohort.patientCount : cohort.hasPatient(only) ? 1 : 0;
  if (total === 0) {
    throw new CliError(
      'ERR_RESOURCE',
      only === undefined
        ? 'no Patient and no resource naming a patient'
        : `no resources for Patient/${only}`,
      { file: path },
    );
  }
  const now = ctx.now();
  const counter = progress(ctx.io, 'assessed patients', total);
  /** --json: the patients whose unused resources no RiskAssessment can carry (no level assessed). */
  const unreported: string[] = [];
  let skippedCount = 0;
  let skippedPatients = 0;
  let done = 0;
  let entries = 0;
  if (json) {
    ctx.io.out(
      `{\n  "resourceType": "Bundle",\n  "type": "collection",\n  "timestamp": ${JSON.stringify(now.toISOString())},\n  "entry": [`,
    );
  }
  for (const group of cohort.patients()) {
    if (only !== undefined && group.patientId !== only) continue;
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
        const entry = JSON.stringify({ fullUrl: `urn:uuid:${id}`, resource }, null, 2);
        ctx.io.out(`${entries++ === 0 ? '' : ','}\n    ${indent(entry, '    ')}`);
      }
      if (assessed.reports.length === 0 && skipped.length > 0) {
        unreported.push(
          `vcf-cds: warning: Patient/${group.patientId}: no level assessed; not used:\n${skipped.map((s) => `  - ${skippedText(s)}\n`).join('')}`,
        );
      }
    } else {
      ctx.io.out(`${patientTable(group.patientId, assessed, group.synthetic, skipped)}\n`);
    }
    counter.tick(++done);
  }
  counter.finish();
  if (json) {
    ctx.io.out(entries === 0 ? ']\n}\n' : '\n  ]\n}\n');
    if (skippedCount > 0) {
      // stdout holds only the Bundle; what was set aside is said on stderr too, not only in notes.
      ctx.io.err(
        `vcf-cds: warning: ${skippedCount} resource(s) of ${skippedPatients} patient(s) not used; each is listed in RiskAssessment.note of its patient's levels\n${unreported.join('')}`,
      );
    }
  } else {
    ctx.io.out(ASSESS_FOOTER);
  }
}
