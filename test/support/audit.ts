/** What the audit record of the two-level example must hold, whichever endpoint assessed it. */
import { expect } from 'vitest';
import type { AuditRecord } from '../../src/store/index.js';

export function expectTwoLevelAudit(a: AuditRecord): void {
  // The patient is there only as its hash.
  expect(JSON.stringify(a)).not.toContain('vcf-example-two-level"');
  expect(a.outputs.map((o) => [o.level, o.category])).toEqual([
    ['T12', 'benign-favoured'],
    ['L3', 'malignant-favoured'],
  ]);
  expect(a.inputs).toContainEqual(
    expect.objectContaining({
      resourceType: 'Condition',
      id: 'vcf-example-two-level-breast-cancer',
    }),
  );
}
