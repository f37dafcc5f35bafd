/**
 * Per-client rate limiting (issue 5, item 3): a fixed one-minute window per client (JWT issuer,
 * else address), 429 with Retry-After beyond the limit, and availability first when the shared
 * counter is down (let through, warned once per window).
 */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { memoryRateCounter, rateLimit, type RateCounter } from '../../src/http/rate-limit.js';

function app(counter: RateCounter, now: () => Date, lines: string[] = [], iss?: string) {
  const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
  const a = express();
  a.use((_req, res, next) => {
    if (iss) res.locals['client'] = { iss };
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
