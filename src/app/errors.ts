/**
 * The ONE error type of the service (`AppError`, a value with a stable `code`), and the ONE table
 * that maps each code to an HTTP status and an OperationOutcome issue type (ARCHITECTURE.md, after
 * medplum's outcomes). Every adapter (CDS Hooks, /api/assess, the rate limiter, client
 * authentication, the playground) answers its errors through it. CDS Hooks defines 200 and 412;
 * other 4xx/5xx are allowed.
 */

export type AppErrorCode =
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
  /** The client's JWT is missing or not accepted (answered with no body: the reason is logged). */
  | 'unauthenticated'
  /** Client authentication cannot be checked right now (key set or replay cache unreachable). */
  | 'auth-unavailable'
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

export interface AppError {
  readonly kind: 'app-error';
  readonly code: AppErrorCode;
  readonly issues: readonly Issue[];
}

export function appError(code: AppErrorCode, issues: readonly Issue[] | string): AppError {
  return {
    kind: 'app-error',
    code,
    issues:
      typeof issues === 'string'
        ? [{ severity: 'error', code: ERROR_TABLE[code].issueType, diagnostics: issues }]
        : issues,
  };
}

/** Each code's HTTP status and FHIR issue type: the one table. */
const ERROR_TABLE: Readonly<Record<AppErrorCode, { status: number; issueType: string }>> = {
  'invalid-request': { status: 400, issueType: 'invalid' },
  'unknown-service': { status: 404, issueType: 'not-found' },
  'data-unavailable': { status: 412, issueType: 'incomplete' },
  'too-large': { status: 413, issueType: 'too-costly' },
  'unsupported-media-type': { status: 415, issueType: 'not-supported' },
  'rate-limited': { status: 429, issueType: 'throttled' },
  unauthenticated: { status: 401, issueType: 'login' },
  'auth-unavailable': { status: 503, issueType: 'transient' },
  'store-unavailable': { status: 503, issueType: 'transient' },
  internal: { status: 500, issueType: 'exception' },
};

/** The HTTP status of an error code. */
export function statusOf(code: AppErrorCode): number {
  return ERROR_TABLE[code].status;
}

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
export function errorResponse(error: AppError): { status: number; body: OperationOutcomeBody } {
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
  return {
    status: statusOf(error.code),
    body: { resourceType: 'OperationOutcome', issue: issues },
  };
}

export function isAppError(x: unknown): x is AppError {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'app-error';
}
