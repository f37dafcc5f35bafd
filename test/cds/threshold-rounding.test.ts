/**
 * Issue 11 item 11: `/api/assess` and the CLI say what the card says, and never round a
 * probability across a category threshold (0.8988 on an indeterminate level is not "90%").
 */
import { describe, expect, it } from 'vitest';
import { riskAssessment } from '../../src/present/risk-assessment.js';
import { patientTable } from '../../src/cli/assess-table.js';
import type { PatientAssessment } from '../../src/app/assess-patient.js';
import { DEFAULT_ENGINE_SETTINGS, assessLevel } from '../../src/engine/index.js';
import { noQuality, patient } from './card-fixtures.js';
import type { LevelReport } from '../../src/present/level-report.js';

/** A site whose pre-test is 0.8988: with no finding, P(malignant) is exactly that, indeterminate. */
const site = { ...DEFAULT_ENGINE_SETTINGS, pretestProbability: 0.8988 };
const nearThreshold: LevelReport = {
  level: 'L1',
  assessment: assessLevel({ findings: [] }, site),
  quality: noQuality,
  basis: [],
};
/** A destroyed pedicle among benign signs: the red flag holds it from benign-favoured. */
const redFlag: LevelReport = {
  level: 'L2',
  assessment: assessLevel({
    findings: [
      { sign: 'pedicle', value: 'destroyed' },
      { sign: 'paravertebral-soft-tissue', value: false },
      { sign: 'enhancement-pattern', value: 'flocculent' },
      { sign: 'adc', value: 1.4 },
      { sign: 'compression-degree', value: 'degree-2' },
      { sign: 't2-low-signal', value: true },
    ],
  }),
  quality: noQuality,
  basis: [],
};

const rationale = (r: LevelReport): string => {
  const ra = riskAssessment(r, 'p1', 'ra1', new Date('2026-12-05T00:00:00Z'), patient) as {
    prediction: { rationale: string }[];
  };
  return ra.prediction[0]?.rationale ?? '';
};

describe('never a probability rounded across a threshold, and the rules named', () => {
  it('the RiskAssessment rationale', () => {
    const p = nearThreshold.assessment.probabilityMalignant;
    expect(p).toBeLessThan(0.9);
    expect(Math.round(p * 100)).toBe(90);
    expect(nearThreshold.assessment.category).toBe('indeterminate');
    expect(rationale(nearThreshold)).toContain('indeterminate, P(malignant) 89.');
    expect(rationale(nearThreshold)).not.toContain(' 90%');
    expect(rationale(redFlag)).toMatch(
      /^L2: indeterminate, P\(malignant\) <1%; pedicle destroyed;/,
    );
    expect(rationale(redFlag)).toContain('held by: red-flag');
  });

  it("the CLI's table", () => {
    const assessed = {
      reports: [nearThreshold, redFlag],
      patient,
    } as unknown as PatientAssessment;
    const text = patientTable('p1', assessed, false, []);
    expect(text).toMatch(/L1 +indeterminate +89\.\d% /);
    expect(text).not.toMatch(/ 90% /);
    expect(text).toMatch(/L2 +indeterminate +<1% .*pedicle destroyed/);
  });
});
