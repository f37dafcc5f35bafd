/**
 * `vcf-cds validate COHORT [--reference FILE.csv] [--positive benign|malignant] [--out FILE.html]
 * [--json] [--allow-unmatched]`: the service's predictions on a site's biopsy-proven cases, against the biopsy.
 */
import type { Truth } from '../validation/index.js';
import { parseArgs, stringOption } from './args.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './cli-context.js';
import { buildValidationReport } from './build-validation-report.js';
import { skippedWarning } from './data-quality.js';
import { writeText } from './files.js';
import { renderReportHtml } from './report-html.js';
import { renderReportJson, renderReportText } from './report-text.js';

export const VALIDATE_USAGE = `Usage: vcf-cds validate COHORT [--reference FILE.csv] [--positive benign|malignant]
                        [--out REPORT.html] [--json] [--allow-unmatched]

  COHORT         a FHIR Bundle (.json), NDJSON (.ndjson), or a directory of them
  --reference F  the biopsy results as CSV: patient_id,reference[,level]
                 (default: COHORT/reference.csv when COHORT is a directory; biopsy
                 Observations among the resources are read in any case)
  --positive C   the positive class of the 2x2 tables (default malignant; the paper
                 counts benign as positive)
  --out F        also write a self-contained HTML report (ROC and calibration plots)
  --json         the results as JSON on standard output instead of text
  --allow-unmatched
                 a reference whose level has no findings (or whose patient has none) is
                 listed as not counted; without it, it is an error naming file and line
`;

/** --positive, default malignant. */
function positiveOption(raw: string | undefined): Truth {
  if (raw === undefined) return 'malignant';
  if (raw === 'benign' || raw === 'malignant') return raw;
  throw new CliError(
    'ERR_USAGE',
    `--positive must be benign or malignant, not ${JSON.stringify(raw)}`,
  );
}

/**
 * Runs `validate`: text (or JSON) summary on stdout, the HTML report with --out. The positive
 * class defaults to MALIGNANT: the service's output is P(malignant) and the error that matters is
 * a missed malignancy; `--positive benign` gives the paper's convention (Table 6).
 */
export function validateCommand(argv: readonly string[], ctx: CliContext): number {
  const args = parseArgs(argv, {
    values: ['reference', 'positive', 'out'],
    switches: ['json', 'allow-unmatched'],
  });
  if (args.positional.length !== 1) {
    throw new CliError('ERR_USAGE', `validate needs exactly one COHORT\n\n${VALIDATE_USAGE}`);
  }
  const reference = stringOption(args, 'reference');
  const report = buildValidationReport(
    args.positional[0]!,
    {
      positive: positiveOption(stringOption(args, 'positive')),
      allowUnmatched: args.options['allow-unmatched'] === true,
      ...(reference !== undefined ? { reference } : {}),
    },
    ctx,
  );
  if (report.cases.length === 0) {
    throw new CliError(
      'ERR_REFERENCE',
      'no case could be assessed (every reference was listed as not counted)',
      {
        file: args.positional[0]!,
      },
    );
  }
  ctx.io.err(skippedWarning(report.skipped));
  if (report.excluded.length > 0) {
    ctx.io.err(
      `vcf-cds: warning: ${report.excluded.length} case(s) not counted (no findings at the biopsied level); listed in the report.\n`,
    );
  }
  const out = stringOption(args, 'out');
  if (out !== undefined) {
    writeText(out, renderReportHtml(report));
  }
  ctx.io.out(args.options['json'] === true ? renderReportJson(report) : renderReportText(report));
  if (out !== undefined) ctx.io.err(`vcf-cds: report written to ${out}\n`);
  return 0;
}
