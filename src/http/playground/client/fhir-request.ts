/**
 * The CDS Hooks requests the page sends, and the FHIR resources in them: a level's signs as
 * vcf-finding Observations (the input contract), an example transaction Bundle as prefetch, or
 * no prefetch at all with a `fhirServer` the service reads, as an EHR does. Pure (no DOM).
 */
import { findingObservation } from '../../../fhir/write/finding-observation.js';
import { serviceRequest } from '../../../fhir/write/service-request.js';
import type { ContractSign, PlaygroundContract } from './contract.js';

export type Json = Record<string, unknown>;

export interface HookRequest {
  readonly hook: string;
  readonly hookInstance: string;
  readonly fhirServer?: string;
  readonly context: Json;
  readonly prefetch?: Json;
}

export const PATIENT_ID = 'playground-patient';
const USER_ID = 'Practitioner/playground-user';
const FULL_URL_BASE = 'https://example.org/fhir';
const HTEST = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
};

/**
 * Known cancer history (docs/clinical-logic.md section 1: a Condition coded ICD-10 C00-C97). WHO ICD-10
 * C79.5 is "Secondary malignant neoplasm of bone and bone marrow"; ICD-10-CM refines it as
 * C79.51 "Secondary malignant neoplasm of bone". Both codings, so either code system matches.
 */
export const CANCER_CODE = {
  coding: [
    {
      system: 'http://hl7.org/fhir/sid/icd-10',
      code: 'C79.5',
      display: 'Secondary malignant neoplasm of bone and bone marrow',
    },
    {
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code: 'C79.51',
      display: 'Secondary malignant neoplasm of bone',
    },
  ],
  text: 'Bone metastasis',
} as const;

/** One sign's value for a level ('' level: no bodySite), by the project's one finding writer. */
export function observation(s: ContractSign, raw: string, levelCode: string, now: string): Json {
  const value = s.kind === 'quantity' ? Number(raw) : s.kind === 'boolean' ? raw === 'true' : raw;
  const valueDisplay =
    s.kind === 'coded' ? (s.values.find((x) => x.code === raw)?.display ?? raw) : undefined;
  return findingObservation({
    id: `playground-${levelCode || 'unspecified'}-${s.sign}`,
    meta: { tag: [HTEST] },
    patientId: PATIENT_ID,
    sign: s.sign,
    value,
    ...(levelCode !== '' ? { level: levelCode } : {}),
    effective: now,
    issued: now,
    ...(s.kind === 'quantity' ? { unit: s.unit.code } : {}),
    display: {
      category: 'Imaging',
      sign: s.display,
      signText: s.label,
      ...(valueDisplay !== undefined ? { value: valueDisplay } : {}),
      ...(levelCode !== '' ? { level: `${levelCode} vertebra` } : {}),
    },
  });
}

/** A search result Bundle as a FHIR server returns it (FHIR JSON has no empty arrays). */
export function searchset(entries: readonly { resource: Json; fullUrl?: string }[]): Json {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: entries.length,
    ...(entries.length > 0
      ? {
          entry: entries.map(({ resource, fullUrl }) => ({
            fullUrl:
              fullUrl ??
              `${FULL_URL_BASE}/${String(resource['resourceType'])}/${String(resource['id'])}`,
            resource,
            search: { mode: 'match' },
          })),
        }
      : {}),
  };
}

function cancerCondition(now: string): Json {
  const coded = (system: string, code: string, display: string) => ({
    coding: [{ system, code, display }],
  });
  return {
    resourceType: 'Condition',
    id: 'playground-cancer-history',
    meta: { tag: [HTEST] },
    clinicalStatus: coded(
      'http://terminology.hl7.org/CodeSystem/condition-clinical',
      'active',
      'Active',
    ),
    verificationStatus: coded(
      'http://terminology.hl7.org/CodeSystem/condition-ver-status',
      'confirmed',
      'Confirmed',
    ),
    category: [
      coded(
        'http://terminology.hl7.org/CodeSystem/condition-category',
        'problem-list-item',
        'Problem List Item',
      ),
    ],
    code: CANCER_CODE,
    subject: { reference: `Patient/${PATIENT_ID}` },
    recordedDate: now.slice(0, 10),
  };
}

/** The patient-view request for one level's signs (sign code -> raw value, '' level: none). */
export function requestFromSigns(
  contract: PlaygroundContract,
  level: string,
  values: ReadonlyMap<string, string>,
  cancerHistory: boolean,
  hookInstance: string,
  now: string,
): HookRequest {
  const observations = contract.signs
    .filter((s) => (values.get(s.sign) ?? '') !== '')
    .map((s) => observation(s, values.get(s.sign)!, level, now));
  const patient = {
    resourceType: 'Patient',
    id: PATIENT_ID,
    meta: { tag: [HTEST] },
    name: [{ text: 'Playground Test-Patient' }],
    birthDate: '1955-06-15',
  };
  return {
    hook: contract.service.hook,
    hookInstance,
    context: { userId: USER_ID, patientId: PATIENT_ID },
    prefetch: {
      patient,
      findings: searchset(observations.map((resource) => ({ resource }))),
      conditions: searchset(cancerHistory ? [{ resource: cancerCondition(now) }] : []),
    },
  };
}

interface Entry {
  readonly resource: Json;
  readonly fullUrl?: string;
}

/**
 * An example transaction Bundle as prefetch: the Patient most Observations are about, every
 * Observation (those of other subjects too: the service must set them aside) and every Condition.
 */
export function requestFromBundle(
  contract: PlaygroundContract,
  bundle: Json,
  hookInstance: string,
): { request: HookRequest; note: string } | { error: string } {
  const raw = Array.isArray(bundle['entry']) ? (bundle['entry'] as unknown[]) : [];
  const entries: Entry[] = raw.flatMap((e) => {
    const r = (e as { resource?: unknown; fullUrl?: unknown } | null)?.resource;
    if (typeof r !== 'object' || r === null || !('resourceType' in r)) return [];
    const fullUrl = (e as { fullUrl?: unknown }).fullUrl;
    return [{ resource: r as Json, ...(typeof fullUrl === 'string' ? { fullUrl } : {}) }];
  });
  const of = (type: string) => entries.filter((e) => e.resource['resourceType'] === type);
  const observations = of('Observation');
  const votes = new Map<string, number>();
  for (const { resource } of observations) {
    const ref = (resource['subject'] as { reference?: unknown } | undefined)?.reference;
    if (typeof ref === 'string') votes.set(ref, (votes.get(ref) ?? 0) + 1);
  }
  const score = (p: Json) => votes.get(`Patient/${String(p['id'])}`) ?? 0;
  const patient = of('Patient')
    .map((e) => e.resource)
    .sort((a, b) => score(b) - score(a))[0];
  if (patient === undefined) return { error: 'The example has no Patient.' };
  const conditions = of('Condition');
  return {
    request: {
      hook: contract.service.hook,
      hookInstance,
      context: { userId: USER_ID, patientId: String(patient['id']) },
      prefetch: {
        patient,
        findings: searchset(observations),
        conditions: searchset(conditions),
      },
    },
    note: `patient ${String(patient['id'])}, ${observations.length} Observation(s), ${conditions.length} Condition(s)`,
  };
}

/** What the EHR mode orders on order-select / order-sign. */
export interface DraftOrder {
  readonly level: string;
  readonly withBiopsy: boolean;
}

/** A draft order of the level, by the project's one ServiceRequest writer. */
function draftOrder(
  id: string,
  code: { system: string; code: string; display: string },
  patientId: string,
  level: string,
): Json {
  return serviceRequest({
    id,
    intent: 'order',
    patientId,
    level,
    codings: [code],
    text: code.display,
  });
}

/**
 * A request WITHOUT prefetch, as an EHR sends it when it leaves the reading to the service: the
 * service fetches the patient, findings and conditions from `fhirServer` (no token: the local
 * sandbox is open). Order hooks carry a draft vertebroplasty (and optionally a biopsy) of a level.
 */
export function requestWithoutPrefetch(
  contract: PlaygroundContract,
  hook: string,
  fhirServer: string,
  patientId: string,
  order: DraftOrder,
  hookInstance: string,
): HookRequest {
  const context: Json = { userId: USER_ID, patientId };
  if (hook === 'order-select' || hook === 'order-sign') {
    const lumbosacral = /^[LS]/.test(order.level);
    const orders = [
      draftOrder(
        'playground-vertebroplasty',
        lumbosacral
          ? contract.orders.vertebroplastyLumbosacral
          : contract.orders.vertebroplastyCervicothoracic,
        patientId,
        order.level,
      ),
      ...(order.withBiopsy
        ? [draftOrder('playground-biopsy', contract.orders.biopsy, patientId, order.level)]
        : []),
    ];
    context['draftOrders'] = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: orders.map((resource) => ({ resource })),
    };
    if (hook === 'order-select')
      context['selections'] = ['ServiceRequest/playground-vertebroplasty'];
  }
  return { hook, hookInstance, fhirServer, context };
}
