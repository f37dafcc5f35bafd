/**
 * The request metrics' route label comes from the path (issue 5 audit): answers sent before the
 * hook handler (401, 413, 415, 429, a 400 for depth, feedback) carry their service, and the label
 * set stays bounded whatever paths a client invents.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeOf } from '../../src/http/metrics.js';
import { examplePatientView } from '../support/hook-requests.js';
import { seriesValue } from '../support/prometheus.js';
import { startTestService, type TestService } from '../support/test-service.js';

describe('routeOf', () => {
  it.each([
    ['/cds-services/vcf-assessment', 'service:vcf-assessment'],
    ['/cds-services/vcf-procedure-check/', 'service:vcf-procedure-check'],
    ['/cds-services/vcf-assessment/feedback', 'feedback:vcf-assessment'],
    ['/cds-services/nope', 'service:unknown'],
    ['/cds-services/%00%ff/feedback', 'feedback:unknown'],
    ['/cds-services/vcf-assessment/other', 'other'],
    ['/cds-services', '/cds-services'],
    ['/api/assess', '/api/assess'],
    ['/playground/examples/benign', '/playground'],
    ['/etc/passwd', 'other'],
  ])('%s -> %s', (path, route) => {
    expect(routeOf(path)).toBe(route);
  });
});

const count = (text: string, route: string, status: number) =>
  seriesValue(text, 'vcf_cds_http_requests_total', [
    ['route', route],
    ['status', String(status)],
  ]);

describe('every answer is counted under its service', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ env: { BODY_LIMIT: '10kb' } });
  });
  afterAll(async () => {
    await svc.close();
  });

  it('feedback, 400 (depth), 413 and 415 answers, and invented service ids as unknown', async () => {
    const post = (path: string) => request(svc.app).post(path);
    await post('/cds-services/vcf-assessment/feedback').send({ feedback: 'no' }).expect(400);
    await post('/cds-services/vcf-assessment')
      .set('content-type', 'application/json')
      .send('['.repeat(100) + ']'.repeat(100))
      .expect(400);
    await post('/cds-services/vcf-assessment')
      .send({ pad: 'x'.repeat(20_000) })
      .expect(413);
    await post('/cds-services/vcf-procedure-check')
      .set('content-type', 'text/plain')
      .send('x')
      .expect(415);
    for (let i = 0; i < 5; i++) await post(`/cds-services/random-${i}`).send({}).expect(404);
    const text = (await request(svc.app).get('/metrics').expect(200)).text;
    expect(count(text, 'feedback:vcf-assessment', 400)).toBe(1);
    expect(count(text, 'service:vcf-assessment', 400)).toBe(1);
    expect(count(text, 'service:vcf-assessment', 413)).toBe(1);
    expect(count(text, 'service:vcf-procedure-check', 415)).toBe(1);
    expect(count(text, 'service:unknown', 404)).toBe(5);
    expect(text).not.toMatch(/random-/);
  });

  it('401 (client authentication) and 429 (rate limit)', async () => {
    const auth = await startTestService({
      env: {
        CDS_CLIENT_AUTH: 'true',
        PUBLIC_BASE_URL: 'https://cds.example.org',
        CDS_CLIENT_ISSUERS: JSON.stringify([
          { iss: 'https://ehr.example.org', jwksUrl: 'https://ehr.example.org/jwks.json' },
        ]),
      },
    });
    const limited = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
    try {
      await request(auth.app).post('/cds-services/vcf-assessment/feedback').send({}).expect(401);
      for (const status of [200, 429]) {
        await request(limited.app)
          .post('/cds-services/vcf-assessment')
          .send(examplePatientView('benign'))
          .expect(status);
      }
      const authText = (await request(auth.app).get('/metrics')).text;
      expect(count(authText, 'feedback:vcf-assessment', 401)).toBe(1);
      const limitedText = (await request(limited.app).get('/metrics')).text;
      expect(count(limitedText, 'service:vcf-assessment', 429)).toBe(1);
    } finally {
      await auth.close();
      await limited.close();
    }
  });
});
