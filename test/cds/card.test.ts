import { describe, expect, it } from 'vitest';
import { renderCard, type Card } from '../../src/cds/card.js';
import type { LevelReport, PatientContext } from '../../src/cds/level-report.js';
import {
  classicMetastatic,
  classicOsteoporotic,
  g4AllBenignDiscriminators,
  twoFindingsOnly,
} from '../engine/fixtures.js';
import { newId, patient, report, thresholds } from './card-fixtures.js';

/** CDS Hooks: optional fields with no value are left out: no null, "", [] or {} anywhere. */
function emptyValues(x: unknown, path = 'card'): string[] {
  if (x === null || x === '' || x === undefined) return [path];
  if (Array.isArray(x))
    return x.length === 0 ? [path] : x.flatMap((v, i) => emptyValues(v, `${path}[${i}]`));
  if (typeof x === 'object') {
    const entries = Object.entries(x as Record<string, unknown>);
    return entries.length === 0
      ? [path]
      : entries.flatMap(([k, v]) => emptyValues(v, `${path}.${k}`));
  }
  return [];
}

function checkCardShape(card: Card): void {
  expect(card.summary.length).toBeLessThan(140);
  expect(card.uuid).toMatch(/^[0-9a-f-]{36}$/);
  expect(card.source.label.length).toBeGreaterThan(0);
  expect(card.source.url).toBe('https://doi.org/10.3389/fmed.2026.1759764');
  expect(card.links[0]?.url).toBe('https://doi.org/10.3389/fmed.2026.1759764');
  // missingKeyDiscriminators may legitimately be [] in the public extension: exclude it here.
  const { extension, ...rest } = card;
  expect(emptyValues(rest)).toEqual([]);
  expect(Object.keys(extension['vcf-cds-assessment']).sort()).toEqual([
    'category',
    'engineVersion',
    'knowledgeBaseVersion',
    'level',
    'missingKeyDiscriminators',
    'probabilityMalignant',
    'safeguardApplied',
  ]);
  if (card.suggestions) {
    expect(card.selectionBehavior).toBe('any');
    for (const s of card.suggestions) {
      for (const a of s.actions) {
        expect(a.description.length).toBeGreaterThan(0);
        if (a.type === 'create')
          expect(a.resource).toMatchObject({ resourceType: 'ServiceRequest', status: 'draft' });
      }
    }
  }
  for (const r of card.overrideReasons ?? []) expect(r.display.length).toBeGreaterThan(0);
}

describe('card (CLINICAL-SPEC section 4)', () => {
  it('benign-favoured: info, no biopsy suggestion, no override reasons', () => {
    const card = renderCard(report(classicOsteoporotic), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    checkCardShape(card);
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe('L1 fracture: benign-favoured, P(malignant) <1%');
    expect(card.suggestions).toBeUndefined();
    expect(card.overrideReasons).toBeUndefined();
    expect(card.extension['vcf-cds-assessment']).toMatchObject({
      level: 'L1',
      category: 'benign-favoured',
      safeguardApplied: false,
      missingKeyDiscriminators: [],
    });
    // The same findings on data flagged incomplete (an error OperationOutcome): never info.
    const flagged = renderCard(
      report(classicOsteoporotic),
      { ...patient, dataIncomplete: true },
      { patientId: 'p1', newId, thresholds },
    );
    expect(flagged.indicator).toBe('warning');
    expect(flagged.summary).toBe(
      'L1 fracture: benign-favoured, P(malignant) <1%; data may be incomplete',
    );
  });

  it('malignant-favoured: warning, biopsy of the level proposed, override reasons', () => {
    const card = renderCard(report(classicMetastatic, 'T10'), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    checkCardShape(card);
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/^T10 fracture: malignant-favoured, P\(malignant\) >99%/);
    const biopsy = card.suggestions?.find((s) => /biopsy/i.test(s.label));
    expect(biopsy?.actions[0]?.resource).toMatchObject({
      subject: { reference: 'Patient/p1' },
      bodySite: [{ coding: [{ code: 'T10' }] }],
    });
    expect(card.overrideReasons?.length).toBeGreaterThan(0);
  });

  it('the detail shows every sign used with its LR and source row, and the caveats', () => {
    const card = renderCard(report(classicMetastatic), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    expect(card.detail).toContain('| Sign | Value | Points to | LR | Source |');
    expect(card.detail).toMatch(
      /\| Enhancement pattern \| nodular \| malignant \(large\) \| 14\.4 \| Zhao et al\., Front\. Med\. 2026: Table 4, row 'Nodular enhancement'/,
    );
    expect(card.detail).toMatch(
      /\| ADC \| 0\.72 x10\^-3 mm2\/s \| malignant \(moderate\) \| 9\.12 \| Wonglaksanapimon et al\., J Med Assoc Thai 2012 \(external to the primary paper\)/,
    );
    expect(card.detail).toContain("MRI reader's impression (malignant): not weighed");
    expect(card.detail).toContain('biopsy is the reference standard');
    expect(card.detail).toContain('single-centre');
    expect(card.detail).toContain('as if independent');
    expect(card.detail).toMatch(/DWI: in this paper benign fractures were mostly HIGH/);
    expect(card.detail).toMatch(/cut-off 0\.89 x10\^-3 mm2\/s/);
    expect(card.detail).toContain('**Not applied.** Lesion extent is G4');
  });

  it('the G4 safeguard verdict names each discriminator and its state', () => {
    const card = renderCard(report(g4AllBenignDiscriminators), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    checkCardShape(card);
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(true);
    expect(card.detail).toContain('#### G4 safeguard');
    expect(card.detail).toContain('**Applied.**');
    for (const d of [
      'pedicle preserved',
      'no paravertebral soft-tissue mass',
      'flocculent, non-nodular enhancement',
      'ADC in the benign range',
    ]) {
      expect(card.detail).toMatch(new RegExp(`- ${d}[^:]*: yes \\(favours benign\\)`));
    }
  });

  it('an incomplete level names what is missing, what it would change, and proposes the examinations', () => {
    const card = renderCard(report(twoFindingsOnly), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    checkCardShape(card);
    expect(card.indicator).toBe('warning');
    expect(card.extension['vcf-cds-assessment'].missingKeyDiscriminators).toEqual([
      'pedicle',
      'paravertebral-soft-tissue',
      'enhancement-pattern',
      'diffusion',
    ]);
    expect(card.detail).toContain(
      'None of the 4 key discriminators is known; a definitive category needs 3, so this level stays indeterminate.',
    );
    expect(card.detail).toMatch(
      /\*\*Pedicle\*\* missing\. If only this is added \(still 1 of 4 known, 3 needed\): pedicle preserved → indeterminate \(P \d+%\); pedicle destroyed → indeterminate \(P \d+%\)\./,
    );
    // ADC not recorded: the cut-off in force and its source are still printed (section 5).
    expect(card.detail).toMatch(
      /#### ADC\n- Not recorded\. Cut-off in use: 0\.89 x10\^-3 mm2\/s \(Wonglaksanapimon et al\., J Med Assoc Thai 2012 \(external to the primary paper\)/,
    );
    expect(card.detail).toContain('cut-offs depend on the scanner protocol');
    const labels = card.suggestions?.map((s) => s.label) ?? [];
    // One MRI (contrast with DWI and ADC) for all four, not two orders; CT for the CT reading.
    expect(labels).toEqual([
      expect.stringMatching(/biopsy/),
      'Order contrast-enhanced MRI of the spine with diffusion-weighted imaging and an ADC map',
      'Order CT of the fractured vertebra',
    ]);
  });

  it('proposed examinations carry LOINC codes for the level where a verified code exists', () => {
    const codeOf = (card: Card, label: RegExp) =>
      (
        card.suggestions?.find((s) => label.test(s.label))?.actions[0]?.resource as {
          code: { coding?: { system: string; code: string }[]; text: string };
        }
      ).code;
    const lumbar = renderCard(report(twoFindingsOnly, 'L1'), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    expect(codeOf(lumbar, /contrast-enhanced MRI/).coding).toEqual([
      expect.objectContaining({ system: 'http://loinc.org', code: '24967-2' }),
    ]);
    expect(codeOf(lumbar, /CT/).coding?.[0]?.code).toBe('30620-9');
    // Diffusion alone missing: no verified LOINC code for spine MRI with DWI, text only.
    const diffusionOnly = renderCard(
      report(
        [
          { sign: 'pedicle', value: 'destroyed' },
          { sign: 'enhancement-pattern', value: 'nodular' },
        ],
        'L1',
      ),
      patient,
      { patientId: 'p1', newId, thresholds },
    );
    expect(codeOf(diffusionOnly, /contrast-enhanced MRI/).text).toMatch(/diffusion-weighted/);
    expect(
      (
        diffusionOnly.suggestions?.find((s) => /contrast-enhanced/.test(s.label))?.actions[0]
          ?.resource as { reasonCode: { text: string }[] }
      ).reasonCode[0]?.text,
    ).toBe(
      'Missing key discriminator(s) for the VCF at L1: paravertebral soft tissue, diffusion (ADC)',
    );
    const thoracic = renderCard(report(twoFindingsOnly, 'T9'), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    expect(codeOf(thoracic, /contrast-enhanced MRI/).coding?.[0]?.code).toBe('24981-3');
    const cervical = renderCard(report(twoFindingsOnly, 'C5'), patient, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    expect(codeOf(cervical, /CT/).coding).toBeUndefined();
  });

  it('data quality: preliminary findings, conflicts and ignored resources are visible', () => {
    const r: LevelReport = {
      ...report(classicOsteoporotic),
      quality: {
        preliminary: [{ sign: 'pedicle', ref: 'Observation/o7' }],
        conflicts: [
          {
            sign: 'pedicle',
            kept: { ref: 'Observation/o7', value: 'preserved' },
            superseded: [{ ref: 'Observation/o3', value: 'destroyed' }],
          },
        ],
        other: [],
      },
    };
    const ctx: PatientContext = {
      ...patient,
      ignored: [{ ref: 'Observation/o9', reason: 'status entered-in-error' }],
    };
    const card = renderCard(r, ctx, { patientId: 'p1', newId, thresholds });
    expect(card.detail).toContain('**Rests on preliminary findings**: Pedicle (Observation/o7)');
    expect(card.detail).toContain(
      '**Conflict** on Pedicle: kept preserved (Observation/o7, the latest); also reported destroyed (Observation/o3)',
    );
    expect(card.detail).toContain('Observation/o9: status entered-in-error');
  });

  it('critical only when an augmentation is ordered for a level that is not benign-favoured, without biopsy', () => {
    const order = { augmentationLabel: 'Kyphoplasty', biopsyOrdered: false };
    const malignant = renderCard(report(classicMetastatic), patient, {
      patientId: 'p1',
      newId,
      thresholds,
      order,
    });
    checkCardShape(malignant);
    expect(malignant.indicator).toBe('critical');
    expect(malignant.summary).toContain('kyphoplasty ordered without biopsy');
    expect(malignant.overrideReasons?.length).toBeGreaterThan(0);
    const withBiopsy = renderCard(report(classicMetastatic), patient, {
      patientId: 'p1',
      newId,
      thresholds,
      order: { ...order, biopsyOrdered: true },
    });
    expect(withBiopsy.indicator).toBe('warning');
    const benign = renderCard(report(classicOsteoporotic), patient, {
      patientId: 'p1',
      newId,
      thresholds,
      order,
    });
    expect(benign.indicator).toBe('info');
    const incomplete = renderCard(report(twoFindingsOnly), patient, {
      patientId: 'p1',
      newId,
      thresholds,
      order,
    });
    expect(incomplete.indicator).toBe('critical');
  });

  it('a known cancer history shows on the card and raises the pre-test probability', () => {
    const ctx: PatientContext = {
      ...patient,
      ageYears: 64,
      cancerHistory: [{ ref: 'Condition/c1', label: 'C50.9 Malignant neoplasm of breast' }],
    };
    const card = renderCard(report(twoFindingsOnly, 'L2', true), ctx, {
      patientId: 'p1',
      newId,
      thresholds,
    });
    expect(card.detail).toContain(
      'Pre-test probability 67%, for a known cancer history (Luo et al.',
    );
    expect(card.detail).toContain('age 64 (context only, no weight)');
    expect(card.detail).toContain('C50.9 Malignant neoplasm of breast (Condition/c1)');
  });
});
