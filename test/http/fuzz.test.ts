/**
 * Robustness (issue 5, item 5): thousands of malformed and hostile bodies at every endpoint. No
 * answer is a 5xx, the process does not crash, prototypes stay clean, and memory stays bounded.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePatientView, orderRequest, draftOrder } from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';

const POST_PATHS = [
  '/cds-services/vcf-assessment',
  '/cds-services/vcf-procedure-check',
  '/cds-services/vcf-assessment/feedback',
  '/cds-services/vcf-procedure-check/feedback',
  '/api/assess',
  '/cds-services/unknown',
];
const GET_PATHS = [
  '/cds-services',
  '/healthz',
  '/readyz',
  '/playground',
  '/playground/examples/..%2F..%2Fpackage',
];

let svc: TestService;
let server: Server;
let port: number;
beforeAll(async () => {
  svc = await startTestService({
    env: { BODY_LIMIT: '1mb', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000' },
  });
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
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: body === undefined ? {} : { 'content-type': contentType },
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
async function hit(method: string, path: string, body?: Buffer | string, type?: string) {
  const status = await send(method, path, body, type);
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
    { __proto__: { polluted: 1 } },
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
      card: 'c',
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
