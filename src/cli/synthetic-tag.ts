/**
 * The tag that marks synthetic data: HL7 v3 ActReason HTEST ("test health data"), as the example
 * bundles and `vcf-cds simulate` use it. A report on tagged data says it is synthetic/test data;
 * it names `vcf-cds simulate` only when the data also carry simulate's own meta.source.
 */
import { CANONICAL_BASE } from '../terminology/index.js';

export const SYNTHETIC_TAG = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
} as const;

/** meta.source of everything `vcf-cds simulate` writes: the mark of its output, and only its. */
export const SIMULATE_SOURCE = `${CANONICAL_BASE}/vcf-cds-simulate`;

/** The meta of every resource `vcf-cds simulate` writes. */
export const SIMULATED_META = { source: SIMULATE_SOURCE, tag: [SYNTHETIC_TAG] } as const;

/** Whether a resource (or Bundle) carries simulate's meta.source. */
export function isSimulateOutput(resource: Readonly<Record<string, unknown>>): boolean {
  const meta = resource['meta'];
  return (
    typeof meta === 'object' &&
    meta !== null &&
    (meta as Record<string, unknown>)['source'] === SIMULATE_SOURCE
  );
}

/** Whether a resource (or Bundle) carries meta.tag HTEST. */
export function isSyntheticTagged(resource: Readonly<Record<string, unknown>>): boolean {
  const meta = resource['meta'];
  if (typeof meta !== 'object' || meta === null) return false;
  const tags = (meta as Record<string, unknown>)['tag'];
  return (
    Array.isArray(tags) &&
    tags.some(
      (t: unknown) =>
        typeof t === 'object' &&
        t !== null &&
        (t as Record<string, unknown>)['system'] === SYNTHETIC_TAG.system &&
        (t as Record<string, unknown>)['code'] === SYNTHETIC_TAG.code,
    )
  );
}
