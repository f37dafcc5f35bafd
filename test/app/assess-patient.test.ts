/**
 * From resources to level reports: vertebral findings that were all rejected still reach the
 * clinician as a card (docs/clinical-logic.md section 1: ignored resources are listed), rather than an
 * empty answer that reads as "no fracture".
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/index.js';
import { renderCard } from '../../src/cds/card.js';
import { thresholdsOf } from '../../src/present/format.js';
import { assessPatient } from '../../src/app/assess-patient.js';

const deps = {
  engine: DEFAULT_ENGINE_SETTINGS,
  cancerSnomedCodes: [],
  now: () => new Date('2026-11-01T00:00:00Z'),
};

function pedicle(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: `o-${Object.keys(extra).join('-') || 'plain'}`,
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging' },
        ],
      },
    ],
    code: {
      coding: [{ system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding', code: 'pedicle' }],
    },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-10-01',
    bodySite: {
      coding: [{ system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level', code: 'T10' }],
    },
    valueCodeableConcept: {
      coding: [
        { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding-value', code: 'destroyed' },
      ],
    },
    ...extra,
  };
}

describe('assessPatient', () => {
  it('findings of a level that were all rejected give that level a card listing why', () => {
    const assessed = assessPatient(
      'p1',
      [pedicle({ status: 'cancelled' }), pedicle({ dataAbsentReason: { text: 'not done' } })],
      deps,
      true,
    );
    expect(assessed.reports).toEqual([]);
    expect(assessed.unusableLevels.map((r) => r.level)).toEqual(['T10']);
    const card = renderCard(assessed.unusableLevels[0]!, assessed.patient, {
      patientId: 'p1',
      newId: () => '00000000-0000-4000-8000-000000000001',
      thresholds: thresholdsOf(DEFAULT_ENGINE_SETTINGS),
      baseUrl: 'https://cds.example.org',
    });
    expect(card.indicator).toBe('warning');
    expect(card.summary).toBe('T10: none of the 2 recorded VCF findings is usable; see detail');
    expect(card.detail).toContain('None of the 2 findings recorded for T10 could be used');
    expect(card.detail).toContain('Observation/o-status (T10): status cancelled');
    expect(card.detail).toContain('Correct the findings listed under Data quality');
    expect(card.detail).toContain('- not used: Observation/o-status (T10): status cancelled');
    expect(card.detail).not.toContain('(see Not used)');
    expect(card.detail).not.toMatch(/P\(malignant\)/);
  });

  it("another patient's findings alone give no card", () => {
    const assessed = assessPatient('p1', [pedicle({ subject: { reference: 'Patient/p2' } })], deps);
    expect(assessed.reports).toEqual([]);
    expect(assessed.unusableLevels).toEqual([]);
  });

  it('a level whose findings were all rejected keeps its own card beside an assessed level', () => {
    const good = pedicle({});
    const other = pedicle({
      id: 'o-l1',
      status: 'registered',
      bodySite: {
        coding: [
          { system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/vertebral-level', code: 'L1' },
        ],
      },
    });
    const assessed = assessPatient('p1', [good, other], deps, true);
    expect(assessed.reports.map((r) => r.level)).toEqual(['T10']);
    expect(assessed.unusableLevels.map((r) => r.level)).toEqual(['L1']);
  });

  it('no findings at all give no card', () => {
    expect(assessPatient('p1', [], deps).reports).toEqual([]);
    expect(assessPatient('p1', [], deps).unusableLevels).toEqual([]);
  });
});
