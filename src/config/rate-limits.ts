/** The per-client and per-address request limits (RATE_LIMIT_CLIENT_PER_MINUTE and friends). */

export interface RateLimits {
  /** Requests a minute per authenticated client (JWT issuer and tenant). */
  readonly clientPerMinute: number;
  /** Requests a minute per remote address of a caller with no authenticated client. */
  readonly addressPerMinute: number;
  /** The limits came from the older single setting, RATE_LIMIT_PER_MINUTE. */
  readonly legacySetting: boolean;
}

/**
 * 30,000 a minute (500 a second) per client: ten times a busy hospital EHR's 50 calls a second
 * (issue 13), half of one replica's measured capacity with prefetch (BENCHMARKS.md, ~1,000 req/s).
 * 6,000 a minute (100 a second) per anonymous address: above one EHR without authentication,
 * a tenth of a replica's capacity for one flooding host.
 */
export const RATE_LIMIT_DEFAULTS = { clientPerMinute: 30_000, addressPerMinute: 6_000 } as const;
