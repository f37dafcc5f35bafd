/**
 * The benchmark's request: one patient, two levels (T12 osteoporotic, L2 metastatic), every sign.
 * Synthetic data.
 */
import type { Finding } from '../src/engine/index.js';
import { findingObservation } from '../src/fhir/write/finding-observation.js';
import { classicMetastatic, classicOsteoporotic } from '../test/engine/fixtures.js';

export const BENCH_PATIENT_ID = 'bench-patient';

// The engine tests' archetypes (one named fixture per clinical scenario), plus the ADC of an
// adjacent normal vertebra so that all 15 signs travel: every sign of the input contract.
const T12: readonly Finding[] = [...classicOsteoporotic, { sign: 'adc-reference', value: 0.62 }];
const L2: readonly Finding[] = [...classicMetastatic, { sign: 'adc-reference', value: 0.6 }];

function observation(level: string, f: Finding, i: number): Record<string, unknown> {
  return findingObservation({
    id: `bench-${level}-${i}`,
    meta: { versionId: '1' },
    patientId: BENCH_PATIENT_ID,
    sign: f.sign,
    value: f.value,
    level,
    effective: '2026-10-01T08:00:00Z',
  });
}

export const benchPatient = {
  resourceType: 'Patient',
  id: BENCH_PATIENT_ID,
  birthDate: '1956-04-02',
  gender: 'female',
};
export const benchObservations = [
  ...T12.map((f, i) => observation('T12', f, i)),
  ...L2.map((f, i) => observation('L2', f, i)),
];

export function searchset(resources: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((r) => ({
      fullUrl: `${String(r['resourceType'])}/${String(r['id'])}`,
      resource: r,
      search: { mode: 'match' },
    })),
  };
}

export function benchRequestBody(options: {
  prefetch: boolean;
  fhirServer?: string;
}): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: '6a4f0b8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    ...(options.fhirServer ? { fhirServer: options.fhirServer } : {}),
    context: { userId: 'Practitioner/bench', patientId: BENCH_PATIENT_ID },
    ...(options.prefetch
      ? {
          prefetch: {
            patient: benchPatient,
            findings: searchset(benchObservations),
            conditions: searchset([]),
          },
        }
      : {}),
  };
}
