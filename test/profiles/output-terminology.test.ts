/**
 * The codes vcf-cds writes (RiskAssessment, the validation command) are published in profiles/,
 * and the constants in src/ agree with them.
 */
import { describe, expect, it } from 'vitest';
import { BIOPSY_REFERENCE_CODE } from '../../src/cli/reference-result.js';
import {
  CATEGORY_SYSTEM,
  LEVEL_EXTENSION,
  METHOD_SYSTEM,
} from '../../src/present/risk-assessment.js';
import type { Category } from '../../src/engine/index.js';
import { loadCodeSystem, loadStructureDefinition } from './load.js';

const codes = (id: string) => (loadCodeSystem(id).concept ?? []).map((c) => c.code);

describe('output terminology', () => {
  it('the three categories (public contract names) are the codes of vcf-assessment-category', () => {
    expect(loadCodeSystem('vcf-assessment-category').url).toBe(CATEGORY_SYSTEM);
    const categories: Category[] = ['malignant-favoured', 'benign-favoured', 'indeterminate'];
    expect(codes('vcf-assessment-category').sort()).toEqual([...categories].sort());
  });

  it('the RiskAssessment method and level extension are published', () => {
    expect(loadCodeSystem('vcf-cds-method').url).toBe(METHOD_SYSTEM);
    expect(codes('vcf-cds-method')).toEqual(['zhao2026-naive-bayes']);
    expect(loadStructureDefinition('vertebral-level').url).toBe(LEVEL_EXTENSION);
  });

  it("the validation command's biopsy reference code is published", () => {
    const cs = loadCodeSystem('vcf-validation');
    expect(cs.url).toBe(BIOPSY_REFERENCE_CODE.system);
    expect(cs.concept?.find((c) => c.code === BIOPSY_REFERENCE_CODE.code)?.display).toBe(
      BIOPSY_REFERENCE_CODE.display,
    );
  });
});
