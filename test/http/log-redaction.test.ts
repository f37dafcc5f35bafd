/**
 * No name, birth date, identifier, free text or token of a patient reaches the logs (issue 5,
 * item 3): requests full of distinctive patient data go through every endpoint, including the
 * error paths, at the most verbose log level, and the log output is grepped for each of them.
 */
import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePrefetch, patientView } from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';

const SECRETS = {
  name: 'Zebulon Quixtaffer',
  birthDate: '1937-02-29',
  identifier: 'MRN-99887766-QX',
  comment: 'spoke with wife Philomena about prognosis',
  token: 'eyJhbGciOi.secret-access-token.QX99',
  patientId: 'pat-QX-4242',
  observationText: 'reader note: suspicious lytic focus QX',
};

let svc: TestService;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  svc = await startTestService({ env: { LOG_LEVEL: 'trace', FHIR_TIMEOUT_MS: '300' } });
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await svc.close();
});

function patientWithSecrets() {
  const base = examplePrefetch('malignant') as {
    patient: Record<string, unknown>;
    findings: { entry: { resource: Record<string, unknown> }[] };
  };
  const findings = structuredClone(base.findings);
  for (const e of findings.entry) {
    e.resource['subject'] = { reference: `Patient/${SECRETS.patientId}`, display: SECRETS.name };
    e.resource['note'] = [{ text: SECRETS.observationText }];
  }
  return {
    patient: {
      resourceType: 'Patient',
      id: SECRETS.patientId,
      name: [{ text: SECRETS.name }],
      birthDate: SECRETS.birthDate,
      identifier: [{ system: 'urn:mrn', value: SECRETS.identifier }],
    },
    findings,
    conditions: null,
  };
}

describe('log redaction', () => {
  it('patient data and tokens never appear in the log, on success and on every error path', async () => {
    const prefetch = patientWithSecrets();
    const auth = {
      fhirServer: 'http://fhir.test/r4',
      fhirAuthorization: { access_token: SECRETS.token, token_type: 'Bearer', subject: 'vcf-cds' },
    };
    // Success, with prefetch.
    await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(patientView(SECRETS.patientId, { ...auth, prefetch }))
      .expect(200);
    // The fetch path, failing at the FHIR server (the token travels there).
    nock('http://fhir.test').get(/.*/).times(3).reply(500, { name: SECRETS.name });
    await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(patientView(SECRETS.patientId, auth))
      .expect(412);
    // A bad request that carries the data.
    await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send({ hook: 'patient-view', context: { patientId: SECRETS.patientId }, prefetch, ...auth })
      .expect(400);
    // Broken JSON that contains the data.
    await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .set('content-type', 'application/json')
      .send(`{"context":{"patientId":"${SECRETS.patientId}","name":"${SECRETS.name}"`)
      .expect(400);
    // Feedback with a free-text comment.
    await request(svc.app)
      .post('/cds-services/vcf-assessment/feedback')
      .send({
        feedback: [
          {
            card: '00000000-0000-4000-8000-0000000000c1',
            outcome: 'overridden',
            overrideReason: { userComment: SECRETS.comment },
            outcomeTimestamp: '2026-11-24T10:00:00Z',
          },
        ],
      })
      .expect(200);
    // The REST endpoint.
    await request(svc.app)
      .post('/api/assess')
      .send({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [prefetch.patient, ...prefetch.findings.entry.map((e) => e.resource)].map(
          (resource) => ({ resource }),
        ),
      })
      .expect(200);

    // A stray client asking this service for a FHIR resource by the patient's identifier: a path
    // no route matched is logged as such, never as sent.
    await request(svc.app).get(`/Patient/${SECRETS.identifier}`).expect(404);

    const log = svc.rawLog();
    expect(log.length).toBeGreaterThan(0); // the requests were logged at all
    expect(svc.logLines().some((l) => l['path'] === '(unmatched)')).toBe(true);
    expect(svc.logLines().filter((l) => l['msg'] === 'request').length).toBeGreaterThanOrEqual(6);
    for (const [what, secret] of Object.entries(SECRETS)) {
      expect(log.includes(secret), `${what} found in the log`).toBe(false);
    }
  });
});
