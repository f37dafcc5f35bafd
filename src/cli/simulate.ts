/**
 * `vcf-cds simulate`: a SYNTHETIC cohort drawn per class from the paper's counts (Tables 2-5), as
 * FHIR transaction Bundles, for demos, load tests and trying `validate`. Each sign is drawn on its
 * own from P(value | class) = count / class total, which is exactly the independence the engine
 * assumes, so a simulated cohort flatters the engine: it is no evidence of real-world accuracy.
 * ADC is not simulated: the paper printed no ADC values, and inventing a distribution would be
 * inventing clinical numbers.
 */
import { COHORT, SIGN_TABLES } from '../knowledge/index.js';
import { VERTEBRAL_LEVELS } from '../terminology/index.js';
import { findingObservation } from '../fhir/write/finding-observation.js';
import { SIMULATED_META } from './synthetic-tag.js';

export type Truth = 'benign' | 'malignant';

export interface SimulatedPatient {
  readonly patientId: string;
  readonly truth: Truth;
  readonly level: string;
  readonly bundle: Record<string, unknown>;
}

/** mulberry32: a small seeded PRNG, so the same seed gives the same cohort. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4-shaped UUID from the seeded generator (deterministic per seed). */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function draw<T extends { benign: number; malignant: number }>(
  rows: readonly T[],
  truth: Truth,
  random: () => number,
): T {
  const total = truth === 'benign' ? COHORT.benign : COHORT.malignant;
  let u = random() * total;
  for (const row of rows) {
    u -= row[truth];
    if (u < 0) return row;
  }
  return rows[rows.length - 1]!;
}

function observation(
  patientId: string,
  level: string,
  sign: string,
  value: string | boolean,
  i: number,
): Record<string, unknown> {
  return findingObservation({
    id: `${patientId}-${i}`,
    meta: SIMULATED_META,
    patientId,
    sign,
    value,
    level,
    effective: '2026-01-15T09:00:00Z',
  });
}

/** One synthetic patient: a class drawn with the study's 74/150, every sign of Tables 2-5 drawn. */
export function simulatePatient(index: number, random: () => number): SimulatedPatient {
  const truth: Truth =
    random() < COHORT.malignant / (COHORT.malignant + COHORT.benign) ? 'malignant' : 'benign';
  const patientId = `sim-${String(index).padStart(6, '0')}`;
  // Thoracolumbar levels, where VCFs concentrate; the level carries no weight.
  const levels = VERTEBRAL_LEVELS.filter((l) => /^T(9|1[0-2])$|^L[1-4]$/.test(l));
  const level = levels[Math.floor(random() * levels.length)]!;
  const observations = SIGN_TABLES.map((t, i) =>
    observation(patientId, level, t.sign, draw(t.rows, truth, random).value, i),
  );
  const patient = {
    resourceType: 'Patient',
    id: patientId,
    meta: SIMULATED_META,
    name: [{ family: 'Synthetic', given: [`Patient ${index}`] }],
  };
  const resources = [patient, ...observations];
  return {
    patientId,
    truth,
    level,
    bundle: {
      resourceType: 'Bundle',
      type: 'transaction',
      meta: SIMULATED_META,
      entry: resources.map((r) => ({
        fullUrl: `urn:uuid:${uuidFrom(random)}`,
        resource: r,
        request: { method: 'PUT', url: `${String(r.resourceType)}/${String(r.id)}` },
      })),
    },
  };
}

export function* simulateCohort(n: number, seed: number): Generator<SimulatedPatient> {
  const random = seededRandom(seed);
  for (let i = 1; i <= n; i++) yield simulatePatient(i, random);
}
