/**
 * FHIR fixtures for the FHIR layer's tests: a builder for vcf-finding Observations and one named
 * fixture per handling rule of docs/clinical-logic.md section 1. All data are synthetic.
 */
import { CANCER_SNOMED_CODES_DEFAULT } from '../../src/terminology/index.js';
import {
  extractLevels,
  type Disposition,
  type ExtractionOptions,
  type ExtractionResult,
} from '../../src/fhir/index.js';
import {
  FINDING_SYSTEM,
  LEVEL_SYSTEM,
  OBSERVATION_CATEGORY,
  SNOMED,
  UCUM,
  VALUE_SYSTEM,
} from '../profiles/contract.js';

export type Json = Record<string, unknown>;

export const PATIENT_ID = 'fixture-patient';
export const NOW = new Date('2026-03-01T12:00:00Z');
export const OPTIONS: ExtractionOptions = {
  patientId: PATIENT_ID,
  cancerSnomedCodes: CANCER_SNOMED_CODES_DEFAULT,
  now: NOW,
};

export const coded = (code: string): Json => ({
  valueCodeableConcept: { coding: [{ system: VALUE_SYSTEM, code }] },
});
export const bool = (value: boolean): Json => ({ valueBoolean: value });
export const quantity = (value: number, code: string, extra: Json = {}): Json => ({
  valueQuantity: { value, unit: code, system: UCUM, code, ...extra },
});
export const levelSite = (code: string): Json => ({ coding: [{ system: LEVEL_SYSTEM, code }] });
export const snomedSite = (code: string): Json => ({ coding: [{ system: SNOMED, code }] });

/** Removes the keys set to undefined (the way to leave an element out of a fixture). */
function clean(x: Json): Json {
  return JSON.parse(JSON.stringify(x)) as Json;
}

/**
 * A valid vcf-finding Observation of the fixture patient at L1 (final, imaging, effective
 * 2026-02-01T10:00Z, issued 2026-02-01T12:00Z); `overrides` replace or (undefined) remove elements.
 */
export function observation(id: string, sign: string, value: Json, overrides: Json = {}): Json {
  return clean({
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'imaging' }] }],
    code: { coding: [{ system: FINDING_SYSTEM, code: sign }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: '2026-02-01T10:00:00Z',
    issued: '2026-02-01T12:00:00Z',
    bodySite: levelSite('L1'),
    ...value,
    ...overrides,
  });
}

export function patient(id = PATIENT_ID, birthDate: string | undefined = '1950-06-15'): Json {
  return clean({ resourceType: 'Patient', id, birthDate });
}

export function condition(id: string, coding: Json, overrides: Json = {}): Json {
  return clean({
    resourceType: 'Condition',
    id,
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
      ],
    },
    verificationStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' },
      ],
    },
    code: { coding: [coding] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    ...overrides,
  });
}

export const icd10 = (code: string, system = 'http://hl7.org/fhir/sid/icd-10'): Json => ({
  system,
  code,
});

/** A searchset Bundle of the resources, entries with fullUrls on example.org. */
export function searchset(resources: readonly Json[], extra: Json = {}): Json {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: resources.map((resource) => ({
      fullUrl: `https://example.org/fhir/${String(resource['resourceType'])}/${String(resource['id'])}`,
      resource,
    })),
    ...extra,
  };
}

/** extractLevels over one searchset of the resources, with the fixture options. */
export function extract(...resources: Json[]): ExtractionResult {
  return extractLevels([searchset(resources)], OPTIONS);
}

export function dispositionOf(result: ExtractionResult, ref: string): Disposition | undefined {
  return result.dispositions.find((d) => d.ref === ref);
}

/** The findings of one level as { sign: value }. */
export function findingsAt(result: ExtractionResult, level: string): Record<string, unknown> {
  const entry = result.levels.find((l) => l.level === level);
  return Object.fromEntries((entry?.findings ?? []).map((f) => [f.sign, f.value]));
}

// ---- One named fixture per handling rule (docs/clinical-logic.md section 1) ----

/** status preliminary: used, and the card says so. */
export const preliminaryPedicle = observation('prelim-pedicle', 'pedicle', coded('preserved'), {
  status: 'preliminary',
});
/** status entered-in-error: ignored. */
export const enteredInErrorPedicle = observation('eie-pedicle', 'pedicle', coded('destroyed'), {
  status: 'entered-in-error',
});
/** dataAbsentReason: ignored. */
export const absentEnhancement = observation(
  'absent-enhancement',
  'enhancement-pattern',
  {},
  {
    dataAbsentReason: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
          code: 'not-performed',
        },
      ],
    },
  },
);
/** subject another patient: ignored. */
export const otherPatientPedicle = observation('other-pedicle', 'pedicle', coded('destroyed'), {
  subject: { reference: 'Patient/someone-else' },
});
/** subject as an absolute URL ending in /Patient/<id>: the hook's patient. */
export const absoluteSubjectPedicle = observation('abs-pedicle', 'pedicle', coded('preserved'), {
  subject: { reference: `https://ehr.example.org/fhir/Patient/${PATIENT_ID}` },
});
/** Same finding twice, values differ: the later effective[x] wins, the conflict is named. */
export const degreeEarlier = observation(
  'degree-earlier',
  'compression-degree',
  coded('degree-2'),
  {
    effectiveDateTime: '2026-01-10T10:00:00Z',
    issued: '2026-01-10T12:00:00Z',
  },
);
export const degreeLater = observation('degree-later', 'compression-degree', coded('degree-3'), {
  effectiveDateTime: '2026-02-10T10:00:00Z',
  issued: '2026-02-10T12:00:00Z',
});
/** Unknown code in the vcf-finding system: ignored. */
export const unknownCode = observation('unknown-code', 'marrow-oedema-pattern', bool(true));
/** Wrong value type (valueString for a coded sign): ignored. */
export const wrongTypeExtent = observation('string-extent', 'lesion-extent', { valueString: 'G2' });
/** Coded value outside its ValueSet: ignored. */
export const outOfValueSetExtent = observation('g5-extent', 'lesion-extent', coded('G5'));
/** Unit not accepted (cm2/s is UCUM but not in the contract): ignored. */
export const unknownUnitAdc = observation('cm2-adc', 'adc', quantity(0.012, 'cm2/s'));
/** ADC in um2/s: converted to 10^-3 mm2/s. */
export const umAdc = observation('um-adc', 'adc', quantity(1200, 'um2/s'));
/** compression-degree as % height loss: graded. */
export const percentDegree = observation('pct-degree', 'compression-degree', {
  valueQuantity: { value: 50, unit: '%', system: UCUM, code: '%' },
});
/** bodySite as SNOMED CT 23215003 (bone structure of T12): mapped by the ConceptMap. */
export const snomedT12Pedicle = observation('sct-pedicle', 'pedicle', coded('preserved'), {
  bodySite: snomedSite('23215003'),
});
/** No bodySite: level unspecified. */
export const noSitePedicle = observation('nosite-pedicle', 'pedicle', coded('preserved'), {
  bodySite: undefined,
});
/** bodySite that maps to no level (free text only): ignored, never put in unspecified. */
export const textSitePedicle = observation('text-pedicle', 'pedicle', coded('preserved'), {
  bodySite: { text: 'T12' },
});
/** A panel with members followed within the data at hand, one member contained. */
export const panelDwi = observation('panel-dwi', 'dwi-signal', coded('low'));
export const panel: Json = clean({
  resourceType: 'Observation',
  id: 'panel',
  status: 'final',
  code: { text: 'MRI spine VCF panel' },
  subject: { reference: `Patient/${PATIENT_ID}` },
  effectiveDateTime: '2026-02-01T10:00:00Z',
  contained: [
    observation('t1', 't1-low-signal', bool(true), {
      subject: { reference: `Patient/${PATIENT_ID}` },
    }),
  ],
  hasMember: [
    { reference: 'Observation/panel-dwi' },
    { reference: 'https://example.org/fhir/Observation/panel-dwi' },
    { reference: '#t1' },
    { reference: 'Observation/not-here' },
  ],
});
/** An active Condition coded ICD-10 C50.9: known cancer history. */
export const breastCancer = condition('breast-cancer', {
  ...icd10('C50.9'),
  display: 'Malignant neoplasm of breast, unspecified',
});
