/**
 * Per-client rate limiting (fixed one-minute windows), with two limits (README "Rate limits"):
 * - an authenticated CDS client, the JWT issuer and tenant: one EHR, whose every chart opening
 *   fires patient-view, so its limit is far above what a whole hospital sends (50 calls a second
 *   is 3,000 a minute); it only stops a runaway integration;
 * - an anonymous caller (client authentication off), by remote address (behind a proxy, the
 *   address TRUST_PROXY's hop count or ranges make out, never a forgeable leftmost
 *   X-Forwarded-For entry): lower, so one host cannot flood the service, yet above one EHR's
 *   traffic for sites that run without authentication. With authentication on, a request without a
 *   valid JWT is refused (401) before it reaches this limiter or any costly work.
 *
 * Counting: every replica counts locally in memory; with PostgreSQL the shared counter (every
 * replica's hits) decides when it answers within a small wait. A request never waits on a stalled
 * store: past that wait, or when the shared counter failed recently, the local count decides
 * (each replica then enforces the limit alone), and one request at a time probes the shared
 * counter again after a cool-off.
 */
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { beforeDeadline, clockMs, type StoreCallOptions } from '../store/deadline.js';
import { StoreError } from '../store/types.js';
import type { ClientIdentity } from './client-token.js';
import { budgetOf } from './store-budget.js';
import { appError } from '../app/errors.js';
import { sendError } from './send-error.js';
import type { RateLimits } from '../config/rate-limits.js';

/** After the shared counter failed, how long the local count alone decides before a new probe. */
export const SHARED_COUNTER_COOL_OFF_MS = 5_000;

/**
 * How long a request waits for the shared counter: a twentieth of the store deadline (150 ms at
 * the default), dozens of times a healthy upsert, never less than 20 ms.
 */
export function sharedCounterWaitMs(storeDeadlineMs: number): number {
  return Math.max(20, Math.floor(storeDeadlineMs / 20));
}

export interface RateCounter {
  /** Count of hits in the current window for `key`, this hit included. */
  hit(key: string, windowMs: number, now: Date, options?: StoreCallOptions): Promise<number>;
}

/** In-memory fixed-window counter for a single replica; old windows are dropped. */
export function memoryRateCounter(maxKeys = 100_000): RateCounter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit: async (key, windowMs, now) => {
      const start = Math.floor(now.getTime() / windowMs) * windowMs;
      const w = windows.get(key);
      if (w === undefined || w.start !== start) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (v.start !== start) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        windows.set(key, { start, count: 1 });
        return 1;
      }
      w.count += 1;
      return w.count;
    },
  };
}

/** The counter key: issuer and tenant of an authenticated client (JSON: no two pairs alike), else its address. */
export function clientKey(client: ClientIdentity | undefined, ip: string | undefined): string {
  if (client?.iss) return `client:${JSON.stringify([client.iss, client.tenant ?? null])}`;
  return `ip:${ip ?? 'unknown'}`;
}

export interface RateLimitOptions {
  readonly limits: Pick<RateLimits, 'clientPerMinute' | 'addressPerMinute'>;
  /** Every replica's hits (PostgreSQL); unset with one replica (SQLite): the local count decides. */
  readonly shared?: RateCounter;
  /** Longest a request waits for the shared counter (a small fraction of STORE_DEADLINE_MS). */
  readonly sharedWaitMs: number;
  readonly now: () => Date;
  readonly logger: Logger;
}

export function rateLimit(options: RateLimitOptions): RequestHandler {
  const windowMs = 60_000;
  const local = memoryRateCounter();
  const { shared, now, logger } = options;
  // While the shared counter is down every request is counted locally: one warning per window,
  // with the number of requests counted so, instead of one per request flooding the log.
  let failedSince: number | undefined;
  let failures = 0;
  let downUntil = Number.NEGATIVE_INFINITY;
  let probing = false;

  /** The shared count, or undefined when it is down, probed by another request, or too slow. */
  const sharedCount = async (res: Response, key: string, at: Date): Promise<number | undefined> => {
    if (shared === undefined || probing || at.getTime() < downUntil) return undefined;
    const probe = at.getTime() >= downUntil && Number.isFinite(downUntil);
    probing = probe;
    try {
      const count = await budgetOf(res).run((call) => {
        const deadline = Math.min(call.deadline ?? Infinity, clockMs() + options.sharedWaitMs);
        return beforeDeadline(
          shared.hit(key, windowMs, at, { deadline }),
          deadline,
          () => new StoreError('STORE_UNAVAILABLE', 'the shared rate-limit counter is slow'),
        );
      });
      downUntil = Number.NEGATIVE_INFINITY;
      failedSince = undefined;
      return count;
    } catch (error) {
      const t = now().getTime();
      downUntil = t + SHARED_COUNTER_COOL_OFF_MS;
      failures += 1;
      if (failedSince === undefined || t - failedSince >= windowMs) {
        logger.warn(
          { err: (error as { code?: string })?.code ?? 'unknown', countedLocally: failures },
          'shared rate-limit counter unavailable; each replica counts alone',
        );
        failedSince = t;
        failures = 0;
      }
      return undefined;
    } finally {
      if (probe) probing = false;
    }
  };

  return async (req, res, next) => {
    const client = res.locals['client'] as ClientIdentity | undefined;
    const key = clientKey(client, req.ip);
    const limit = client?.iss ? options.limits.clientPerMinute : options.limits.addressPerMinute;
    const at = now();
    const localCount = await local.hit(key, windowMs, at);
    const count = (await sharedCount(res, key, at)) ?? localCount;
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - count)));
    if (count > limit) {
      res.setHeader(
        'Retry-After',
        String(Math.ceil((windowMs - (now().getTime() % windowMs)) / 1000)),
      );
      sendError(res, appError('rate-limited', 'Too many requests; retry later.'));
      return;
    }
    next();
  };
}
