/**
 * Verifies one CDS client JWT (CDS Hooks 2.0 "Trusting CDS Clients"): algorithm, header, trusted
 * issuer, key source (allow-listed `jku`, fixed `jwksUrl` or inline keys), signature, audience,
 * times, and finally the `jti` replay check. Knows nothing of HTTP.
 *
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { createHash } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type ProtectedHeaderParameters,
} from 'jose';
import type { StoreBudget } from '../store/deadline.js';
import type { Store } from '../store/types.js';
import { ClientAuthError } from './client-auth-error.js';
import { SUPPORTED_ALGORITHMS, type TrustedIssuer } from '../config/client-issuers.js';
import type { JwksCache } from './jwks-cache.js';

/** The authenticated CDS client, put in `res.locals.client`. */
export interface ClientIdentity {
  /** The trusted issuer (`iss`). */
  readonly iss: string;
  /** The healthcare organisation invoking the service, when the token names one. */
  readonly tenant?: string;
}

/** What may be logged about a token that failed: the issuer it claims and a hash of its jti. */
export interface TokenLogContext {
  iss?: string;
  /** First 16 hex digits of SHA-256(jti). */
  jtiHash?: string;
}

export interface TokenVerifierOptions {
  readonly issuers: readonly TrustedIssuer[];
  readonly jwks: JwksCache;
  readonly rememberJti: Store['rememberJti'];
  readonly now: () => Date;
  /** Tolerance on `exp`, `nbf` and `iat`, seconds. */
  readonly clockSkewSeconds: number;
  /** Largest `exp - iat` accepted, seconds. */
  readonly maxLifetimeSeconds: number;
}

export type TokenVerifier = (
  token: string,
  audience: string,
  log: TokenLogContext,
  /** The request's store budget (store-budget.ts), which the replay check draws from. */
  budget?: StoreBudget,
) => Promise<ClientIdentity>;

const MAX_JTI_LENGTH = 256;
const MAX_LOGGED_ISS_LENGTH = 200;

function decode<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ClientAuthError('ERR_JWT_MALFORMED', { cause: error });
  }
}

/** RFC 7515 4.1.9: `typ` is compared case-insensitively, `application/` may be left out. */
function isJwtTyp(typ: unknown): boolean {
  return typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === 'jwt';
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const byIss = new Map(options.issuers.map((issuer) => [issuer.iss, issuer]));
  // Inline keys are imported once per issuer; jose caches the imported CryptoKeys.
  const localSets = new Map<string, JWTVerifyGetKey>();
  for (const issuer of options.issuers) {
    if (issuer.jwks !== undefined) localSets.set(issuer.iss, createLocalJWKSet(issuer.jwks));
  }
  const supported: readonly string[] = SUPPORTED_ALGORITHMS;

  /** The key source for this token: `jku` only when allow-listed, else the out-of-band keys. */
  function keysFor(issuer: TrustedIssuer, header: ProtectedHeaderParameters): JWTVerifyGetKey {
    if (header.jku !== undefined) {
      const jku = header.jku;
      if (typeof jku !== 'string' || !(issuer.jku.includes(jku) || issuer.jwksUrl === jku)) {
        throw new ClientAuthError('ERR_JKU_NOT_ALLOWED');
      }
      return options.jwks.remote(jku);
    }
    const local = localSets.get(issuer.iss);
    if (local !== undefined) return local;
    if (issuer.jwksUrl !== undefined) return options.jwks.remote(issuer.jwksUrl);
    throw new ClientAuthError('ERR_JKU_REQUIRED');
  }

  return async (token, audience, log, budget) => {
    const now = options.now();
    const skew = options.clockSkewSeconds;

    // 1. Header, read before any key is looked up: refuse `none`, HMAC and unknown algorithms
    //    outright (the HS256-with-the-public-key confusion never reaches a key).
    const header = decode(() => decodeProtectedHeader(token));
    const alg = header.alg;
    if (typeof alg !== 'string' || !supported.includes(alg)) {
      throw new ClientAuthError('ERR_JOSE_ALG_NOT_ALLOWED');
    }
    if (header.typ !== undefined && !isJwtTyp(header.typ)) throw new ClientAuthError('ERR_JWT_TYP');
    if (typeof header.kid !== 'string' || header.kid === '') {
      throw new ClientAuthError('ERR_JWT_KID_MISSING');
    }

    // 2. The claimed issuer, unverified so far: it only selects the keys to verify with.
    const claimed: JWTPayload = decode(() => decodeJwt(token));
    if (typeof claimed.iss === 'string') log.iss = claimed.iss.slice(0, MAX_LOGGED_ISS_LENGTH);
    if (typeof claimed.jti === 'string') {
      log.jtiHash = createHash('sha256').update(claimed.jti).digest('hex').slice(0, 16);
    }
    const issuer = typeof claimed.iss === 'string' ? byIss.get(claimed.iss) : undefined;
    if (issuer === undefined) throw new ClientAuthError('ERR_JWT_ISSUER_UNTRUSTED');
    if (!(issuer.algorithms as readonly string[]).includes(alg)) {
      throw new ClientAuthError('ERR_JOSE_ALG_NOT_ALLOWED');
    }

    // 3. Signature, issuer, audience, exp/nbf (jose), against the issuer's keys only.
    const { payload } = await jwtVerify(token, keysFor(issuer, header), {
      algorithms: [...issuer.algorithms],
      issuer: issuer.iss,
      audience,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
      currentDate: now,
      clockTolerance: skew,
    });

    // 4. What jose leaves to us: iat not in the future, a bounded lifetime, jti, tenant.
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const { iat, exp, jti, tenant } = payload;
    if (typeof iat !== 'number' || typeof exp !== 'number') {
      throw new ClientAuthError('ERR_JWT_CLAIM_INVALID', { claim: 'iat' });
    }
    if (iat > nowSeconds + skew) throw new ClientAuthError('ERR_JWT_IAT_FUTURE', { claim: 'iat' });
    if (exp < iat || exp - iat > options.maxLifetimeSeconds) {
      throw new ClientAuthError('ERR_JWT_LIFETIME', { claim: 'exp' });
    }
    if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) {
      throw new ClientAuthError('ERR_JWT_JTI_INVALID', { claim: 'jti' });
    }
    if (tenant !== undefined && typeof tenant !== 'string') {
      throw new ClientAuthError('ERR_JWT_TENANT', { claim: 'tenant' });
    }
    if (
      issuer.tenants !== undefined &&
      (tenant === undefined || !issuer.tenants.includes(tenant))
    ) {
      throw new ClientAuthError('ERR_JWT_TENANT', { claim: 'tenant' });
    }

    // 5. Replay, last: only a token that is otherwise valid may occupy a jti (a forged token
    //    must not be able to burn a legitimate client's jti). Kept until exp + skew, after which
    //    the token is refused as expired anyway.
    let fresh: boolean;
    try {
      const expiresAt = new Date((exp + skew) * 1000);
      fresh = await (budget === undefined
        ? options.rememberJti(issuer.iss, jti, expiresAt, now)
        : budget.run((call) => options.rememberJti(issuer.iss, jti, expiresAt, now, call)));
    } catch (error) {
      throw new ClientAuthError('ERR_STORE_UNAVAILABLE', { cause: error });
    }
    if (!fresh) throw new ClientAuthError('ERR_JWT_JTI_REPLAY', { claim: 'jti' });

    return { iss: issuer.iss, ...(typeof tenant === 'string' ? { tenant } : {}) };
  };
}
