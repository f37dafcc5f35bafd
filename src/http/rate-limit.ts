/**
 * Per-client rate limiting (fixed one-minute windows). The client is the authenticated JWT issuer
 * and tenant (the organisation it calls for) when there is one, else the remote address (behind a
 * proxy, the address TRUST_PROXY's hop count or ranges make out, never a forgeable leftmost
 * X-Forwarded-For entry). With PostgreSQL the counters live in the database,
 * so every replica sees the same count; with the embedded SQLite store (one replica) they live in
 * memory. A counter store that fails lets the request through (availability of decision support
 * outweighs the limit) and logs the failure.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ClientIdentity } from './client-token.js';

export interface RateCounter {
  /** Count of hits in the current window for `key`, this hit included. */
  hit(key: string, windowMs: number, now: Date): Promise<number>;
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

export function rateLimit(options: {
  perMinute: number;
  counter: RateCounter;
  now: () => Date;
  logger: Logger;
}): RequestHandler {
  const windowMs = 60_000;
  // While the shared counter is down every request fails the same way: one warning per window,
  // with the number of requests let through, instead of one per request flooding the log.
  let failedSince: number | undefined;
  let failures = 0;
  return async (req, res, next) => {
    const key = clientKey(res.locals['client'] as ClientIdentity | undefined, req.ip);
    let count: number;
    try {
      count = await options.counter.hit(key, windowMs, options.now());
    } catch (error) {
      const at = options.now().getTime();
      failures += 1;
      if (failedSince === undefined || at - failedSince >= windowMs) {
        options.logger.warn(
          { err: (error as { code?: string })?.code ?? 'unknown', letThrough: failures },
          'rate-limit counter unavailable; requests let through unlimited',
        );
        failedSince = at;
        failures = 0;
      }
      next();
      return;
    }
    failedSince = undefined;
    res.setHeader('RateLimit-Limit', String(options.perMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, options.perMinute - count)));
    if (count > options.perMinute) {
      res.setHeader(
        'Retry-After',
        String(Math.ceil((windowMs - (options.now().getTime() % windowMs)) / 1000)),
      );
      res.status(429).json({
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'throttled', diagnostics: 'Too many requests; retry later.' },
        ],
      });
      return;
    }
    next();
  };
}
