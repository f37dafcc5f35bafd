/**
 * Without prefetch, the service queries the client's fhirServer (CDS Hooks 2.0 "FHIR Resource
 * Access"): bearer token from fhirAuthorization, the queries concurrent, pages followed, a timeout
 * per query, 412 when the data cannot be obtained. The FHIR server is nock, or a local double when
 * the test needs to see the requests arrive together.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  examplePatientId,
  examplePrefetch,
  patientView,
  searchset,
} from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';

const FHIR = 'http://fhir.test';
const BASE = `${FHIR}/r4`;
const NAME = 'malignant';
const PID = examplePatientId(NAME);
const data = examplePrefetch(NAME) as {
  patient: Record<string, unknown>;
  findings: { entry: { resource: Record<string, unknown> }[] };
  conditions: unknown;
};
const observations = data.findings.entry.map((e) => e.resource);

let svc: TestService;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  svc = await startTestService({ env: { FHIR_TIMEOUT_MS: '400' } });
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await svc.close();
});

const auth = {
  fhirServer: BASE,
  fhirAuthorization: {
    access_token: 'opaque-access-token-123',
    token_type: 'Bearer',
    expires_in: 300,
    scope: 'patient/Patient.read patient/Observation.read patient/Condition.read',
    subject: 'vcf-cds',
  },
};

function fhirServer(reqheaders: Record<string, string> = {}) {
  return nock(FHIR, { reqheaders });
}

const callService = (body: Record<string, unknown>) =>
  request(svc.app).post('/cds-services/vcf-assessment').send(body);

describe('fetching what was not prefetched', () => {
  it('queries Patient, Observations by the vcf-finding system and Conditions with the bearer token', async () => {
    const scope = fhirServer({ authorization: 'Bearer opaque-access-token-123' })
      .get(`/r4/Patient/${PID}`)
      .reply(200, data.patient)
      .get('/r4/Observation')
      .query({
        patient: PID,
        code: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding|',
        _count: '200',
      })
      .reply(200, searchset(observations as never))
      .get('/r4/Condition')
      .query({ patient: PID, _count: '200' })
      .reply(200, searchset([]));
    const res = await callService(patientView(PID, auth)).expect(200);
    scope.done();
    expect(res.body.cards).toHaveLength(1);
    expect(res.body.cards[0].extension['vcf-cds-assessment']).toMatchObject({
      level: 'T10',
      category: 'malignant-favoured',
    });
  });

  it('works with an open server (fhirServer without fhirAuthorization: no Authorization header)', async () => {
    const scope = nock(FHIR, { badheaders: ['authorization'] })
      .get(`/r4/Patient/${PID}`)
      .reply(200, data.patient)
      .get('/r4/Observation')
      .query(true)
      .reply(200, searchset(observations as never))
      .get('/r4/Condition')
      .query(true)
      .reply(200, searchset([]));
    await callService(patientView(PID, { fhirServer: BASE })).expect(200);
    scope.done();
  });

  it('follows next links of a paged search', async () => {
    const half = Math.ceil(observations.length / 2);
    const page1 = {
      ...searchset(observations.slice(0, half) as never),
      link: [{ relation: 'next', url: `${BASE}/Observation?page=2` }],
    };
    const scope = fhirServer()
      .get('/r4/Observation')
      .query((q) => q['patient'] === PID)
      .reply(200, page1)
      .get('/r4/Observation')
      .query({ page: '2' })
      .reply(200, searchset(observations.slice(half) as never));
    const res = await callService(
      patientView(PID, { ...auth, prefetch: { patient: data.patient, conditions: null } }),
    ).expect(200);
    scope.done();
    // All 13 findings arrived: every key discriminator is known.
    expect(res.body.cards[0].extension['vcf-cds-assessment'].missingKeyDiscriminators).toEqual([]);
  });

  it('fetches only the absent keys; a null key means no data and is not fetched', async () => {
    const scope = fhirServer()
      .get('/r4/Observation')
      .query(true)
      .reply(200, searchset(observations as never));
    const conditions = fhirServer().get('/r4/Condition').query(true).reply(200, searchset([]));
    const res = await callService(
      patientView(PID, { ...auth, prefetch: { patient: data.patient, conditions: null } }),
    ).expect(200);
    scope.done();
    expect(conditions.isDone()).toBe(false);
    expect(res.body.cards).toHaveLength(1);
  });

  it('an OperationOutcome in place of a prefetched search is fetched again', async () => {
    const scope = fhirServer()
      .get('/r4/Observation')
      .query(true)
      .reply(200, searchset(observations as never));
    await callService(
      patientView(PID, {
        ...auth,
        prefetch: {
          patient: data.patient,
          findings: {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'timeout' }],
          },
          conditions: null,
        },
      }),
    ).expect(200);
    scope.done();
  });

  it('runs the queries concurrently: all three reach the server before any is answered', async () => {
    // A double that holds every answer until three requests are waiting; sequential fetching
    // would leave the first one hanging until the timeout (412).
    const waiting: { req: IncomingMessage; res: ServerResponse }[] = [];
    const server = createServer((req, res) => {
      waiting.push({ req, res });
      if (waiting.length < 3) return;
      for (const w of waiting) {
        const url = w.req.url ?? '';
        const body = url.startsWith('/Patient/')
          ? data.patient
          : url.startsWith('/Observation')
            ? searchset(observations as never)
            : searchset([]);
        w.res.setHeader('content-type', 'application/fhir+json');
        w.res.end(JSON.stringify(body));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const res = await callService(
        patientView(PID, { fhirServer: `http://127.0.0.1:${port}` }),
      ).expect(200);
      expect(waiting).toHaveLength(3);
      expect(res.body.cards).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

describe('412 when the data cannot be obtained', () => {
  const expect412 = async (body: Record<string, unknown>) => {
    const res = await callService(body).expect(412);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].code).toBe('incomplete');
    // The token is never echoed back.
    expect(JSON.stringify(res.body)).not.toContain('opaque-access-token-123');
    return res;
  };

  it('no prefetch and no fhirServer', async () => {
    const res = await expect412(patientView(PID));
    expect(res.body.issue[0].diagnostics).toMatch(/no fhirServer/i);
  });

  it('the FHIR server is down (connection refused, a real closed port)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const res = await expect412(
      patientView(PID, { ...auth, fhirServer: `http://127.0.0.1:${port}/r4` }),
    );
    expect(res.body.issue[0].diagnostics).toMatch(/could not be reached/);
  });

  it('the FHIR server is slow (beyond FHIR_TIMEOUT_MS, a real socket that answers late)', async () => {
    const slow = createServer((_req, res) => {
      setTimeout(() => res.end(JSON.stringify(data.patient)), 1500).unref();
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const port = (slow.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const res = await expect412(
        patientView(PID, { ...auth, fhirServer: `http://127.0.0.1:${port}/r4` }),
      );
      expect(res.body.issue[0].diagnostics).toMatch(/did not answer in time/);
      expect(Date.now() - started).toBeLessThan(1400);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('the FHIR server answers 401 (token refused) or 500', async () => {
    fhirServer()
      .get(`/r4/Patient/${PID}`)
      .reply(401)
      .get(/Observation|Condition/)
      .times(2)
      .reply(500);
    const res = await expect412(patientView(PID, auth));
    expect(res.body.issue[0].diagnostics).toMatch(/HTTP (401|500)/);
  });

  it('the FHIR server answers garbage', async () => {
    fhirServer()
      .get(/.*/)
      .times(3)
      .reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' });
    await expect412(patientView(PID, auth));
  });

  it('a fetch failure is counted in the metrics and logged without the token', async () => {
    fhirServer().get(/.*/).times(3).reply(503);
    await expect412(patientView(PID, auth));
    const metrics = await request(svc.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/vcf_cds_fhir_fetch_errors_total\{reason="http-error"\} [1-9]/);
    expect(svc.rawLog()).not.toContain('opaque-access-token-123');
  });

  it('an answer larger than FHIR_MAX_RESPONSE_BYTES: 412 naming the setting', async () => {
    const small = await startTestService({ env: { FHIR_MAX_RESPONSE_BYTES: '2000' } });
    try {
      fhirServer()
        .get('/r4/Observation')
        .query(true)
        .reply(200, searchset(observations as never));
      const res = await request(small.app)
        .post('/cds-services/vcf-assessment')
        .send(patientView(PID, { ...auth, prefetch: { patient: data.patient, conditions: null } }))
        .expect(412);
      expect(res.body.issue[0].diagnostics).toMatch(/"findings": .*FHIR_MAX_RESPONSE_BYTES/);
      const metrics = await request(small.app).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/vcf_cds_fhir_fetch_errors_total\{reason="too-large"\} 1/);
    } finally {
      await small.close();
    }
  });
});

describe('FHIR_SERVER_ALLOWLIST', () => {
  let listed: TestService;
  beforeAll(async () => {
    listed = await startTestService({ env: { FHIR_SERVER_ALLOWLIST: 'http://ehr.example.org' } });
  });
  afterAll(async () => {
    await listed.close();
  });

  it('a fhirServer off the list is never contacted: 412 naming the origin and the setting', async () => {
    const scope = fhirServer().get(/.*/).times(3).reply(200, data.patient);
    const res = await request(listed.app)
      .post('/cds-services/vcf-assessment')
      .send(patientView(PID, auth))
      .expect(412);
    expect(scope.isDone()).toBe(false);
    expect(scope.pendingMocks()).toHaveLength(1);
    expect(res.body.issue[0].diagnostics).toMatch(
      /http:\/\/fhir\.test is not on .*FHIR_SERVER_ALLOWLIST/,
    );
  });

  it('the same request with everything prefetched is answered: the fhirServer is not needed', async () => {
    const res = await request(listed.app)
      .post('/cds-services/vcf-assessment')
      .send(patientView(PID, { ...auth, prefetch: data }))
      .expect(200);
    expect(res.body.cards).toHaveLength(1);
  });

  it('a listed origin is fetched from', async () => {
    const scope = nock('http://ehr.example.org')
      .get(`/fhir/Patient/${PID}`)
      .reply(200, data.patient)
      .get('/fhir/Observation')
      .query(true)
      .reply(200, searchset(observations as never))
      .get('/fhir/Condition')
      .query(true)
      .reply(200, searchset([]));
    await request(listed.app)
      .post('/cds-services/vcf-assessment')
      .send(patientView(PID, { ...auth, fhirServer: 'http://ehr.example.org/fhir' }))
      .expect(200);
    scope.done();
  });
});
