/**
 * Start-up integrity checks of the knowledge base (docs/clinical-logic.md section 2): the service refuses to
 * start when a count was mistyped.
 */
import { COHORT, SIGN_TABLES, type SignTable } from './sign-counts.js';

/** Pearson's chi-square, no continuity correction, for a 2 x k table of benign/malignant counts. */
export function pearsonChiSquare(rows: readonly { benign: number; malignant: number }[]): number {
  const totalBenign = rows.reduce((s, r) => s + r.benign, 0);
  const totalMalignant = rows.reduce((s, r) => s + r.malignant, 0);
  const n = totalBenign + totalMalignant;
  let chi = 0;
  for (const r of rows) {
    const rowTotal = r.benign + r.malignant;
    const eB = (rowTotal * totalBenign) / n;
    const eM = (rowTotal * totalMalignant) / n;
    chi += (r.benign - eB) ** 2 / eB + (r.malignant - eM) ** 2 / eM;
  }
  return chi;
}

function tableErrors(t: SignTable): string[] {
  const errors: string[] = [];
  const b = t.rows.reduce((s, r) => s + r.benign, 0);
  const m = t.rows.reduce((s, r) => s + r.malignant, 0);
  if (b !== COHORT.benign || m !== COHORT.malignant) {
    errors.push(`${t.sign}: rows sum to ${b}/${m}, expected ${COHORT.benign}/${COHORT.malignant}`);
  }
  for (const r of t.rows) {
    if (!(r.benign > 0 && r.malignant > 0)) errors.push(`${t.sign}=${String(r.value)}: zero cell`);
  }
  if (t.reportedChiSquare !== undefined) {
    const chi = pearsonChiSquare(t.rows);
    if (Math.abs(chi - t.reportedChiSquare) > 0.01) {
      errors.push(`${t.sign}: chi-square ${chi.toFixed(3)} != reported ${t.reportedChiSquare}`);
    }
  }
  return errors;
}

/** Every problem with the knowledge base; empty when it is sound. */
export function knowledgeErrors(tables: readonly SignTable[] = SIGN_TABLES): string[] {
  const errors = tables.flatMap(tableErrors);
  const seen = new Set<string>();
  for (const t of tables) {
    if (seen.has(t.sign)) errors.push(`${t.sign}: listed twice`);
    seen.add(t.sign);
  }
  return errors;
}
