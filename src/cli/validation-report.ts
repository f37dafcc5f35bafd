/**
 * What a validation report holds besides the statistics: where the data came from, which
 * settings and versions produced the predictions, and which cases could not be counted. Shared
 * by the text, JSON and HTML renderings.
 */
import type { EngineSettings } from '../engine/index.js';
import { PUBLISHED_DIAGNOSTIC_EFFICACY } from '../knowledge/index.js';
import type { ValidationCase, ValidationSummary } from '../validation/index.js';
import type { PatientSkippedInput } from './data-quality.js';

export interface DataSource {
  /** The cohort path as given on the command line. */
  readonly path: string;
  readonly files: number;
  /** Where the reference results were read: CSV paths and/or "FHIR biopsy Observations". */
  readonly referenceFrom: readonly string[];
  readonly patientsInCohort: number;
  /** Cases whose patient's resources are tagged HTEST (synthetic / test data). */
  readonly syntheticCases: number;
  /** Of those, the cases whose data carry `vcf-cds simulate`'s meta.source (SIMULATE_SOURCE). */
  readonly simulatedCases: number;
  readonly generatedAt: string;
  readonly engineVersion: string;
  readonly knowledgeBaseVersion: string;
  readonly settings: EngineSettings;
}

export interface ExcludedCase {
  readonly patientId: string;
  readonly level?: string;
  readonly reference: 'benign' | 'malignant';
  readonly reason: string;
  /** Where the reference was read ("reference.csv:12"). */
  readonly where: string;
}

export interface ValidationReport {
  readonly source: DataSource;
  readonly summary: ValidationSummary;
  readonly cases: readonly (ValidationCase & {
    readonly synthetic: boolean;
    readonly simulated: boolean;
  })[];
  readonly excluded: readonly ExcludedCase[];
  /** Resources of the assessed patients that the FHIR layer did not use, with reason and origin. */
  readonly skipped: readonly PatientSkippedInput[];
  /** Counted cases whose level had conflicting findings for a sign (the latest was kept). */
  readonly casesWithConflicts: number;
  /** Counted cases whose level rests in part on preliminary findings. */
  readonly casesWithPreliminary: number;
  /** Patients in the cohort with no reference result (not counted). */
  readonly unreferencedPatients: number;
  /** Patients that contribute more than one level (the intervals assume independent cases). */
  readonly patientsWithSeveralCases: number;
}

/**
 * How the report words the data source's nature: 'synthetic' when every case is tagged HTEST
 * (test data of any origin), 'mixed' when some are, 'site' when none is.
 */
export function sourceKind(report: ValidationReport): 'synthetic' | 'mixed' | 'site' {
  const s = report.source.syntheticCases;
  if (s === 0) return 'site';
  return s === report.cases.length ? 'synthetic' : 'mixed';
}

/** Every case is synthetic and written by `vcf-cds simulate` (its meta.source), so it may be named. */
export function isSimulatedCohort(report: ValidationReport): boolean {
  return report.cases.length > 0 && report.source.simulatedCases === report.cases.length;
}

/** The rule for indeterminate results, as the report prints it. */
export const INDETERMINATE_RULE =
  'Main table: every case counted; an indeterminate result counts as a call for MALIGNANT, ' +
  'because every category except benign-favoured makes the card suggest a biopsy ' +
  '(docs/clinical-logic.md section 4), so the table measures what the clinician is told to do and no ' +
  'hard case is dropped. Second table: definitive calls only (indeterminate left out), read ' +
  'together with the share of indeterminate results.';

const PAPER_KAPPA = PUBLISHED_DIAGNOSTIC_EFFICACY.rows;

export const KAPPA_NOTE =
  "Cohen's kappa here is agreement between the service and the biopsy reference " +
  '(Fleiss-Cohen-Everitt 1969 standard error, Wald 95% interval). The kappa column of the ' +
  `paper's ${PUBLISHED_DIAGNOSTIC_EFFICACY.table} (CT ${PAPER_KAPPA.ct.kappa}, MRI ${PAPER_KAPPA.mri.kappa}, ` +
  `combined ${PAPER_KAPPA.combined.kappa}) is not agreement with pathology: the paper's Discussion calls its ` +
  'kappa inter-observer agreement between readers (and gives a different MRI value from the ' +
  "table's), and the CT value does not follow from its Table 5 counts as agreement with biopsy.";

/** Why a kappa or AUC of 1 has no interval (NoInterval 'boundary', src/validation/interval.ts). */
export const BOUNDARY_NOTE =
  'A kappa or AUC on the edge of its range (1.000: every case agrees, or every malignant case ' +
  'scores above every benign one) has a standard error of 0 (Fleiss-Cohen-Everitt, DeLong), so no interval is given ' +
  '("CI not estimable (boundary)") rather than an interval of zero width: a finite sample ' +
  'cannot show certainty. Read it with the Wilson intervals of the proportions, which stay ' +
  'informative at 100%.';

/** Whether any kappa or the AUC of a summary sits on the boundary (BOUNDARY_NOTE applies). */
export function hasBoundaryEstimate(s: ValidationSummary): boolean {
  return [s.indeterminateAsMalignant.kappa, s.definitiveOnly.kappa, s.roc].some(
    (e) => e?.noInterval === 'boundary',
  );
}
