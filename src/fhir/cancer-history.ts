/**
 * Known cancer history from Conditions: an active Condition coded as a malignant neoplasm, ICD-10
 * C00-C97 or a SNOMED CT concept of the configured list.
 * @see docs/clinical-logic.md section 1 (patient context) and section 5 (the raised pre-test probability)
 */
import { SNOMED } from '../terminology/index.js';

/**
 * ICD-10 code systems whose chapter II keeps WHO's C00-C97 "Malignant neoplasms" block:
 * WHO ICD-10 and ICD-10-CM (HL7 Terminology), the Dutch translation (HL7 Terminology, retired
 * 2021 but still sent) and ICD-10-GM (HL7 Germany, under its BfArM URL and its pre-2020 DIMDI
 * URL). Other national modifications are not accepted until someone checks their URL.
 */
export const ICD10_SYSTEMS: readonly string[] = [
  'http://hl7.org/fhir/sid/icd-10',
  'http://hl7.org/fhir/sid/icd-10-cm',
  'http://hl7.org/fhir/sid/icd-10-nl',
  'http://fhir.de/CodeSystem/bfarm/icd-10-gm',
  'http://fhir.de/CodeSystem/dimdi/icd-10-gm',
];

/**
 * C00-C97, with or without the dot ("C50.9", "C509"); also ICD-10-CM's C4A (Merkel cell
 * carcinoma), C7A and C7B (malignant neuroendocrine tumours), which sit inside that block. Codes
 * are case-sensitive: "c50.9" is not a code.
 */
const MALIGNANT_NEOPLASM = /^C(?:[0-8][0-9]|9[0-7]|4A|7A|7B)(?:\.?[0-9A-Z]{1,4})?$/;

export const CONDITION_CLINICAL_SYSTEM = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VERIFICATION_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/condition-ver-status';

/** clinicalStatus codes that make a Condition active (active and its two children). */
export const ACTIVE_CLINICAL_STATUSES: readonly string[] = ['active', 'recurrence', 'relapse'];
/** verificationStatus codes that take a Condition out. */
export const EXCLUDING_VERIFICATION_STATUSES: readonly string[] = ['refuted', 'entered-in-error'];

export interface CancerCoding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/** The first coding of `code` that names a malignant neoplasm, in the resource's order. */
export function malignantNeoplasmCoding(
  code: unknown,
  cancerSnomedCodes: readonly string[],
): CancerCoding | undefined {
  const list = (code as { coding?: unknown } | undefined)?.coding;
  if (!Array.isArray(list)) return undefined;
  for (const c of list as unknown[]) {
    if (typeof c !== 'object' || c === null) continue;
    const { system, code: value, display } = c as Record<string, unknown>;
    if (typeof system !== 'string' || typeof value !== 'string') continue;
    const malignant =
      (ICD10_SYSTEMS.includes(system) && MALIGNANT_NEOPLASM.test(value)) ||
      (system === SNOMED && cancerSnomedCodes.includes(value));
    if (malignant) {
      return { system, code: value, ...(typeof display === 'string' ? { display } : {}) };
    }
  }
  return undefined;
}

/** Does `code` carry a coding of an ICD-10 system, i.e. was it checked against C00-C97? */
export function hasIcd10Coding(code: unknown): boolean {
  const list = (code as { coding?: unknown } | undefined)?.coding;
  if (!Array.isArray(list)) return false;
  return (list as unknown[]).some(
    (c) =>
      typeof c === 'object' &&
      c !== null &&
      ICD10_SYSTEMS.includes((c as Record<string, unknown>)['system'] as string),
  );
}

/** "SNOMED CT 254837009 Malignant neoplasm of breast": the first coding of `code`, for a note. */
export function describeConditionCode(code: unknown): string {
  const c = (code ?? {}) as { coding?: unknown; text?: unknown };
  const first = Array.isArray(c.coding) ? (c.coding[0] as unknown) : undefined;
  const coding = (typeof first === 'object' && first !== null ? first : {}) as Record<
    string,
    unknown
  >;
  if (typeof coding['code'] === 'string') {
    const system =
      coding['system'] === SNOMED
        ? 'SNOMED CT'
        : typeof coding['system'] === 'string'
          ? coding['system']
          : 'no system';
    const display = typeof coding['display'] === 'string' ? ` ${coding['display']}` : '';
    return `${system} ${coding['code']}${display}`;
  }
  return typeof c.text === 'string' ? `text only: "${c.text.slice(0, 80)}"` : 'no code';
}

/**
 * Why a status CodeableConcept that is there cannot be read: no coding of `system` (e.g. the STU3
 * system URL, or text only). Undefined when it is absent or readable.
 */
export function unreadableStatus(
  concept: unknown,
  system: string,
  name: string,
  systemName: string,
): string | undefined {
  if (concept === undefined || statusCode(concept, system) !== undefined) return undefined;
  const list = (concept as { coding?: unknown } | null)?.coding;
  const first = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
  const found =
    typeof first?.['code'] === 'string'
      ? ` (${typeof first['system'] === 'string' ? `${first['system']}|` : ''}${first['code']})`
      : ' (no coding)';
  return `${name}${found} is not from the ${systemName} code system (${system})`;
}

/** The code of a status CodeableConcept in the given system, if any. */
export function statusCode(concept: unknown, system: string): string | undefined {
  const list = (concept as { coding?: unknown } | undefined)?.coding;
  if (!Array.isArray(list)) return undefined;
  for (const c of list as unknown[]) {
    const coding = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
    if (coding['system'] === system && typeof coding['code'] === 'string') return coding['code'];
  }
  return undefined;
}
