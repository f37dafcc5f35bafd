/**
 * The order hooks without prefetch (issue 4, item 9: each hook fetches what was not prefetched):
 * order-select and order-sign query the client's FHIR server with its bearer token, then raise
 * the procedure check's card from the fetched findings. The FHIR server is nock.
 */
import nock from 'nock';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  draftOrder,
  examplePatientId,
  examplePrefetch,
  orderRequest,
} from '../support/hook-requests.js';
import { serviceBehindNock } from '../support/nock-service.js';
import { serviceOfHook } from '../../src/cds/services.js';

// http: nock's interceptor and undici's TLS socket handling trip over each other after a test.
const FHIR = 'http://ehr.example.org';
const TOKEN = 'order-hook-access-token-42';
const PID = examplePatientId('malignant');
const data = examplePrefetch('malignant') as Record<string, unknown>;

const service = serviceBehindNock();

describe.each(['order-select', 'order-sign'] as const)('%s without prefetch', (hook) => {
  const path = `/cds-services/${serviceOfHook(hook).id}`;
  const body = () => {
    const { prefetch: _none, ...rest } = orderRequest(hook, 'malignant', [
      draftOrder('vp1', PID, { system: 'http://www.ama-assn.org/go/cpt', code: '22510' }, 'T10'),
    ]);
    return {
      ...rest,
      fhirServer: `${FHIR}/fhir`,
      fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', subject: 'vcf-cds' },
    };
  };

  it('fetches Patient, findings and Conditions with the bearer token; critical card for T10', async () => {
    const scope = nock(FHIR, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get(`/fhir/Patient/${PID}`)
      .reply(200, data['patient'] as object)
      .get('/fhir/Observation')
      .query({
        patient: PID,
        code: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding|',
        _count: '200',
      })
      .reply(200, data['findings'] as object)
      .get('/fhir/Condition')
      .query({ patient: PID, _count: '200' })
      .reply(200, data['conditions'] as object);
    const res = await request(service().app).post(path).send(body()).expect(200);
    scope.done();
    expect(res.body.cards).toHaveLength(1);
    expect(res.body.cards[0].indicator).toBe('critical');
    expect(res.body.cards[0].extension['vcf-cds-assessment']).toMatchObject({
      level: 'T10',
      category: 'malignant-favoured',
    });
  });

  it('a token the FHIR server refuses: 412, the token not echoed', async () => {
    nock(FHIR).get(/.*/).times(3).reply(401);
    const res = await request(service().app).post(path).send(body()).expect(412);
    expect(res.body.issue[0].diagnostics).toMatch(/HTTP 401/);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });
});
