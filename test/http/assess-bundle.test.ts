/**
 * POST /api/assess: the plain REST endpoint for integrators and batch use (issue 4, item 5).
 * A FHIR Bundle in, a Bundle of RiskAssessment (one per level) out.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExampleBundle } from '../profiles/load.js';
import { expectTwoLevelAudit } from '../support/audit.js';
import { startTestService, type TestService } from '../support/test-service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.close();
});

type RA = {
  resourceType: string;
  status: string;
  subject: { reference: string };
  basis?: { reference: string }[];
  method: { text: string };
  prediction: { probabilityDecimal: number; qualitativeRisk: { coding: { code: string }[] } }[];
  extension: { valueCodeableConcept: { coding?: { code: string }[] } }[];
};

const assess = (body: unknown, query = '') =>
  request(svc.app)
    .post(`/api/assess${query}`)
    .set('content-type', 'application/fhir+json')
    .send(JSON.stringify(body));

describe('/api/assess', () => {
  it('two-level: one RiskAssessment per level, with probability, category, basis and versions', async () => {
    const res = await assess(loadExampleBundle('two-level')).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const ras = (res.body.entry as { resource: RA }[]).map((e) => e.resource);
    expect(ras.map((r) => r.extension[0]?.valueCodeableConcept.coding?.[0]?.code)).toEqual([
      'T12',
      'L3',
    ]);
    expect(ras.map((r) => r.prediction[0]?.qualitativeRisk.coding[0]?.code)).toEqual([
      'benign-favoured',
      'malignant-favoured',
    ]);
    for (const r of ras) {
      expect(r.resourceType).toBe('RiskAssessment');
      expect(r.subject.reference).toBe('Patient/vcf-example-two-level');
      expect(r.prediction[0]!.probabilityDecimal).toBeGreaterThan(0);
      expect(r.prediction[0]!.probabilityDecimal).toBeLessThan(1);
      expect(r.method.text).toMatch(/engine \d+\.\d+\.\d+, knowledge base \d+\.\d+\.\d+\+/);
      const basis = (r.basis ?? []).map((b) => b.reference);
      expect(basis.filter((b) => b.startsWith('Observation/')).length).toBeGreaterThanOrEqual(13);
      // The breast cancer raised the pre-test probability: it is part of what the result rests on.
      expect(basis).toContain('Condition/vcf-example-two-level-breast-cancer');
      for (const b of basis) expect(b).toMatch(/^(Observation|Condition)\//);
    }
  });

  it('a cancer history that does not raise the pre-test probability is not in the basis', async () => {
    const low = await startTestService({ env: { VCF_CANCER_HISTORY_PRETEST_PROBABILITY: '0.3' } });
    try {
      const res = await request(low.app)
        .post('/api/assess')
        .set('content-type', 'application/fhir+json')
        .send(JSON.stringify(loadExampleBundle('two-level')))
        .expect(200);
      for (const e of res.body.entry as { resource: RA }[]) {
        expect(e.resource.basis?.map((b) => b.reference).join()).not.toMatch(/Condition\//);
      }
    } finally {
      await low.close();
    }
  });

  it('a Bundle with no findings: a Bundle with no entry element (FHIR forbids empty arrays)', async () => {
    const res = await assess({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }],
    }).expect(200);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(res.body).not.toHaveProperty('entry');
  });

  it('each answer is audited (service api-assess, the answer Bundle id as instance), committed before the answer', async () => {
    const res = await assess(loadExampleBundle('two-level')).expect(200);
    const records = await svc.store.listAudit({ hookInstance: String(res.body.id) });
    expect(records).toHaveLength(1);
    const a = records[0]!;
    expect(a).toMatchObject({ serviceId: 'api-assess', hook: 'none' });
    expect(a.patientIdHash).toMatch(/^[0-9a-f]{64}$/);
    expectTwoLevelAudit(a);
  });

  it('incomplete: status preliminary (rests on a preliminary finding)', async () => {
    const res = await assess(loadExampleBundle('incomplete')).expect(200);
    expect(res.body.entry[0].resource.status).toBe('preliminary');
  });

  it('400 when the body is not a Bundle, or the patient is ambiguous', async () => {
    await assess({ resourceType: 'Patient', id: 'x' }).expect(400);
    const messy = loadExampleBundle('messy'); // holds two Patients
    const res = await assess(messy).expect(400);
    expect(res.body.issue[0].diagnostics).toMatch(/patient=/);
    await assess(messy, '?patient=vcf-example-messy').expect(200);
  });

  it('400 naming the patient when ?patient= is not a Patient of the Bundle', async () => {
    const res = await assess(loadExampleBundle('benign'), '?patient=nobody').expect(400);
    expect(res.body.issue[0]).toMatchObject({ code: 'not-found', expression: ['patient'] });
    expect(res.body.issue[0].diagnostics).toContain('"nobody"');
  });
});
