/**
 * `vcf-cds assess FILE [--json] [--patient ID]`: every patient's levels in a FHIR Bundle, NDJSON
 * file or directory, assessed exactly as the CDS service assesses them.
 */
import { riskAssessment } from '../cds/risk-assessment.js';
import { parseArgs, stringOption } from './args.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './cli-context.js';
import { assessGroup, readCohort } from './cohort.js';
import { ASSESS_FOOTER, patientTable } from './assess-table.js';
import { progress } from './progress.js';
import { SYNTHETIC_TAG } from './synthetic-tag.js';

export const ASSESS_USAGE = `Usage: vcf-cds assess FILE [--json] [--patient ID]

  FILE          a FHIR Bundle (.json), NDJSON of resources (.ndjson), or a directory of them
  --patient ID  only this patient (default: every patient in FILE)
  --json        a FHIR Bundle (collection) of RiskAssessment resources instead of the table
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
  const counter = progress(ctx.io, 'assessed patients', groups.length);
  const tables: string[] = [];
  const entries: Record<string, unknown>[] = [];
  groups.forEach((group, i) => {
    const assessed = assessGroup(cohort, group, ctx);
    if (args.options['json'] === true) {
      for (const report of assessed.reports) {
        const id = ctx.newId();
        const resource = riskAssessment(report, group.patientId, id, now);
        // Output about synthetic input stays labelled synthetic.
        if (group.synthetic) resource['meta'] = { tag: [SYNTHETIC_TAG] };
        entries.push({ fullUrl: `urn:uuid:${id}`, resource });
      }
    } else {
      tables.push(patientTable(group.patientId, assessed, group.synthetic));
    }
    counter.tick(i + 1);
  });
  counter.finish();
  if (args.options['json'] === true) {
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
