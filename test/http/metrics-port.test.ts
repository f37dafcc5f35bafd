/**
 * METRICS_PORT (deploy/: the ingress publishes the service port only): the metrics move to their
 * own listener, and the published port answers /metrics 404 like any unknown path.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { examplePatientView } from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';

describe('METRICS_PORT set', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ env: { METRICS_PORT: '9464' } });
  });
  afterAll(async () => {
    await svc.close();
  });

  it('the service port has no /metrics', async () => {
    const res = await request(svc.app).get('/metrics').expect(404);
    expect(res.text).not.toContain('vcf_cds_');
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it("the metrics listener serves them, counting the service port's requests", async () => {
    await request(svc.app).post('/cds-services/vcf-assessment').send(examplePatientView('benign'));
    const res = await request(svc.metricsApp!).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /vcf_cds_http_requests_total\{route="service:vcf-assessment",status="200"\} 1/,
    );
  });

  it('the metrics listener serves nothing else', async () => {
    await request(svc.metricsApp!).get('/cds-services').expect(404);
    await request(svc.metricsApp!).post('/cds-services/vcf-assessment').send({}).expect(404);
  });
});

describe('METRICS_PORT unset', () => {
  it('the service port serves /metrics (a single host, no ingress)', async () => {
    const svc = await startTestService();
    try {
      expect(svc.metricsApp).toBeUndefined();
      expect((await request(svc.app).get('/metrics').expect(200)).text).toContain('vcf_cds_');
    } finally {
      await svc.close();
    }
  });
});

describe('METRICS_PORT setting', () => {
  it.each([
    ['abc', 'METRICS_PORT="abc": expected a port number (1-65535)'],
    ['70000', 'METRICS_PORT="70000": expected a port number (1-65535)'],
    [
      '3000',
      'METRICS_PORT=3000 is PORT too: give the metrics a port of their own, or unset METRICS_PORT',
    ],
  ])('%s is refused at start', (value, error) => {
    expect(loadConfig({ METRICS_PORT: value }).errors).toEqual([error]);
  });

  it('a port of its own is taken', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).config.metricsPort).toBe(9464);
    expect(loadConfig({}).config.metricsPort).toBeUndefined();
  });
});
