import { describe, expect, it } from 'vitest';
import { assessLevel } from '../../src/engine/index.js';
import {
  classicMetastatic,
  classicOsteoporotic,
  g4AllBenignDiscriminators,
  g4NodularDestroyed,
  twoFindingsOnly,
} from './fixtures.js';

describe('archetypes', () => {
  it('a classic osteoporotic fracture is benign-favoured with every sign accounted for', () => {
    const a = assessLevel({ findings: classicOsteoporotic });
    expect(a.category).toBe('benign-favoured');
    expect(a.probabilityMalignant).toBeLessThan(0.001);
    expect(a.missingKeyDiscriminators).toEqual([]);
    // 13 multiplied in; the MRI impression is set aside because MRI signs are present.
    expect(a.evidence).toHaveLength(13);
    expect(a.setAside).toEqual([
      expect.objectContaining({ sign: 'mri-impression', reason: 'mri-impression-superseded' }),
    ]);
    expect(a.safeguard.status).toBe('not-applicable');
    expect(a.whatIf).toEqual([]);
  });

  it('a classic metastatic fracture is malignant-favoured', () => {
    const a = assessLevel({ findings: classicMetastatic });
    expect(a.category).toBe('malignant-favoured');
    expect(a.probabilityMalignant).toBeGreaterThan(0.999);
    expect(a.safeguard).toMatchObject({
      status: 'not-applied',
      favoursMalignant: 4,
      favoursBenign: 0,
    });
    expect(a.evidence.every((e) => e.direction === 'malignant')).toBe(true);
  });

  it('a G4 fracture with all four benign discriminators is protected by the safeguard', () => {
    const a = assessLevel({ findings: g4AllBenignDiscriminators });
    expect(a.safeguard).toMatchObject({
      status: 'applied',
      favoursBenign: 4,
      favoursMalignant: 0,
      toObtain: [],
    });
    expect(a.category).not.toBe('malignant-favoured');
    const g4 = a.evidence.find((e) => e.sign === 'lesion-extent');
    expect(g4).toMatchObject({
      lr: 1,
      direction: 'neutral',
      neutralisedBySafeguard: { tableLr: expect.closeTo(2.923, 3) },
    });
  });

  it('a G4 fracture with nodular enhancement and destroyed pedicles is malignant-favoured, no safeguard', () => {
    const a = assessLevel({ findings: g4NodularDestroyed });
    expect(a.category).toBe('malignant-favoured');
    expect(a.safeguard).toMatchObject({ status: 'not-applied', favoursMalignant: 4 });
    expect(a.evidence.find((e) => e.sign === 'lesion-extent')?.lr).toBeCloseTo(
      37 / 74 / (13 / 76),
      10,
    );
  });

  it('two findings only: indeterminate, the four key discriminators named, each with its what-if', () => {
    const a = assessLevel({ findings: twoFindingsOnly });
    expect(a.category).toBe('indeterminate');
    expect(a.missingKeyDiscriminators).toEqual([
      'pedicle',
      'paravertebral-soft-tissue',
      'enhancement-pattern',
      'diffusion',
    ]);
    expect(a.whatIf.map((w) => w.discriminator)).toEqual(a.missingKeyDiscriminators);
    for (const w of a.whatIf) {
      expect(w.ifMalignant.probabilityMalignant).toBeGreaterThan(w.ifBenign.probabilityMalignant);
    }
  });
});
