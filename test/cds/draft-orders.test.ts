import { describe, expect, it } from 'vitest';
import { biopsyOrderedFor, reviewDraftOrders } from '../../src/cds/draft-orders.js';
import { orderCodeSets } from '../../src/terminology/index.js';
import type { HookRequest } from '../../src/cds/request.js';

const LEVELS = 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level';
const levelOf = (site: unknown) => {
  const c = (site as { coding?: { system?: string; code?: string }[] }).coding?.[0];
  return c?.system === LEVELS ? c.code : undefined;
};
const order = (
  id: string,
  code: string,
  level?: string,
  system = 'http://www.ama-assn.org/go/cpt',
) => ({
  resource: {
    resourceType: 'ServiceRequest',
    id,
    status: 'draft',
    intent: 'order',
    code: { coding: [{ system, code }] },
    subject: { reference: 'Patient/p1' },
    ...(level ? { bodySite: [{ coding: [{ system: LEVELS, code: level }] }] } : {}),
  },
});
const CODES = orderCodeSets({ augmentationSnomedCodes: [], biopsySnomedCodes: [] });
const request = (entries: unknown[], selections?: string[]): HookRequest => ({
  hook: selections ? 'order-select' : 'order-sign',
  hookInstance: 'h1',
  context: {
    patientId: 'p1',
    draftOrders: { resourceType: 'Bundle', entry: entries },
    ...(selections ? { selections } : {}),
  },
});

describe('draft orders: vertebral augmentation and biopsy', () => {
  it('finds a kyphoplasty (CPT 22514) and its level', () => {
    const r = reviewDraftOrders(request([order('k1', '22514', 'L1')]), levelOf, CODES);
    expect(r).toEqual({
      augmentations: [{ ref: 'ServiceRequest/k1', levels: ['L1'], label: 'Kyphoplasty' }],
      biopsies: [],
    });
  });

  it.each(['22510', '22511', '22512', '22513', '22514', '22515', '22520', '22525'])(
    'CPT %s is a vertebral augmentation',
    (code) => {
      expect(
        reviewDraftOrders(request([order('x', code, 'T12')]), levelOf, CODES).augmentations,
      ).toHaveLength(1);
    },
  );

  it('a biopsy (CPT 20225) ordered with it is seen', () => {
    const r = reviewDraftOrders(
      request([order('k1', '22511', 'L2'), order('b1', '20225', 'L2')]),
      levelOf,
      CODES,
    );
    expect(biopsyOrderedFor(r, 'L2')).toBe(true);
  });

  it('unrelated orders and codes from other systems are not augmentations', () => {
    const r = reviewDraftOrders(
      request([order('m1', '72148'), order('k1', '22514', 'L1', 'http://example.org/local')]),
      levelOf,
      CODES,
    );
    expect(r.augmentations).toEqual([]);
  });

  it('an order without a readable level is kept with no level', () => {
    expect(
      reviewDraftOrders(request([order('k1', '22514')]), levelOf, CODES).augmentations[0]?.levels,
    ).toEqual([]);
  });

  it('order-select: every augmentation in the draft is checked, selected or not', () => {
    const entries = [order('k1', '22514', 'L1'), order('k2', '22510', 'T4')];
    const r = reviewDraftOrders(request(entries, ['ServiceRequest/k2']), levelOf, CODES);
    expect(r.augmentations.map((a) => a.ref)).toEqual(['ServiceRequest/k1', 'ServiceRequest/k2']);
  });

  it('garbage entries are skipped, not thrown', () => {
    const r = reviewDraftOrders(
      request([
        null,
        1,
        { resource: 'x' },
        { resource: { resourceType: 'ServiceRequest', code: 5 } },
      ]),
      levelOf,
      CODES,
    );
    expect(r).toEqual({ augmentations: [], biopsies: [] });
  });
  it('a biopsy counts for the level it names, or for every level when it names none', () => {
    const r = reviewDraftOrders(
      request([order('k1', '22511', 'L2'), order('b1', '20225', 'L4')]),
      levelOf,
      CODES,
    );
    expect(biopsyOrderedFor(r, 'L2')).toBe(false);
    expect(biopsyOrderedFor(r, 'L4')).toBe(true);
    const anyLevel = reviewDraftOrders(
      request([order('k1', '22511', 'L2'), order('b1', '20225')]),
      levelOf,
      CODES,
    );
    expect(biopsyOrderedFor(anyLevel, 'L2')).toBe(true);
  });

  it('a biopsy whose bodySite names something else (the iliac crest) is no biopsy of the vertebra', () => {
    const crest = order('b1', '20225');
    const r = reviewDraftOrders(
      request([
        order('k1', '22511', 'L2'),
        { resource: { ...crest.resource, bodySite: [{ text: 'left iliac crest' }] } },
      ]),
      levelOf,
      CODES,
    );
    expect(biopsyOrderedFor(r, 'L2')).toBe(false);
  });

  it('SNOMED CT concepts count only when the site lists them (no verified default exists)', () => {
    const snomed = 'http://snomed.info/sct';
    const entries = [
      order('k1', '123456001', 'L1', snomed),
      order('b1', '654321001', 'L1', snomed),
    ];
    const none = reviewDraftOrders(request(entries), levelOf, CODES);
    expect(none).toEqual({ augmentations: [], biopsies: [] });
    const site = orderCodeSets({
      augmentationSnomedCodes: ['123456001'],
      biopsySnomedCodes: ['654321001'],
    });
    const r = reviewDraftOrders(request(entries), levelOf, site);
    expect(r.augmentations).toEqual([
      { ref: 'ServiceRequest/k1', levels: ['L1'], label: 'Vertebral augmentation' },
    ]);
    expect(biopsyOrderedFor(r, 'L1')).toBe(true);
  });
});
