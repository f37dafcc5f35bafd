/** Record builders for the store tests: one complete feedback item and audit record, varied by id. */
import { randomUUID } from 'node:crypto';
import type { AuditRecord, FeedbackRecord } from '../../src/store/index.js';

/** A comment no log line may ever hold (free text from the clinician). */
export const SECRET_COMMENT = 'Patient Jane Roe (MRN 0042) said \u0000 she fell \u{1F9B4}';

export function feedback(overrides: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    serviceId: 'vcf-assessment',
    card: randomUUID(),
    outcome: 'overridden',
    outcomeTimestamp: '2026-01-05T10:11:12.345Z',
    receivedAt: '2026-01-05T10:11:13.000Z',
    overrideReason: {
      reason: {
        code: 'clinical-judgement',
        system: 'https://example.org/override',
        display: 'Clinical judgement',
      },
      userComment: SECRET_COMMENT,
    },
    clientId: 'https://ehr.example.org',
    ...overrides,
  };
}

export function acceptedFeedback(overrides: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    serviceId: 'vcf-assessment',
    card: randomUUID(),
    outcome: 'accepted',
    outcomeTimestamp: '2026-01-05T10:11:12Z',
    receivedAt: '2026-01-05T10:11:13.000Z',
    acceptedSuggestions: [{ id: randomUUID() }],
    ...overrides,
  };
}

export function audit(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: randomUUID(),
    time: '2026-01-05T10:11:12.345Z',
    serviceId: 'vcf-assessment',
    hook: 'patient-view',
    hookInstance: randomUUID(),
    patientIdHash: 'a'.repeat(64),
    inputs: [
      { resourceType: 'Observation', id: 'obs-1', versionId: '3' },
      { resourceType: 'Condition', id: 'cond-9' },
    ],
    outputs: [
      { level: 'L1', category: 'malignant', probabilityMalignant: 0.91, safeguardApplied: true },
    ],
    engineVersion: '1.2.3',
    knowledgeBaseVersion: 'kb-2026-01',
    clientId: 'https://ehr.example.org',
    ...overrides,
  };
}

/** A feedback item whose comment takes `bytes` of incompressible text (to fill a disk). */
export function bigFeedback(bytes: number): FeedbackRecord {
  const comment = Buffer.from(
    Array.from({ length: bytes }, () => Math.floor(Math.random() * 256)),
  ).toString('base64');
  return feedback({ overrideReason: { userComment: comment } });
}

/**
 * Saves big feedback items one by one until the store refuses one (at most `attempts`); pushes
 * each stored item to `stored`, and returns the refusal (undefined if none came).
 */
export async function saveUntilRefused(
  store: { saveFeedback(items: readonly FeedbackRecord[]): Promise<void> },
  bytes: number,
  attempts: number,
  stored: FeedbackRecord[],
): Promise<unknown> {
  for (let i = 0; i < attempts; i++) {
    const item = bigFeedback(bytes);
    try {
      await store.saveFeedback([item]);
      stored.push(item);
    } catch (e) {
      return e;
    }
  }
  return undefined;
}
