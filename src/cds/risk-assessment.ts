/**
 * The plain REST endpoint for integrators and batch use (issue 4, item 5): a FHIR Bundle in, a
 * Bundle of RiskAssessment resources out, one per vertebral level.
 */
import { SNOMED, CANONICAL_BASE, VERTEBRAL_LEVEL_SYSTEM } from '../terminology/index.js';
import { SOURCES } from '../knowledge/index.js';
import { categoryLabel, formatProbability, levelLabel } from './format.js';
import type { HookDeps } from './handle-hook.js';
import { assessPatient } from './level-reports.js';
import type { LevelReport } from './level-report.js';
import { cdsError, errorResponse, type CdsError, type OperationOutcomeBody } from './outcome.js';

export const CATEGORY_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vcf-assessment-category`;
export const METHOD_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vcf-cds-method`;
export const LEVEL_EXTENSION = `${CANONICAL_BASE}/StructureDefinition/vertebral-level`;

type Json = Record<string, unknown>;

export function riskAssessment(r: LevelReport, patientId: string, id: string, now: Date): Json {
  const a = r.assessment;
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
    ...(r.basis.length > 0 ? { basis: r.basis.map((b) => ({ reference: b.ref })) } : {}),
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
        rationale: `${levelLabel(r.level)}: ${categoryLabel(a.category)}, P(malignant) ${formatProbability(a.probabilityMalignant)}; safeguard ${a.safeguard.status}; missing key discriminators: ${a.missingKeyDiscriminators.join(', ') || 'none'}.`,
      },
    ],
    ...(a.category === 'benign-favoured'
      ? {}
      : { mitigation: 'Biopsy of the level is the reference standard.' }),
    note: [{ text: 'Decision support, not a diagnosis. Biopsy is the reference standard.' }],
  };
}

/** The patient a Bundle is about: the `patient` parameter, else its only Patient. */
function patientIdOf(bundle: Json, requested: string | undefined): string | CdsError {
  if (requested !== undefined) return requested;
  const entries = Array.isArray(bundle['entry']) ? (bundle['entry'] as unknown[]) : [];
  const ids = entries
    .map((e) => (e as { resource?: { resourceType?: unknown; id?: unknown } })?.resource)
    .filter((r) => r?.resourceType === 'Patient' && typeof r.id === 'string')
    .map((r) => r!.id as string);
  const unique = [...new Set(ids)];
  if (unique.length === 1) return unique[0]!;
  return cdsError(
    'invalid-request',
    unique.length === 0
      ? 'The Bundle holds no Patient with an id; pass ?patient=<id>.'
      : `The Bundle holds ${unique.length} Patients; pass ?patient=<id> to choose one.`,
  );
}

/** POST /api/assess. `bodyParsed`: as handleHookRequest's. */
export function handleAssessBundle(
  body: unknown,
  patientParam: string | undefined,
  deps: Pick<HookDeps, 'engine' | 'cancerSnomedCodes' | 'now' | 'newId'>,
  bodyParsed = false,
): { status: number; body: Json | OperationOutcomeBody } {
  if (typeof body !== 'object' || body === null || (body as Json)['resourceType'] !== 'Bundle') {
    return errorResponse(
      cdsError('invalid-request', 'The body must be a FHIR Bundle (resourceType "Bundle").'),
    );
  }
  const patientId = patientIdOf(body as Json, patientParam);
  if (typeof patientId !== 'string') return errorResponse(patientId);
  const assessed = assessPatient(patientId, [body], deps, bodyParsed);
  const now = deps.now();
  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: now.toISOString(),
      entry: assessed.reports.map((r) => {
        const id = deps.newId();
        return { fullUrl: `urn:uuid:${id}`, resource: riskAssessment(r, patientId, id, now) };
      }),
    },
  };
}
