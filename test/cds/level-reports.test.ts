/**
 * From resources to level reports: vertebral findings that were all rejected still reach the
 * clinician as a card (CLINICAL-SPEC section 1: ignored resources are listed), rather than an
 * empty answer that reads as "no fracture".
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/index.js';
import { renderCard } from '../../src/cds/card.js';
import { thresholdsOf } from '../../src/cds/format.js';
import { assessPatient } from '../../src/cds/level-reports.js';

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
  it('findings that were all rejected give one card listing why', () => {
    const assessed = assessPatient(
      'p1',
      [pedicle({ status: 'cancelled' }), pedicle({ dataAbsentReason: { text: 'not done' } })],
      deps,
      true,
    );
    expect(assessed.reports).toEqual([]);
    const card = renderCard(assessed.noUsableFindings!, assessed.patient, {
      patientId: 'p1',
      newId: () => '00000000-0000-4000-8000-000000000001',
      thresholds: thresholdsOf(DEFAULT_ENGINE_SETTINGS),
    });
    expect(card.indicator).toBe('warning');
    expect(card.summary).toBe(
      'Unspecified level: no usable VCF imaging findings recorded; see detail',
    );
    expect(card.detail).toContain(
      '2 vertebral findings were recorded for this patient, none usable',
    );
    expect(card.detail).toContain('Observation/o-status: status cancelled');
    expect(card.detail).not.toMatch(/P\(malignant\)/);
  });

  it("another patient's findings alone give no card", () => {
    const assessed = assessPatient('p1', [pedicle({ subject: { reference: 'Patient/p2' } })], deps);
    expect(assessed.reports).toEqual([]);
    expect(assessed.noUsableFindings).toBeUndefined();
  });

  it('no findings at all give no card', () => {
    expect(assessPatient('p1', [], deps).reports).toEqual([]);
    expect(assessPatient('p1', [], deps).noUsableFindings).toBeUndefined();
  });
});
