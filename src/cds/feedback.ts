/**
 * POST /cds-services/{id}/feedback: the clinician's response to a card, validated and stored.
 * The same card may be reported more than once; every report is kept.
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { FeedbackRecord } from '../store/types.js';
import { cdsError, type CdsError, type Issue } from './outcome.js';
import { findService } from './services.js';

/**
 * One feedback item as the CDS Hooks spec defines it: the record the store keeps, without what
 * this service adds (which service, when received, which client).
 */
export type FeedbackItem = Omit<FeedbackRecord, 'serviceId' | 'receivedAt' | 'clientId'>;

const schema = {
  type: 'object',
  required: ['feedback'],
  properties: {
    feedback: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        required: ['card', 'outcome', 'outcomeTimestamp'],
        properties: {
          card: { type: 'string', minLength: 1, maxLength: 256 },
          outcome: { enum: ['accepted', 'overridden'] },
          acceptedSuggestions: {
            type: 'array',
            maxItems: 100,
            items: {
              type: 'object',
              required: ['id'],
              properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
            },
          },
          overrideReason: {
            type: 'object',
            properties: {
              reason: {
                type: 'object',
                required: ['code'],
                properties: {
                  code: { type: 'string', minLength: 1, maxLength: 256 },
                  system: { type: 'string', maxLength: 2048 },
                  display: { type: 'string', maxLength: 1024 },
                },
              },
              userComment: { type: 'string', maxLength: 4000 },
            },
          },
          // RFC 3339 date-time, as the spec's examples ("2020-12-11T00:00:00-05:00").
          outcomeTimestamp: {
            type: 'string',
            pattern:
              '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
          },
        },
        // The spec: acceptedSuggestions only with accepted, overrideReason only with overridden.
        allOf: [
          {
            if: { properties: { outcome: { const: 'overridden' } } },
            then: { not: { required: ['acceptedSuggestions'] } },
          },
          {
            if: { properties: { outcome: { const: 'accepted' } } },
            then: { not: { required: ['overrideReason'] } },
          },
        ],
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function toIssue(e: ErrorObject): Issue {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)';
  const missing =
    e.keyword === 'required' ? `.${(e.params as { missingProperty: string }).missingProperty}` : '';
  return {
    severity: 'error',
    code: missing ? 'required' : 'value',
    diagnostics: `${path}${missing} ${e.message ?? 'is invalid'}`,
    expression: [`${path}${missing}`],
  };
}

/** The feedback items if the body is valid for a known service, else a 400/404 error. */
export function parseFeedback(
  serviceId: string,
  body: unknown,
): readonly FeedbackItem[] | CdsError {
  if (findService(serviceId) === undefined) {
    return cdsError(
      'unknown-service',
      `No CDS Service "${serviceId}"; GET /cds-services lists them.`,
    );
  }
  if (validate(body)) return (body as { feedback: FeedbackItem[] }).feedback;
  const issues = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'if')
    .slice(0, 20)
    .map(toIssue);
  return cdsError('invalid-request', issues.length > 0 ? issues : 'The feedback body is invalid.');
}
