/**
 * Issue 12: the service against a real FHIR server, not a double: Medplum's FhirRouter and
 * in-memory repository behind node:http (test/support/fhir-sandbox.ts), loaded with every example
 * Bundle by a transaction POST, refusing any request line RFC 3986 forbids (as Tomcat under HAPI
 * FHIR does), paging with `_count` and absolute `next` links, requiring a bearer token.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation } from 'fhir/r4.js';
import {
  draftOrder,
  examplePatientId,
  examplePatientView,
  examplePrefetch,
  orderRequest,
  patientView,
} from '../support/hook-requests.js';
import { isRfc3986Target, startFhirSandbox, type FhirSandbox } from '../support/fhir-sandbox.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { listExamples, loadExampleBundle } from '../profiles/load.js';
import { serviceOfHook } from '../../src/cds/services.js';
import { VERTEBRAL_LEVELS } from '../../src/terminology/index.js';

const TOKEN = 'sandbox-access-token-7';
/** HAPI caps a page at its own size whatever `_count` asks: 250 findings come in 3 pages. */
const MAX_PAGE = 100;

let fhir: FhirSandbox;
let svc: TestService;
beforeAll(async () => {
  fhir = await startFhirSandbox({ accessToken: TOKEN, maxCount: MAX_PAGE });
  await fhir.loadExamples();
  await fhir.transaction(manyFindings());
  // The in-memory search is slower than a database's under a loaded test run: timeouts are not
  // what these tests are about (test/http/fhir-fetch.test.ts is).
  svc = await startTestService({ env: { FHIR_TIMEOUT_MS: '20000' } });
}, 60_000);
afterAll(async () => {
  await svc?.close();
  await fhir?.close();
});

const access = () => ({
  fhirServer: fhir.baseUrl,
  fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', subject: 'vcf-cds' },
});

/** The request without its prefetch: the service must fetch everything from the server. */
function withoutPrefetch(body: Record<string, unknown>): Record<string, unknown> {
  const { prefetch: _none, ...rest } = body;
  return { ...rest, ...access() };
}

type Card = {
  uuid: string;
  suggestions?: { uuid: string }[];
  links: { url: string }[];
  [k: string]: unknown;
};

/**
 * Cards with their uuids (fresh per call) blanked, and the origin of their links (supertest reaches
 * the app on a new port per call) too, so two answers compare as the clinician reads them.
 */
function withoutUuids(cards: Card[]): unknown {
  return cards.map((c) => ({
    ...c,
    uuid: '-',
    links: c.links.map((l) => ({ ...l, url: l.url.replace(/^http:\/\/127\.0\.0\.1:\d+\//, '/') })),
    ...(c.suggestions ? { suggestions: c.suggestions.map((s) => ({ ...s, uuid: '-' })) } : {}),
  }));
}

async function call(path: string, body: Record<string, unknown>, status = 200) {
  const res = await request(svc.app).post(path).send(body).expect(status);
  return res.body as { cards: Card[]; issue?: { diagnostics: string }[] };
}

const PATIENT_VIEW = `/cds-services/${serviceOfHook('patient-view').id}`;

/** The targets the service sent to the sandbox during `run`. */
async function sent(run: () => Promise<unknown>): Promise<string[]> {
  const from = fhir.requests.length;
  await run();
  return fhir.requests.slice(from);
}

/**
 * The example's prefetch as a FHIR server answers the templates: only the patient's own resources
 * (the messy example's Bundle also holds another patient's finding, which a search by patient
 * does not return).
 */
function serverPrefetch(name: string): Record<string, unknown> {
  const subject = `Patient/${examplePatientId(name)}`;
  const own = (set: unknown) => {
    const bundle = set as Bundle;
    const entry = (bundle.entry ?? []).filter(
      (e) => (e.resource as { subject?: { reference?: string } }).subject?.reference === subject,
    );
    return { ...bundle, total: entry.length, entry };
  };
  const p = examplePrefetch(name);
  return { ...p, findings: own(p['findings']), conditions: own(p['conditions']) };
}

describe('every example patient: the same cards without prefetch as with it', () => {
  it.each(listExamples())('%s', async (name) => {
    const withPrefetch = await call(
      PATIENT_VIEW,
      patientView(examplePatientId(name), { prefetch: serverPrefetch(name) }),
    );
    let without: Awaited<ReturnType<typeof call>> | undefined;
    const targets = await sent(async () => {
      without = await call(PATIENT_VIEW, withoutPrefetch(examplePatientView(name)));
    });
    expect(withPrefetch.cards.length).toBeGreaterThan(0);
    expect(withoutUuids(without!.cards)).toEqual(withoutUuids(withPrefetch.cards));
    const id = examplePatientId(name);
    expect(targets.sort()).toEqual(
      [
        `/fhir/R4/Patient/${id}`,
        `/fhir/R4/Observation?patient=${id}&code=https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding%7C&_count=200`,
        `/fhir/R4/Condition?patient=${id}&_count=200`,
      ].sort(),
    );
  });
});

describe('the queries the service sends', () => {
  it('are RFC 3986-clean: the strict request-line check refuses none', async () => {
    const targets = await sent(() =>
      call(PATIENT_VIEW, withoutPrefetch(examplePatientView('two-level'))),
    );
    expect(targets.length).toBe(3);
    for (const t of targets) expect(isRfc3986Target(t), t).toBe(true);
  });

  it('the sandbox refuses a raw `|` with 400, as Tomcat does (the check is real)', async () => {
    const res = await fetch(
      `${fhir.baseUrl}/Observation?code=https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding|`,
      { headers: { authorization: `Bearer ${TOKEN}` } },
    );
    expect(res.status).toBe(400);
  });
});

const MANY = 'vcf-example-many-findings';

/**
 * 250 findings: ten signs of the malignant example at each of the 25 vertebral levels, so that
 * a level missing from the cards names a page that was not read.
 */
function manyFindings(): Bundle {
  const source = loadExampleBundle('malignant').entry ?? [];
  const observations = source
    .map((e) => e.resource)
    .filter((r): r is Observation => r?.resourceType === 'Observation')
    .slice(0, 10);
  const patient = { resourceType: 'Patient' as const, id: MANY, birthDate: '1958-09-03' };
  const entry: NonNullable<Bundle['entry']> = [
    { resource: patient, request: { method: 'PUT', url: `Patient/${MANY}` } },
  ];
  for (const level of VERTEBRAL_LEVELS) {
    for (const o of observations) {
      const id = `${MANY}-${level}-${o.code.coding?.[0]?.code}`.toLowerCase();
      const resource: Observation = {
        ...o,
        id,
        subject: { reference: `Patient/${MANY}` },
        bodySite: {
          coding: [{ system: o.bodySite?.coding?.[0]?.system ?? '', code: level }],
        },
      };
      entry.push({ resource, request: { method: 'PUT', url: `Observation/${id}` } });
    }
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

describe('250 findings over several pages', () => {
  it('every page is read (a card for each of the 25 levels), as with the whole prefetched', async () => {
    expect(VERTEBRAL_LEVELS.length * 10).toBe(250);
    let without: Awaited<ReturnType<typeof call>> | undefined;
    const targets = await sent(async () => {
      without = await call(PATIENT_VIEW, { ...patientView(MANY), ...access() });
    });
    const pages = targets.filter((t) => t.includes('/Observation?'));
    expect(pages.length).toBe(3);
    // The next links are the server's own, absolute, followed as given (not encoded twice).
    expect(pages.slice(1).every((t) => t.includes('vcf-finding%7C') && !t.includes('%25'))).toBe(
      true,
    );
    const levels = without!.cards.map(
      (c) =>
        (c['extension'] as { 'vcf-cds-assessment': { level: string } })['vcf-cds-assessment'].level,
    );
    expect(levels).toEqual([...VERTEBRAL_LEVELS]);

    const all = manyFindings().entry!.map((e) => e.resource!);
    const prefetched = await call(PATIENT_VIEW, {
      ...patientView(MANY),
      prefetch: {
        patient: all[0],
        findings: {
          resourceType: 'Bundle',
          type: 'searchset',
          entry: all.slice(1).map((resource) => ({ resource })),
        },
        conditions: null,
      },
    });
    expect(withoutUuids(without!.cards)).toEqual(withoutUuids(prefetched.cards));
  });
});

describe('data that cannot be obtained: 412', () => {
  it.each([
    ['no token (the server answers 401)', undefined, /HTTP 401/],
    ['a token the server refuses (403)', 'another-token', /HTTP 403/],
  ])('%s', async (_name, token, message) => {
    const body = withoutPrefetch(examplePatientView('malignant'));
    body['fhirAuthorization'] = token ? { access_token: token, token_type: 'Bearer' } : null;
    const res = await call(PATIENT_VIEW, body, 412);
    expect(res.issue?.[0]?.diagnostics).toMatch(message);
    expect(JSON.stringify(res)).not.toContain(TOKEN);
  });

  it('an unknown patient (the server answers 404 for Patient/id)', async () => {
    const res = await call(PATIENT_VIEW, { ...patientView('no-such-patient'), ...access() }, 412);
    expect(res.issue?.[0]?.diagnostics).toMatch(/"patient".*HTTP 404/);
  });
});

describe('each hook without prefetch', () => {
  const pid = examplePatientId('malignant');
  const vertebroplastyT10 = draftOrder(
    'vp1',
    pid,
    { system: 'http://www.ama-assn.org/go/cpt', code: '22510' },
    'T10',
  );

  it('patient-view: the malignant example, T10 malignant-favoured', async () => {
    const { cards } = await call(PATIENT_VIEW, withoutPrefetch(examplePatientView('malignant')));
    expect(cards.map((c) => c['extension'])).toEqual([
      expect.objectContaining({
        'vcf-cds-assessment': expect.objectContaining({
          level: 'T10',
          category: 'malignant-favoured',
        }),
      }),
    ]);
  });

  it.each(['order-select', 'order-sign'] as const)(
    '%s: a vertebroplasty of T10 without biopsy is critical',
    async (hook) => {
      const body = withoutPrefetch(orderRequest(hook, 'malignant', [vertebroplastyT10]));
      const { cards } = await call(`/cds-services/${serviceOfHook(hook).id}`, body);
      expect(cards).toHaveLength(1);
      expect(cards[0]?.['indicator']).toBe('critical');
    },
  );
});
