/**
 * The `assess` command's readable output: one table per patient, one row per level, with the
 * category, P(malignant) worded exactly as the card words it, the G4 safeguard's verdict and the
 * missing key discriminators (docs/clinical-logic.md sections 3 and 4), followed by the data-quality
 * notes and every resource not used, with its reason and where it was read.
 */
import type { PatientAssessment } from '../app/assess-patient.js';
import { summaryWords } from '../present/card-reasons.js';
import { categoryLabel, formatProbability, levelLabel } from '../present/format.js';
import type { SafeguardVerdict } from '../engine/index.js';
import { patientNotes, skippedText, type SkippedInput } from './data-quality.js';
import { textTable } from './text-table.js';

const SAFEGUARD_TEXT: Readonly<Record<SafeguardVerdict['status'], string>> = {
  'not-applicable': 'not applicable',
  applied: 'applied',
  pending: 'pending',
  'not-applied': 'not applied',
};

/** "  Not used (2 resources):" and one indented line per resource, with where it was read. */
function skippedBlock(skipped: readonly SkippedInput[]): string {
  if (skipped.length === 0) return '';
  const head = `  Not used (${skipped.length} resource${skipped.length === 1 ? '' : 's'}):\n`;
  return head + skipped.map((s) => `    - ${skippedText(s)}\n`).join('');
}

function notesBlock(notes: readonly string[]): string {
  return notes.length === 0 ? '' : `  Notes:\n${notes.map((n) => `    - ${n}\n`).join('')}`;
}

/** The text block for one patient: the levels, then the data-quality notes and what was not used. */
export function patientTable(
  patientId: string,
  assessed: PatientAssessment,
  synthetic: boolean,
  skipped: readonly SkippedInput[],
): string {
  const title = `Patient ${patientId}${synthetic ? ' (SYNTHETIC: tagged HTEST)' : ''}`;
  const context =
    assessed.patient.cancerHistory.length > 0
      ? `\n  known cancer history (${assessed.patient.cancerHistory.map((c) => c.label).join('; ')})`
      : '';
  const head = `${title}${context}\n`;
  const tail = notesBlock(patientNotes(assessed)) + skippedBlock(skipped);
  if (assessed.reports.length === 0) {
    return `${head}  no vertebral compression fracture findings\n${tail}`;
  }
  const rows = [
    ['Level', 'Category', 'P(malignant)', 'G4 safeguard', 'Missing key discriminators', 'Why'],
    ...assessed.reports.map((r) => {
      const a = r.assessment;
      const preliminary = r.quality.preliminary.length > 0 ? ' (preliminary findings)' : '';
      // The card summary's reasons: every red flag and each rule that held the category back.
      const why = summaryWords(r, assessed.patient);
      return [
        levelLabel(r.level),
        categoryLabel(a.category) + preliminary,
        formatProbability(a.probabilityMalignant, a.thresholds),
        SAFEGUARD_TEXT[a.safeguard.status],
        a.missingKeyDiscriminators.join(', ') || 'none',
        why.join('; ') || '-',
      ];
    }),
  ];
  const table = textTable(rows)
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n');
  return head + table + tail;
}

export const ASSESS_FOOTER =
  'Decision support, not a diagnosis: biopsy is the reference standard.\n';
