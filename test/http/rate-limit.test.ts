/**
 * Per-client rate limiting (issue 5 item 3, issue 13 item 7, issue 15): a fixed one-minute window
 * per client, with one limit for an authenticated client (JWT issuer and tenant) and a lower one
 * per anonymous address (behind a proxy the one TRUST_PROXY makes out, not a forgeable header);
 * 429 with Retry-After beyond it. At the defaults a busy EHR (50 calls a second for a minute) is
 * never throttled. A shared counter that fails or stalls never holds a request: the local count
 * decides. Long runs are driven with an injected clock, not the wall clock.
 */
import express, { type RequestHandler, type Response } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/http/logger.js';
import {
  rateLimit,
  SHARED_COUNTER_COOL_OFF_MS,
  type RateCounter,
  type RateLimitOptions,
} from '../../src/http/rate-limit.js';
import { examplePatientView } from '../support/hook-requests.js';
import { startTestService } from '../support/test-service.js';

const SMALL = { clientPerMinute: 3, addressPerMinute: 3 };

function limiter(
  now: () => Date,
  more: Partial<RateLimitOptions> = {},
  lines: string[] = [],
): RequestHandler {
  const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
  return rateLimit({ limits: SMALL, sharedWaitMs: 30, now, logger, ...more });
}

function app(handler: RequestHandler, iss?: string, tenant?: string) {
  const a = express();
  a.use((_req, res, next) => {
    if (iss) res.locals['client'] = { iss, ...(tenant ? { tenant } : {}) };
    next();
  });
  a.use(handler);
  a.get('/x', (_req, res) => {
    res.json({ ok: true });
  });
  return a;
}

/** One request straight through the middleware: its status (200: passed on). */
function drive(handler: RequestHandler, who: { ip?: string; iss?: string } = {}): Promise<number> {
  return new Promise((resolve) => {
    const res = {
      locals: who.iss ? { client: { iss: who.iss } } : {},
      statusCode: 200,
      setHeader: () => res,
      status(code: number) {
        res.statusCode = code;
        return res;
      },
      json: () => resolve(res.statusCode),
    };
    void handler({ ip: who.ip ?? '192.0.2.1' } as never, res as unknown as Response, () =>
      resolve(200),
    );
  });
}

/** Statuses of `perSecond` calls a second for `seconds`, evenly spaced on the injected clock. */
async function callAtRate(
  make: (now: () => Date) => RequestHandler,
  start: Date,
  perSecond: number,
  seconds: number,
  who: { ip?: string; iss?: string },
): Promise<Map<number, number>> {
  let t = start.getTime();
  const handler = make(() => new Date(t));
  const statuses = new Map<number, number>();
  for (let i = 0; i < perSecond * seconds; i++) {
    t = start.getTime() + Math.floor((i * 1000) / perSecond);
    const status = await drive(handler, who);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  return statuses;
}

describe('rate limit', () => {
  it('allows the limit per window, then 429 with Retry-After; a new window starts afresh', async () => {
    let now = new Date('2026-11-25T10:00:15Z');
    const a = app(limiter(() => now));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(a).get('/x')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await request(a).get('/x');
    expect(limited.headers['retry-after']).toBe('45');
    expect(limited.body.issue[0].code).toBe('throttled');
    now = new Date('2026-11-25T10:01:00Z');
    const next = await request(a).get('/x').expect(200);
    expect(next.headers['ratelimit-remaining']).toBe('2');
  });

  it('counts per client: two issuers do not share a budget', async () => {
    const handler = limiter(() => new Date('2026-11-25T10:00:00Z'));
    for (let i = 0; i < 3; i++) await request(app(handler, 'https://a')).get('/x').expect(200);
    await request(app(handler, 'https://a')).get('/x').expect(429);
    await request(app(handler, 'https://b')).get('/x').expect(200);
  });

  it('an issuer calling for several organisations: one budget per tenant', async () => {
    const handler = limiter(() => new Date('2026-11-25T10:00:00Z'));
    const as = (tenant?: string) => request(app(handler, 'https://ehr', tenant)).get('/x');
    for (let i = 0; i < 3; i++) await as('hospital-a').expect(200);
    await as('hospital-a').expect(429);
    await as('hospital-b').expect(200);
    await as().expect(200);
  });

  it('an authenticated client and an anonymous address have limits of their own', async () => {
    const handler = limiter(() => new Date('2026-11-25T10:00:00Z'), {
      limits: { clientPerMinute: 5, addressPerMinute: 2 },
    });
    const anonymous = await Promise.all([1, 2, 3].map(() => request(app(handler)).get('/x')));
    expect(anonymous.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    expect(anonymous[0]?.headers['ratelimit-limit']).toBe('2');
    const client: number[] = [];
    for (let i = 0; i < 6; i++)
      client.push((await request(app(handler, 'https://ehr')).get('/x')).status);
    expect(client).toEqual([200, 200, 200, 200, 200, 429]);
  });

  describe('at the default limits', () => {
    const limits = loadConfig({}).config.http.rateLimit;
    const make = (now: () => Date) => limiter(now, { limits });

    it('a client (one JWT issuer) calling 50 times a second for a minute gets no 429', async () => {
      // Aligned on a window, and straddling two windows.
      for (const start of ['2026-11-25T10:00:00Z', '2026-11-25T10:00:29.990Z']) {
        const statuses = await callAtRate(make, new Date(start), 50, 60, { iss: 'https://ehr' });
        expect(statuses).toEqual(new Map([[200, 3000]]));
      }
    });

    it('one anonymous address flooding at 200 a second is throttled within the minute', async () => {
      const statuses = await callAtRate(make, new Date('2026-11-25T10:00:00Z'), 200, 60, {
        ip: '203.0.113.9',
      });
      expect(statuses.get(200)).toBe(limits.addressPerMinute);
      expect(statuses.get(429)).toBe(200 * 60 - limits.addressPerMinute);
    });
  });

  it('a shared counter that fails: the local count decides, one warning per window', async () => {
    const lines: string[] = [];
    let now = new Date('2026-11-25T10:00:00Z');
    let calls = 0;
    const down: RateCounter = {
      hit: () => {
        calls += 1;
        return Promise.reject(Object.assign(new Error('x'), { code: 'STORE_UNAVAILABLE' }));
      },
    };
    const a = app(limiter(() => now, { shared: down }, lines));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(a).get('/x')).status);
    // Still limited, by this replica's own count.
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Tried once, then left alone for the cool-off.
    expect(calls).toBe(1);
    const warning = 'shared rate-limit counter unavailable';
    expect(lines.filter((l) => l.includes(warning))).toHaveLength(1);
    now = new Date('2026-11-25T10:01:30Z');
    await request(a).get('/x').expect(200);
    expect(calls).toBe(2);
    const warnings = lines.filter((l) => l.includes(warning));
    expect(warnings).toHaveLength(2);
    expect(JSON.parse(warnings[1]!)).toMatchObject({ err: 'STORE_UNAVAILABLE' });
  });

  it('a stalled shared counter holds a request no longer than the short wait, then one probe per cool-off', async () => {
    let t = new Date('2026-11-25T10:00:00Z').getTime();
    let calls = 0;
    const stalled: RateCounter = {
      hit: () => {
        calls += 1;
        return new Promise<number>(() => undefined);
      },
    };
    const handler = limiter(() => new Date(t), {
      shared: stalled,
      limits: { clientPerMinute: 100, addressPerMinute: 100 },
    });
    const started = performance.now();
    expect(await drive(handler)).toBe(200);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(25);
    expect(waited).toBeLessThan(1_000);
    // During the cool-off nobody waits: the stalled counter is not called again.
    const quick = performance.now();
    for (let i = 0; i < 20; i++) expect(await drive(handler)).toBe(200);
    expect(performance.now() - quick).toBeLessThan(200);
    expect(calls).toBe(1);
    // After it, one request probes while the others go on with the local count.
    t += SHARED_COUNTER_COOL_OFF_MS;
    const probe = drive(handler);
    expect(await drive(handler)).toBe(200);
    expect(await probe).toBe(200);
    expect(calls).toBe(2);
  });

  it('a healthy shared counter decides (every replica counted)', async () => {
    const shared: RateCounter = { hit: () => Promise.resolve(1_000) };
    const handler = limiter(() => new Date('2026-11-25T10:00:00Z'), { shared });
    expect(await drive(handler)).toBe(429);
  });
});

describe('behind a proxy (TRUST_PROXY): the address is the one the trusted proxy saw', () => {
  // supertest connects from 127.0.0.1: that is the proxy. The client forges the leftmost
  // X-Forwarded-For entry on each call; the proxy appends the address it really saw.
  const forged = (i: number) => `10.${i}.0.1, 203.0.113.7`;

  it.each([
    ['a hop count', '1'],
    ['the proxy address as a CIDR', '127.0.0.1/32'],
    ['a named range', 'loopback'],
  ])('%s: forging X-Forwarded-For does not buy a new budget', async (_name, trustProxy) => {
    const svc = await startTestService({
      env: { TRUST_PROXY: trustProxy, RATE_LIMIT_ADDRESS_PER_MINUTE: '2' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (
            await request(svc.app)
              .post('/cds-services/vcf-assessment')
              .set('X-Forwarded-For', forged(i))
              .send(examplePatientView('benign'))
          ).status,
        );
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
      // Another real client (another address appended by the proxy) has its own budget.
      await request(svc.app)
        .post('/cds-services/vcf-assessment')
        .set('X-Forwarded-For', '198.51.100.9')
        .send(examplePatientView('benign'))
        .expect(200);
    } finally {
      await svc.close();
    }
  });
});
