/**
 * Adversarial patients (issue 11, clinical safety v2), written by a spine radiologist from
 * docs/clinical-logic.md sections 1-5 and DECISIONS.md, independently of the engine: each is a realistic
 * picture sent as prefetch through the real HTTP app, and each asserts what a clinician would
 * notice on the card (category, indicator, summary words, the rules in `heldBy`, the biopsy
 * proposal, summary under 140 and detail at most 2,500 characters). The patient-view pictures,
 * with their hand arithmetic, are in adversarial-cases.ts; the order-hook ones are below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.js';
import {
  ACUTE_OEDEMA,
  CANCER_HISTORY,
  CONTROLS,
  DATED_CONFLICTS,
  DIFFUSION,
  G4,
  METASTASIS,
  READERS,
  RED_FLAGS,
  SAME_TIME_CONFLICTS,
  UNIT_SLIPS,
  type PatientViewCase,
} from './adversarial-cases.js';
import {
  CPT_OID,
  OSTEOPOROTIC,
  cardFor,
  expectCard,
  order,
  orderCall,
  patient,
  patientViewCall,
  without,
  type Expected,
  type PatientSpec,
} from './adversarial-fixtures.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.close();
});

describe.each([
  ['controls: benign pictures stay quiet, a strong non-key sign is not a red flag', CONTROLS],
  ['red flags: one key discriminator at its malignant value is never drowned', RED_FLAGS],
  ['readers against signs hold the level at indeterminate', READERS],
  ['diffusion completes the constellation only through a measured ADC', DIFFUSION],
  ['G4 with mixed signs', G4],
  ['acute osteoporotic oedema is never called malignant on morphology alone', ACUTE_OEDEMA],
  ['same-time conflicts between two readers', SAME_TIME_CONFLICTS],
  ['conflicts by date: the later finding wins and the conflict is named', DATED_CONFLICTS],
  [
    'cancer history in any clinicalStatus; only refuted / entered-in-error exclude it',
    CANCER_HISTORY,
  ],
  ['unit slips in the ADC', UNIT_SLIPS],
] as const)('%s', (_group, cases: readonly PatientViewCase[]) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const cards = await patientViewCall(svc, patient(c.patient));
    expect(cards.map((card) => card.summary)).toHaveLength(1);
    const card = cards[0]!;
    const level = c.patient.level === null ? 'unspecified' : (c.patient.level ?? 'L1');
    expectCard(card, { level, ...c.expect });
    c.also?.(card);
  });
});

// CPT codes (src/terminology/procedures.ts): vertebroplasty 22510 cervicothoracic, 22511
// lumbosacral; kyphoplasty 22513 thoracic, 22514 lumbar; bone biopsy, deep 20225.
const VP_THORACIC = '22510';
const VP_LUMBAR = '22511';
const KP_THORACIC = '22513';
const KP_LUMBAR = '22514';
const BIOPSY = '20225';

describe('order hooks: every augmentation is checked', () => {
  it.each(['order-sign', 'order-select'] as const)(
    '%s: vertebroplasty of T12 for a patient with no findings at all -> critical, no biopsy ordered',
    async (hook) => {
      const p = patient({ id: `ord-none-${hook}` });
      const cards = await orderCall(svc, hook, p, [order('vp1', p, VP_THORACIC, 'T12')]);
      expect(cards).toHaveLength(1);
      expectCard(cards[0]!, {
        level: 'T12',
        category: 'indeterminate',
        indicator: 'critical',
        summary: ['vertebroplasty ordered without biopsy'],
        summaryHead: false,
        heldBy: undefined,
        biopsy: true,
      });
    },
  );

  it('no findings, a vertebroplasty of T12 and a kyphoplasty of L1 -> one critical card each', async () => {
    const p = patient({ id: 'ord-none-two' });
    const cards = await orderCall(svc, 'order-select', p, [
      order('vp1', p, VP_THORACIC, 'T12'),
      order('kp1', p, KP_LUMBAR, 'L1'),
    ]);
    expect(cards.map((c) => c.extension['vcf-cds-assessment'].level).sort()).toEqual(['L1', 'T12']);
    expect(cards.map((c) => c.indicator)).toEqual(['critical', 'critical']);
    expect(cardFor(cards, 'L1').summary.toLowerCase()).toContain(
      'kyphoplasty ordered without biopsy',
    );
  });

  it('no findings, kyphoplasty of L1 with a biopsy of L1 -> warning, not critical', async () => {
    const p = patient({ id: 'ord-none-bx' });
    const cards = await orderCall(svc, 'order-sign', p, [
      order('kp1', p, KP_LUMBAR, 'L1'),
      order('bx1', p, BIOPSY, 'L1'),
    ]);
    expect(cards).toHaveLength(1);
    expectCard(cards[0]!, {
      level: 'L1',
      category: 'indeterminate',
      indicator: 'warning',
      summary: ['biopsy ordered with the kyphoplasty'],
      summaryHead: false,
      heldBy: undefined,
    });
  });

  /** An augmentation ordered on a level with findings: the card of the targeted level. */
  const withFindings: readonly {
    name: string;
    hook: 'order-sign' | 'order-select';
    patient: PatientSpec;
    orders: readonly [id: string, code: string, system?: string][];
    expect: Expected;
  }[] = [
    {
      // Odds 5.0e-5 (rf-pedicle): benign by P, held by the red flag; no biopsy ordered.
      name: 'pedicle-destroyed level (otherwise benign) -> vertebroplasty without biopsy is critical, red flag named',
      hook: 'order-sign',
      patient: { id: 'ord-rf', level: 'L2', signs: { ...OSTEOPOROTIC, pedicle: 'destroyed' } },
      orders: [['vp1', VP_LUMBAR]],
      expect: {
        level: 'L2',
        category: 'indeterminate',
        indicator: 'critical',
        summary: ['pedicle destroyed', 'vertebroplasty ordered without biopsy'],
        heldBy: ['red-flag'],
        biopsy: true,
      },
    },
    {
      // Odds 6.0e-6 (rf-soft), on the new order-select service id.
      name: 'soft-tissue level on order-select (vcf-procedure-select) -> kyphoplasty without biopsy is critical',
      hook: 'order-select',
      patient: {
        id: 'ord-rf-select',
        level: 'T11',
        signs: { ...OSTEOPOROTIC, 'paravertebral-soft-tissue': true },
      },
      orders: [['kp1', KP_THORACIC]],
      expect: {
        level: 'T11',
        category: 'indeterminate',
        indicator: 'critical',
        summary: ['paravertebral soft tissue involved', 'kyphoplasty ordered without biopsy'],
        heldBy: ['red-flag'],
        biopsy: true,
      },
    },
    {
      name: 'a benign level, kyphoplasty on order-select -> info, never critical (the control)',
      hook: 'order-select',
      patient: { id: 'ord-benign', level: 'L1', signs: OSTEOPOROTIC },
      orders: [['kp1', KP_LUMBAR]],
      expect: {
        level: 'L1',
        category: 'benign-favoured',
        indicator: 'info',
        heldBy: undefined,
        biopsy: false,
      },
    },
    {
      name: 'CPT under its OID: vertebroplasty of a metastatic L2 -> critical',
      hook: 'order-sign',
      patient: { id: 'ord-oid', level: 'L2', signs: METASTASIS },
      orders: [['vp1', VP_LUMBAR, CPT_OID]],
      expect: {
        level: 'L2',
        category: 'malignant-favoured',
        indicator: 'critical',
        summary: ['vertebroplasty ordered without biopsy'],
        heldBy: undefined,
        biopsy: true,
      },
    },
    {
      name: 'CPT under its OID for both the kyphoplasty and the biopsy -> the biopsy is seen: warning',
      hook: 'order-sign',
      patient: { id: 'ord-oid-bx', level: 'L2', signs: METASTASIS },
      orders: [
        ['kp1', KP_LUMBAR, CPT_OID],
        ['bx1', BIOPSY, CPT_OID],
      ],
      expect: {
        level: 'L2',
        category: 'malignant-favoured',
        indicator: 'warning',
        summary: ['biopsy ordered with the kyphoplasty'],
        heldBy: undefined,
      },
    },
  ];
  it.each(withFindings.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const p = patient(c.patient);
    const orders = c.orders.map(([id, code, system]) => order(id, p, code, c.expect.level, system));
    expectCard(cardFor(await orderCall(svc, c.hook, p, orders), c.expect.level), c.expect);
  });

  it('findings recorded without a bodySite (malignant picture), kyphoplasty of L2 -> critical, the unlocalised findings named', async () => {
    // Unspecified: degree-1, G4, pedicle destroyed, mass, T2 not low, CT malignant: P > 0.9999
    // but only 2 of 4 key known; red flags either way.
    const p = patient({
      id: 'ord-unloc',
      level: null,
      signs: {
        'compression-degree': 'degree-1',
        'lesion-extent': 'G4',
        pedicle: 'destroyed',
        'paravertebral-soft-tissue': true,
        't2-low-signal': false,
        'ct-impression': 'malignant',
      },
    });
    const cards = await orderCall(svc, 'order-sign', p, [order('kp1', p, KP_LUMBAR, 'L2')]);
    const card = cardFor(cards, 'L2');
    expect(card.indicator).toBe('critical');
    expect(card.summary.toLowerCase()).toContain('kyphoplasty ordered without biopsy');
    expect(card.summary.length).toBeLessThan(140);
    expect(card.detail.length).toBeLessThanOrEqual(2500);
    expect(card.detail).toMatch(/unspecified|without a (vertebral )?level|no (vertebral )?level/i);
  });

  it('L1 benign, plus a CT report without a level saying the pedicle is destroyed -> kyphoplasty of L1 is critical', async () => {
    const p = patient({
      id: 'ord-unloc-rf',
      level: 'L1',
      signs: OSTEOPOROTIC,
      extra: [{ sign: 'pedicle', value: 'destroyed', level: null }],
    });
    const cards = await orderCall(svc, 'order-sign', p, [order('kp1', p, KP_LUMBAR, 'L1')]);
    const card = cardFor(cards, 'L1');
    expect(card.indicator).toBe('critical');
    expect(card.summary.toLowerCase()).toContain('kyphoplasty ordered without biopsy');
    expect(card.detail).toMatch(/unspecified|without a (vertebral )?level|no (vertebral )?level/i);
  });
});

describe('second review (a spine radiologist against the running service)', () => {
  it('an ADC thrown out for its unit (0.72 sent as mm2/s reads 720) never leaves a quiet benign card', async () => {
    const p = patient({
      id: 'rv-adc-unit',
      level: 'L1',
      signs: without(OSTEOPOROTIC, 'adc'),
      extra: [{ sign: 'adc', value: { value: 0.72, unit: 'mm2/s' } }],
    });
    const card = cardFor(await patientViewCall(svc, p), 'L1');
    expect(card.extension['vcf-cds-assessment'].category).toBe('benign-favoured');
    expect(card.indicator).toBe('warning');
    expect(card.summary).toContain('ADC not used: check the unit');
    expect(card.detail).toContain('not used');
  });

  it('a destroyed pedicle on an impossible date is not silently lost', async () => {
    const alone = patient({
      id: 'rv-bad-date-alone',
      level: 'L1',
      signs: {},
      extra: [{ sign: 'pedicle', value: 'destroyed', effective: '2026-02-30T09:30:00Z' }],
    });
    const [card] = await patientViewCall(svc, alone);
    expect(card?.extension['vcf-cds-assessment'].level).toBe('L1');
    expect(card?.indicator).toBe('warning');
    expect(card?.summary).toMatch(/^L1: the 1 recorded VCF finding is usable|^L1: .*not used/i);

    const amongBenign = patient({
      id: 'rv-bad-date',
      level: 'L1',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: [{ sign: 'pedicle', value: 'destroyed', effective: '2026-02-30T09:30:00Z' }],
    });
    const benign = cardFor(await patientViewCall(svc, amongBenign), 'L1');
    expect(benign.indicator).toBe('warning');
    expect(benign.summary).toContain('pedicle not used');
  });

  it('a benign-favoured level in a patient with known cancer is not a quiet info card', async () => {
    const p = patient({
      id: 'rv-cancer-benign',
      level: 'L4',
      signs: OSTEOPOROTIC,
      conditions: [
        { icd10: 'C61', display: 'Malignant neoplasm of prostate', clinicalStatus: 'active' },
      ],
    });
    const card = cardFor(await patientViewCall(svc, p), 'L4');
    expect(card.extension['vcf-cds-assessment'].category).toBe('benign-favoured');
    expect(card.indicator).toBe('warning');
    expect(card.summary).toContain('known cancer history');
  });

  it('a level with two readers at the same time has no playground link (the page cannot hold both)', async () => {
    const p = patient({
      id: 'rv-conflict-link',
      level: 'L1',
      signs: without(OSTEOPOROTIC, 'pedicle'),
      extra: [
        { sign: 'pedicle', value: 'destroyed' },
        { sign: 'pedicle', value: 'preserved' },
      ],
    });
    const card = cardFor(await patientViewCall(svc, p), 'L1');
    expect(card.summary).toContain('conflicting pedicle');
    expect((card.links ?? []).some((l) => l.url.includes('/playground'))).toBe(false);
    expect((card.links ?? []).some((l) => l.url.endsWith('/method'))).toBe(true);
  });
});
