/**
 * Builders for the adversarial patients of test/clinical (issue 11): a patient is written as a
 * radiologist would dictate it (`patient({ level: 'L1', signs: { pedicle: 'destroyed' } })`) and
 * becomes the CDS Hooks prefetch an EHR would send (Patient, a searchset of vcf-finding
 * Observations coded per docs/clinical-logic.md section 1, a searchset of Conditions). All data synthetic.
 */
import request from 'supertest';
import { expect } from 'vitest';
import type { FhirResource } from 'fhir/r4.js';
import { hookInstance, searchset as supportSearchset } from '../support/hook-requests.js';
import type { TestService } from '../support/test-service.js';
import { findingObservation } from '../../src/fhir/write/finding-observation.js';
import { LEVEL_SYSTEM } from '../profiles/contract.js';

export type Json = Record<string, unknown>;

/** An ADC (or adc-reference) as received: value and UCUM code. A bare number is 10*-3.mm2/s. */
export interface Quantity {
  readonly value: number;
  readonly unit: '10*-3.mm2/s' | 'mm2/s' | '10*-6.mm2/s' | 'um2/s';
}

export type SignValue = string | boolean | number | Quantity;

/** The 15 input codes of docs/clinical-logic.md section 1 with the value a reader recorded. */
export interface Signs {
  'compression-degree'?: 'degree-1' | 'degree-2' | 'degree-3';
  'lesion-extent'?: 'G1' | 'G2' | 'G3' | 'G4';
  'lesion-location'?: 'endplate-adjacent' | 'anterior-posterior-margin';
  'vertebral-contour'?: 'normal-or-depressed' | 'outward-bulging';
  'paravertebral-soft-tissue'?: boolean;
  'vertebral-vein'?: 'not-invaded' | 'invaded' | 'not-visible';
  pedicle?: 'preserved' | 'destroyed';
  'enhancement-pattern'?: 'flocculent' | 'nodular';
  'dwi-signal'?: 'high' | 'low';
  't1-low-signal'?: boolean;
  't2-low-signal'?: boolean;
  adc?: number | Quantity;
  'adc-reference'?: number | Quantity;
  'ct-impression'?: 'benign' | 'malignant';
  'mri-impression'?: 'benign' | 'malignant';
}
export type SignCode = keyof Signs;

/** One more finding beyond `signs`: its own level (null: no bodySite), time and reader. */
export interface ExtraFinding {
  readonly sign: SignCode;
  readonly value: SignValue;
  /** Default: the patient's level; null leaves bodySite out ("unspecified"). */
  readonly level?: string | null;
  readonly effective?: string;
  readonly issued?: string;
}

export type ClinicalStatus =
  'active' | 'recurrence' | 'relapse' | 'inactive' | 'remission' | 'resolved';

export interface ConditionSpec {
  /** ICD-10 code, e.g. C50.9 (breast), C61 (prostate), C34.9 (lung). */
  readonly icd10: string;
  readonly display: string;
  /** Left out when absent (FHIR con-5: no clinicalStatus on entered-in-error). */
  readonly clinicalStatus?: ClinicalStatus;
  readonly verificationStatus?: 'confirmed' | 'unconfirmed' | 'refuted' | 'entered-in-error';
  /** When the cancer abated (FHIR con-4 allows it with remission, resolved or inactive only). */
  readonly abatedOn?: string;
}

export interface PatientSpec {
  /** Patient id: short, readable, unique per case. */
  readonly id: string;
  /** The level of `signs`; null records them without a bodySite. Default L1. */
  readonly level?: string | null;
  readonly signs?: Signs;
  readonly extra?: readonly ExtraFinding[];
  readonly conditions?: readonly ConditionSpec[];
}

/** The study the signs were read on (the service's frozen clock is 2026-11-25T10:00Z). */
export const STUDY_TIME = '2026-11-20T09:30:00Z';
export const REPORT_TIME = '2026-11-20T14:00:00Z';

export const CPT = 'http://www.ama-assn.org/go/cpt';
/** CPT under its HL7 OID (docs/clinical-logic.md section 4: must be recognised too). */
export const CPT_OID = 'urn:oid:2.16.840.1.113883.6.12';

const BOOLEAN_SIGNS: ReadonlySet<string> = new Set([
  'paravertebral-soft-tissue',
  't1-low-signal',
  't2-low-signal',
]);

/** The value as the project's one finding writer takes it, checked against the sign's kind. */
function valueOf(
  sign: SignCode,
  value: SignValue,
): { value: string | boolean | number; unit?: string } {
  if (sign === 'adc' || sign === 'adc-reference') {
    const q: Quantity =
      typeof value === 'number' ? { value, unit: '10*-3.mm2/s' } : (value as Quantity);
    return { value: q.value, unit: q.unit };
  }
  if (BOOLEAN_SIGNS.has(sign)) {
    if (typeof value !== 'boolean') throw new Error(`${sign} takes a boolean`);
    return { value };
  }
  if (typeof value !== 'string') throw new Error(`${sign} takes a coded value`);
  return { value };
}

let serial = 0;

function observation(patientId: string, f: ExtraFinding & { level: string | null }): Json {
  serial += 1;
  return findingObservation({
    id: `${patientId}-${f.level ?? 'nolevel'}-${f.sign}-${serial}`,
    patientId,
    sign: f.sign,
    ...valueOf(f.sign, f.value),
    ...(f.level === null ? {} : { level: f.level }),
    effective: f.effective ?? STUDY_TIME,
    issued: f.issued ?? REPORT_TIME,
  });
}

function condition(patientId: string, c: ConditionSpec, i: number): Json {
  return {
    resourceType: 'Condition',
    id: `${patientId}-cancer-${i}`,
    ...(c.clinicalStatus
      ? {
          clinicalStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                code: c.clinicalStatus,
              },
            ],
          },
        }
      : {}),
    verificationStatus: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
          code: c.verificationStatus ?? 'confirmed',
        },
      ],
    },
    code: {
      coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: c.icd10, display: c.display }],
    },
    subject: { reference: `Patient/${patientId}` },
    onsetDateTime: '2019-03-01',
    ...(c.abatedOn ? { abatementDateTime: c.abatedOn } : {}),
  };
}

/** A searchset Bundle of the resources (test/support's, for plain JSON resources). */
export function searchset(resources: readonly Json[]): Json {
  return supportSearchset(resources as unknown as FhirResource[]) as unknown as Json;
}

export interface BuiltPatient {
  readonly id: string;
  readonly prefetch: Json;
  readonly observations: readonly Json[];
}

/** A patient as the prefetch of every service (keys patient, findings, conditions). */
export function patient(spec: PatientSpec): BuiltPatient {
  const level = spec.level === undefined ? 'L1' : spec.level;
  const findings: (ExtraFinding & { level: string | null })[] = [
    ...Object.entries(spec.signs ?? {}).map(([sign, value]) => ({
      sign: sign as SignCode,
      value: value as SignValue,
      level,
    })),
    ...(spec.extra ?? []).map((f) => ({ ...f, level: f.level === undefined ? level : f.level })),
  ];
  const observations = findings.map((f) => observation(spec.id, f));
  const prefetch: Json = {
    patient: { resourceType: 'Patient', id: spec.id, gender: 'female', birthDate: '1948-05-02' },
    findings: searchset(observations),
    conditions: searchset((spec.conditions ?? []).map((c, i) => condition(spec.id, c, i))),
  };
  return { id: spec.id, prefetch, observations };
}

// --- The pictures most cases start from ---------------------------------------------------

/**
 * A healing osteoporotic fracture with a full work-up, every sign at its benign value in the
 * paper's tables: LRs 0.175 (degree-2), 0.474 (G1), 0.860 (endplate), 0.815 (contour), 0.551 (no
 * soft tissue), 0.719 (vein), 0.0522 (pedicle), 0.0579 (flocculent), 0.176 (DWI high), 0.680 (T1
 * low), 0.478 (T2 low), 0.158 (ADC 1.45 >= 0.89). Odds 74/76 x product = 6.14e-7: P < 0.0001.
 */
export const OSTEOPOROTIC: Signs = {
  'compression-degree': 'degree-2',
  'lesion-extent': 'G1',
  'lesion-location': 'endplate-adjacent',
  'vertebral-contour': 'normal-or-depressed',
  'paravertebral-soft-tissue': false,
  'vertebral-vein': 'not-invaded',
  pedicle: 'preserved',
  'enhancement-pattern': 'flocculent',
  'dwi-signal': 'high',
  't1-low-signal': true,
  't2-low-signal': true,
  adc: 1.45,
};

/** `base` without the named signs. */
export function without(base: Signs, ...signs: SignCode[]): Signs {
  const out: Record<string, unknown> = { ...base };
  for (const s of signs) delete out[s];
  return out as Signs;
}

// --- Driving the real app ------------------------------------------------------------------

export interface Card {
  summary: string;
  detail: string;
  indicator: 'info' | 'warning' | 'critical';
  suggestions?: { label: string; actions?: { type: string; resource?: Json }[] }[];
  overrideReasons?: unknown[];
  links?: { label: string; url: string }[];
  extension: {
    'vcf-cds-assessment': {
      level: string;
      category: 'benign-favoured' | 'indeterminate' | 'malignant-favoured';
      probabilityMalignant: number;
      safeguardApplied: boolean;
      missingKeyDiscriminators: string[];
      heldBy?: string[];
    };
  };
}

export const PATIENT_VIEW = 'vcf-assessment';
export const ORDER_SIGN = 'vcf-procedure-check';
/** DECISIONS.md (issue 12): order-select has its own id. */
export const ORDER_SELECT = 'vcf-procedure-select';

async function post(svc: TestService, service: string, body: Json): Promise<Card[]> {
  const res = await request(svc.app).post(`/cds-services/${service}`).send(body);
  expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
  return (res.body as { cards: Card[] }).cards;
}

export function patientViewCall(svc: TestService, p: BuiltPatient): Promise<Card[]> {
  return post(svc, PATIENT_VIEW, {
    hook: 'patient-view',
    hookInstance: hookInstance(),
    context: { userId: 'Practitioner/radiologist', patientId: p.id },
    prefetch: p.prefetch,
  });
}

/** A draft ServiceRequest: a procedure coded in `system`, targeting `level` when given. */
export function order(
  id: string,
  p: BuiltPatient,
  code: string,
  level?: string,
  system: string = CPT,
): Json {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'draft',
    intent: 'order',
    code: { coding: [{ system, code }] },
    subject: { reference: `Patient/${p.id}` },
    ...(level ? { bodySite: [{ coding: [{ system: LEVEL_SYSTEM, code: level }] }] } : {}),
  };
}

/** order-sign on vcf-procedure-check, order-select (every order selected) on vcf-procedure-select. */
export function orderCall(
  svc: TestService,
  hook: 'order-sign' | 'order-select',
  p: BuiltPatient,
  orders: readonly Json[],
): Promise<Card[]> {
  const draftOrders = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: orders.map((resource) => ({ resource })),
  };
  return post(svc, hook === 'order-sign' ? ORDER_SIGN : ORDER_SELECT, {
    hook,
    hookInstance: hookInstance(),
    context: {
      userId: 'Practitioner/radiologist',
      patientId: p.id,
      draftOrders,
      ...(hook === 'order-select'
        ? { selections: orders.map((o) => `ServiceRequest/${String(o['id'])}`) }
        : {}),
    },
    prefetch: p.prefetch,
  });
}

// --- What a clinician notices ----------------------------------------------------------------

export type RuleName =
  'constellation-rule' | 'g4-safeguard' | 'red-flag' | 'key-sign-agreement' | 'reader-discordance';

export interface Expected {
  readonly level: string;
  readonly category: Card['extension']['vcf-cds-assessment']['category'];
  readonly indicator: Card['indicator'];
  /** Words the summary contains, case-insensitive (DECISIONS.md wording). */
  readonly summary?: readonly string[];
  /** At least one of these is in the summary (where the spec leaves the order of reasons open). */
  readonly summaryAnyOf?: readonly string[];
  /** Words the summary must not contain. */
  readonly summaryNot?: readonly string[];
  /** The rules that held the category back, as a set; undefined: no heldBy key at all. */
  readonly heldBy: readonly RuleName[] | undefined;
  /** Whether a biopsy of the level is proposed among the suggestions. */
  readonly biopsy?: boolean;
  /** Hand-computed P(malignant), checked to 3 decimals. */
  readonly p?: number;
  /**
   * The summary opens `{level}: {category}` (DECISIONS.md format); false for cards about a level
   * with no findings, whose summary says so instead.
   */
  readonly summaryHead?: boolean;
}

const lower = (s: string) => s.toLowerCase();

/** The card about `level` (one and only one). */
export function cardFor(cards: readonly Card[], level: string): Card {
  const found = cards.filter((c) => c.extension['vcf-cds-assessment'].level === level);
  expect(found.length, `cards for ${level}: ${cards.map((c) => c.summary).join(' | ')}`).toBe(1);
  return found[0]!;
}

/**
 * Checks every expectation softly: a failing case lists everything that differs, not the first.
 */
export function expectCard(card: Card, e: Expected): void {
  const x = card.extension['vcf-cds-assessment'];
  const where = `card: ${card.summary}`;
  expect.soft(x.level, where).toBe(e.level);
  expect.soft(x.category, where).toBe(e.category);
  expect.soft(card.indicator, where).toBe(e.indicator);
  expect.soft(card.summary.length, where).toBeLessThan(140);
  expect.soft(card.detail.length, where).toBeLessThanOrEqual(2500);
  if (e.summaryHead !== false) {
    expect
      .soft(lower(card.summary).startsWith(lower(`${e.level}: ${e.category}, P `)), where)
      .toBe(true);
  }
  for (const w of e.summary ?? []) expect.soft(lower(card.summary), where).toContain(lower(w));
  for (const w of e.summaryNot ?? [])
    expect.soft(lower(card.summary), where).not.toContain(lower(w));
  if (e.summaryAnyOf) {
    expect
      .soft(
        e.summaryAnyOf.some((w) => lower(card.summary).includes(lower(w))),
        `${where}: one of ${e.summaryAnyOf.join(' / ')}`,
      )
      .toBe(true);
  }
  if (e.heldBy === undefined) {
    expect.soft(x.heldBy, where).toBeUndefined();
  } else {
    expect.soft(x.heldBy, where).toBeDefined();
    expect.soft([...(x.heldBy ?? [])].sort(), where).toEqual([...e.heldBy].sort());
  }
  if (e.biopsy !== undefined) {
    const proposed = (card.suggestions ?? []).some((s) => /biops/i.test(s.label));
    expect.soft(proposed, `${where}: biopsy proposed`).toBe(e.biopsy);
  }
  if (e.p !== undefined) expect.soft(x.probabilityMalignant, where).toBeCloseTo(e.p, 3);
}
