/**
 * The `assess` command's readable output: one table per patient, one row per level, with the
 * category, P(malignant) worded exactly as the card words it, the G4 safeguard's verdict and the
 * missing key discriminators (CLINICAL-SPEC sections 3 and 4).
 */
import type { PatientAssessment } from '../cds/level-reports.js';
import { categoryLabel, formatProbability, levelLabel } from '../cds/format.js';
import type { SafeguardVerdict } from '../engine/index.js';
import { textTable } from './text-table.js';

const SAFEGUARD_TEXT: Readonly<Record<SafeguardVerdict['status'], string>> = {
  'not-applicable': 'not applicable',
  applied: 'applied',
  pending: 'pending',
  'not-applied': 'not applied',
};

/** The text block for one patient. */
export function patientTable(
  patientId: string,
  assessed: PatientAssessment,
  synthetic: boolean,
): string {
  const title = `Patient ${patientId}${synthetic ? ' (SYNTHETIC: tagged HTEST)' : ''}`;
  const context: string[] = [];
  if (assessed.patient.cancerHistory.length > 0) {
    context.push(
      `known cancer history (${assessed.patient.cancerHistory.map((c) => c.label).join('; ')})`,
    );
  }
  if (assessed.patient.ignored.length > 0) {
    context.push(`${assessed.patient.ignored.length} resource(s) ignored`);
  }
  const head = `${title}${context.length > 0 ? `\n  ${context.join('; ')}` : ''}\n`;
  if (assessed.reports.length === 0) return `${head}  no vertebral compression fracture findings\n`;
  const rows = [
    ['Level', 'Category', 'P(malignant)', 'G4 safeguard', 'Missing key discriminators'],
    ...assessed.reports.map((r) => {
      const a = r.assessment;
      const preliminary = r.quality.preliminary.length > 0 ? ' (preliminary findings)' : '';
      return [
        levelLabel(r.level),
        categoryLabel(a.category) + preliminary,
        formatProbability(a.probabilityMalignant),
        SAFEGUARD_TEXT[a.safeguard.status],
        a.missingKeyDiscriminators.join(', ') || 'none',
      ];
    }),
  ];
  return (
    head +
    textTable(rows)
      .split('\n')
      .map((l) => (l === '' ? l : `  ${l}`))
      .join('\n')
  );
}

export const ASSESS_FOOTER =
  'Decision support, not a diagnosis: biopsy is the reference standard.\n';
