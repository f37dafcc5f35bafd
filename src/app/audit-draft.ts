/**
 * The audit record of one assessment, before the store gives it an id and a time: the ONE builder
 * for every entry point (CDS Hooks services and /api/assess). No patient data: the patient id is a
 * keyed hash.
 */
import { createHmac } from 'node:crypto';
import type { PatientAssessment } from './assess-patient.js';
import type { LevelReport } from '../present/level-report.js';

/** One level's result as the audit records it. */
export interface AuditOutput {
  readonly level: string;
  readonly category: string;
  readonly probabilityMalignant: number;
  readonly safeguardApplied: boolean;
}

/** What the audit store records of an assessment (no patient data: the id is a keyed hash). */
export interface AuditDraft {
  readonly serviceId: string;
  readonly hook: string;
  readonly hookInstance: string;
  readonly patientIdHash: string;
  readonly inputs: readonly { resourceType: string; id: string; versionId?: string }[];
  readonly outputs: readonly AuditOutput[];
  readonly engineVersion: string;
  readonly knowledgeBaseVersion: string;
  /** Which engine settings produced it: two sites' versions alone would not tell them apart. */
  readonly settingsFingerprint: string;
}

/**
 * HMAC-SHA-256 of the patient id under the audit id key: an auditor matches the records of one
 * patient without the store saying who it is, and without the key no dictionary of plausible ids
 * (MRNs are low-entropy) reverses it, as it would a plain SHA-256.
 */
export function hashPatientId(patientId: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(patientId).digest('hex');
}

/** A level report's result, as the audit records it. */
export function auditOutputOf(r: LevelReport): AuditOutput {
  return {
    level: r.level,
    category: r.assessment.category,
    probabilityMalignant: r.assessment.probabilityMalignant,
    safeguardApplied: r.assessment.safeguard.status === 'applied',
  };
}

/**
 * The audit draft of an assessment. `outputs`: what was answered, one per level (the cards of a
 * hook, which may include unassessed levels; the RiskAssessments of /api/assess).
 */
export function auditDraft(
  assessed: PatientAssessment,
  request: {
    readonly serviceId: string;
    readonly hook: string;
    readonly hookInstance: string;
    readonly patientId: string;
  },
  outputs: readonly AuditOutput[],
  auditIdKey: Uint8Array,
): AuditDraft {
  const first = assessed.reports[0]?.assessment;
  return {
    serviceId: request.serviceId,
    hook: request.hook,
    hookInstance: request.hookInstance,
    patientIdHash: hashPatientId(request.patientId, auditIdKey),
    inputs: assessed.inputs,
    outputs,
    engineVersion: first?.engineVersion ?? assessed.engineVersion,
    knowledgeBaseVersion: first?.knowledgeBaseVersion ?? assessed.knowledgeBaseVersion,
    settingsFingerprint: assessed.settingsFingerprint,
  };
}
