/**
 * POST /cds-services/{id}/feedback: the clinician's response to a card, validated and stored.
 * The same card may be reported more than once; every report is kept.
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { FeedbackItem } from '../app/store-feedback.js';
import { appError, type AppError, type Issue } from '../app/errors.js';
import { findService } from './services.js';

export type { FeedbackItem };

/**
 * RFC 3339 section 5.6 `date-time` with seconds (the spec's "e.g. 1985-04-12T23:20:50.52Z"), and a
 * real calendar date and clock time: "2020-13-45T99:99Z" is not one. Any offset is accepted (it
 * names one instant); a leap second (:60) is allowed as RFC 3339 does, and so are a lowercase `t`
 * and `z` (its section 5.6 NOTE: "T" and "Z" "may alternatively be lower case").
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

export function isInstant(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const leap = (year! % 4 === 0 && year! % 100 !== 0) || year! % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1];
  const offsetOk = m[8] === 'Z' || m[8] === 'z' || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return (
    days !== undefined &&
    day! >= 1 &&
    day! <= days &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 60 &&
    offsetOk
  );
}

const TIMESTAMP_FORMAT = 'rfc3339-date-time';

/**
 * A card's `uuid` as this service gives it (crypto.randomUUID; RFC 9562 text form, any case).
 * Feedback names the card by it, so anything else (a placeholder such as `<card uuid>`) names no
 * card of this service and is refused rather than stored.
 */
const UUID = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';

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
          card: { type: 'string', pattern: UUID },
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
              userComment: { type: 'string', minLength: 1, maxLength: 4000 },
            },
            // An override reason says something: the coded reason, a comment, or both (spec
            // "OverrideReason"); {} is no reason (and JSON elements SHALL NOT be empty).
            anyOf: [{ required: ['reason'] }, { required: ['userComment'] }],
          },
          outcomeTimestamp: { type: 'string', format: TIMESTAMP_FORMAT },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat(TIMESTAMP_FORMAT, isInstant);
const validate = ajv.compile(schema);

/** "/feedback/0/outcome" -> "feedback[0].outcome". */
function pathOf(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (child !== undefined) parts.push(child);
  return (
    parts.reduce(
      (p, part) => (/^\d+$/.test(part) ? `${p}[${part}]` : p ? `${p}.${part}` : part),
      '',
    ) || '(body)'
  );
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a JSON object',
  array: 'an array',
  string: 'a string',
};

/** ajv's words for what is wrong, said for an integrator. */
function messageOf(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'type':
      return `must be ${TYPE_NAMES[String(params['type'])] ?? String(params['type'])}`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'format':
      return 'must be an RFC 3339 date-time with seconds, e.g. 2026-11-24T10:00:00Z';
    case 'anyOf':
      return 'must hold a reason (Coding) or a userComment';
    case 'pattern':
      return 'must be the uuid of a card, e.g. b8f4d2a0-6c1e-4f3a-9d2b-7e5c1a0f4b21';
    case 'minLength':
      if (params['limit'] === 1) return 'must not be empty';
      break;
  }
  return e.message ?? 'is invalid';
}

function toIssue(e: ErrorObject): Issue {
  const missing =
    e.keyword === 'required'
      ? String((e.params as { missingProperty: unknown }).missingProperty)
      : undefined;
  const path = pathOf(e.instancePath, missing);
  return {
    severity: 'error',
    code: missing ? 'required' : 'value',
    diagnostics: `${path} ${messageOf(e)}`,
    expression: [path],
  };
}

/**
 * The spec's pairing of outcome and detail: acceptedSuggestions go with `accepted`, an
 * overrideReason with `overridden`. An `accepted` without acceptedSuggestions is kept: the spec
 * makes them "Required for accepted outcomes" of the client, but an EHR may let a clinician
 * accept a card that has no suggestion (this service's info cards have none), and refusing the
 * report would lose the clinician's action.
 */
function pairingIssues(items: readonly unknown[]): Issue[] {
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null) return;
    const f = item as Record<string, unknown>;
    const wrong =
      f['outcome'] === 'overridden' && f['acceptedSuggestions'] !== undefined
        ? ['acceptedSuggestions', 'accepted']
        : f['outcome'] === 'accepted' && f['overrideReason'] !== undefined
          ? ['overrideReason', 'overridden']
          : undefined;
    if (wrong) {
      const path = `feedback[${i}].${wrong[0]}`;
      issues.push({
        severity: 'error',
        code: 'value',
        diagnostics: `${path} is only for outcome "${wrong[1]}"`,
        expression: [path],
      });
    }
  });
  return issues;
}

/** The feedback items if the body is valid for a known service, else a 400/404 error. */
export function parseFeedback(
  serviceId: string,
  body: unknown,
): readonly FeedbackItem[] | AppError {
  if (findService(serviceId) === undefined) {
    return appError(
      'unknown-service',
      `No CDS Service "${serviceId}"; GET /cds-services lists them.`,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return appError('invalid-request', [
      {
        severity: 'error',
        code: 'structure',
        diagnostics:
          'The request body is JSON but not a JSON object; feedback is {"feedback": [...]}.',
        expression: ['(body)'],
      },
    ]);
  }
  const valid = validate(body);
  const items = (body as { feedback?: unknown }).feedback;
  const issues = [
    ...(valid ? [] : (validate.errors ?? []))
      // An anyOf's branches each report their own miss: the anyOf's one line says it all.
      .filter((e) => !e.schemaPath.includes('/anyOf/'))
      .map(toIssue),
    ...(Array.isArray(items) ? pairingIssues(items) : []),
  ];
  if (issues.length === 0) return (body as { feedback: FeedbackItem[] }).feedback;
  const unique = [...new Map(issues.map((i) => [i.diagnostics, i])).values()];
  return appError('invalid-request', unique.slice(0, 20));
}
