/**
 * Remote JWK Sets of trusted CDS clients, fetched with a timeout and cached (jose's
 * `createRemoteJWKSet`: keys kept for `cacheMaxAgeMs`; an unknown `kid` triggers at most one
 * refetch per `cooldownMs`; redirects are not followed). Only URLs from the trusted-issuer
 * configuration can be fetched: this module refuses any other, so a token's `jku` can never make
 * the service call out to an address an attacker chose. The cache is in memory, per replica.
 *
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type JWTVerifyGetKey,
} from 'jose';
import { ClientAuthError } from './client-auth-error.js';

/** A fetch for JWK Sets (jose's `customFetch` contract); the global `fetch` by default. */
export type FetchJwks = FetchImplementation;

export interface JwksCacheOptions {
  /** The only URLs that may ever be fetched: every issuer's `jku` allow-list and `jwksUrl`. */
  readonly allowedUrls: Iterable<string>;
  readonly fetchJwks?: FetchJwks;
  /** Abort a JWK Set request after this long. Default 3000 ms (a CDS call should take ~500 ms). */
  readonly timeoutMs?: number;
  /** Keep fetched keys this long. Default 10 minutes. */
  readonly cacheMaxAgeMs?: number;
  /** After a fetch, an unknown `kid` does not refetch for this long. Default 30 s. */
  readonly cooldownMs?: number;
}

export interface JwksCache {
  /**
   * The key resolver for an allow-listed JWK Set URL (one per URL, created on first use). Throws
   * `ERR_JKU_NOT_ALLOWED` for any other URL. The resolver rejects with `ERR_JWKS_UNAVAILABLE` when
   * the set cannot be fetched or read, and with jose's key errors when no key matches.
   */
  remote(url: string): JWTVerifyGetKey;
}

/** Errors about the keys in a set that was read fine: the token's problem, not the fetch's. */
function isKeyProblem(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JWKInvalid ||
    error instanceof errors.JOSENotSupported
  );
}

export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const allowed = new Set(options.allowedUrls);
  const sets = new Map<string, JWTVerifyGetKey>();
  return {
    remote(url) {
      if (!allowed.has(url)) throw new ClientAuthError('ERR_JKU_NOT_ALLOWED');
      const cached = sets.get(url);
      if (cached !== undefined) return cached;
      const set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: options.timeoutMs ?? 3000,
        cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
        cooldownDuration: options.cooldownMs ?? 30_000,
        ...(options.fetchJwks !== undefined ? { [customFetch]: options.fetchJwks } : {}),
      });
      const resolver: JWTVerifyGetKey = async (header, token) => {
        try {
          return await set(header, token);
        } catch (error) {
          if (isKeyProblem(error)) throw error;
          // Timeout, network error, non-200, not JSON, not a JWK Set: we cannot check, so 503.
          throw new ClientAuthError('ERR_JWKS_UNAVAILABLE', { cause: error });
        }
      };
      sets.set(url, resolver);
      return resolver;
    },
  };
}
