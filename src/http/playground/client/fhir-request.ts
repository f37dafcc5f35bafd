/**
 * The CDS Hooks requests the page sends, and the FHIR resources in them: a level's signs as
 * vcf-finding Observations (the input contract), an example transaction Bundle as prefetch, or
 * no prefetch at all with a `fhirServer` the service reads, as an EHR does. Pure (no DOM).
 */
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

/** One sign's value for a level ('' level: no bodySite). */
export function observation(
  contract: PlaygroundContract,
  s: ContractSign,
  raw: string,
  levelCode: string,
  now: string,
): Json {
  const obs: Json = {
    resourceType: 'Observation',
    id: `playground-${levelCode || 'unspecified'}-${s.sign}`,
    meta: { tag: [HTEST] },
    status: 'final',
    category: [
      {
        coding: [
          { system: contract.systems.observationCategory, code: 'imaging', display: 'Imaging' },
        ],
      },
    ],
    code: {
      coding: [{ system: contract.systems.finding, code: s.sign, display: s.display }],
      text: s.label,
    },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: now,
    issued: now,
  };
  if (s.kind === 'quantity') {
    obs['valueQuantity'] = {
      value: Number(raw),
      unit: s.unit.code,
      system: contract.systems.ucum,
      code: s.unit.code,
    };
  } else if (s.kind === 'boolean') {
    obs['valueBoolean'] = raw === 'true';
  } else {
    const v = s.values.find((x) => x.code === raw);
    obs['valueCodeableConcept'] = {
      coding: [{ system: contract.systems.value, code: raw, display: v?.display ?? raw }],
    };
  }
  if (levelCode !== '') {
    obs['bodySite'] = {
      coding: [
        { system: contract.systems.level, code: levelCode, display: `${levelCode} vertebra` },
      ],
    };
  }
  return obs;
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
    .map((s) => observation(contract, s, values.get(s.sign)!, level, now));
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

function serviceRequest(
  contract: PlaygroundContract,
  id: string,
  code: { system: string; code: string; display: string },
  patientId: string,
  level: string,
): Json {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'draft',
    intent: 'order',
    code: { coding: [code], text: code.display },
    subject: { reference: `Patient/${patientId}` },
    bodySite: [
      {
        coding: [{ system: contract.systems.level, code: level, display: `${level} vertebra` }],
      },
    ],
  };
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
      serviceRequest(
        contract,
        'playground-vertebroplasty',
        lumbosacral
          ? contract.orders.vertebroplastyLumbosacral
          : contract.orders.vertebroplastyCervicothoracic,
        patientId,
        order.level,
      ),
      ...(order.withBiopsy
        ? [
            serviceRequest(
              contract,
              'playground-biopsy',
              contract.orders.biopsy,
              patientId,
              order.level,
            ),
          ]
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
