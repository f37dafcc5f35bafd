/**
 * Robustness (issue 5, item 5): thousands of malformed and hostile bodies at every endpoint, at the
 * production BODY_LIMIT, with client authentication off and on (hostile Authorization headers).
 * No answer is a 5xx, the process does not crash, prototypes stay clean (real "__proto__",
 * "constructor" and "prototype" keys in the JSON text, inside resources, feedback items and
 * /api/assess Bundles, change nothing), and memory stays bounded.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { generateKeyPair, exportJWK, SignJWT, base64url } from 'jose';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { examplePatientView, orderRequest, draftOrder } from '../support/hook-requests.js';
import { FROZEN_NOW, startTestService, type TestService } from '../support/test-service.js';

const POST_PATHS = [
  '/cds-services/vcf-assessment',
  '/cds-services/vcf-procedure-check',
  '/cds-services/vcf-procedure-select',
  '/cds-services/vcf-assessment/feedback',
  '/cds-services/vcf-procedure-check/feedback',
  '/api/assess',
  '/cds-services/unknown',
];
const GET_PATHS = [
  '/cds-services',
  '/healthz',
  '/readyz',
  '/metrics',
  '/playground',
  '/playground/examples/..%2F..%2Fpackage',
];

let svc: TestService;
let server: Server;
let port: number;
beforeAll(async () => {
  // BODY_LIMIT left at its production default.
  svc = await startTestService({ env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000' } });
  server = svc.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await svc.close();
});

/** Sends raw bytes (so invalid UTF-8 and lying content types get through); resolves the status. */
function send(
  method: string,
  path: string,
  body?: Buffer | string,
  contentType = 'application/json',
  headers: Record<string, string> = {},
  to = port,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: to,
        method,
        path,
        headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const statuses: number[] = [];
/**
 * JSON.stringify drops a `__proto__` key (an object literal's `__proto__` sets the prototype, it
 * is no key), so bodies carry this marker and the JSON text gets the real key.
 */
const PROTO = '__vcf_fuzz_proto__';
const withProtoKeys = (text: string) => text.replaceAll(`"${PROTO}"`, '"__proto__"');

async function hit(method: string, path: string, body?: Buffer | string, type?: string) {
  const status = await send(
    method,
    path,
    typeof body === 'string' ? withProtoKeys(body) : body,
    type,
  );
  statuses.push(status);
  expect(status, `${method} ${path} ${String(body).slice(0, 120)}`).toBeLessThan(500);
}

/** Mutations of a valid request: every field replaced by hostile values. */
function hostileVariants(): unknown[] {
  const valid = examplePatientView('messy') as Record<string, unknown>;
  const order = orderRequest('order-sign', 'malignant', [
    draftOrder(
      'vp',
      'vcf-example-malignant',
      { system: 'http://www.ama-assn.org/go/cpt', code: '22510' },
      'T10',
    ),
  ]) as Record<string, unknown>;
  const weird: unknown[] = [
    null,
    0,
    -1,
    1e308,
    true,
    '',
    'x'.repeat(10_000),
    [],
    {},
    [null],
    { [PROTO]: { polluted: 1 } },
    { constructor: { prototype: { polluted: 1 } } },
    { prototype: { polluted: 1 }, [PROTO]: [] },
  ];
  const out: unknown[] = [];
  for (const base of [valid, order]) {
    for (const key of Object.keys(base)) {
      for (const w of weird) out.push({ ...base, [key]: w });
    }
    const ctx = base['context'] as Record<string, unknown>;
    for (const key of Object.keys(ctx))
      for (const w of weird) out.push({ ...base, context: { ...ctx, [key]: w } });
    const pre = base['prefetch'] as Record<string, unknown>;
    for (const key of Object.keys(pre)) {
      for (const w of [
        ...weird,
        { resourceType: 'Bundle', entry: weird },
        { resourceType: 'Bundle', entry: weird.map((resource) => ({ resource })) },
      ]) {
        out.push({ ...base, prefetch: { ...pre, [key]: w } });
      }
    }
  }
  // Huge arrays, and resources with every field of the wrong type.
  out.push({
    ...valid,
    prefetch: {
      findings: {
        resourceType: 'Bundle',
        entry: Array.from({ length: 20_000 }, () => ({
          resource: { resourceType: 'Observation' },
        })),
      },
    },
  });
  out.push({
    ...valid,
    prefetch: {
      findings: {
        resourceType: 'Bundle',
        entry: [
          {
            resource: {
              resourceType: 'Observation',
              status: 7,
              code: 'adc',
              subject: [],
              bodySite: 'L1',
              valueQuantity: { value: 'NaN', code: {} },
              hasMember: 'x',
            },
          },
        ],
      },
    },
  });
  out.push({
    feedback: Array.from({ length: 5_000 }, () => ({
      card: '00000000-0000-4000-8000-00000000000c',
      outcome: 'accepted',
      outcomeTimestamp: '2026-01-01T00:00:00Z',
    })),
  });
  out.push({
    feedback: [
      { card: { $gt: '' }, outcome: 'accepted', outcomeTimestamp: '2026-01-01T00:00:00Z' },
    ],
  });
  out.push({
    resourceType: 'Bundle',
    entry: [
      { resource: { resourceType: 'Patient', id: 'p' } },
      {
        resource: {
          resourceType: 'Observation',
          subject: { reference: 'Patient/p' },
          hasMember: [{ reference: 'Observation/self' }],
          id: 'self',
        },
      },
    ],
  });
  return out;
}

describe('fuzz: hostile bodies at every endpoint', () => {
  it('hand-made hostile variants of valid requests: never a 5xx', async () => {
    const variants = hostileVariants();
    for (const body of variants) {
      for (const path of POST_PATHS) await hit('POST', path, JSON.stringify(body));
    }
    expect(statuses.length).toBeGreaterThan(1000);
  });

  it('raw-level attacks: prototype pollution keys, deep nesting, invalid UTF-8, wrong content types', async () => {
    const raw: [Buffer | string, string][] = [
      [
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
        'application/json',
      ],
      [
        `{"hook":"patient-view","hookInstance":"x","context":{"patientId":"p","__proto__":{"isAdmin":true}},"prefetch":{"__proto__":{"polluted":1}}}`,
        'application/json',
      ],
      ['['.repeat(200_000) + ']'.repeat(200_000), 'application/json'],
      ['{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), 'application/json'],
      [
        `{"prefetch":{"findings":${'{"resourceType":"Bundle","entry":[{"resource":'.repeat(3_000)}{}${']}}'.repeat(3_000)}}}`,
        'application/json',
      ],
      [Buffer.from([0x7b, 0x22, 0x68, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json'],
      [Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]), 'application/json'],
      ['{"hook": "patient-view"', 'application/json'],
      ['null', 'application/json'],
      ['"string"', 'application/json'],
      ['123', 'application/json'],
      ['{}', 'application/json; charset=utf-16'],
      ['{}', 'application/json; charset=latin-7'],
      ['<xml/>', 'application/xml'],
      ['a=1&b=2', 'application/x-www-form-urlencoded'],
      ['--x\r\n\r\n', 'multipart/form-data; boundary=x'],
      ['{}', ''],
      ['{}', 'application/fhir+json'],
      ['{}', 'text/plain'],
    ];
    for (const [body, type] of raw) {
      for (const path of POST_PATHS) await hit('POST', path, body, type);
    }
    for (const path of GET_PATHS) await hit('GET', path);
    for (const path of POST_PATHS) await hit('POST', path); // no body at all
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('"__proto__", "constructor" and "prototype" keys inside resources act as any unknown key would', async () => {
    const hostile = { status: 'entered-in-error', resourceType: 'Patient', polluted: true };
    /** The malignant example with `keys` added to every Bundle and entry, or every resource and coding. */
    const variant = (keys: Record<string, unknown>, where: 'container' | 'resource') => {
      const body = structuredClone(examplePatientView('malignant')) as {
        prefetch: Record<string, { entry?: { resource: Record<string, unknown> }[] } & object>;
      };
      for (const value of Object.values(body.prefetch)) {
        if (where === 'container') Object.assign(value, keys);
        for (const e of value.entry ?? []) {
          if (where === 'container') Object.assign(e, keys);
          else {
            Object.assign(e.resource, keys);
            const code = e.resource['code'] as { coding?: Record<string, unknown>[] } | undefined;
            for (const c of code?.coding ?? []) Object.assign(c, keys);
          }
        }
      }
      return withProtoKeys(JSON.stringify(body));
    };
    const result = async (body: string) => {
      const res = await request(svc.app)
        .post('/cds-services/vcf-assessment')
        .set('content-type', 'application/json')
        .send(body)
        .expect(200);
      return (res.body.cards as { extension: Record<string, unknown> }[]).map(
        (c) => c.extension['vcf-cds-assessment'],
      );
    };
    const clean = await result(JSON.stringify(examplePatientView('malignant')));
    expect(clean).toHaveLength(1);
    for (const key of [PROTO, 'constructor', 'prototype']) {
      const keys = { [key]: key === 'constructor' ? { prototype: hostile } : hostile };
      const container = variant(keys, 'container');
      if (key === PROTO) expect(container).toContain('"__proto__":{"status":"entered-in-error"');
      // Outside resources (Bundle, entry): ignored, the assessment as without them.
      expect(await result(container), key).toEqual(clean);
      // Inside a resource or coding: an element FHIR does not define, exactly as any other one
      // (the resource is not read as a Patient or as entered-in-error through its prototype).
      expect(await result(variant(keys, 'resource')), key).toEqual(
        await result(variant({ unknownElement: keys[key] }, 'resource')),
      );
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('the same keys in feedback items and /api/assess Bundles: clean 200s and 400s, nothing polluted', async () => {
    const item = {
      card: '00000000-0000-4000-8000-0000000000c1',
      outcome: 'overridden',
      outcomeTimestamp: '2026-01-01T00:00:00Z',
      overrideReason: { reason: { code: 'x', [PROTO]: { code: 1 } }, [PROTO]: { polluted: 1 } },
      [PROTO]: { outcome: 'accepted', acceptedSuggestions: [{ id: 'x' }] },
      constructor: { prototype: { polluted: 1 } },
    };
    const feedback = withProtoKeys(JSON.stringify({ feedback: [item], [PROTO]: { feedback: 1 } }));
    const fb = await request(svc.app)
      .post('/cds-services/vcf-assessment/feedback')
      .set('content-type', 'application/json')
      .send(feedback);
    expect(fb.status).toBe(200);
    const [stored] = await svc.store.listFeedback({ card: '00000000-0000-4000-8000-0000000000c1' });
    // The record is kept whole (prototype keys as plain data), its outcome the one sent.
    expect(stored?.outcome).toBe('overridden');
    expect(stored?.acceptedSuggestions).toBeUndefined();

    const bundle: Record<string, unknown> = {
      resourceType: 'Bundle',
      type: 'collection',
      [PROTO]: { resourceType: 'Patient' },
      entry: [
        { resource: { resourceType: 'Patient', id: 'p', [PROTO]: { id: 'q' } } } as object,
        {
          [PROTO]: { resource: { resourceType: 'Patient', id: 'q' } },
          resource: {
            resourceType: 'Observation',
            id: 'o1',
            status: 'final',
            subject: { reference: 'Patient/p', [PROTO]: { reference: 'Patient/q' } },
            constructor: { prototype: { polluted: 1 } },
          },
        },
      ],
    };
    for (const query of ['', '?patient=p', '?patient=__proto__', '?patient=constructor']) {
      const res = await request(svc.app)
        .post(`/api/assess${query}`)
        .set('content-type', 'application/fhir+json')
        .send(withProtoKeys(JSON.stringify(bundle)));
      expect([200, 400], query).toContain(res.status);
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>)['resourceType']).toBeUndefined();
  });

  it('OPTIONS and GET on every path: never a 5xx', async () => {
    for (const path of [...POST_PATHS, ...GET_PATHS, '/', '/nowhere', '/cds-services/%zz']) {
      await hit('OPTIONS', path);
      await hit('GET', path);
    }
  });

  it('random JSON values (fast-check): never a 5xx, memory bounded', async () => {
    const before = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POST_PATHS),
        fc.jsonValue({ maxDepth: 6 }),
        async (path, value) => {
          await hit('POST', path, JSON.stringify(value));
        },
      ),
      { numRuns: 1500 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POST_PATHS.slice(0, 2)),
        fc.anything({ maxDepth: 4, withObjectString: true, withNullPrototype: true }),
        fc.constantFrom('context', 'prefetch', 'fhirServer', 'hookInstance'),
        async (path, value, key) => {
          const body = { ...examplePatientView('benign'), [key]: value };
          await hit('POST', path, JSON.stringify(body));
        },
      ),
      { numRuns: 1500 },
    );
    const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    expect(grownMb).toBeLessThan(200);
    // The service still answers normally afterwards.
    expect(
      await send(
        'POST',
        '/cds-services/vcf-assessment',
        JSON.stringify(examplePatientView('benign')),
      ),
    ).toBe(200);
    expect(statuses.length).toBeGreaterThan(3000);
  }, 120_000);
});

describe('fuzz: client authentication on, hostile Authorization headers', () => {
  let auth: TestService;
  let authServer: Server;
  let authPort: number;
  let token: (header: Record<string, unknown>, claims: Record<string, unknown>) => Promise<string>;
  beforeAll(async () => {
    const keys = await generateKeyPair('ES384');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1' };
    auth = await startTestService({
      env: {
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '1000000',
        CDS_CLIENT_AUTH: 'true',
        PUBLIC_BASE_URL: 'https://cds.example.org',
        CDS_CLIENT_ISSUERS: JSON.stringify([
          { iss: 'https://ehr.example.org', jwks: { keys: [jwk] } },
        ]),
      },
    });
    authServer = auth.app.listen(0, '127.0.0.1');
    await new Promise((r) => authServer.once('listening', r));
    authPort = (authServer.address() as AddressInfo).port;
    token = (header, claims) =>
      new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'ES384', kid: 'k1', ...header } as never)
        .setIssuer('https://ehr.example.org')
        // The service's frozen clock.
        .setIssuedAt(FROZEN_NOW.getTime() / 1000)
        .setExpirationTime(FROZEN_NOW.getTime() / 1000 + 300)
        .setJti(String(Math.random()))
        .setAudience(
          typeof claims['aud'] === 'string'
            ? claims['aud']
            : 'https://cds.example.org/cds-services/vcf-assessment',
        )
        .sign(keys.privateKey);
  });
  afterAll(async () => {
    await new Promise((r) => authServer.close(r));
    await auth.close();
  });

  it('every hostile header is a plain 401 (never a 5xx), and the service still lets a good token in', async () => {
    const b64 = (v: unknown) => base64url.encode(JSON.stringify(v));
    const unsigned = (header: unknown, payload: unknown) => `${b64(header)}.${b64(payload)}.`;
    const claims = { iss: 'https://ehr.example.org', aud: 'x', exp: 9e9, iat: 1, jti: 'j' };
    const headers = [
      '',
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'bearer a.b.c',
      `Bearer ${'a'.repeat(15_000)}.b.c`,
      `Bearer ${'A'.repeat(8_000)}`,
      'Bearer ....',
      'Bearer a.b.c.d.e',
      `Bearer ${unsigned({ alg: 'none', typ: 'JWT' }, claims)}`,
      `Bearer ${unsigned({ alg: 'HS256', kid: 'k1' }, claims)}x`,
      `Bearer ${unsigned({ alg: 'ES384', kid: 'k1', jku: 'http://127.0.0.1:1/jwks' }, claims)}x`,
      `Bearer ${unsigned({ alg: 'ES384', kid: 'k'.repeat(5000) }, claims)}x`,
      `Bearer ${unsigned({ alg: 'ES384', kid: 'k1', crit: ['exp'] }, claims)}x`,
      `Bearer ${withProtoKeys(JSON.stringify({ [PROTO]: { alg: 'none' } }))}.e30.x`,
      `Bearer ${b64({ alg: 'ES384', kid: 'k1', [PROTO]: { alg: 'none' } }).replace(PROTO, '__proto__')}.${b64(claims)}.x`,
      `Bearer ${b64([1, 2])}.${b64(null)}.x`,
      `Bearer ${b64('ES384')}.${b64(5)}.x`,
      // Signed by the trusted key but otherwise hostile: wrong audience, no lifetime bound, a
      // prototype key among the claims, a header with a jku not on any list.
      `Bearer ${await token({}, { aud: 'https://evil.example/cds-services/vcf-assessment' })}`,
      `Bearer ${await token({ jku: 'https://evil.example/jwks.json' }, {})}`,
      `Bearer ${await token({ typ: 'not-jwt' }, {})}`,
    ];
    const body = withProtoKeys(JSON.stringify(examplePatientView('benign')));
    for (const authorization of headers) {
      for (const path of POST_PATHS) {
        const status = await send(
          'POST',
          path,
          body,
          'application/json',
          { authorization },
          authPort,
        );
        expect(status, `${path} ${authorization.slice(0, 80)}`).toBe(401);
      }
    }
    // fast-check: random header values (printable ASCII, as HTTP allows), random JWT-like parts.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POST_PATHS),
        fc.oneof(
          fc.string({ maxLength: 300 }).map((v) => v.replace(/[^\x20-\x7e]/g, '')),
          fc
            .tuple(fc.jsonValue(), fc.jsonValue(), fc.base64String({ maxLength: 100 }))
            .map(([h, p, sig]) => `Bearer ${b64(h)}.${b64(p)}.${sig.replace(/[+/=]/g, '')}`),
        ),
        async (path, authorization) => {
          const status = await send(
            'POST',
            path,
            body,
            'application/json',
            { authorization },
            authPort,
          );
          expect(status, authorization.slice(0, 80)).toBe(401);
        },
      ),
      { numRuns: 300 },
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(
      await send(
        'POST',
        '/cds-services/vcf-assessment',
        JSON.stringify(examplePatientView('benign')),
        'application/json',
        { authorization: `Bearer ${await token({}, {})}` },
        authPort,
      ),
    ).toBe(200);
  }, 120_000);
});
