/**
 * The one writer of a finding Observation (the input contract, docs/clinical-logic.md section 1):
 * the CLI's simulated cohorts, the benchmark's body, the playground's requests and the tests'
 * patients all build their Observations here, so they cannot drift from the profile apart.
 * Pure data, no Node built-in: the playground's browser bundle uses it as it is.
 */
import {
  VCF_FINDING_SYSTEM,
  VCF_FINDING_VALUE_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
} from '../../terminology/systems.js';

export const OBSERVATION_CATEGORY_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/observation-category';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
/** The unit the contract reads ADC in. */
export const ADC_UCUM = '10*-3.mm2/s';

export interface FindingObservationSpec {
  readonly id: string;
  readonly patientId: string;
  /** A code of the vcf-finding system. */
  readonly sign: string;
  /** A vcf-finding-value code, a yes/no, or a number (in `unit`, ADC by default). */
  readonly value: string | boolean | number;
  /** C1..S1; left out: no bodySite (the "unspecified" level). */
  readonly level?: string;
  readonly effective: string;
  readonly issued?: string;
  readonly status?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
  /** UCUM code of a number's unit (default 10*-3.mm2/s). */
  readonly unit?: string;
  /** Displays, for a reader of the resource (the playground shows them). */
  readonly display?: {
    readonly category?: string;
    readonly sign?: string;
    readonly signText?: string;
    readonly value?: string;
    readonly level?: string;
  };
}

type Json = Record<string, unknown>;

const withDisplay = (coding: Json, display: string | undefined): Json =>
  display === undefined ? coding : { ...coding, display };

function valueOf(spec: FindingObservationSpec): Json {
  if (typeof spec.value === 'boolean') return { valueBoolean: spec.value };
  if (typeof spec.value === 'number') {
    const unit = spec.unit ?? ADC_UCUM;
    return { valueQuantity: { value: spec.value, unit, system: UCUM_SYSTEM, code: unit } };
  }
  return {
    valueCodeableConcept: {
      coding: [
        withDisplay({ system: VCF_FINDING_VALUE_SYSTEM, code: spec.value }, spec.display?.value),
      ],
    },
  };
}

/** A finding Observation as the profile describes it: imaging, coded sign, level, one value. */
export function findingObservation(spec: FindingObservationSpec): Json {
  const code: Json = {
    coding: [withDisplay({ system: VCF_FINDING_SYSTEM, code: spec.sign }, spec.display?.sign)],
  };
  if (spec.display?.signText !== undefined) code['text'] = spec.display.signText;
  return {
    resourceType: 'Observation',
    id: spec.id,
    ...(spec.meta !== undefined ? { meta: spec.meta } : {}),
    status: spec.status ?? 'final',
    category: [
      {
        coding: [
          withDisplay(
            { system: OBSERVATION_CATEGORY_SYSTEM, code: 'imaging' },
            spec.display?.category,
          ),
        ],
      },
    ],
    code,
    subject: { reference: `Patient/${spec.patientId}` },
    effectiveDateTime: spec.effective,
    ...(spec.issued !== undefined ? { issued: spec.issued } : {}),
    ...(spec.level !== undefined
      ? {
          bodySite: {
            coding: [
              withDisplay(
                { system: VERTEBRAL_LEVEL_SYSTEM, code: spec.level },
                spec.display?.level,
              ),
            ],
          },
        }
      : {}),
    ...valueOf(spec),
  };
}
