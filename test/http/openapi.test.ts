/**
 * openapi.yaml against the running app (issue 4, item 7): every documented route answers, every
 * answer's status is documented for its route, and every body validates against its documented
 * schema. A route documented without a scenario here fails the test, so the document cannot drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { loadExampleBundle } from '../profiles/load.js';
import {
  examplePatientView,
  orderRequest,
  draftOrder,
  patientView,
} from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  $ref?: string;
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, ResponseObject>; schemas: Record<string, unknown> };
}

const doc = parse(readFileSync(join(projectRoot(), 'openapi.yaml'), 'utf8')) as OpenApi;

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi.yaml', components: doc.components });

function resolve(r: ResponseObject): ResponseObject {
  if (r.$ref === undefined) return r;
  const name = r.$ref.replace('#/components/responses/', '');
  const found = doc.components.responses[name];
  if (!found) throw new Error(`unresolved ${r.$ref}`);
  return found;
}

/** Rewrites local refs so that they resolve against the registered document. */
function rebase(schema: unknown): unknown {
  return JSON.parse(
    JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.yaml#/components/'),
  );
}

type Scenario = {
  name: string;
  method: 'get' | 'post' | 'options';
  path: string;
  /** The documented path template the scenario exercises. */
  route: string;
  body?: unknown;
  contentType?: string;
  service?: 'default' | 'limited' | 'auth';
};

const PID_BENIGN = 'vcf-example-benign';
const SCENARIOS: Scenario[] = [
  { name: 'discovery', method: 'get', path: '/cds-services', route: '/cds-services' },
  {
    name: 'hook 200',
    method: 'post',
    path: '/cds-services/vcf-assessment',
    route: '/cds-services/{id}',
    body: examplePatientView('malignant'),
  },
  {
    name: 'order hook 200 (critical card)',
    method: 'post',
    path: '/cds-services/vcf-procedure-check',
    route: '/cds-services/{id}',
    body: orderRequest('order-sign', 'malignant', [
      draftOrder(
        'vp1',
        'vcf-example-malignant',
        { system: 'http://www.ama-assn.org/go/cpt', code: '22510' },
        'T10',
      ),
    ]),
  },
  {
    name: 'hook 400',
    method: 'post',
    path: '/cds-services/vcf-assessment',
    route: '/cds-services/{id}',
    body: { hook: 'patient-view' },
  },
  {
    name: 'hook 401',
    method: 'post',
    path: '/cds-services/vcf-assessment',
    route: '/cds-services/{id}',
    body: examplePatientView('benign'),
    service: 'auth',
  },
  {
    name: 'hook 404',
    method: 'post',
    path: '/cds-services/unknown',
    route: '/cds-services/{id}',
    body: patientView(PID_BENIGN),
  },
  {
    name: 'hook 412',
    method: 'post',
    path: '/cds-services/vcf-assessment',
    route: '/cds-services/{id}',
    body: patientView(PID_BENIGN),
  },
  {
    name: 'hook 413',
    method: 'post',
    path: '/cds-services/vcf-assessment',
    route: '/cds-services/{id}',
    body: patientView(PID_BENIGN, { extension: { pad: 'x'.repeat(300_000) } }),
  },
  {
    name: 'hook 415',
    method: 'post',
    path: '/cds-services/vcf-assessment',
    route: '/cds-services/{id}',
    body: 'hello',
    contentType: 'text/plain',
  },
  {
    name: 'hook 429',
    method: 'post',
    path: '/cds-services/vcf-assessment',
    route: '/cds-services/{id}',
    body: examplePatientView('benign'),
    service: 'limited',
  },
  {
    name: 'feedback 200',
    method: 'post',
    path: '/cds-services/vcf-assessment/feedback',
    route: '/cds-services/{id}/feedback',
    body: {
      feedback: [
        {
          card: '00000000-0000-4000-8000-0000000000c1',
          outcome: 'overridden',
          overrideReason: { reason: { code: 'x' } },
          outcomeTimestamp: '2026-11-24T10:00:00Z',
        },
      ],
    },
  },
  {
    name: 'feedback 400',
    method: 'post',
    path: '/cds-services/vcf-assessment/feedback',
    route: '/cds-services/{id}/feedback',
    body: { feedback: 'no' },
  },
  {
    name: 'feedback 401',
    method: 'post',
    path: '/cds-services/vcf-assessment/feedback',
    route: '/cds-services/{id}/feedback',
    body: { feedback: [] },
    service: 'auth',
  },
  {
    name: 'feedback 404',
    method: 'post',
    path: '/cds-services/unknown/feedback',
    route: '/cds-services/{id}/feedback',
    body: { feedback: [] },
  },
  {
    name: 'assess 200',
    method: 'post',
    path: '/api/assess',
    route: '/api/assess',
    body: loadExampleBundle('two-level'),
    contentType: 'application/fhir+json',
  },
  {
    name: 'assess 400',
    method: 'post',
    path: '/api/assess',
    route: '/api/assess',
    body: { resourceType: 'Patient' },
  },
  {
    name: 'assess 413',
    method: 'post',
    path: '/api/assess',
    route: '/api/assess',
    body: { resourceType: 'Bundle', pad: 'x'.repeat(300_000) },
  },
  {
    name: 'assess 415',
    method: 'post',
    path: '/api/assess',
    route: '/api/assess',
    body: '<Bundle/>',
    contentType: 'application/xml',
  },
  { name: 'healthz', method: 'get', path: '/healthz', route: '/healthz' },
  { name: 'readyz', method: 'get', path: '/readyz', route: '/readyz' },
  { name: 'metrics', method: 'get', path: '/metrics', route: '/metrics' },
  { name: 'playground page', method: 'get', path: '/playground', route: '/playground' },
  { name: 'method page', method: 'get', path: '/method', route: '/method' },
  {
    name: 'playground contract',
    method: 'get',
    path: '/playground/contract.json',
    route: '/playground/contract.json',
  },
  {
    name: 'playground examples',
    method: 'get',
    path: '/playground/examples',
    route: '/playground/examples',
  },
  {
    name: 'playground example',
    method: 'get',
    path: '/playground/examples/benign',
    route: '/playground/examples/{name}',
  },
  {
    name: 'playground example 404',
    method: 'get',
    path: '/playground/examples/nope',
    route: '/playground/examples/{name}',
  },
];

const services: Partial<Record<NonNullable<Scenario['service']>, TestService>> = {};
beforeAll(async () => {
  services.default = await startTestService({ env: { BODY_LIMIT: '200kb' } });
  services.limited = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
  services.auth = await startTestService({
    env: {
      CDS_CLIENT_AUTH: 'true',
      PUBLIC_BASE_URL: 'https://cds.example.org',
      // The public key of the CDS Hooks 2.0.1 specification's example; no token is sent here.
      CDS_CLIENT_ISSUERS: JSON.stringify([
        {
          iss: 'https://ehr.example.org',
          jwks: {
            keys: [
              {
                kty: 'EC',
                crv: 'P-384',
                kid: 'example-kid',
                x: '46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk',
                y: 'XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI',
              },
            ],
          },
        },
      ]),
    },
  });
  // The limited service has used its one request per minute.
  await request(services.limited.app)
    .post('/cds-services/vcf-assessment')
    .send(examplePatientView('benign'));
});
afterAll(async () => {
  for (const s of Object.values(services)) await s?.close();
});

describe('openapi.yaml against the running app', () => {
  it('every documented operation has a scenario here', () => {
    const documented = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${route}`),
    );
    const covered = new Set(SCENARIOS.map((s) => `${s.method.toUpperCase()} ${s.route}`));
    expect(documented.filter((d) => !covered.has(d))).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const svc = services[s.service ?? 'default']!;
    const op = doc.paths[s.route]?.[s.method];
    expect(op, `${s.method} ${s.route} is documented`).toBeDefined();
    let req = request(svc.app)[s.method](s.path);
    if (s.body !== undefined) {
      req = req.set('content-type', s.contentType ?? 'application/json');
      req = req.send(typeof s.body === 'string' ? s.body : JSON.stringify(s.body));
    }
    const res = await req;
    const documented = op!.responses[String(res.status)];
    expect(documented, `status ${res.status} documented for ${s.method} ${s.route}`).toBeDefined();
    const response = resolve(documented!);
    const mediaTypes = Object.keys(response.content ?? {});
    if (mediaTypes.length === 0) return; // documented without a body (e.g. 401)
    const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
    expect(mediaTypes, `content type ${type}`).toContain(type);
    const schema = response.content![type]!.schema;
    if (schema === undefined) return;
    const validate = ajv.compile(rebase(schema) as object);
    const body = type.startsWith('text/') ? res.text : res.body;
    const ok = validate(body);
    expect(ok ? [] : validate.errors, `body of ${s.name}`).toEqual([]);
  });
});
