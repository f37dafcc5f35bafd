/** The `validate` command's standard output: a plain-text summary, or the report as JSON. */
import type { TableMetrics } from '../validation/index.js';
import { skippedByReason } from './data-quality.js';
import { coefficientText, estimateText, percent, proportionText } from './format-stats.js';
import { textTable } from './text-table.js';
import {
  BOUNDARY_NOTE,
  hasBoundaryEstimate,
  INDETERMINATE_RULE,
  isSimulatedCohort,
  KAPPA_NOTE,
  sourceKind,
  type ValidationReport,
} from './validation-report.js';

const METRIC_LABELS = [
  ['accuracy', 'accuracy'],
  ['sensitivity', 'sensitivity'],
  ['specificity', 'specificity'],
  ['ppv', 'PPV'],
  ['npv', 'NPV'],
] as const;
const KAPPA_LABEL = "Cohen's kappa vs biopsy";
const LABEL_WIDTH = KAPPA_LABEL.length;

function metricsLines(title: string, t: TableMetrics): string[] {
  const m = t.metrics;
  return [
    title,
    ...METRIC_LABELS.map(([k, label]) => `  ${label.padEnd(LABEL_WIDTH)}  ${proportionText(m[k])}`),
    `  ${KAPPA_LABEL}  ${estimateText(t.kappa?.kappa, t.kappa?.ci, t.kappa?.noInterval)}`,
  ];
}

export function renderReportText(report: ValidationReport): string {
  const s = report.summary;
  const kind = sourceKind(report);
  const lines: string[] = [];
  if (kind === 'synthetic') {
    lines.push(
      isSimulatedCohort(report)
        ? 'SIMULATED COHORT (vcf-cds simulate; synthetic data tagged HTEST): not evidence of real-world accuracy.'
        : 'SYNTHETIC/TEST DATA (HTEST tag on every case): not evidence of real-world accuracy.',
      '',
    );
  } else if (kind === 'mixed') {
    lines.push(
      `WARNING: ${report.source.syntheticCases} of ${report.cases.length} cases are synthetic (tagged HTEST).`,
      '',
    );
  }
  lines.push(
    `vcf-cds validation: ${s.n} cases (${s.references.malignant} malignant, ${s.references.benign} benign by biopsy) from ${report.source.path}`,
    `reference: ${report.source.referenceFrom.join('; ')}`,
    `positive class: ${s.positive}`,
    '',
    textTable([
      ['category', 'benign (biopsy)', 'malignant (biopsy)'],
      ...(['benign-favoured', 'indeterminate', 'malignant-favoured'] as const).map((c) => [
        c,
        String(s.byCategory[c].benign),
        String(s.byCategory[c].malignant),
      ]),
    ]).trimEnd(),
    '',
    `indeterminate: ${proportionText(s.indeterminate.all)}; among benign ${proportionText(s.indeterminate.benign)}; among malignant ${proportionText(s.indeterminate.malignant)}`,
    '',
    ...metricsLines('All cases, indeterminate counted as malignant:', s.indeterminateAsMalignant),
    ...metricsLines('Definitive calls only:', s.definitiveOnly),
    '',
    `ROC AUC of P(malignant) (DeLong SE, logit-scale 95% CI): ${estimateText(s.roc.auc, s.roc.ci, s.roc.noInterval)}`,
    `calibration: Brier score ${coefficientText(s.calibration.brier)}; mean P(malignant) ${s.calibration.meanPredicted === undefined ? 'n/a' : percent(s.calibration.meanPredicted)} vs observed ${s.calibration.observedRate === undefined ? 'n/a' : percent(s.calibration.observedRate)}`,
  );
  if (report.excluded.length > 0)
    lines.push(
      `not counted: ${report.excluded.length} case(s) (no findings at the biopsied level)`,
    );
  if (report.skipped.length > 0)
    lines.push(
      `not used: ${report.skipped.length} input resource(s) of the assessed patients (by reason on standard error and in the HTML report)`,
    );
  if (report.casesWithConflicts > 0 || report.casesWithPreliminary > 0)
    lines.push(
      `data quality: ${report.casesWithConflicts} counted case(s) with conflicting findings (the latest kept), ${report.casesWithPreliminary} resting on preliminary findings`,
    );
  if (report.unreferencedPatients > 0)
    lines.push(
      `${report.unreferencedPatients} patient(s) in the cohort have no reference result and were not counted`,
    );
  lines.push('', INDETERMINATE_RULE, KAPPA_NOTE);
  if (hasBoundaryEstimate(s)) lines.push(BOUNDARY_NOTE);
  lines.push('');
  return lines.join('\n');
}

/** The whole report as JSON (ROC thresholds of +infinity written as null). */
export function renderReportJson(report: ValidationReport): string {
  const body = {
    source: { ...report.source, kind: sourceKind(report), simulated: isSimulatedCohort(report) },
    rules: { indeterminate: INDETERMINATE_RULE, kappa: KAPPA_NOTE },
    summary: report.summary,
    excluded: report.excluded,
    skippedInputs: report.skipped,
    skippedByReason: skippedByReason(report.skipped),
    casesWithConflicts: report.casesWithConflicts,
    casesWithPreliminary: report.casesWithPreliminary,
    unreferencedPatients: report.unreferencedPatients,
    patientsWithSeveralCases: report.patientsWithSeveralCases,
    cases: report.cases,
  };
  return `${JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
