/**
 * One vertebral level's assessment as a FHIR RiskAssessment (the /api/assess answer and the CLI's
 * output), worded as the card words it.
 */
import { SNOMED, CANONICAL_BASE, VERTEBRAL_LEVEL_SYSTEM } from '../terminology/index.js';
import { SOURCES } from '../knowledge/index.js';
import { summaryWords } from './card-reasons.js';
import { categoryLabel, formatProbability, levelLabel } from './format.js';
import type { LevelReport, PatientContext } from './level-report.js';

export const CATEGORY_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vcf-assessment-category`;
export const METHOD_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vcf-cds-method`;
export const LEVEL_EXTENSION = `${CANONICAL_BASE}/StructureDefinition/vertebral-level`;

type Json = Record<string, unknown>;

/**
 * What the assessment rests on: the level's findings, and the cancer-history Conditions when they
 * raised the pre-test probability (docs/clinical-logic.md section 5).
 */
function basisOf(r: LevelReport, cancerHistory: PatientContext['cancerHistory']): string[] {
  const refs = r.basis.map((b) => b.ref);
  if (r.assessment.pretest.basis === 'cancer-history') {
    refs.push(...cancerHistory.map((c) => c.ref));
  }
  return [...new Set(refs)];
}

/**
 * The level's result in one sentence, as the card's summary words it: the probability never
 * rounded across a threshold, each red flag and each rule that held the category back.
 */
function rationaleOf(r: LevelReport, patient: PatientContext | undefined): string {
  const a = r.assessment;
  const reasons = summaryWords(r, patient);
  const held = a.limitedBy.length > 0 ? `; held by: ${a.limitedBy.join(', ')}` : '';
  return `${levelLabel(r.level)}: ${categoryLabel(a.category)}, P(malignant) ${formatProbability(a.probabilityMalignant, a.thresholds)}${reasons.length > 0 ? `; ${reasons.join('; ')}` : ''}${held}; G4 safeguard ${a.safeguard.status}; missing key discriminators: ${a.missingKeyDiscriminators.join(', ') || 'none'}.`;
}

/**
 * One level as a RiskAssessment. `patient` (the assessment's PatientContext) adds the
 * cancer-history Conditions to `basis` when they raised the pre-test probability.
 */
export function riskAssessment(
  r: LevelReport,
  patientId: string,
  id: string,
  now: Date,
  patient?: PatientContext,
): Json {
  const a = r.assessment;
  const basis = basisOf(r, patient?.cancerHistory ?? []);
  const preliminary = r.quality.preliminary.length > 0;
  return {
    resourceType: 'RiskAssessment',
    id,
    extension: [
      {
        url: LEVEL_EXTENSION,
        valueCodeableConcept:
          r.level === 'unspecified'
            ? { text: 'Unspecified vertebral level' }
            : {
                coding: [{ system: VERTEBRAL_LEVEL_SYSTEM, code: r.level }],
                text: `${r.level} vertebra`,
              },
      },
    ],
    status: preliminary ? 'preliminary' : 'final',
    code: { text: 'Benign vs malignant vertebral compression fracture (CT and MRI findings)' },
    method: {
      coding: [
        {
          system: METHOD_SYSTEM,
          code: 'zhao2026-naive-bayes',
          display: 'vcf-cds naive Bayes on Zhao et al. 2026',
        },
      ],
      text: `vcf-cds engine ${a.engineVersion}, knowledge base ${a.knowledgeBaseVersion} (${SOURCES.zhao2026.label}, doi:${SOURCES.zhao2026.doi})`,
    },
    subject: { reference: `Patient/${patientId}` },
    occurrenceDateTime: now.toISOString(),
    ...(basis.length > 0 ? { basis: basis.map((reference) => ({ reference })) } : {}),
    prediction: [
      {
        outcome: {
          coding: [{ system: SNOMED, code: '363346000', display: 'Malignant neoplastic disease' }],
          text: 'Malignant (tumour) cause of the vertebral compression fracture',
        },
        probabilityDecimal: a.probabilityMalignant,
        qualitativeRisk: {
          coding: [
            { system: CATEGORY_SYSTEM, code: a.category, display: categoryLabel(a.category) },
          ],
        },
        rationale: rationaleOf(r, patient),
      },
    ],
    ...(a.category === 'benign-favoured'
      ? {}
      : { mitigation: 'Biopsy of the level is the reference standard.' }),
    note: [{ text: 'Decision support, not a diagnosis. Biopsy is the reference standard.' }],
  };
}
