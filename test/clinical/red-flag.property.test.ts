/**
 * Properties of the v2 safety rules (issue 11; docs/clinical-logic.md sections 3-4), over random findings
 * sent through the real HTTP app as a patient-view prefetch:
 * - a level with a red flag (pedicle destroyed, paravertebral soft tissue involved, nodular
 *   enhancement, ADC below the cut-off, or one of two same-time conflicting values) is never
 *   benign-favoured, and its summary names every red flag, first;
 * - adding a benign-direction value of a non-key sign never turns such a level benign;
 * - every card's detail stays at most 2,500 characters and its summary under 140, whatever the
 *   input (1,000 conflicting findings on one level, 60-character ids, long display texts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.js';
import {
  CPT,
  OSTEOPOROTIC,
  REPORT_TIME,
  STUDY_TIME,
  order,
  orderCall,
  patient,
  patientViewCall,
  searchset,
  without,
  type Card,
  type ExtraFinding,
  type Json,
  type SignCode,
  type Signs,
  type SignValue,
} from './adversarial-fixtures.js';
import {
  FINDING_SYSTEM,
  LEVEL_SYSTEM,
  OBSERVATION_CATEGORY,
  VALUE_SYSTEM,
} from '../profiles/contract.js';

let svc: TestService;
beforeAll(async () => {
  // Hundreds of calls from one client: lift the per-client rate limit for this file.
  svc = await startTestService({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => {
  await svc.close();
});

const RULES = [
  'constellation-rule',
  'g4-safeguard',
  'red-flag',
  'key-sign-agreement',
  'reader-discordance',
];

/** Every value of the non-key signs (docs/clinical-logic.md section 1). */
const NON_KEY_VALUES: Readonly<Record<string, readonly SignValue[]>> = {
  'compression-degree': ['degree-1', 'degree-2', 'degree-3'],
  'lesion-extent': ['G1', 'G2', 'G3', 'G4'],
  'lesion-location': ['endplate-adjacent', 'anterior-posterior-margin'],
  'vertebral-contour': ['normal-or-depressed', 'outward-bulging'],
  'vertebral-vein': ['not-invaded', 'invaded', 'not-visible'],
  'dwi-signal': ['high', 'low'],
  't1-low-signal': [true, false],
  't2-low-signal': [true, false],
  'ct-impression': ['benign', 'malignant'],
  'mri-impression': ['benign', 'malignant'],
};

/**
 * The benign-direction values (LR < 1 in the count table of section 2) of the non-key signs:
 * degree-2 41/7, degree-3 25/10, G1 26/12, G2 25/8, endplate 74/62, normal contour 63/50, vein not
 * invaded 60/42, DWI high 70/12, T1 low 71/47, T2 low 73/34, readers' "benign" 68/7 and 70/5.
 */
const BENIGN_NON_KEY: readonly [SignCode, SignValue][] = [
  ['compression-degree', 'degree-2'],
  ['compression-degree', 'degree-3'],
  ['lesion-extent', 'G1'],
  ['lesion-extent', 'G2'],
  ['lesion-location', 'endplate-adjacent'],
  ['vertebral-contour', 'normal-or-depressed'],
  ['vertebral-vein', 'not-invaded'],
  ['dwi-signal', 'high'],
  ['t1-low-signal', true],
  ['t2-low-signal', true],
  ['ct-impression', 'benign'],
  ['mri-impression', 'benign'],
];

/** An ADC in 10^-3 mm2/s with two decimals, in [lo, hi] (no implausibly low value: >= 0.20). */
const adcBetween = (lo: number, hi: number) =>
  fc.integer({ min: Math.round(lo * 100), max: Math.round(hi * 100) }).map((n) => n / 100);

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Any set of findings for one level, each sign at most once (random, may be empty). */
const anySigns: fc.Arbitrary<Signs> = fc
  .record({
    ...Object.fromEntries(
      Object.entries(NON_KEY_VALUES).map(([sign, values]) => [
        sign,
        optional(fc.constantFrom(...values)),
      ]),
    ),
    pedicle: optional(fc.constantFrom('preserved', 'destroyed')),
    'paravertebral-soft-tissue': optional(fc.boolean()),
    'enhancement-pattern': optional(fc.constantFrom('flocculent', 'nodular')),
    adc: optional(adcBetween(0.2, 2.5)),
  })
  .map((r) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
  ) as fc.Arbitrary<Signs>;

type Flag = 'pedicle' | 'paravertebral-soft-tissue' | 'enhancement-pattern' | 'adc';

/** The summary words of each red flag (DECISIONS.md). */
const FLAG_WORDS: Readonly<Record<Flag, string>> = {
  pedicle: 'pedicle destroyed',
  'paravertebral-soft-tissue': 'paravertebral soft tissue involved',
  'enhancement-pattern': 'nodular enhancement',
  adc: 'ADC below cut-off',
};

/** The red flags a set of signs carries by value (conflicts aside). */
function flagsOf(s: Signs): Flag[] {
  const out: Flag[] = [];
  if (s.pedicle === 'destroyed') out.push('pedicle');
  if (s['paravertebral-soft-tissue'] === true) out.push('paravertebral-soft-tissue');
  if (s['enhancement-pattern'] === 'nodular') out.push('enhancement-pattern');
  if (typeof s.adc === 'number' && s.adc < 0.89) out.push('adc');
  return out;
}

/** A red-flag level: random signs plus one key discriminator forced to a red flag. */
interface RedFlagLevel {
  readonly signs: Signs;
  /** Two readers at the same time, one of them at the malignant value. */
  readonly conflict: readonly ExtraFinding[];
  readonly cancer: boolean;
}

const MALIGNANT_VALUE = {
  pedicle: ['destroyed', 'preserved'],
  'paravertebral-soft-tissue': [true, false],
  'enhancement-pattern': ['nodular', 'flocculent'],
} as const;

const redFlagLevel: fc.Arbitrary<RedFlagLevel> = fc
  .record({
    base: anySigns,
    flag: fc.constantFrom<Flag>(
      'pedicle',
      'paravertebral-soft-tissue',
      'enhancement-pattern',
      'adc',
    ),
    asConflict: fc.boolean(),
    adc: adcBetween(0.2, 0.88),
    cancer: fc.boolean(),
  })
  .map(({ base, flag, asConflict, adc, cancer }) => {
    if (flag === 'adc') return { signs: { ...base, adc }, conflict: [], cancer };
    const [bad, good] = MALIGNANT_VALUE[flag];
    if (!asConflict) return { signs: { ...base, [flag]: bad }, conflict: [], cancer };
    const conflict = [bad, good].map((value) => ({
      sign: flag,
      value,
      effective: STUDY_TIME,
      issued: REPORT_TIME,
    }));
    return { signs: without(base, flag), conflict, cancer };
  });

let serial = 0;
async function cardOf(level: RedFlagLevel, extra: Partial<Signs> = {}): Promise<Card> {
  serial += 1;
  const cards = await patientViewCall(
    svc,
    patient({
      id: `prop-${serial}`,
      level: 'L1',
      signs: { ...level.signs, ...extra },
      extra: level.conflict,
      conditions: level.cancer
        ? [{ icd10: 'C50.9', display: 'Breast cancer', clinicalStatus: 'active' }]
        : [],
    }),
  );
  expect(cards).toHaveLength(1);
  return cards[0]!;
}

/** A red-flag level's card: never benign-favoured, so never `info`; heldBy names known rules. */
function expectNotBenign(card: Card): void {
  const x = card.extension['vcf-cds-assessment'];
  const where = card.summary;
  expect(x.category, where).not.toBe('benign-favoured');
  expect(card.indicator, where).toBe('warning');
  expect(card.summary.length, where).toBeLessThan(140);
  if (x.heldBy !== undefined) {
    expect(x.heldBy.length, where).toBeGreaterThan(0);
    for (const r of x.heldBy) expect(RULES, where).toContain(r);
  }
}

/** Every red flag named in the summary, and a red flag first (DECISIONS.md). */
function expectFlagsNamed(card: Card, level: RedFlagLevel): void {
  const where = card.summary;
  const summary = card.summary.toLowerCase();
  for (const f of flagsOf(level.signs)) {
    expect(summary, where).toContain(FLAG_WORDS[f].toLowerCase());
  }
  if (level.conflict.length > 0) expect(summary, where).toContain('conflicting');
  const firstReason = summary.split('; ')[1] ?? '';
  const flagWords = [...Object.values(FLAG_WORDS).map((w) => w.toLowerCase()), 'conflicting'];
  expect(
    flagWords.some((w) => firstReason.startsWith(w)),
    `${where}: a red flag first`,
  ).toBe(true);
}

describe('red-flag rule (property)', () => {
  it('a level with a red flag is never benign-favoured', async () => {
    await fc.assert(
      fc.asyncProperty(redFlagLevel, async (level) => {
        expectNotBenign(await cardOf(level));
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('its summary names every red flag, a red flag first', async () => {
    await fc.assert(
      fc.asyncProperty(redFlagLevel, async (level) => {
        expectFlagsNamed(await cardOf(level), level);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('adding a benign sign (a benign-direction value of a non-key sign) never turns a red-flag level benign', async () => {
    await fc.assert(
      fc.asyncProperty(redFlagLevel, fc.constantFrom(...BENIGN_NON_KEY), async (level, added) => {
        const [sign, value] = added;
        const base: RedFlagLevel = { ...level, signs: without(level.signs, sign) };
        expectNotBenign(await cardOf(base));
        expectNotBenign(await cardOf(base, { [sign]: value } as Partial<Signs>));
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('the textbook case the properties guard: ten benign signs and a destroyed pedicle', async () => {
    const level: RedFlagLevel = {
      signs: { ...OSTEOPOROTIC, pedicle: 'destroyed' },
      conflict: [],
      cancer: false,
    };
    const card = await cardOf(level);
    expectNotBenign(card);
    expectFlagsNamed(card, level);
    expect(card.extension['vcf-cds-assessment'].heldBy).toEqual(['red-flag']);
  });
});

// --- Card size, whatever the input ----------------------------------------------------------

const LONG = 'Reader comment: '.padEnd(400, 'lorem ipsum dolor sit amet ');
/** A FHIR id of 60 characters ([A-Za-z0-9\-\.]{1,64}), unique by `n`. */
const longId = (prefix: string, n: number) =>
  `${prefix}-${String(n).padStart(6, '0')}`.padStart(60, 'x');

/** One vcf-finding Observation written by hand: long id, long displays, any status. */
function rawObservation(o: {
  id: string;
  patientId: string;
  sign: string;
  value: Json;
  level: string | null;
  status?: string;
  effective?: string;
}): Json {
  return {
    resourceType: 'Observation',
    id: o.id,
    status: o.status ?? 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'imaging' }] }],
    code: {
      coding: [{ system: FINDING_SYSTEM, code: o.sign, display: LONG }],
      text: LONG,
    },
    subject: { reference: `Patient/${o.patientId}` },
    effectiveDateTime: o.effective ?? STUDY_TIME,
    issued: REPORT_TIME,
    ...(o.level
      ? { bodySite: { coding: [{ system: LEVEL_SYSTEM, code: o.level, display: LONG }] } }
      : {}),
    note: [{ text: LONG }],
    ...o.value,
  };
}

const coded = (code: string): Json => ({
  valueCodeableConcept: { coding: [{ system: VALUE_SYSTEM, code, display: LONG }], text: LONG },
});

function prefetchOf(patientId: string, observations: Json[]): Json {
  return {
    patient: { resourceType: 'Patient', id: patientId, birthDate: '1951-02-03' },
    findings: searchset(observations),
    conditions: searchset([]),
  };
}

function expectCardsFit(cards: readonly Card[]): void {
  expect(cards.length).toBeGreaterThan(0);
  for (const c of cards) {
    expect(c.detail.length, c.summary).toBeLessThanOrEqual(2500);
    expect(c.summary.length, c.summary).toBeLessThan(140);
  }
}

describe('card size (property): detail at most 2,500 characters whatever the input', () => {
  it('1,000 conflicting pedicle findings on one level (same time, alternating values), 60-character ids, long displays', async () => {
    const patientId = 'p'.repeat(60);
    const observations = [
      ...Object.entries(without(OSTEOPOROTIC, 'pedicle')).map(([sign, value], i) =>
        rawObservation({
          id: longId('base', i),
          patientId,
          sign,
          value:
            typeof value === 'boolean'
              ? { valueBoolean: value }
              : typeof value === 'number'
                ? {
                    valueQuantity: {
                      value,
                      unit: '10*-3.mm2/s',
                      system: 'http://unitsofmeasure.org',
                      code: '10*-3.mm2/s',
                    },
                  }
                : coded(value as string),
          level: 'L1',
        }),
      ),
      ...Array.from({ length: 1000 }, (_, i) =>
        rawObservation({
          id: longId('pedicle', i),
          patientId,
          sign: 'pedicle',
          value: coded(i % 2 === 0 ? 'destroyed' : 'preserved'),
          level: 'L1',
        }),
      ),
    ];
    const cards = await patientViewCall(svc, {
      id: patientId,
      prefetch: prefetchOf(patientId, observations),
      observations,
    });
    expectCardsFit(cards);
    const [card] = cards;
    expect(card!.extension['vcf-cds-assessment'].category).not.toBe('benign-favoured');
    expect(card!.summary.toLowerCase()).toContain('conflicting pedicle');
    // At most five conflicting resources named, then "and N more".
    expect(card!.detail).toMatch(/and \d+ more/);
  });

  it('1,000 conflicting findings spread over every sign and three levels, plus unknown codes, on order-sign', async () => {
    const patientId = 'q'.repeat(60);
    const signs = Object.entries(NON_KEY_VALUES);
    const observations = Array.from({ length: 1000 }, (_, i) => {
      const [sign, values] = signs[i % signs.length]!;
      const value = values[Math.floor(i / signs.length) % values.length]!;
      return rawObservation({
        id: longId('mixed', i),
        patientId,
        sign: i % 97 === 0 ? `unknown-sign-${i}` : sign,
        value: typeof value === 'boolean' ? { valueBoolean: value } : coded(value as string),
        level: ['L1', 'T12', null][i % 3]!,
        status: i % 50 === 0 ? 'preliminary' : 'final',
      });
    });
    const built = { id: patientId, prefetch: prefetchOf(patientId, observations), observations };
    expectCardsFit(await patientViewCall(svc, built));
    expectCardsFit(
      await orderCall(svc, 'order-sign', built, [order('vp1', built, '22511', 'L1', CPT)]),
    );
  });

  const ADC_UNITS = ['10*-3.mm2/s', 'mm2/s', '10*-6.mm2/s', 'um2/s'];
  const randomObservation = (patientId: string) =>
    fc
      .record({
        n: fc.integer({ min: 0, max: 999_999 }),
        sign: fc.constantFrom(
          ...Object.keys(NON_KEY_VALUES),
          'pedicle',
          'paravertebral-soft-tissue',
          'enhancement-pattern',
          'adc',
          'adc-reference',
          'not-a-sign',
        ),
        pick: fc.nat(),
        adc: fc.double({ min: 0.0001, max: 5, noNaN: true }),
        level: fc.constantFrom('L1', 'L2', 'T12', null),
        status: fc.constantFrom('final', 'preliminary', 'amended', 'cancelled', 'entered-in-error'),
        effective: fc.constantFrom(STUDY_TIME, '2026-06-01T08:00:00Z', '2025-12-24T23:59:59Z'),
        display: fc.string({ maxLength: 300 }),
      })
      .map((r) => {
        const values: readonly SignValue[] =
          NON_KEY_VALUES[r.sign] ??
          (r.sign === 'pedicle'
            ? ['preserved', 'destroyed']
            : r.sign === 'paravertebral-soft-tissue'
              ? [true, false]
              : ['flocculent', 'nodular', 'not-a-value']);
        const v = values[r.pick % values.length]!;
        const value: Json =
          r.sign === 'adc' || r.sign === 'adc-reference'
            ? {
                valueQuantity: {
                  value: r.adc,
                  unit: ADC_UNITS[r.pick % ADC_UNITS.length],
                  system: 'http://unitsofmeasure.org',
                  code: ADC_UNITS[r.pick % ADC_UNITS.length],
                },
              }
            : typeof v === 'boolean'
              ? { valueBoolean: v }
              : {
                  valueCodeableConcept: {
                    coding: [{ system: VALUE_SYSTEM, code: v, display: r.display }],
                    text: r.display,
                  },
                };
        return rawObservation({
          id: longId('r', r.n),
          patientId,
          sign: r.sign,
          value,
          level: r.level,
          status: r.status,
          effective: r.effective,
        });
      });

  it('random findings (any sign, value, unit, status, level, time; long texts): every card fits', async () => {
    const patientId = 'r'.repeat(60);
    await fc.assert(
      fc.asyncProperty(
        fc.array(randomObservation(patientId), { minLength: 1, maxLength: 120 }),
        async (observations) => {
          // Ids must be unique within a search result.
          const unique = [...new Map(observations.map((o) => [o['id'], o])).values()];
          const built = {
            id: patientId,
            prefetch: prefetchOf(patientId, unique),
            observations: unique,
          };
          const cards = await patientViewCall(svc, built);
          for (const c of cards) {
            expect(c.detail.length, c.summary).toBeLessThanOrEqual(2500);
            expect(c.summary.length, c.summary).toBeLessThan(140);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
