/**
 * The security headers are helmet's, worked out once at start-up (src/http/security-headers.ts):
 * an answer carries exactly the headers helmet itself would have set on it.
 */
import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HELMET_OPTIONS, securityHeaders } from '../../src/http/security-headers.js';

function headersOf(res: request.Response): Record<string, unknown> {
  const { date: _date, ...rest } = res.headers as Record<string, unknown>;
  return rest;
}

describe('security headers', () => {
  it('equal what helmet sets on a live response, for a page and for an API answer', async () => {
    const build = (middleware: express.RequestHandler) => {
      const app = express();
      app.disable('x-powered-by');
      app.use(middleware);
      app.get('/page', (_req, res) => {
        res.type('html').send('<p>hi</p>');
      });
      app.post('/api', (_req, res) => {
        res.json({ ok: true });
      });
      return app;
    };
    const live = build(helmet(HELMET_OPTIONS));
    const precomputed = build(securityHeaders());
    for (const call of [
      (a: express.Express) => request(a).get('/page'),
      (a: express.Express) => request(a).post('/api'),
    ]) {
      const expected = headersOf(await call(live));
      expect(expected['content-security-policy']).toContain("script-src 'self'");
      expect(expected['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(headersOf(await call(precomputed))).toEqual(expected);
    }
  });
});
