/**
 * The plain REST endpoint for integrators and batch use (issue 4, item 5): a FHIR Bundle in, a
 * Bundle of RiskAssessment resources out, one per vertebral level.
 */
import type { HookDeps } from './handle-hook.js';
import { auditDraft, auditOutputOf, type AuditDraft } from '../app/audit-draft.js';
import { assessPatient } from '../app/assess-patient.js';
import {
  appError,
  errorResponse,
  type AppError,
  type OperationOutcomeBody,
} from '../app/errors.js';
import { riskAssessment } from '../present/risk-assessment.js';

type Json = Record<string, unknown>;

/** The patient a Bundle is about: the `patient` parameter (a Patient of the Bundle), else its only Patient. */
function patientIdOf(bundle: Json, requested: string | undefined): string | AppError {
  const entries = Array.isArray(bundle['entry']) ? (bundle['entry'] as unknown[]) : [];
  const ids = entries
    .map((e) => (e as { resource?: { resourceType?: unknown; id?: unknown } } | null)?.resource)
    .filter((r) => r?.resourceType === 'Patient' && typeof r.id === 'string')
    .map((r) => r!.id as string);
  const unique = [...new Set(ids)];
  if (requested !== undefined) {
    if (unique.includes(requested)) return requested;
    return appError('invalid-request', [
      {
        severity: 'error',
        code: 'not-found',
        diagnostics: `The Bundle holds no Patient with id ${JSON.stringify(requested.slice(0, 64))} (?patient=).`,
        expression: ['patient'],
      },
    ]);
  }
  if (unique.length === 1) return unique[0]!;
  return appError(
    'invalid-request',
    unique.length === 0
      ? 'The Bundle holds no Patient with an id; pass ?patient=<id>.'
      : `The Bundle holds ${unique.length} Patients; pass ?patient=<id> to choose one.`,
  );
}

/** The service id the audit records for this endpoint, which answers no CDS Hooks hook. */
export const ASSESS_SERVICE_ID = 'api-assess';

export type AssessResult =
  | { readonly status: 200; readonly body: Json; readonly audit: AuditDraft }
  | { readonly status: number; readonly body: OperationOutcomeBody };

/**
 * POST /api/assess. `bodyParsed`: as handleHookRequest's. A 200 carries the audit draft the HTTP
 * layer commits before answering; the answer Bundle's `id` is the audit record's instance id.
 */
export function handleAssessBundle(
  body: unknown,
  patientParam: string | undefined,
  deps: Pick<
    HookDeps,
    'engine' | 'cancerSnomedCodes' | 'adcMinimum' | 'now' | 'newId' | 'auditIdKey'
  >,
  bodyParsed = false,
): AssessResult {
  if (typeof body !== 'object' || body === null || (body as Json)['resourceType'] !== 'Bundle') {
    return errorResponse(
      appError(
        'invalid-request',
        'The body is JSON but not a FHIR Bundle; send a Bundle (resourceType "Bundle").',
      ),
    );
  }
  const patientId = patientIdOf(body as Json, patientParam);
  if (typeof patientId !== 'string') return errorResponse(patientId);
  const assessed = assessPatient(patientId, [body], deps, bodyParsed);
  const now = deps.now();
  const instance = deps.newId();
  const entry = assessed.reports.map((r) => {
    const id = deps.newId();
    return {
      fullUrl: `urn:uuid:${id}`,
      resource: riskAssessment(r, patientId, id, now, assessed.patient),
    };
  });
  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      id: instance,
      type: 'collection',
      timestamp: now.toISOString(),
      // FHIR forbids empty arrays: no levels, no entry.
      ...(entry.length > 0 ? { entry } : {}),
    },
    audit: auditDraft(
      assessed,
      { serviceId: ASSESS_SERVICE_ID, hook: 'none', hookInstance: instance, patientId },
      assessed.reports.map(auditOutputOf),
      deps.auditIdKey,
    ),
  };
}
