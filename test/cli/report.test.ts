/** The validation summary's indeterminate rule and the self-contained HTML report. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/index.js';
import { renderReportHtml } from '../../src/cli/report-html.js';
import { renderReportJson, renderReportText } from '../../src/cli/report-text.js';
import type { ValidationReport } from '../../src/cli/validation-report.js';
import { summariseValidation, type ValidationCase } from '../../src/validation/index.js';

// 6 malignant, 4 benign by biopsy; 2 indeterminate (one of each).
const CASES: ValidationCase[] = [
  ['m1', 'malignant', 'malignant-favoured', 0.99],
  ['m2', 'malignant', 'malignant-favoured', 0.95],
  ['m3', 'malignant', 'malignant-favoured', 0.93],
  ['m4', 'malignant', 'indeterminate', 0.6],
  ['m5', 'malignant', 'benign-favoured', 0.08],
  ['m6', 'malignant', 'malignant-favoured', 0.97],
  ['b1', 'benign', 'benign-favoured', 0.02],
  ['b2', 'benign', 'benign-favoured', 0.05],
  ['b3', 'benign', 'indeterminate', 0.4],
  ['b4', 'benign', 'malignant-favoured', 0.91],
].map(([patientId, reference, category, p]) => ({
  patientId: patientId as string,
  level: 'L1',
  reference: reference as ValidationCase['reference'],
  category: category as ValidationCase['category'],
  probabilityMalignant: p as number,
}));

describe('summariseValidation: how indeterminate counts', () => {
  const s = summariseValidation(CASES, 'malignant');
  it('main table: all cases, indeterminate counted as malignant', () => {
    // malignant called malignant: m1, m2, m3, m4 (indeterminate), m6 -> TP 5; m5 -> FN 1;
    // benign called malignant: b3 (indeterminate), b4 -> FP 2; b1, b2 -> TN 2.
    expect(s.indeterminateAsMalignant.table).toEqual({
      positive: 'malignant',
      tp: 5,
      fp: 2,
      fn: 1,
      tn: 2,
    });
  });
  it('second table: definitive calls only, with the indeterminate share beside it', () => {
    expect(s.definitiveOnly.table).toEqual({ positive: 'malignant', tp: 4, fp: 1, fn: 1, tn: 2 });
    expect(s.indeterminate.all).toMatchObject({ numerator: 2, denominator: 10 });
    expect(s.indeterminate.benign).toMatchObject({ numerator: 1, denominator: 4 });
    expect(s.indeterminate.malignant).toMatchObject({ numerator: 1, denominator: 6 });
  });
  it('benign as positive mirrors the table', () => {
    const b = summariseValidation(CASES, 'benign');
    expect(b.indeterminateAsMalignant.table).toEqual({
      positive: 'benign',
      tp: 2,
      fp: 1,
      fn: 2,
      tn: 5,
    });
    expect(b.roc.auc).toBe(s.roc.auc);
  });
});

function report(
  synthetic: boolean,
  patientId = 'p<1>',
  skipped: ValidationReport['skipped'] = [],
  simulated = synthetic,
): ValidationReport {
  const cases = CASES.map((c, i) => ({
    ...c,
    patientId: i === 0 ? patientId : c.patientId,
    synthetic,
    simulated,
  }));
  return {
    source: {
      path: 'cohort/',
      files: 3,
      referenceFrom: ['CSV cohort/reference.csv'],
      patientsInCohort: 10,
      syntheticCases: synthetic ? cases.length : 0,
      simulatedCases: synthetic && simulated ? cases.length : 0,
      generatedAt: '2026-03-01T12:00:00.000Z',
      engineVersion: 'e',
      knowledgeBaseVersion: 'k',
      settings: DEFAULT_ENGINE_SETTINGS,
    },
    summary: summariseValidation(cases, 'malignant'),
    cases,
    excluded: [],
    skipped,
    casesWithConflicts: 0,
    casesWithPreliminary: 0,
    unreferencedPatients: 0,
    patientsWithSeveralCases: 0,
  };
}

describe('HTML report', () => {
  const html = renderReportHtml(report(true));
  it('is self-contained: two inline SVG plots, no script, no external asset', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });
  it('labels a simulated cohort and states the rules', () => {
    expect(html).toContain('SIMULATED COHORT');
    expect(html).toContain('indeterminate result counts as a call for MALIGNANT');
    expect(html).toContain('inter-observer agreement');
    // Table 6 (MRI 0.85) and the Discussion (MRI 0.82) disagree; the note must not hide it.
    expect(html).toContain('gives a different MRI value');
    expect(html).toContain('Positive class: malignant');
    expect(renderReportHtml(report(false))).not.toContain('SIMULATED COHORT');
  });
  it('names vcf-cds simulate only for data carrying its meta.source; other HTEST data is "synthetic/test data"', () => {
    const tagged = report(true, 'p<1>', [], false);
    const page = renderReportHtml(tagged);
    expect(page).toContain('SYNTHETIC/TEST DATA');
    expect(page).toContain('(HTEST tag)');
    expect(page).not.toContain('vcf-cds simulate');
    expect(page).not.toContain('SIMULATED COHORT');
    expect(renderReportText(tagged)).toMatch(/^SYNTHETIC\/TEST DATA \(HTEST tag/);
    expect(renderReportHtml(report(true))).toContain('written by <code>vcf-cds simulate</code>');
    expect(renderReportText(report(true))).toMatch(/^SIMULATED COHORT \(vcf-cds simulate;/);
    const json = JSON.parse(renderReportJson(tagged)) as { source: Record<string, unknown> };
    expect(json.source).toMatchObject({ kind: 'synthetic', simulated: false });
  });
  it('prints the metrics with their intervals', () => {
    // Sensitivity, main table: 5/6 = 83.3%, Wilson 95% CI 43.6% to 97.0%.
    expect(html).toContain('83.3% (5/6; 95% CI 43.6% to 97.0%)');
    expect(html).toMatch(/AUC 0\.\d{3} \(95% CI/);
    expect(html).toContain('Brier score');
  });
  it('the calibration caption says what the dot size means', () => {
    expect(html).toContain(
      'Dot area proportional to the number of cases in the bin (largest: n = ',
    );
    expect(html).not.toContain('dot area by count');
  });
  it('tables the inputs not used: per reason with counts and origins, then every one', () => {
    const wrong = 'the value is not one the engine reads for pedicle';
    const skipped = [
      { patientId: 'm1', ref: 'Observation/a', reason: wrong, origins: ['c.ndjson:3'] },
      { patientId: 'm2', ref: 'Observation/b', reason: wrong, origins: ['c.ndjson:19'] },
      { patientId: 'm2', ref: 'Observation/<c>', reason: 'status cancelled', origins: [] },
    ];
    const page = renderReportHtml(report(false, 'p<1>', skipped));
    expect(page).toContain('3 input resource(s) of 2 assessed patient(s) were NOT USED');
    expect(page).toContain(
      `<tr><td>${wrong}</td><td class="num">2</td><td class="num">2</td><td>c.ndjson:3<br>c.ndjson:19</td></tr>`,
    );
    expect(page).toContain('<td>Observation/&lt;c&gt;</td>');
    expect(renderReportHtml(report(false))).toContain(
      'Every resource of the assessed patients was used.',
    );
    const json = JSON.parse(renderReportJson(report(false, 'p<1>', skipped))) as {
      skippedByReason: { reason: string; count: number; patients: number }[];
    };
    expect(json.skippedByReason[0]).toMatchObject({ reason: wrong, count: 2, patients: 2 });
    expect(renderReportText(report(false, 'p<1>', skipped))).toMatch(
      /not used: 3 input resource\(s\)/,
    );
  });
  it('a kappa and an AUC of 1 print "CI not estimable (boundary)", never "1.000 to 1.000"', () => {
    // Every malignant case malignant-favoured above every benign one benign-favoured.
    const perfect = CASES.filter((c) => c.category !== 'indeterminate').map((c) => ({
      ...c,
      category: (c.reference === 'malignant' ? 'malignant-favoured' : 'benign-favoured') as
        'malignant-favoured' | 'benign-favoured',
      probabilityMalignant: c.reference === 'malignant' ? 0.95 : 0.05,
    }));
    const base = report(false);
    const r: ValidationReport = {
      ...base,
      cases: perfect.map((c) => ({ ...c, synthetic: false, simulated: false })),
      summary: summariseValidation(perfect, 'malignant'),
    };
    const text = renderReportText(r);
    expect(text).toContain("Cohen's kappa vs biopsy  1.000; CI not estimable (boundary)");
    expect(text).toContain(
      'ROC AUC of P(malignant) (DeLong SE, logit-scale 95% CI): 1.000; CI not estimable (boundary)',
    );
    const page = renderReportHtml(r);
    expect(page).toContain('AUC 1.000; CI not estimable (boundary)');
    expect(page).toContain('<td>1.000; CI not estimable (boundary)</td>');
    for (const out of [text, page]) expect(out).not.toMatch(/1\.000 to 1\.000/);
    const json = renderReportJson(r);
    const body = JSON.parse(json) as {
      summary: { roc: Record<string, unknown>; definitiveOnly: { kappa: Record<string, unknown> } };
    };
    expect(body.summary.roc).toMatchObject({ auc: 1, se: 0, noInterval: 'boundary' });
    expect(body.summary.roc['ci']).toBeUndefined();
    expect(body.summary.definitiveOnly.kappa).toMatchObject({ kappa: 1, noInterval: 'boundary' });
    // No null stands in for the missing interval (the ROC's +infinity threshold is the only null).
    const { points: _points, ...rocFields } = body.summary.roc;
    expect(JSON.stringify([rocFields, body.summary.definitiveOnly.kappa])).not.toContain('null');
    // The usual report keeps its intervals.
    expect(renderReportText(report(false))).not.toContain('not estimable');
  });
  it('escapes site data', () => {
    const h = renderReportHtml(report(false, '<img onerror=x>'));
    expect(h).not.toContain('<img');
    expect(h).toContain('&lt;img onerror=x&gt;');
  });
  it('text and JSON renderings carry the same rule and label', () => {
    expect(renderReportText(report(true))).toMatch(/^SIMULATED COHORT/);
    const json = JSON.parse(renderReportJson(report(true))) as {
      source: { kind: string };
      summary: { roc: { points: { threshold: unknown }[] } };
    };
    expect(json.source.kind).toBe('synthetic');
    expect(json.summary.roc.points[0]!.threshold).toBeNull();
  });
});
