/**
 * vcf-assessment (patient-view) end to end on the real app: each example patient of
 * profiles/examples sent as prefetch returns the cards docs/clinical-logic.md section 4 prescribes
 * (the expected assessments are those of profiles/examples/README.md).
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePatientView, patientView } from '../support/hook-requests.js';
import { expectTwoLevelAudit } from '../support/audit.js';
import { startTestService, type TestService } from '../support/test-service.js';

interface Card {
  uuid: string;
  summary: string;
  detail: string;
  indicator: string;
  source: { label: string; url: string };
  suggestions?: { label: string; uuid: string; actions: { type: string; resource?: any }[] }[];
  selectionBehavior?: string;
  overrideReasons?: { code: string; display: string }[];
  links: { url: string }[];
  extension: {
    'vcf-cds-assessment': {
      level: string;
      category: string;
      probabilityMalignant: number;
      safeguardApplied: boolean;
      missingKeyDiscriminators: string[];
      knowledgeBaseVersion: string;
      engineVersion: string;
    };
  };
}

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.close();
});

async function cardsFor(name: string): Promise<Card[]> {
  const res = await request(svc.app)
    .post('/cds-services/vcf-assessment')
    .send(examplePatientView(name))
    .expect(200);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  return (res.body as { cards: Card[] }).cards;
}

const x = (c: Card) => c.extension['vcf-cds-assessment'];

describe('vcf-assessment with prefetch: the example patients', () => {
  it('benign: one info card for L1, benign-favoured, no biopsy suggestion', async () => {
    const [card, ...rest] = await cardsFor('benign');
    expect(rest).toEqual([]);
    expect(x(card!)).toMatchObject({
      level: 'L1',
      category: 'benign-favoured',
      safeguardApplied: false,
      missingKeyDiscriminators: [],
    });
    expect(card!.indicator).toBe('info');
    expect(card!.summary).toBe('L1: benign-favoured, P <1%');
    expect(card!.suggestions).toBeUndefined();
    expect(card!.overrideReasons).toBeUndefined();
    // The MRI impression is shown but not multiplied in (MRI signs present).
    expect(card!.detail).toContain(
      "| MRI reader's impression | benign | – | not weighed (MRI signs present) |",
    );
  });

  it('malignant: a warning card for T10, malignant-favoured, biopsy suggested with a ServiceRequest', async () => {
    const [card, ...rest] = await cardsFor('malignant');
    expect(rest).toEqual([]);
    expect(x(card!)).toMatchObject({ level: 'T10', category: 'malignant-favoured' });
    expect(x(card!).probabilityMalignant).toBeGreaterThanOrEqual(0.9);
    expect(card!.indicator).toBe('warning');
    expect(card!.summary.length).toBeLessThan(140);
    const biopsy = card!.suggestions?.find((s) => /biopsy/i.test(s.label));
    expect(biopsy?.actions[0]).toMatchObject({
      type: 'create',
      resource: {
        resourceType: 'ServiceRequest',
        status: 'draft',
        subject: { reference: 'Patient/vcf-example-malignant' },
        bodySite: [{ coding: [{ code: 'T10' }] }],
      },
    });
    expect(card!.selectionBehavior).toBe('any');
    expect(card!.overrideReasons?.length).toBeGreaterThan(0);
    expect(card!.detail).toContain('**G4 safeguard not applied**');
  });

  it('g4-safeguard: the safeguard applies and the level is not called malignant', async () => {
    const [card] = await cardsFor('g4-safeguard');
    expect(x(card!)).toMatchObject({ level: 'T12', safeguardApplied: true });
    expect(x(card!).category).not.toBe('malignant-favoured');
    expect(card!.detail).toContain('**G4 safeguard applied**');
    // Each discriminator is named with its state.
    for (const d of [
      'pedicle preserved',
      'no paravertebral soft-tissue mass',
      'flocculent',
      'ADC in the benign range',
    ]) {
      expect(card!.detail).toContain(d);
    }
  });

  it('g4-malignant: malignant-favoured, safeguard not applied', async () => {
    const [card] = await cardsFor('g4-malignant');
    expect(x(card!)).toMatchObject({
      level: 'T8',
      category: 'malignant-favoured',
      safeguardApplied: false,
    });
    expect(card!.indicator).toBe('warning');
  });

  it('incomplete: indeterminate, the four key discriminators missing, preliminary named, examinations suggested', async () => {
    const [card] = await cardsFor('incomplete');
    expect(x(card!)).toMatchObject({
      level: 'L4',
      category: 'indeterminate',
      missingKeyDiscriminators: [
        'pedicle',
        'paravertebral-soft-tissue',
        'enhancement-pattern',
        'diffusion',
      ],
    });
    expect(card!.indicator).toBe('warning');
    expect(card!.detail).toMatch(/preliminary/i);
    const labels = (card!.suggestions ?? []).map((s) => s.label).join(' | ');
    expect(labels).toMatch(/biopsy/i);
    expect(labels).toMatch(/diffusion/i);
    expect(labels).toMatch(/contrast-enhanced MRI/i);
    // What would change the result, either way, for each missing discriminator.
    expect(card!.detail).toContain('**If a missing key sign came back** (alone):');
    const whatIfs =
      /^- (Pedicle|Soft tissue|Enhancement \(contrast MRI\)|ADC)[: ][^\n]* → [^\n]* → /gm;
    expect(card!.detail.match(whatIfs)).toHaveLength(4);
  });

  it('two-level: two cards, T12 benign-favoured (SNOMED bodySite) and L3 malignant-favoured, cancer history shown', async () => {
    const cards = await cardsFor('two-level');
    expect(cards.map((c) => [x(c).level, x(c).category])).toEqual([
      ['T12', 'benign-favoured'],
      ['L3', 'malignant-favoured'],
    ]);
    for (const c of cards) {
      expect(c.detail).toMatch(/known cancer history/i);
      expect(c.detail).toContain('C50.9');
    }
    expect(new Set(cards.map((c) => c.uuid)).size).toBe(2);
  });

  it('messy: benign-favoured from the usable findings; the conflict and every ignored resource are listed', async () => {
    const [card, ...rest] = await cardsFor('messy');
    expect(rest).toEqual([]);
    expect(x(card!)).toMatchObject({
      level: 'L2',
      category: 'benign-favoured',
      missingKeyDiscriminators: ['enhancement-pattern'],
    });
    expect(card!.detail).toMatch(/conflict over time[\s\S]*degree 3[\s\S]*degree 2/);
    // At most five data-quality items are named, then "and N more": every resource not used is
    // either named or counted (the card stays readable in seconds).
    const ignored = [
      'vcf-example-messy-l2-pedicle-entered-in-error',
      'vcf-example-messy-l2-enhancement-pattern-absent',
      'vcf-example-messy-l2-unknown-code',
      'vcf-example-messy-l2-lesion-extent-wrong-type',
      'vcf-example-messy-other-l2-pedicle',
    ];
    const named = ignored.filter((id) => card!.detail.includes(id));
    const more = Number(/- and (\d+) more/.exec(card!.detail)?.[1] ?? 0);
    expect(named.length).toBeGreaterThan(0);
    expect(named.length + more).toBeGreaterThanOrEqual(ignored.length);
    expect(card!.detail.length).toBeLessThanOrEqual(2500);
    // ADC 1200 um2/s converted to 1.20 x10^-3 mm2/s.
    expect(card!.detail).toContain('1.20 x10^-3 mm2/s');
  });

  it('every card carries the paper as source and link, and says biopsy is the reference standard', async () => {
    for (const name of ['benign', 'malignant', 'incomplete']) {
      for (const card of await cardsFor(name)) {
        expect(card.source.url).toBe('https://doi.org/10.3389/fmed.2026.1759764');
        expect(card.links.map((l) => l.url)).toContain('https://doi.org/10.3389/fmed.2026.1759764');
        expect(card.detail).toMatch(/biopsy is the reference standard/i);
        expect(card.detail).toMatch(/independent/);
        expect(card.detail).toMatch(/single-centre/);
      }
    }
  });
});

describe('vcf-assessment: nothing to say', () => {
  it('a patient with no vertebral findings gets {"cards": []}', async () => {
    const res = await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(
        patientView('no-vcf', {
          prefetch: {
            patient: { resourceType: 'Patient', id: 'no-vcf' },
            findings: { resourceType: 'Bundle', type: 'searchset', total: 0 },
            conditions: null,
          },
        }),
      )
      .expect(200);
    expect(res.body).toEqual({ cards: [] });
  });

  it('every prefetch key null means no data: no fetch, no cards', async () => {
    const res = await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .send(patientView('p1', { prefetch: { patient: null, findings: null, conditions: null } }))
      .expect(200);
    expect(res.body).toEqual({ cards: [] });
  });
});

describe('audit', () => {
  it('each assessment is recorded: hook instance, hashed patient, inputs by id, outputs, versions', async () => {
    const body = examplePatientView('two-level');
    await request(svc.app).post('/cds-services/vcf-assessment').send(body).expect(200);
    const hookInstance = String(body['hookInstance']);
    // Committed before the answer was sent: there at once, no waiting.
    const records = await svc.store.listAudit({ hookInstance });
    expect(records).toHaveLength(1);
    const a = records[0]!;
    expect(a.serviceId).toBe('vcf-assessment');
    expect(a.hook).toBe('patient-view');
    // HMAC-SHA-256 under the key the store keeps in DATA_DIR: not the plain SHA-256 a dictionary
    // of plausible ids would reverse.
    const key = Buffer.from(
      readFileSync(join(svc.dataDir!, 'audit-id-key'), 'utf8').trim(),
      'base64',
    );
    const id = 'vcf-example-two-level';
    expect(a.patientIdHash).toBe(createHmac('sha256', key).update(id).digest('hex'));
    expect(a.patientIdHash).not.toBe(createHash('sha256').update(id).digest('hex'));
    expectTwoLevelAudit(a);
    expect(a.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(a.knowledgeBaseVersion).toMatch(/\+/);
    expect(a.settingsFingerprint).toBe('default');
  });

  it("the audit names a site's own engine settings by their fingerprint", async () => {
    const site = await startTestService({ env: { VCF_PRETEST_PROBABILITY: '0.08' } });
    try {
      const body = examplePatientView('benign');
      await request(site.app).post('/cds-services/vcf-assessment').send(body).expect(200);
      const [record] = await site.store.listAudit({ hookInstance: String(body['hookInstance']) });
      expect(record?.settingsFingerprint).toMatch(/^[0-9a-f]{14}$/);
    } finally {
      await site.close();
    }
  });

  it('one key, one hash per patient: records link across calls; AUDIT_ID_KEY sets the key', async () => {
    const hashOf = async (s: TestService) => {
      const body = examplePatientView('benign');
      await request(s.app).post('/cds-services/vcf-assessment').send(body).expect(200);
      const [record] = await s.store.listAudit({ hookInstance: String(body['hookInstance']) });
      return record!.patientIdHash;
    };
    expect(await hashOf(svc)).toBe(await hashOf(svc));
    const keyed = await startTestService({
      env: { AUDIT_ID_KEY: Buffer.alloc(32, 1).toString('hex') },
    });
    try {
      const hash = await hashOf(keyed);
      expect(hash).toBe(
        createHmac('sha256', Buffer.alloc(32, 1)).update('vcf-example-benign').digest('hex'),
      );
      expect(hash).not.toBe(await hashOf(svc));
    } finally {
      await keyed.close();
    }
  });
});

describe("the cards' links on the request's origin (PUBLIC_BASE_URL unset)", () => {
  it('a Host that is no authority is a 400 (RFC 9112), never a card linking elsewhere', async () => {
    for (const host of ['a b', 'x"><script>']) {
      const res = await request(svc.app)
        .post('/cds-services/vcf-assessment')
        .set('Host', host)
        .send(examplePatientView('benign'));
      expect(res.status).toBe(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    const ok = await request(svc.app)
      .post('/cds-services/vcf-assessment')
      .set('Host', 'cds.hospital.example:8443')
      .send(examplePatientView('benign'));
    expect(ok.status).toBe(200);
    const [card] = (ok.body as { cards: Card[] }).cards;
    expect(card!.links[0]?.url).toBe('http://cds.hospital.example:8443/method');
  });
});

describe('a prefetched search with a page that was not read', () => {
  it('is data that may be incomplete: the benign card is not quiet and says so', async () => {
    const body = examplePatientView('benign') as {
      prefetch: { findings: { link?: { relation: string; url: string }[] } };
    };
    body.prefetch.findings.link = [
      { relation: 'self', url: 'https://ehr.example.org/fhir/Observation?page=1' },
      { relation: 'next', url: 'https://ehr.example.org/fhir/Observation?page=2' },
    ];
    const res = await request(svc.app).post('/cds-services/vcf-assessment').send(body).expect(200);
    const [card] = (res.body as { cards: Card[] }).cards;
    expect(card!.extension['vcf-cds-assessment'].category).toBe('benign-favoured');
    expect(card!.indicator).toBe('warning');
    expect(card!.summary).toContain('data may be incomplete');
    expect(card!.detail).toContain('later pages, if any, were not read');
  });
});
