/**
 * Per-client rate limiting (issue 5, item 3): a fixed one-minute window per client (JWT issuer and
 * tenant, else address: behind a proxy the one TRUST_PROXY makes out, not a forgeable header), 429 with Retry-After beyond the limit, and availability first when the shared
 * counter is down (let through, warned once per window).
 */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { memoryRateCounter, rateLimit, type RateCounter } from '../../src/http/rate-limit.js';
import { examplePatientView } from '../support/hook-requests.js';
import { startTestService } from '../support/test-service.js';

function app(
  counter: RateCounter,
  now: () => Date,
  lines: string[] = [],
  iss?: string,
  tenant?: string,
) {
  const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
  const a = express();
  a.use((_req, res, next) => {
    if (iss) res.locals['client'] = { iss, ...(tenant ? { tenant } : {}) };
    next();
  });
  a.use(rateLimit({ perMinute: 3, counter, now, logger }));
  a.get('/x', (_req, res) => {
    res.json({ ok: true });
  });
  return a;
}

describe('rate limit', () => {
  it('allows the limit per window, then 429 with Retry-After; a new window starts afresh', async () => {
    let now = new Date('2026-11-25T10:00:15Z');
    const a = app(memoryRateCounter(), () => now);
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
    const counter = memoryRateCounter();
    const now = () => new Date('2026-11-25T10:00:00Z');
    for (let i = 0; i < 3; i++)
      await request(app(counter, now, [], 'https://a'))
        .get('/x')
        .expect(200);
    await request(app(counter, now, [], 'https://a'))
      .get('/x')
      .expect(429);
    await request(app(counter, now, [], 'https://b'))
      .get('/x')
      .expect(200);
  });

  it('an issuer calling for several organisations: one budget per tenant', async () => {
    const counter = memoryRateCounter();
    const now = () => new Date('2026-11-25T10:00:00Z');
    const as = (tenant?: string) => request(app(counter, now, [], 'https://ehr', tenant)).get('/x');
    for (let i = 0; i < 3; i++) await as('hospital-a').expect(200);
    await as('hospital-a').expect(429);
    await as('hospital-b').expect(200);
    await as().expect(200);
  });

  it('a counter that fails lets requests through and warns once per window', async () => {
    const lines: string[] = [];
    let now = new Date('2026-11-25T10:00:00Z');
    const down: RateCounter = {
      hit: () => Promise.reject(Object.assign(new Error('x'), { code: 'STORE_UNAVAILABLE' })),
    };
    const a = app(down, () => now, lines);
    for (let i = 0; i < 10; i++) await request(a).get('/x').expect(200);
    expect(lines.filter((l) => l.includes('rate-limit counter unavailable'))).toHaveLength(1);
    now = new Date('2026-11-25T10:01:30Z');
    await request(a).get('/x').expect(200);
    const warnings = lines.filter((l) => l.includes('rate-limit counter unavailable'));
    expect(warnings).toHaveLength(2);
    expect(JSON.parse(warnings[1]!)).toMatchObject({ letThrough: 10, err: 'STORE_UNAVAILABLE' });
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
      env: { TRUST_PROXY: trustProxy, RATE_LIMIT_PER_MINUTE: '2' },
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
