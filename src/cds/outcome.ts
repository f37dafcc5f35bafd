/**
 * Errors as values, and the ONE place that maps them to an HTTP status and an OperationOutcome-style
 * body (ARCHITECTURE.md, after medplum's outcomes). CDS Hooks defines 200 and 412; other 4xx/5xx
 * are allowed.
 */

export type CdsErrorCode =
  /** Body is not a valid CDS Hooks request (schema, hook mismatch, missing context). */
  | 'invalid-request'
  /** No such CDS Service. */
  | 'unknown-service'
  /** Data the service needs is neither prefetched nor obtainable from fhirServer. */
  | 'data-unavailable'
  /** The request body is too large. */
  | 'too-large'
  /** Content-Type is not JSON. */
  | 'unsupported-media-type'
  /** The client sends too many requests. */
  | 'rate-limited'
  /** A store (feedback/audit) cannot take the write; nothing was lost silently. */
  | 'store-unavailable'
  /** Anything unexpected: 500 with no detail sent. */
  | 'internal';

export interface Issue {
  readonly severity: 'error' | 'warning' | 'information';
  /** FHIR issue-type code. */
  readonly code: string;
  readonly diagnostics: string;
  readonly expression?: readonly string[];
}

export interface CdsError {
  readonly kind: 'cds-error';
  readonly code: CdsErrorCode;
  readonly issues: readonly Issue[];
}

export function cdsError(code: CdsErrorCode, issues: readonly Issue[] | string): CdsError {
  return {
    kind: 'cds-error',
    code,
    issues:
      typeof issues === 'string'
        ? [{ severity: 'error', code: ISSUE_TYPE[code], diagnostics: issues }]
        : issues,
  };
}

const STATUS: Readonly<Record<CdsErrorCode, number>> = {
  'invalid-request': 400,
  'unknown-service': 404,
  'data-unavailable': 412,
  'too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  'store-unavailable': 503,
  internal: 500,
};

const ISSUE_TYPE: Readonly<Record<CdsErrorCode, string>> = {
  'invalid-request': 'invalid',
  'unknown-service': 'not-found',
  'data-unavailable': 'incomplete',
  'too-large': 'too-costly',
  'unsupported-media-type': 'not-supported',
  'rate-limited': 'throttled',
  'store-unavailable': 'transient',
  internal: 'exception',
};

export interface OperationOutcomeBody {
  readonly resourceType: 'OperationOutcome';
  readonly issue: readonly {
    severity: string;
    code: string;
    diagnostics: string;
    expression?: readonly string[];
  }[];
}

/** HTTP status and body for an error. Internal errors say nothing more than that. */
export function errorResponse(error: CdsError): { status: number; body: OperationOutcomeBody } {
  const issues =
    error.code === 'internal'
      ? [
          {
            severity: 'error',
            code: 'exception',
            diagnostics: 'Internal error; see the server log.',
          },
        ]
      : error.issues.map((i) => ({
          severity: i.severity,
          code: i.code,
          diagnostics: i.diagnostics,
          ...(i.expression && i.expression.length > 0 ? { expression: i.expression } : {}),
        }));
  return { status: STATUS[error.code], body: { resourceType: 'OperationOutcome', issue: issues } };
}

export function isCdsError(x: unknown): x is CdsError {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'cds-error';
}
