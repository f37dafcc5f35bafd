/**
 * The validation report as ONE self-contained HTML file: inline CSS, the ROC curve and the
 * calibration plot as inline SVG, no script and no external asset, so it opens offline and can
 * be archived or mailed as it is. Every piece of site data is escaped.
 */
import { COHORT, PUBLISHED_DIAGNOSTIC_EFFICACY, SOURCES } from '../knowledge/index.js';
import type { DiagnosticMetrics, TableMetrics, TwoByTwo } from '../validation/index.js';
import { CATEGORIES, otherClass } from '../validation/index.js';
import { formatProbability } from '../present/format.js';
import { skippedByReason } from './data-quality.js';
import { coefficientText, estimateText, percent, proportionText } from './format-stats.js';
import { escapeHtml as h } from './html-escape.js';
import { calibrationSvg, rocSvg } from './svg-plots.js';
import {
  BOUNDARY_NOTE,
  INDETERMINATE_RULE,
  isSimulatedCohort,
  KAPPA_NOTE,
  sourceKind,
  type ValidationReport,
} from './validation-report.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.banner{padding:.8em 1em;border-radius:4px;margin:1em 0;font-weight:600}
.simulated{background:#fff3cd;border:2px solid #c99a00}.mixed{background:#fde2e1;border:2px solid #b3261e}
.site{background:#e7f1fb;border:1px solid #1f5fa8}
.plots{display:flex;flex-wrap:wrap;gap:2em}.plots figure{margin:0}figcaption{font-size:.9em;color:#555;max-width:360px}
.note{color:#555;font-size:.92em}code{background:#f4f4f4;padding:0 .2em}
`;

function table(
  head: readonly string[] | undefined,
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const cell = (tag: string, v: string, i: number) =>
    `<${tag}${numeric.includes(i) && tag === 'td' ? ' class="num"' : ''}>${v}</${tag}>`;
  return (
    '<table>' +
    (head === undefined
      ? ''
      : `<thead><tr>${head.map((c, i) => cell('th', c, i)).join('')}</tr></thead>`) +
    '<tbody>' +
    rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('') +
    '</tbody></table>'
  );
}

function banner(report: ValidationReport): string {
  const kind = sourceKind(report);
  if (kind === 'synthetic' && isSimulatedCohort(report)) {
    return (
      '<div class="banner simulated">SIMULATED COHORT: every case is synthetic (tagged HTEST) and ' +
      "written by <code>vcf-cds simulate</code> (its meta.source). Its signs are drawn independently from the paper's own counts, " +
      'exactly as the engine assumes, so these results flatter the engine and are NOT evidence of ' +
      'accuracy on real patients.</div>'
    );
  }
  if (kind === 'synthetic') {
    return (
      '<div class="banner simulated">SYNTHETIC/TEST DATA: every case is tagged as synthetic/test data ' +
      '(HTEST tag). These are not real patients, so these results are NOT evidence of accuracy on ' +
      'real patients.</div>'
    );
  }
  if (kind === 'mixed') {
    return `<div class="banner mixed">MIXED DATA: ${report.source.syntheticCases} of ${report.cases.length} cases are synthetic (tagged HTEST). Do not read these results as a site validation.</div>`;
  }
  return '<div class="banner site">Site data: no case is tagged as synthetic.</div>';
}

function sourceSection(report: ValidationReport): string {
  const s = report.source;
  const e = s.settings;
  const rows: [string, string][] = [
    [
      'Data',
      sourceKind(report) === 'site'
        ? 'site cases (not tagged synthetic)'
        : `${s.syntheticCases} synthetic case(s) (HTEST)`,
    ],
    ['Cohort path', `<code>${h(s.path)}</code> (${s.files} file${s.files === 1 ? '' : 's'})`],
    ['Reference standard', s.referenceFrom.map(h).join('<br>')],
    ['Patients in the cohort', String(s.patientsInCohort)],
    [
      'Cases counted',
      `${report.cases.length} (${report.summary.references.malignant} malignant, ${report.summary.references.benign} benign by biopsy)`,
    ],
    [
      'Not counted',
      `${report.excluded.length} referenced case(s) without findings at the biopsied level; ${report.unreferencedPatients} patient(s) without a reference result`,
    ],
    ['Inputs not used', `${report.skipped.length} resource(s) (see Data quality)`],
    ['Generated', h(s.generatedAt)],
    ['Engine / knowledge base', `${h(s.engineVersion)} / ${h(s.knowledgeBaseVersion)}`],
    [
      'Settings',
      `pre-test P(malignant) ${e.pretestProbability.toFixed(3)} (known cancer history ${e.cancerHistoryPretestProbability.toFixed(2)}); ` +
        `malignant-favoured at &ge; ${e.malignantThreshold}, benign-favoured at &le; ${e.benignThreshold}; ` +
        `DWI ${e.useDwi ? 'used' : 'not used'}; ADC cut-off ${e.adc.cutoff} x10<sup>-3</sup> mm<sup>2</sup>/s (${h(String(e.adc.source))})`,
    ],
  ];
  return `<h2>Data source</h2>${table(
    undefined,
    rows.map(([k, v]) => [h(k), v]),
  )}`;
}

/** What the FHIR layer set aside or flagged among the assessed patients' data. */
function dataQualitySection(report: ValidationReport): string {
  const flagged =
    `<p>${report.casesWithConflicts} counted case(s) had conflicting findings for a sign (the latest was kept); ` +
    `${report.casesWithPreliminary} rest in part on preliminary findings.</p>`;
  if (report.skipped.length === 0) {
    return `<h2>Data quality</h2><p>Every resource of the assessed patients was used.</p>${flagged}`;
  }
  const patients = new Set(report.skipped.map((s) => s.patientId)).size;
  const byReason = skippedByReason(report.skipped).map((r) => [
    h(r.reason),
    String(r.count),
    String(r.patients),
    r.examples.map(h).join('<br>'),
  ]);
  const all = report.skipped.map((s) => [
    h(s.patientId),
    h(s.ref),
    s.origins.length > 0 ? s.origins.map(h).join('<br>') : '-',
    h(s.reason),
  ]);
  return (
    '<h2>Data quality</h2>' +
    `<div class="banner mixed">${report.skipped.length} input resource(s) of ${patients} assessed patient(s) were NOT USED: their signs did not count, so the results below are those of the data that could be read. A reason shared by many patients usually means a coding problem at the site.</div>` +
    table(['Reason not used', 'Resources', 'Patients', 'First read at'], byReason, [1, 2]) +
    `<details><summary>All ${report.skipped.length} resources not used</summary>${table(['Patient', 'Resource', 'Read at', 'Reason'], all)}</details>` +
    flagged
  );
}

function readingSection(report: ValidationReport): string {
  const p = report.summary.positive;
  const several =
    report.patientsWithSeveralCases > 0
      ? `<li>${report.patientsWithSeveralCases} patient(s) contribute more than one level; the intervals assume independent cases and are too narrow for them.</li>`
      : '';
  return (
    '<h2>How to read this report</h2><ul>' +
    `<li><b>Positive class: ${p}</b> (sensitivity = ${p} cases called ${p}; the paper's ${PUBLISHED_DIAGNOSTIC_EFFICACY.table} counts ${PUBLISHED_DIAGNOSTIC_EFFICACY.positiveClass} as positive; <code>--positive</code> changes it).</li>` +
    `<li><b>Indeterminate results.</b> ${h(INDETERMINATE_RULE)}</li>` +
    '<li>Proportions carry a 95% Wilson score interval. ROC AUC uses the unrounded P(malignant) of every case, with a 95% interval from the DeLong standard error on the logit scale (it stays inside 0-1); it does not depend on the positive class.</li>' +
    `<li>${h(KAPPA_NOTE)}</li>` +
    `<li>${h(BOUNDARY_NOTE)}</li>` +
    '<li>Calibration bins are fixed tenths of P(malignant) ([0, 0.1), ..., [0.9, 1]): a naive Bayes product pushes most probabilities to the extremes, and tenths put the default category thresholds on bin edges.</li>' +
    several +
    '</ul>'
  );
}

function categorySection(report: ValidationReport): string {
  const s = report.summary;
  const rows = CATEGORIES.map((c) => [
    h(c),
    String(s.byCategory[c].benign),
    String(s.byCategory[c].malignant),
    String(s.byCategory[c].benign + s.byCategory[c].malignant),
  ]);
  rows.push([
    '<b>total</b>',
    String(s.references.benign),
    String(s.references.malignant),
    String(s.n),
  ]);
  return (
    '<h2>Results by category</h2>' +
    table(['Service category', 'Benign (biopsy)', 'Malignant (biopsy)', 'Total'], rows, [1, 2, 3]) +
    table(
      ['Share indeterminate', ''],
      [
        ['all cases', proportionText(s.indeterminate.all)],
        ['benign by biopsy', proportionText(s.indeterminate.benign)],
        ['malignant by biopsy', proportionText(s.indeterminate.malignant)],
      ],
    )
  );
}

function twoByTwoTable(t: TwoByTwo, caption: string): string {
  const pos = t.positive;
  const neg = otherClass(pos);
  return (
    `<p class="note">${h(caption)}</p>` +
    table(
      ['', `${pos} by biopsy`, `${neg} by biopsy`],
      [
        [`called ${pos}`, `TP ${t.tp}`, `FP ${t.fp}`],
        [`called ${neg}`, `FN ${t.fn}`, `TN ${t.tn}`],
      ],
      [1, 2],
    )
  );
}

const METRIC_ROWS: readonly [keyof DiagnosticMetrics, string][] = [
  ['accuracy', 'Accuracy'],
  ['sensitivity', 'Sensitivity'],
  ['specificity', 'Specificity'],
  ['ppv', 'PPV'],
  ['npv', 'NPV'],
];

function metricsSection(report: ValidationReport): string {
  const a: TableMetrics = report.summary.indeterminateAsMalignant;
  const d: TableMetrics = report.summary.definitiveOnly;
  const rows = METRIC_ROWS.map(([k, label]) => [
    label,
    proportionText(a.metrics[k]),
    proportionText(d.metrics[k]),
  ]);
  rows.push([
    "Cohen's kappa vs biopsy",
    estimateText(a.kappa?.kappa, a.kappa?.ci, a.kappa?.noInterval),
    estimateText(d.kappa?.kappa, d.kappa?.ci, d.kappa?.noInterval),
  ]);
  return (
    `<h2>Diagnostic metrics (positive class: ${report.summary.positive})</h2>` +
    table(
      ['Metric', 'All cases, indeterminate counted as malignant', 'Definitive calls only'],
      rows,
    ) +
    twoByTwoTable(a.table, 'All cases, indeterminate counted as malignant:') +
    twoByTwoTable(d.table, 'Definitive calls only:')
  );
}

function plotsSection(report: ValidationReport): string {
  const s = report.summary;
  const auc = `AUC ${estimateText(s.roc.auc, s.roc.ci, s.roc.noInterval)}`;
  const calRows = s.calibration.bins.map((b) => [
    `[${b.lower.toFixed(1)}, ${b.upper.toFixed(1)}${b.closedAbove ? ']' : ')'}`,
    String(b.n),
    b.meanPredicted === undefined ? '-' : percent(b.meanPredicted),
    proportionText(b.observed),
  ]);
  const c = s.calibration;
  return (
    '<h2>Discrimination and calibration</h2><div class="plots">' +
    `<figure>${rocSvg(s.roc.points, `ROC curve of P(malignant): ${auc}`)}<figcaption>ROC curve of P(malignant) for malignancy by biopsy (${s.roc.nEvents} malignant, ${s.roc.nNonEvents} benign). ${h(auc)} (DeLong SE, logit-scale interval). Dashed: chance.</figcaption></figure>` +
    `<figure>${calibrationSvg(c.bins, 'Calibration of P(malignant)')}<figcaption>Observed proportion malignant against mean predicted P(malignant) per tenth. Dot area proportional to the number of cases in the bin (largest: n = ${Math.max(0, ...c.bins.map((b) => b.n))}; bins of very few cases drawn at a minimum size); bars: 95% Wilson interval. Dashed: perfect calibration.</figcaption></figure>` +
    '</div>' +
    table(['P(malignant) bin', 'n', 'Mean predicted', 'Observed malignant'], calRows, [1, 2]) +
    `<p>Brier score ${coefficientText(c.brier)}; mean predicted P(malignant) ${c.meanPredicted === undefined ? 'n/a' : percent(c.meanPredicted)} vs observed proportion malignant ${c.observedRate === undefined ? 'n/a' : percent(c.observedRate)} (calibration-in-the-large). The pre-test probability setting drives this: a site whose case mix differs from the study's should expect a shift.</p>`
  );
}

function caseRows(
  cases: ValidationReport['cases'],
  settings: ValidationReport['source']['settings'],
): string[][] {
  // The thresholds in force: a displayed P never appears to cross one (0.8988 is not "90%").
  const thresholds = { malignant: settings.malignantThreshold, benign: settings.benignThreshold };
  return cases.map((c) => [
    h(c.patientId),
    h(c.level),
    c.reference,
    h(c.category),
    formatProbability(c.probabilityMalignant, thresholds),
  ]);
}

function casesSection(report: ValidationReport): string {
  const head = ['Patient', 'Level', 'Biopsy', 'Service category', 'P(malignant)'];
  const missed = report.cases.filter(
    (c) => c.reference === 'malignant' && c.category === 'benign-favoured',
  );
  const overcalled = report.cases.filter(
    (c) => c.reference === 'benign' && c.category === 'malignant-favoured',
  );
  const excluded = report.excluded.map((x) => [
    h(x.patientId),
    h(x.level ?? '(any)'),
    x.reference,
    h(x.reason),
    h(x.where),
  ]);
  return (
    '<h2>Discordant definitive calls</h2>' +
    `<p>Malignant by biopsy but benign-favoured (the harmful error): <b>${missed.length}</b>.</p>` +
    (missed.length > 0 ? table(head, caseRows(missed, report.source.settings)) : '') +
    `<p>Benign by biopsy but malignant-favoured: <b>${overcalled.length}</b>.</p>` +
    (overcalled.length > 0 ? table(head, caseRows(overcalled, report.source.settings)) : '') +
    (excluded.length > 0
      ? `<h2>Not counted</h2>${table(['Patient', 'Level', 'Biopsy', 'Reason', 'Reference read at'], excluded)}`
      : '') +
    `<details><summary>All ${report.cases.length} cases</summary>${table(head, caseRows(report.cases, report.source.settings))}</details>`
  );
}

export function renderReportHtml(report: ValidationReport): string {
  const kind = sourceKind(report);
  const label = isSimulatedCohort(report) ? 'SIMULATED COHORT' : 'SYNTHETIC/TEST DATA';
  const title = `vcf-cds validation report${kind === 'synthetic' ? ` (${label})` : ''}`;
  const paper = SOURCES.zhao2026;
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${h(title)}</title><style>${CSS}</style></head><body>` +
    `<h1>${h(title)}</h1>` +
    `<p class="note">The CDS service's predictions (category and P(malignant), from the same FHIR layer and engine) against each case's biopsy result. Model: ${h(paper.label)}, doi:${h(paper.doi)}.</p>` +
    banner(report) +
    sourceSection(report) +
    dataQualitySection(report) +
    readingSection(report) +
    categorySection(report) +
    metricsSection(report) +
    plotsSection(report) +
    casesSection(report) +
    '<h2>Caveats</h2><ul>' +
    '<li>Decision support, not a diagnosis: biopsy is the reference standard.</li>' +
    `<li>The model rests on one single-centre study (${h(paper.label)}, ${COHORT.benign + COHORT.malignant} biopsy-proven patients) and multiplies likelihood ratios as if the signs were independent, which overstates certainty.</li>` +
    '<li>The intervals describe sampling error in this cohort only; they say nothing about a different case mix or protocol.</li>' +
    '<li>How the assessment works, with every rule, number and source: <code>docs/clinical-logic.md</code> in the vcf-cds package, also served by the service at <code>/method</code>.</li>' +
    '</ul></body></html>\n'
  );
}
