/**
 * The CDS Hooks protocol surface (CDS Hooks 2.0 and ../shared/CDS-HOOKS-NOTES.md): discovery,
 * status codes with OperationOutcome bodies, CORS for browser clients, health, metrics.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePatientView, patientView } from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ env: { BODY_LIMIT: '200kb' } });
});
afterAll(async () => {
  await svc.close();
});

describe('discovery', () => {
  it('lists the three services with hook, title, description, prefetch and usage requirements', async () => {
    const res = await request(svc.app).get('/cds-services').expect(200);
    const services = res.body.services as Record<string, unknown>[];
    expect(services.map((s) => [s['id'], s['hook']])).toEqual([
      ['vcf-assessment', 'patient-view'],
      ['vcf-procedure-select', 'order-select'],
      ['vcf-procedure-check', 'order-sign'],
    ]);
    for (const s of services) {
      expect(s['title']).toEqual(expect.any(String));
      expect(s['description']).toEqual(expect.any(String));
      expect(s['usageRequirements']).toEqual(expect.any(String));
      expect(s['prefetch']).toEqual({
        patient: 'Patient/{{context.patientId}}',
        findings:
          'Observation?patient={{context.patientId}}&code=https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding|&_count=200',
        conditions: 'Condition?patient={{context.patientId}}&_count=200',
      });
    }
  });

  it('uses only the prefetch tokens the spec allows', async () => {
    const res = await request(svc.app).get('/cds-services').expect(200);
    const templates = (res.body.services as { prefetch: Record<string, string> }[]).flatMap((s) =>
      Object.values(s.prefetch),
    );
    for (const t of templates) {
      for (const token of t.match(/\{\{[^}]*\}\}/g) ?? []) {
        expect(token).toMatch(
          /^\{\{(context\.\w+|userPractitionerId|userPractitionerRoleId|userPatientId|userRelatedPersonId)\}\}$/,
        );
      }
    }
  });
});

describe('status codes and error bodies', () => {
  const post = (path: string) => request(svc.app).post(path);

  it('404 with an OperationOutcome for an unknown service, on the hook and the feedback URL', async () => {
    for (const path of ['/cds-services/nope', '/cds-services/nope/feedback']) {
      const res = await post(path)
        .send(path.endsWith('feedback') ? { feedback: [] } : patientView('p1'))
        .expect(404);
      expect(res.body).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'not-found' }],
      });
    }
  });

  it('400 names the element for a malformed request', async () => {
    const res = await post('/cds-services/vcf-assessment')
      .send({ hook: 'patient-view', hookInstance: 'x', context: {} })
      .expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual(['context.patientId']);
  });

  it('400 for a request sent to the service of another hook', async () => {
    const res = await post('/cds-services/vcf-procedure-check')
      .send(examplePatientView('benign'))
      .expect(400);
    expect(JSON.stringify(res.body)).toMatch(/order-sign/);
  });

  it('400 for a body that is not JSON, with no stack trace', async () => {
    const res = await post('/cds-services/vcf-assessment')
      .set('content-type', 'application/json')
      .send('{"hook": "patient-view",')
      .expect(400);
    expect(res.body.issue[0].diagnostics).toMatch(/not valid JSON/);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it.each([
    ['/cds-services/vcf-assessment', /JSON but not a JSON object; a CDS Hooks request/],
    ['/cds-services/vcf-assessment/feedback', /JSON but not a JSON object; feedback/],
    ['/api/assess', /JSON but not a FHIR Bundle/],
  ])(
    '400 for valid JSON that is no request (null, 5, "x", []) at %s: said so, not "not JSON"',
    async (path, message) => {
      for (const body of ['null', '5', '"x"', '[]']) {
        const res = await post(path).set('content-type', 'application/json').send(body).expect(400);
        expect(res.body.issue[0].diagnostics, body).toMatch(message);
      }
    },
  );

  it('415 for a body that is not sent as JSON', async () => {
    const res = await post('/cds-services/vcf-assessment')
      .set('content-type', 'text/plain')
      .send('hello')
      .expect(415);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('413 for a body larger than BODY_LIMIT', async () => {
    const big = patientView('p1', { extension: { padding: 'x'.repeat(300_000) } });
    const res = await post('/cds-services/vcf-assessment').send(big).expect(413);
    expect(res.body.issue[0].code).toBe('too-costly');
  });

  it('accepts and ignores unknown extensions and fields (spec: extension objects)', async () => {
    const res = await post('/cds-services/vcf-assessment')
      .send(
        examplePatientView('benign', { extension: { 'org.example.flag': true }, unknownField: 1 }),
      )
      .expect(200);
    expect(res.body.cards).toHaveLength(1);
  });

  it('404 with an OperationOutcome for an unknown path', async () => {
    const res = await request(svc.app).get('/nowhere').expect(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});

describe('CORS for browser-based CDS clients', () => {
  it('answers the preflight and the POST with CORS headers, never with credentials', async () => {
    const pre = await request(svc.app)
      .options('/cds-services/vcf-assessment')
      .set('Origin', 'https://sandbox.cds-hooks.org')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type')
      .expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    const post = await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .set('Origin', 'https://sandbox.cds-hooks.org')
      .send(examplePatientView('benign'))
      .expect(200);
    expect(post.headers['access-control-allow-origin']).toBe('*');
    const disco = await request(svc.app)
      .get('/cds-services')
      .set('Origin', 'https://sandbox.cds-hooks.org')
      .expect(200);
    expect(disco.headers['access-control-allow-origin']).toBe('*');
  });

  it('with CORS_ORIGINS set, only the listed origins are echoed', async () => {
    const strict = await startTestService({ env: { CORS_ORIGINS: 'https://ehr.example.org' } });
    try {
      const ok = await request(strict.app)
        .get('/cds-services')
        .set('Origin', 'https://ehr.example.org');
      expect(ok.headers['access-control-allow-origin']).toBe('https://ehr.example.org');
      const other = await request(strict.app)
        .get('/cds-services')
        .set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      // Every answer varies by Origin, listed, unlisted or absent: no cache mixes them up.
      expect(ok.headers['vary']).toMatch(/Origin/);
      expect(other.headers['vary']).toMatch(/Origin/);
      const none = await request(strict.app).post('/cds-services/vcf-assessment').send({});
      expect(none.headers['vary']).toMatch(/Origin/);
    } finally {
      await strict.close();
    }
  });
});

describe('operations', () => {
  it('/healthz and /readyz', async () => {
    expect((await request(svc.app).get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(svc.app).get('/readyz').expect(200)).body).toMatchObject({
      status: 'ready',
      store: 'sqlite',
    });
  });

  it('security headers on every answer', async () => {
    const res = await request(svc.app).get('/cds-services');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('/metrics counts requests by service and status, and assessments by category', async () => {
    await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(examplePatientView('malignant'));
    await request(svc.app).post('/cds-services/nope').send(patientView('p1'));
    const text = (await request(svc.app).get('/metrics').expect(200)).text;
    expect(text).toMatch(
      /vcf_cds_http_requests_total\{route="service:vcf-assessment",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /vcf_cds_http_requests_total\{route="service:unknown",status="404"\} [1-9]/,
    );
    expect(text).toMatch(
      /vcf_cds_assessments_total\{service="vcf-assessment",category="malignant-favoured"\} [1-9]/,
    );
    expect(text).toMatch(/vcf_cds_http_request_duration_seconds_bucket/);
  });

  it('PLAYGROUND=false: the page is not served', async () => {
    expect((await request(svc.app).get('/playground')).status).toBe(200);
    const off = await startTestService({ env: { PLAYGROUND: 'false' } });
    try {
      await request(off.app).get('/playground').expect(404);
      await request(off.app).get('/playground/contract.json').expect(404);
    } finally {
      await off.close();
    }
  });

  it('/readyz is 503 when the store does not answer', async () => {
    const broken = await startTestService();
    await broken.store.close();
    await request(broken.app).get('/readyz').expect(503);
    await broken.close().catch(() => undefined);
  });
});
