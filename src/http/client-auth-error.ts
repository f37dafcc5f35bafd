/**
 * Why a CDS client was turned away, as a value with a stable `code` (after jose's errors). The code
 * is the only detail that leaves this module: it goes to the log, never to the caller, who gets a
 * plain 401 (or 503 when this service cannot check at all).
 *
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { errors } from 'jose';

/** Reasons for a 401: the token is missing, malformed, untrusted or invalid. */
export type ClientAuthRejection =
  /** No `Authorization` header. */
  | 'ERR_AUTH_HEADER_MISSING'
  /** Not `Bearer <compact JWS>`. */
  | 'ERR_AUTH_HEADER_MALFORMED'
  /** The JOSE header or claims set cannot be decoded, or the JWS is invalid. */
  | 'ERR_JWT_MALFORMED'
  /** `alg` is `none`, symmetric (HS*), unknown, or not allowed for this issuer. */
  | 'ERR_JOSE_ALG_NOT_ALLOWED'
  /** `typ` is present and is not `JWT`. */
  | 'ERR_JWT_TYP'
  /** The header has no `kid` (CDS Hooks: REQUIRED). */
  | 'ERR_JWT_KID_MISSING'
  /** `iss` is missing or not a configured trusted issuer. */
  | 'ERR_JWT_ISSUER_UNTRUSTED'
  /** `jku` is not on the issuer's allow-list; it was NOT fetched. */
  | 'ERR_JKU_NOT_ALLOWED'
  /** The issuer is configured with `jku` URLs only and the token names none. */
  | 'ERR_JKU_REQUIRED'
  /** No key in the issuer's JWK Set matches `kid`/`alg`. */
  | 'ERR_JWKS_NO_MATCHING_KEY'
  /** The JWK that matched cannot be used (bad key material). */
  | 'ERR_JWK_INVALID'
  | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  /** `exp` is in the past (beyond the clock skew). */
  | 'ERR_JWT_EXPIRED'
  /** `nbf` is in the future (beyond the clock skew). */
  | 'ERR_JWT_NOT_YET_VALID'
  /** `iat` is in the future (beyond the clock skew). */
  | 'ERR_JWT_IAT_FUTURE'
  /** `exp - iat` exceeds the maximum lifetime, or `exp` precedes `iat`. */
  | 'ERR_JWT_LIFETIME'
  /** `aud` does not name the endpoint invoked. */
  | 'ERR_JWT_AUDIENCE'
  /** A required claim (`exp`, `iat`, `jti`, `aud`) is absent. */
  | 'ERR_JWT_CLAIM_MISSING'
  /** A claim has the wrong type (e.g. `exp` not a number). */
  | 'ERR_JWT_CLAIM_INVALID'
  /** `jti` is not a non-empty string of at most 256 characters. */
  | 'ERR_JWT_JTI_INVALID'
  /** `jti` was already used by this issuer (replay). */
  | 'ERR_JWT_JTI_REPLAY'
  /** `tenant` is not a string, or not one the issuer entry allows. */
  | 'ERR_JWT_TENANT';

/** Reasons for a 503: this service cannot check the token right now; nothing is let through. */
export type ClientAuthUnavailable =
  /** `rememberJti` failed: replay cannot be ruled out. */
  | 'ERR_STORE_UNAVAILABLE'
  /** An allow-listed JWK Set URL did not answer 200 with a JWK Set in time. */
  | 'ERR_JWKS_UNAVAILABLE';

export type ClientAuthCode = ClientAuthRejection | ClientAuthUnavailable;

const UNAVAILABLE: ReadonlySet<ClientAuthCode> = new Set<ClientAuthCode>([
  'ERR_STORE_UNAVAILABLE',
  'ERR_JWKS_UNAVAILABLE',
]);

/**
 * A client authentication failure; `appCode` is its code in the one error table (src/app/errors.ts:
 * 'unauthenticated' is 401, 'auth-unavailable' 503).
 */
export class ClientAuthError extends Error {
  readonly code: ClientAuthCode;
  readonly appCode: 'unauthenticated' | 'auth-unavailable';
  /** The claim concerned, when there is one (safe to log: a claim name, not its value). */
  readonly claim: string | undefined;

  constructor(code: ClientAuthCode, options?: { claim?: string; cause?: unknown }) {
    super(code, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClientAuthError';
    this.code = code;
    this.appCode = UNAVAILABLE.has(code) ? 'auth-unavailable' : 'unauthenticated';
    this.claim = options?.claim;
  }
}

/**
 * Maps what jose (and our own checks) throw while verifying to a `ClientAuthError`; anything else
 * (a bug) is returned as `undefined` so the caller can let it become a 500.
 */
export function toClientAuthError(error: unknown): ClientAuthError | undefined {
  if (error instanceof ClientAuthError) return error;
  if (error instanceof errors.JWTExpired) {
    return new ClientAuthError('ERR_JWT_EXPIRED', { claim: error.claim, cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    const code: ClientAuthRejection =
      reason === 'missing'
        ? 'ERR_JWT_CLAIM_MISSING'
        : reason === 'invalid'
          ? 'ERR_JWT_CLAIM_INVALID'
          : claim === 'aud'
            ? 'ERR_JWT_AUDIENCE'
            : claim === 'iss'
              ? 'ERR_JWT_ISSUER_UNTRUSTED'
              : claim === 'nbf'
                ? 'ERR_JWT_NOT_YET_VALID'
                : claim === 'typ'
                  ? 'ERR_JWT_TYP'
                  : 'ERR_JWT_CLAIM_INVALID';
    return new ClientAuthError(code, { claim, cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new ClientAuthError('ERR_JOSE_ALG_NOT_ALLOWED', { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new ClientAuthError('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', { cause: error });
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new ClientAuthError('ERR_JWKS_NO_MATCHING_KEY', { cause: error });
  }
  if (error instanceof errors.JWKInvalid || error instanceof errors.JOSENotSupported) {
    return new ClientAuthError('ERR_JWK_INVALID', { cause: error });
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSEError
  ) {
    return new ClientAuthError('ERR_JWT_MALFORMED', { cause: error });
  }
  return undefined;
}
