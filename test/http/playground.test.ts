/**
 * The playground (issue 7 item 3) end to end: the real app on an ephemeral port, the page in headless
 * Chromium (Debian's, driven by playwright-core; test/setup/chromium.ts installs it), real CDS Hooks
 * requests. Asserts what a clinician sees (docs/clinical-logic.md section 4) and that the page runs under the
 * app's CSP with no console errors.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateResource } from '../../src/fhir/index.js';
import { startFhirDouble, type FhirDouble } from './playground-fhir-double.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { CHROMIUM_PATH } from '../setup/chromium.js';
import { examplePatientView } from '../support/hook-requests.js';

interface ApiCard {
  readonly summary: string;
  readonly links: readonly { readonly label: string; readonly url: string }[];
  readonly extension: { readonly 'vcf-cds-assessment': { readonly category: string } };
}

// The flags the machine notes give: no sandbox as root, and no background traffic to Google's hosts.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const FINDING_SYSTEM = 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding';
const VALUE_SYSTEM = 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding-value';
const LEVEL_SYSTEM = 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level';

let service: TestService;
let server: Server;
let base: string;
let browser: Browser;
let fhir: FhirDouble;

/**
 * Generous waits: on a loaded machine (two shared cores, the whole suite in parallel) Chromium
 * and the first request are slow; the waits only end early, so this weakens no assertion.
 */
const WAIT_MS = 15_000;
const TEST_MS = 60_000;

beforeAll(async () => {
  service = await startTestService();
  server = service.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  fhir = await startFhirDouble();
}, TEST_MS);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await service?.close();
  await fhir?.close();
}, TEST_MS);

interface Opened {
  readonly page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  readonly problems: () => string[];
  readonly csp: string;
}

let context: BrowserContext | undefined;
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function openPlayground(
  options: { width?: number; height?: number; path?: string } = {},
): Promise<Opened> {
  context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 1000 },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Injected by the browser itself (not subject to the page's CSP): records every CSP violation.
  await page.addInitScript({
    content:
      'window.cspViolations = []; document.addEventListener("securitypolicyviolation", (e) =>' +
      ' window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));',
  });
  const response = await page.goto(`${base}${options.path ?? '/playground'}`);
  expect(response?.status()).toBe(200);
  await page.waitForSelector('body[data-ready="true"]', { timeout: WAIT_MS });
  return {
    page,
    csp: (await response?.headerValue('content-security-policy')) ?? '',
    problems: () => problems,
  };
}

async function cspViolations(page: Page): Promise<string[]> {
  return (await page.evaluate('window.cspViolations')) as string[];
}

/** The colour of a card's left edge (the indicator colour), as the browser computed it. */
type Css = { getComputedStyle(el: unknown): { borderLeftColor: string } };
function edgeColour(card: Locator): Promise<string> {
  return card.evaluate((el) => (globalThis as unknown as Css).getComputedStyle(el).borderLeftColor);
}

/** The request the page shows as sent. */
async function shownRequest(page: Page): Promise<HookRequestShape> {
  return JSON.parse((await page.locator('#request').textContent()) ?? '') as HookRequestShape;
}

interface Resource {
  resourceType: string;
  id: string;
  [k: string]: unknown;
}
interface SearchSet {
  resourceType: 'Bundle';
  type: string;
  entry?: { resource: Resource }[];
}
interface HookRequestShape {
  hook: string;
  hookInstance: string;
  context: { patientId: string; userId?: string };
  prefetch: { patient: Resource; findings: SearchSet; conditions: SearchSet };
}

describe('GET /playground in a browser', { timeout: TEST_MS }, () => {
  it('sends the malignant constellation for a level and shows a warning card, as an EHR would', async () => {
    const { page, problems, csp } = await openPlayground();
    expect(csp).toContain("script-src 'self'");

    await page.getByLabel('Vertebral level', { exact: true }).selectOption('T11');
    await page.getByRole('button', { name: 'Malignant constellation' }).click();
    expect(await page.getByLabel('Pedicle', { exact: true }).inputValue()).toBe('destroyed');
    await page.getByLabel('Known cancer history').check();
    await page.getByRole('button', { name: 'Send CDS Hooks request' }).click();

    const card = page.locator('article.card');
    await card.first().waitFor({ timeout: WAIT_MS });
    expect(await card.count()).toBe(1);
    expect(await page.getByRole('status').first().textContent()).toMatch(/^HTTP 200 .*1 card/);

    // Indicator: a text label and the warning colour on the card's edge.
    expect(await card.locator('.indicator').textContent()).toBe('Warning');
    expect(await card.getAttribute('data-indicator')).toBe('warning');
    expect(await edgeColour(card)).toBe('rgb(212, 160, 0)');

    const summary = (await card.getByRole('heading', { level: 3 }).textContent()) ?? '';
    expect(summary).toContain('T11');
    expect(summary).toContain('malignant-favoured');

    // The detail's markdown rendered: the evidence table, with the signs sent.
    const table = card.locator('.detail').getByRole('table');
    expect(await table.count()).toBe(1);
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['Sign', 'Value', 'LR', 'Src']);
    expect(await table.getByRole('row', { name: /Pedicle\s+destroyed\s+4\.29\s+T4/ }).count()).toBe(
      1,
    );
    expect(await table.getByRole('row', { name: /Enhancement pattern\s+nodular/ }).count()).toBe(1);
    const detail = (await card.locator('.detail').textContent()) ?? '';
    expect(detail).toContain('biopsy is the reference standard');
    expect(detail).toMatch(/known cancer history/i);
    expect(detail).not.toContain('**'); // bold rendered, not shown raw
    expect(detail).not.toMatch(/not used/i); // every Observation the page built was usable
    expect(detail).toMatch(/^Driven by/); // the v2 card opens with what moves the odds most
    expect(detail.length).toBeLessThanOrEqual(2500);

    // Suggestion, override reasons, source.
    const biopsy = card.getByRole('button', { name: /biopsy of T11/i });
    expect(await biopsy.isVisible()).toBe(true);
    await biopsy.click();
    expect(await biopsy.getAttribute('aria-pressed')).toBe('true');
    expect(await card.locator('.feedback').textContent()).toContain('"outcome": "accepted"');
    expect(await card.getByLabel('Override reason').locator('option').count()).toBeGreaterThan(0);
    const source = card.locator('.source a');
    expect(await source.textContent()).toContain('Zhao');
    expect(await source.getAttribute('href')).toMatch(/^https:\/\/doi\.org\//);

    // The request shown is a CDS Hooks request whose prefetch holds valid FHIR.
    const request = await shownRequest(page);
    expect(request.hook).toBe('patient-view');
    expect(request.context.patientId).toBe(request.prefetch.patient.id);
    const observations = (request.prefetch.findings.entry ?? []).map((e) => e.resource);
    expect(observations.length).toBeGreaterThanOrEqual(12);
    // The service's own validation (precompiled FHIR R4 schema of each resource type, Bundle
    // entries each by their own type, plus the vcf-finding-observation profile's rules).
    for (const resource of [
      request.prefetch.patient,
      request.prefetch.findings,
      request.prefetch.conditions,
    ]) {
      expect(validateResource(resource)).toMatchObject({ valid: true, issues: [] });
    }
    expect(validateResource(request.prefetch.findings).profileApplied).toBe(true);
    for (const o of observations) {
      expect(o).toMatchObject({
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ code: 'imaging' }] }],
        code: { coding: [{ system: FINDING_SYSTEM }] },
        subject: { reference: `Patient/${request.context.patientId}` },
        bodySite: { coding: [{ system: LEVEL_SYSTEM, code: 'T11' }] },
      });
      expect(typeof o['effectiveDateTime']).toBe('string');
    }
    const adc = observations.find((o) => JSON.stringify(o['code']).includes('"adc"'));
    expect(adc?.['valueQuantity']).toMatchObject({
      value: 0.7,
      system: 'http://unitsofmeasure.org',
      code: '10*-3.mm2/s',
    });
    const pedicle = observations.find((o) => JSON.stringify(o['code']).includes('"pedicle"'));
    expect(pedicle?.['valueCodeableConcept']).toMatchObject({
      coding: [{ system: VALUE_SYSTEM, code: 'destroyed' }],
    });
    expect(request.prefetch.conditions.entry?.[0]?.resource).toMatchObject({
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ code: 'active' }] },
      // WHO ICD-10 C79.5 "Secondary malignant neoplasm of bone and bone marrow".
      code: {
        coding: expect.arrayContaining([
          expect.objectContaining({ system: 'http://hl7.org/fhir/sid/icd-10', code: 'C79.5' }),
        ]),
      },
    });

    expect(problems()).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });

  it('loads an example patient (benign) and shows an info card without a biopsy suggestion', async () => {
    const { page, problems } = await openPlayground();
    await page.getByLabel('Example bundle').selectOption('benign');
    await page.getByRole('button', { name: 'Load example and send' }).click();

    const card = page.locator('article.card');
    await card.first().waitFor({ timeout: WAIT_MS });
    expect(await card.count()).toBe(1);
    expect(await card.locator('.indicator').textContent()).toBe('Info');
    expect(await edgeColour(card)).toBe('rgb(11, 92, 173)');
    const summary = (await card.getByRole('heading', { level: 3 }).textContent()) ?? '';
    expect(summary).toContain('L1');
    expect(summary).toContain('benign-favoured');
    expect(await card.locator('.detail').getByRole('table').count()).toBe(1);
    expect(await card.getByRole('button', { name: /biopsy/i }).count()).toBe(0);
    expect(await card.getByLabel('Override reason').count()).toBe(0);

    const request = await shownRequest(page);
    expect(request.context.patientId).toBe('vcf-example-benign');
    expect(request.prefetch.patient.id).toBe('vcf-example-benign');
    expect(request.prefetch.findings.entry?.length).toBe(14);

    expect(problems()).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });

  it("shows the service's OperationOutcome readably when a request is refused", async () => {
    const { page, problems } = await openPlayground();
    // The page only builds valid requests: break one on its way out, as a faulty client would.
    await page.route('**/cds-services/vcf-assessment', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, context: {} }) });
    });
    await page.getByRole('button', { name: 'Osteoporotic constellation' }).click();
    await page.getByRole('button', { name: 'Send CDS Hooks request' }).click();

    const alert = page.locator('#error');
    await alert.waitFor({ state: 'visible', timeout: WAIT_MS });
    expect(await alert.getAttribute('role')).toBe('alert');
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/HTTP 400/);
    expect(text).toMatch(/error \(\w[\w-]*\)/); // severity (code) of each issue
    expect(text).toMatch(/patientId/);
    expect(await page.locator('article.card').count()).toBe(0);

    // Chromium reports the refused request itself; nothing else may go wrong.
    expect(problems().filter((p) => !/status of 400/.test(p))).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });

  it('fits a 390 px EHR sidebar: no sideways scroll, cards and form included', async () => {
    const { page, problems } = await openPlayground({ width: 390, height: 844 });
    const fits = () =>
      page.evaluate(
        'document.documentElement.scrollWidth <= window.innerWidth && document.body.scrollWidth <= window.innerWidth',
      );
    expect(await fits()).toBe(true);
    // Screenshots to look at (not compared): the page top, the card, the card's detail.
    await page.screenshot({ path: join(tmpdir(), 'vcf-cds-playground-390-top.png') });
    await page.getByRole('button', { name: 'Malignant constellation' }).click();
    await page.getByRole('button', { name: 'Send CDS Hooks request' }).click();
    const card = page.locator('article.card');
    await card.first().waitFor({ timeout: WAIT_MS });
    // The longest parts of a card: the evidence table, the suggestion's resource, the feedback JSON.
    await card
      .getByRole('button', { name: /biopsy/i })
      .first()
      .click();
    await page.locator('#request-details summary').click();
    expect(await page.evaluate('window.innerWidth')).toBe(390);
    expect(await fits()).toBe(true);
    const table = card.locator('.detail table').first();
    expect(await table.isVisible()).toBe(true);
    const box = await card.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    const shot = join(tmpdir(), 'vcf-cds-playground-390.png');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot, fullPage: false });
    await card
      .locator('.detail')
      .screenshot({ path: join(tmpdir(), 'vcf-cds-playground-390-detail.png') });
    await page.screenshot({
      path: join(tmpdir(), 'vcf-cds-playground-390-full.png'),
      fullPage: true,
    });
    expect(problems()).toEqual([]);
  });

  it("a card's link opened in a 390 px sidebar brings the card into view", async () => {
    const { page, problems } = await openPlayground({
      width: 390,
      height: 844,
      path: '/playground#level=T9&pedicle=destroyed&colour=red',
    });
    const card = page.locator('article.card');
    await card.first().waitFor({ timeout: WAIT_MS });
    // One column: the results sit below the long forms; the page scrolls them up.
    // In view: its box overlaps the viewport (scrolled to the top, it may sit a sub-pixel above 0).
    const heading = await page.locator('#cards-heading').boundingBox();
    expect(heading!.y + heading!.height).toBeGreaterThan(0);
    expect(heading!.y).toBeGreaterThan(-1);
    expect(heading!.y).toBeLessThan(844);
    // The notice of what the link held is with the results, in view too.
    const notice = await page.locator('#link-notice').boundingBox();
    expect(notice!.y).toBeLessThan(844);
    expect(await page.locator('#link-notice').textContent()).toContain('colour=red');
    expect(problems()).toEqual([]);
  });

  it("opens a card's playground link: signs filled in from the fragment, card shown at once, ignored keys named", async () => {
    const { page, problems } = await openPlayground({
      path: '/playground#level=L1&pedicle=destroyed&paravertebral-soft-tissue=true&adc=0.75&colour=red&dwi-signal=purple&adc-reference=1.2',
    });
    const card = page.locator('article.card');
    await card.first().waitFor({ timeout: WAIT_MS });
    expect(await card.count()).toBe(1);
    expect((await card.getByRole('heading', { level: 3 }).textContent()) ?? '').toContain('L1');
    expect(await page.getByLabel('Vertebral level', { exact: true }).inputValue()).toBe('L1');
    expect(await page.getByLabel('Pedicle', { exact: true }).inputValue()).toBe('destroyed');

    const notice = page.locator('#link-notice');
    expect(await notice.isVisible()).toBe(true);
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('4 signs at L1');
    expect(text).toContain('colour=red');
    expect(text).toContain('dwi-signal=purple');
    expect(text).not.toContain('pedicle=destroyed');

    // The request holds exactly the signs of the link, at L1.
    const request = await shownRequest(page);
    const sent = (request.prefetch.findings.entry ?? []).map((e) => {
      const o = e.resource as unknown as {
        code: { coding: { code: string }[] };
        bodySite: { coding: { code: string }[] };
      };
      return `${o.code.coding[0]!.code}@${o.bodySite.coding[0]!.code}`;
    });
    expect(sent.sort()).toEqual(
      ['adc@L1', 'adc-reference@L1', 'paravertebral-soft-tissue@L1', 'pedicle@L1'].sort(),
    );
    expect(request.prefetch.conditions.entry ?? []).toEqual([]);

    // A new link in the same tab (hashchange) replaces the signs; a clean link shows no warning.
    await page.evaluate('location.hash = "#level=T9&pedicle=preserved"');
    await page
      .locator('#request', { hasText: '"T9' })
      .waitFor({ state: 'attached', timeout: WAIT_MS });
    expect(await page.getByLabel('Pedicle', { exact: true }).inputValue()).toBe('preserved');
    expect(
      await page.getByLabel('Paravertebral soft tissue', { exact: false }).first().inputValue(),
    ).toBe('');
    expect(await notice.textContent()).not.toContain('Ignored');
    expect(problems()).toEqual([]);
  });

  it("a card's own links open: the method page renders, the playground link shows the same card", async () => {
    // A real card from the service, reached on this server's origin: its links are absolute on it.
    const res = await fetch(`${base}/cds-services/vcf-assessment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(examplePatientView('malignant')),
    });
    expect(res.status).toBe(200);
    const [apiCard] = ((await res.json()) as { cards: ApiCard[] }).cards;
    const link = (label: RegExp) => apiCard!.links.find((l) => label.test(l.label))?.url ?? '';
    const method = link(/How this assessment works/);
    const playground = link(/playground/);
    expect(method).toBe(`${base}/method`);
    expect(playground.startsWith(`${base}/playground#level=T10&`)).toBe(true);
    expect(playground).not.toContain('vcf-example');

    const { page, problems } = await openPlayground({ path: playground.slice(base.length) });
    const card = page.locator('article.card');
    await card.first().waitFor({ timeout: WAIT_MS });
    expect(await card.count()).toBe(1);
    // The same signs give the same result (the cancer history is not in the link: no patient data).
    const heading = (await card.getByRole('heading', { level: 3 }).textContent()) ?? '';
    expect(heading).toContain('T10');
    expect(heading).toContain(apiCard!.extension['vcf-cds-assessment'].category);
    expect(problems()).toEqual([]);

    const methodPage = await context!.newPage();
    const response = await methodPage.goto(method);
    expect(response?.status()).toBe(200);
    expect(await methodPage.locator('h1').count()).toBe(1);
    expect(await methodPage.locator('table').count()).toBeGreaterThan(5);
    expect(await methodPage.locator('main').textContent()).toMatch(/red flag/i);
  });

  it('calls a hook WITHOUT prefetch, as an EHR would: the service reads the FHIR server', async () => {
    const { page, problems } = await openPlayground();
    expect(await page.getByLabel('FHIR server (fhirServer)').inputValue()).toBe(
      'http://localhost:8103/fhir/R4',
    );
    expect(await page.getByLabel('Patient id').inputValue()).toBe('vcf-example-benign');
    await page.getByLabel('FHIR server (fhirServer)').fill(fhir.base);
    await page
      .getByLabel('Hook', { exact: true })
      .selectOption({ label: 'patient-view: vcf-assessment' });
    await page.getByRole('button', { name: 'Call the hook without prefetch' }).click();

    const card = page.locator('article.card');
    await card.first().waitFor({ timeout: WAIT_MS });
    const summary = (await card.getByRole('heading', { level: 3 }).textContent()) ?? '';
    expect(summary).toContain('L1');
    expect(summary).toContain('benign-favoured');
    const request = (await shownRequest(page)) as unknown as Record<string, unknown>;
    expect(request['prefetch']).toBeUndefined();
    expect(request['fhirServer']).toBe(fhir.base);
    expect(
      fhir.requests.some((r) => r.startsWith('/fhir/R4/Observation?patient=vcf-example-benign')),
    ).toBe(true);
    expect(fhir.requests).toContain('/fhir/R4/Patient/vcf-example-benign');

    // An order hook carries a draft vertebroplasty of the chosen level.
    const orderHook = await page
      .getByLabel('Hook', { exact: true })
      .locator('option', { hasText: 'order-sign' });
    await page
      .getByLabel('Hook', { exact: true })
      .selectOption({ label: (await orderHook.textContent())! });
    await page.getByLabel('Vertebroplasty ordered for level').selectOption('L1');
    await page.getByRole('button', { name: 'Call the hook without prefetch' }).click();
    await page
      .locator('#request', { hasText: '"draftOrders' })
      .waitFor({ state: 'attached', timeout: WAIT_MS });
    await page.locator('#status', { hasText: /^HTTP \d+/ }).waitFor({ timeout: WAIT_MS });
    expect(await page.locator('#status').textContent()).toMatch(
      /^HTTP 200 .*order-sign without prefetch/,
    );
    expect(await card.count()).toBeGreaterThanOrEqual(1);

    // An unknown patient: the service cannot obtain the data and says so (412), shown readably.
    await page
      .getByLabel('Hook', { exact: true })
      .selectOption({ label: 'patient-view: vcf-assessment' });
    await page.getByLabel('Patient id').fill('no-such-patient');
    await page.getByRole('button', { name: 'Call the hook without prefetch' }).click();
    const alert = page.locator('#error');
    await alert.waitFor({ state: 'visible', timeout: WAIT_MS });
    expect((await alert.textContent()) ?? '').toMatch(/HTTP 412/);
    expect(await card.count()).toBe(0);
    expect(problems().filter((p) => !/status of 412/.test(p))).toEqual([]);
  });
});
