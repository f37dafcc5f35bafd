/**
 * Audit records are durable (house rule): an assessment is answered only once its audit record is
 * committed. A store that cannot take the record gets a 503 and no cards: decision support without
 * its audit record is not given, and nothing is half-sent.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, type Store } from '../../src/store/types.js';
import { loadExampleBundle } from '../profiles/load.js';
import { examplePatientView } from '../support/hook-requests.js';
import { seriesValue } from '../support/prometheus.js';
import { startTestService, type TestService } from '../support/test-service.js';

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close().catch(() => undefined);
  svc = undefined;
});

/** The real store of a test service, with saveAudit failing as `fail` says. */
async function serviceWithAuditFailing(fail: () => Error): Promise<TestService> {
  const base = await startTestService();
  const store: Store = {
    ...base.store,
    kind: base.store.kind,
    saveAudit: () => Promise.reject(fail()),
  };
  const failing = await startTestService({ store });
  return { ...failing, close: async () => base.close() };
}

const assessmentsCounted = async (s: TestService) =>
  /vcf_cds_assessments_total\{[^}]*\} [1-9]/.test(
    (await request(s.app).get('/metrics').expect(200)).text,
  );

/** The audit-commit histogram of /metrics: observations, and those within `le` seconds. */
async function auditCommits(s: TestService, outcome: 'stored' | 'failed', le = '+Inf') {
  const text = (await request(s.app).get('/metrics').expect(200)).text;
  const name = 'vcf_cds_audit_commit_duration_seconds';
  return {
    count: seriesValue(text, `${name}_count`, [['outcome', outcome]]),
    within: seriesValue(text, `${name}_bucket`, [
      ['le', le],
      ['outcome', outcome],
    ]),
  };
}

describe('the audit record is committed before the answer', () => {
  it('no byte of the answer leaves before saveAudit resolves (resolved = committed, the store contract)', async () => {
    const base = await startTestService();
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const saving = new Promise<void>((r) => (entered = r));
    let saved = 0;
    const store: Store = {
      ...base.store,
      kind: base.store.kind,
      saveAudit: async (record) => {
        const gate = new Promise<void>((r) => (release = r));
        entered();
        await gate;
        await base.store.saveAudit(record);
        saved += 1;
      },
    };
    const gated = await startTestService({ store });
    svc = { ...gated, close: async () => base.close() };
    let answered = false;
    const pending = request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(examplePatientView('benign'))
      .then((res) => {
        answered = true;
        return res;
      });
    await saving;
    // The assessment is done and waits on the store: give a premature answer time to arrive.
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(saved).toBe(1);
    // The wait shows to an operator: one commit, slower than 0.1 s.
    expect(await auditCommits(svc, 'stored', '0.1')).toEqual({ count: 1, within: 0 });
  });

  it.each([
    ['full', 'STORE_FULL'],
    ['unreachable', 'STORE_UNAVAILABLE'],
  ] as const)(
    'a store that is %s: 503 store-unavailable, no cards, no assessment counted, one log line',
    async (_name, code) => {
      svc = await serviceWithAuditFailing(() => new StoreError(code, 'saving an audit record'));
      const res = await request(svc.app)
        .post('/cds-services/vcf-assessment')
        .send(examplePatientView('malignant'))
        .expect(503);
      // One whole OperationOutcome, and nothing of the assessment before or after it.
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(res.body).toEqual({
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'transient',
            diagnostics: expect.stringMatching(/audit record .* could not be stored.*retry/),
          },
        ],
      });
      expect(res.text).not.toMatch(/cards|vcf-cds-assessment|malignant-favoured/);
      expect(await assessmentsCounted(svc)).toBe(false);
      expect((await auditCommits(svc, 'failed')).count).toBe(1);
      expect((await auditCommits(svc, 'stored')).count).toBe(0);
      expect(svc.logLines()).toContainEqual(
        expect.objectContaining({ level: 50, err: code, msg: expect.stringMatching(/withheld/) }),
      );
    },
  );

  it('/api/assess too: 503 as application/fhir+json, no RiskAssessment', async () => {
    svc = await serviceWithAuditFailing(
      () => new StoreError('STORE_FULL', 'saving an audit record'),
    );
    const res = await request(svc.app)
      .post('/api/assess')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify(loadExampleBundle('malignant')))
      .expect(503);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.text).not.toMatch(/RiskAssessment/);
  });

  it('a real store, closed: 503 (STORE_CLOSED)', async () => {
    svc = await startTestService();
    await svc.store.close();
    const res = await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(examplePatientView('benign'))
      .expect(503);
    expect(res.body.issue[0].code).toBe('transient');
  });

  it('a store failing with something that is not a StoreError (a bug): 500 with no detail, no cards', async () => {
    svc = await serviceWithAuditFailing(() => new TypeError('bad argument'));
    const res = await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(examplePatientView('malignant'))
      .expect(500);
    expect(res.body.issue[0].diagnostics).toBe('Internal error; see the server log.');
    expect(res.text).not.toMatch(/cards/);
  });
});
