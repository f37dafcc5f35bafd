/**
 * The tag that marks synthetic data: HL7 v3 ActReason HTEST ("test health data"), as the example
 * bundles and `vcf-cds simulate` use it. A report on tagged data says it is simulated.
 */
export const SYNTHETIC_TAG = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'HTEST',
  display: 'test health data',
} as const;

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
