/**
 * Client authentication for the CDS endpoints: only CDS clients (EHRs) on the trusted-issuer
 * allow-list get in, each call with a fresh signed JWT whose `aud` is the URL invoked.
 *
 * - Failure: plain 401, empty body, `WWW-Authenticate: Bearer`; one log line with a stable reason
 *   code, the claimed issuer and a hash of the jti. Never the token, never detail to the caller.
 * - Cannot check (replay store or an allow-listed JWK Set URL unavailable): 503 with an
 *   OperationOutcome; the request is not let through.
 * - Off (`enabled: false`, the default for local runs): passes through and sets nothing.
 *
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import type { Request, RequestHandler, Response } from 'express';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Store } from '../store/types.js';
import { appError, statusOf } from '../app/errors.js';
import { toClientAuthError } from './client-auth-error.js';
import { sendError } from './send-error.js';
import type { TrustedIssuer } from '../config/client-issuers.js';
import { createTokenVerifier, type TokenLogContext } from './client-token.js';
import { createJwksCache, type FetchJwks } from './jwks-cache.js';
import { budgetOf } from './store-budget.js';

export type { ClientIdentity } from './client-token.js';

/** Which endpoint a middleware guards (for the log; `aud` comes from the URL itself). */
export type ClientAuthKind = 'service' | 'feedback';

/** Tolerated clock difference with the CDS client on `exp`, `nbf` and `iat`. */
export const CLOCK_SKEW_SECONDS = 60;
/**
 * Largest `exp - iat` accepted. The spec's example tokens live minutes; an hour bounds what a
 * leaked token is worth and how long a jti must be remembered.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

const MAX_AUTHORIZATION_LENGTH = 16_384;
/** Compact JWS: three base64url parts; the signature may be empty so `alg: none` is named as such. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export interface ClientAuthOptions {
  readonly enabled: boolean;
  readonly issuers: readonly TrustedIssuer[];
  /** e.g. `https://cds.example.org` (may carry a path prefix). Unset: derived from each request. */
  readonly publicBaseUrl?: string | undefined;
  /** Derive the base URL from X-Forwarded-Proto/-Host (only without `publicBaseUrl`). */
  readonly trustProxy?: boolean;
  readonly rememberJti: Store['rememberJti'];
  readonly now: () => Date;
  readonly logger: Logger;
  /** Fetch used for JWK Sets (tests); the global fetch by default. */
  readonly fetchJwks?: FetchJwks;
  /** JWK Set request timeout; default 3000 ms. */
  readonly jwksTimeoutMs?: number;
  /** How long fetched JWK Sets are kept; default 10 minutes. */
  readonly jwksCacheMaxAgeMs?: number;
  readonly clockSkewSeconds?: number;
  readonly maxLifetimeSeconds?: number;
}

/** The first value of a possibly repeated, possibly comma-separated header. */
function firstHeader(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  const first = raw?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}

/**
 * The URL of the endpoint invoked, which the token's `aud` must name: `publicBaseUrl` (or the
 * request's protocol and host) + the request path without its query. Undefined when it cannot be
 * derived safely.
 */
export function endpointUrl(
  req: Request,
  publicBaseUrl: string | undefined,
  trustProxy: boolean,
): string | undefined {
  const path = req.originalUrl.split(/[?#]/)[0] ?? '';
  if (!path.startsWith('/')) return undefined;
  if (publicBaseUrl !== undefined) return `${publicBaseUrl}${path}`;
  const forwardedProto = trustProxy
    ? firstHeader(req.headers['x-forwarded-proto'])?.toLowerCase()
    : undefined;
  const proto =
    forwardedProto ?? ((req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http');
  const host =
    (trustProxy ? firstHeader(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host;
  if ((proto !== 'http' && proto !== 'https') || host === undefined || !HOST.test(host)) {
    return undefined;
  }
  return `${proto}://${host}${path}`;
}

/** The compact JWT from `Authorization: Bearer <jwt>`, or the reason there is none. */
function bearerToken(
  header: string | undefined,
): string | 'ERR_AUTH_HEADER_MISSING' | 'ERR_AUTH_HEADER_MALFORMED' {
  if (header === undefined || header === '') return 'ERR_AUTH_HEADER_MISSING';
  if (header.length > MAX_AUTHORIZATION_LENGTH) return 'ERR_AUTH_HEADER_MALFORMED';
  const match = /^Bearer +(\S+) *$/i.exec(header);
  const token = match?.[1];
  return token !== undefined && COMPACT_JWS.test(token) ? token : 'ERR_AUTH_HEADER_MALFORMED';
}

/**
 * Builds the client-authentication middleware factory used by `createApp` (`deps.clientAuth`).
 * On success `res.locals.client` is a `ClientIdentity` (`{ iss, tenant? }`).
 *
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
export function createClientAuth(
  options: ClientAuthOptions,
): (kind: ClientAuthKind) => RequestHandler {
  if (!options.enabled) {
    const passThrough: RequestHandler = (_req, _res, next) => {
      next();
    };
    return () => passThrough;
  }

  const publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, '') || undefined;
  const trustProxy = options.trustProxy ?? false;
  const jwks = createJwksCache({
    allowedUrls: options.issuers.flatMap((i) => [...i.jku, ...(i.jwksUrl ? [i.jwksUrl] : [])]),
    ...(options.fetchJwks !== undefined ? { fetchJwks: options.fetchJwks } : {}),
    ...(options.jwksTimeoutMs !== undefined ? { timeoutMs: options.jwksTimeoutMs } : {}),
    ...(options.jwksCacheMaxAgeMs !== undefined
      ? { cacheMaxAgeMs: options.jwksCacheMaxAgeMs }
      : {}),
  });
  const verify = createTokenVerifier({
    issuers: options.issuers,
    jwks,
    rememberJti: options.rememberJti,
    now: options.now,
    clockSkewSeconds: options.clockSkewSeconds ?? CLOCK_SKEW_SECONDS,
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS,
  });
  const { logger } = options;

  /** Plain 401: no body, no detail; the reason goes to the log only. */
  const refuse = (res: Response, line: Record<string, unknown>): void => {
    logger.warn(line, 'client authentication failed');
    res
      .status(statusOf('unauthenticated'))
      .set('WWW-Authenticate', 'Bearer')
      .set('Cache-Control', 'no-store')
      .end();
  };

  return (kind) => async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token === 'ERR_AUTH_HEADER_MISSING' || token === 'ERR_AUTH_HEADER_MALFORMED') {
      refuse(res, { reason: token, kind });
      return;
    }
    const audience = endpointUrl(req, publicBaseUrl, trustProxy);
    if (audience === undefined) {
      refuse(res, { reason: 'ERR_JWT_AUDIENCE', kind });
      return;
    }
    const log: TokenLogContext = {};
    try {
      res.locals['client'] = await verify(token, audience, log, budgetOf(res));
    } catch (error) {
      const failure = toClientAuthError(error);
      if (failure === undefined) {
        next(error);
        return;
      }
      const line = {
        reason: failure.code,
        kind,
        ...log,
        ...(failure.claim !== undefined ? { claim: failure.claim } : {}),
      };
      if (failure.appCode === 'auth-unavailable') {
        logger.error(line, 'client authentication unavailable');
        res.set('Retry-After', '5');
        sendError(
          res,
          appError(
            'auth-unavailable',
            'Client authentication cannot be checked right now; retry later.',
          ),
        );
        return;
      }
      refuse(res, line);
      return;
    }
    next();
  };
}

/**
 * The adapter the service wiring calls: `config.auth` (issuers parsed and checked by `loadConfig`,
 * which refuses to start on a bad `CDS_CLIENT_ISSUERS` or a missing `PUBLIC_BASE_URL`),
 * `config.publicBaseUrl` and `config.http.trustProxy`.
 */
export function buildClientAuth(
  config: Pick<Config, 'auth' | 'publicBaseUrl' | 'http'>,
  store: Pick<Store, 'rememberJti'>,
  now: () => Date,
  logger: Logger,
): (kind: ClientAuthKind) => RequestHandler {
  return createClientAuth({
    enabled: config.auth.enabled,
    issuers: config.auth.issuers,
    publicBaseUrl: config.publicBaseUrl,
    // Only without PUBLIC_BASE_URL, which the configuration requires with authentication on.
    trustProxy: config.http.trustProxy !== false,
    rememberJti: (issuer, jti, expiresAt, at, call) =>
      store.rememberJti(issuer, jti, expiresAt, at, call),
    now,
    logger,
  });
}
