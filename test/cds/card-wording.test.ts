/**
 * What a radiologist reads on a card, word for word where a wrong word would mislead: why a
 * category is held back, rounding that never crosses a threshold, orders already placed, levels
 * with nothing to assess, data text shown as text, and the diffusion and multi-level caveats.
 */
import { describe, expect, it } from 'vitest';
import { assessLevel, type Finding } from '../../src/engine/index.js';
import { renderCard } from '../../src/cds/card.js';
import { formatAdc, formatProbability } from '../../src/cds/format.js';
import { literal } from '../../src/cds/markdown.js';
import {
  classicMetastatic,
  classicOsteoporotic,
  g4AllBenignDiscriminators,
  g4PendingEnhancementAdcUnknown,
  twoFindingsOnly,
} from '../engine/fixtures.js';
import { newId, noQuality, patient, report, thresholds } from './card-fixtures.js';

const ctx = { patientId: 'p1', newId, thresholds };

/** High DWI with an ADC below the cut-off, on an otherwise benign picture: the two disagree. */
const dwiAdcDisagreeing: readonly Finding[] = [
  { sign: 'pedicle', value: 'preserved' },
  { sign: 'paravertebral-soft-tissue', value: false },
  { sign: 'dwi-signal', value: 'high' },
  { sign: 'adc', value: 0.75 },
];

describe('summary', () => {
  it('says why a category was held back', () => {
    const heldByG4: Finding[] = [
      ...g4AllBenignDiscriminators,
      { sign: 'vertebral-vein', value: 'invaded' },
      { sign: 't1-low-signal', value: false },
      { sign: 't2-low-signal', value: false },
    ];
    expect(assessLevel({ findings: heldByG4 }).limitedBy).toEqual(['g4-safeguard']);
    expect(renderCard(report(heldByG4), patient, ctx).summary).toMatch(
      /^L1 fracture: indeterminate \(G4 safeguard\), P\(malignant\) \d+%; consider biopsy$/,
    );
    expect(renderCard(report(twoFindingsOnly), patient, ctx).summary).toMatch(
      /^L1 fracture: indeterminate \(0 of 4 key discriminators known\), P\(malignant\) \d+%; complete imaging or biopsy$/,
    );
  });

  it('says when the result rests on preliminary findings', () => {
    const r = {
      ...report(classicOsteoporotic),
      quality: { ...noQuality, preliminary: [{ sign: 'pedicle' as const, ref: 'Observation/o1' }] },
    };
    const card = renderCard(r, patient, ctx);
    expect(card.summary).toBe(
      'L1 fracture: benign-favoured, P(malignant) <1%; preliminary findings',
    );
    expect(card.detail.split('\n')[0]).toContain('**Rests on preliminary findings.**');
  });
});

describe('rounding never crosses a threshold', () => {
  it('probabilities', () => {
    expect(formatProbability(0.8988, thresholds)).toBe('89.8%');
    expect(formatProbability(0.9, thresholds)).toBe('90%');
    expect(formatProbability(0.1002, thresholds)).toBe('10.1%');
    expect(formatProbability(0.8999999, thresholds)).toBe('89.9%');
    expect(formatProbability(0.1, thresholds)).toBe('10%');
    expect(formatProbability(0.5, thresholds)).toBe('50%');
    expect(formatProbability(0.004)).toBe('<1%');
    expect(formatProbability(0.996)).toBe('>99%');
  });

  it('ADC values near the cut-off get a third decimal; tiny ones keep their digits', () => {
    expect(formatAdc(0.886, 0.89)).toBe('0.886');
    expect(formatAdc(0.89, 0.89)).toBe('0.89');
    expect(formatAdc(1.45, 0.89)).toBe('1.45');
    expect(formatAdc(0.0012, 0.89)).toBe('0.0012');
  });
});

describe('order hooks', () => {
  it('a biopsy ordered with the augmentation is named, and not proposed again', () => {
    const card = renderCard(report(classicMetastatic, 'T10'), patient, {
      ...ctx,
      order: { augmentationLabel: 'Vertebroplasty', biopsyOrdered: true },
    });
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/; biopsy ordered with the vertebroplasty$/);
    expect(card.detail).toMatch(/^A biopsy of T10 is ordered with the vertebroplasty\./);
    expect(card.suggestions?.some((s) => /biopsy/i.test(s.label)) ?? false).toBe(false);
  });

  it('critical wording does not call the fracture malignant', () => {
    const card = renderCard(report(twoFindingsOnly, 'T10'), patient, {
      ...ctx,
      order: { augmentationLabel: 'Kyphoplasty', biopsyOrdered: false },
    });
    expect(card.indicator).toBe('critical');
    expect(card.detail).toContain('Cementing a fracture that may be malignant, without tissue');
    expect(card.detail).not.toMatch(/cementing a malignant fracture/i);
  });

  it('a targeted level with no findings shows no made-up probability', () => {
    const card = renderCard(report([], 'L5'), patient, {
      ...ctx,
      order: { augmentationLabel: 'Vertebroplasty', biopsyOrdered: false },
    });
    expect(card.indicator).toBe('critical');
    expect(card.summary).toBe(
      'L5: no VCF imaging findings recorded; vertebroplasty ordered without biopsy',
    );
    expect(card.detail).not.toMatch(/P\(malignant\)/);
    expect(card.detail).toContain('biopsy is the reference standard');
  });
});

describe('detail', () => {
  it('the biopsy proposal is worded as decision support, not a diagnosis', () => {
    const card = renderCard(report(classicMetastatic, 'T10'), patient, ctx);
    const resource = card.suggestions?.[0]?.actions[0]?.resource as {
      reasonCode: { text: string }[];
    };
    expect(resource.reasonCode[0]?.text).toBe(
      'Tissue diagnosis of the vertebral compression fracture at T10: vcf-cds decision support rates the imaging features malignant-favoured (not a diagnosis)',
    );
  });

  it('weak signs read as marginal, strong ones as large', () => {
    const detail = renderCard(report(classicOsteoporotic), patient, ctx).detail;
    expect(detail).toMatch(
      /\| Lesion location \| adjacent to the endplate \| benign \(marginal\) \| 0\.86 \|/,
    );
    expect(detail).toMatch(/\| Enhancement pattern \| flocculent \| benign \(large\) \| 0\.06 \|/);
    expect(detail).toMatch(
      /\| DWI signal \(b=800\) \| high \| benign \(moderate\), paper's direction: see the DWI caveat \|/,
    );
    expect(detail).toContain('Jaeschke et al., JAMA 1994');
  });

  it('the G4 safeguard asks for examinations, with verbs that agree', () => {
    const findings: Finding[] = [
      { sign: 'lesion-extent', value: 'G4' },
      { sign: 'pedicle', value: 'destroyed' },
      { sign: 'paravertebral-soft-tissue', value: false },
    ];
    const detail = renderCard(report(findings), patient, ctx).detail;
    expect(detail).toContain(
      '1 of the 4 benign discriminators favours benign and 1 favours malignancy',
    );
    expect(detail).toContain(
      'Before a G4 lesion is called malignant, obtain: the contrast enhancement pattern (contrast-enhanced MRI); ADC (DWI with an ADC map).',
    );
  });

  it('flags DWI and ADC pointing opposite ways', () => {
    const detail = renderCard(report(dwiAdcDisagreeing), patient, ctx).detail;
    expect(detail).toContain('**DWI and ADC disagree**: high DWI with ADC below the cut-off');
    const agreeing = renderCard(report(classicOsteoporotic), patient, ctx).detail;
    expect(agreeing).not.toContain('DWI and ADC disagree');
  });

  it('says the study enrolled single fractures when several levels are assessed', () => {
    const one = renderCard(report(classicOsteoporotic), patient, ctx).detail;
    const two = renderCard(
      report(classicOsteoporotic),
      { ...patient, assessedLevels: 2 },
      ctx,
    ).detail;
    expect(one).not.toContain('only patients with a single VCF');
    expect(two).toContain('with 2 fractured levels these figures are extrapolated');
  });

  it('shows text from the data as text, never as markdown or HTML', () => {
    const hostile = '<img src=x onerror=alert(1)> [click](https://evil.example) **bold** |';
    const card = renderCard(
      report(classicOsteoporotic),
      {
        ...patient,
        cancerHistory: [{ ref: 'Condition/c1', label: hostile }],
        ignored: [{ ref: 'Observation/o2', reason: `found "${hostile}"` }],
      },
      ctx,
    );
    expect(card.detail).not.toMatch(/(^|[^\\])<img/);
    expect(card.detail).not.toContain('](https://');
    expect(card.detail).not.toContain('**bold**');
    expect(card.detail).toContain(literal(hostile));
    expect(literal(hostile)).toBe(
      '\\<img src=x onerror=alert(1)\\> \\[click\\](https:/\u2060/evil.example) \\*\\*bold\\*\\* \\|',
    );
  });
});

describe('G4 safeguard pending', () => {
  it('says the safeguard is pending and asks for what is missing before a G4 lesion is called malignant', () => {
    const findings = g4PendingEnhancementAdcUnknown;
    const card = renderCard(report(findings), patient, ctx);
    expect(card.extension['vcf-cds-assessment'].category).not.toBe('malignant-favoured');
    expect(card.extension['vcf-cds-assessment'].safeguardApplied).toBe(false);
    expect(card.summary).toMatch(/indeterminate \(G4 safeguard pending\)/);
    expect(card.detail).toContain('Held at indeterminate while the G4 safeguard is pending');
    expect(card.detail).toContain('**Pending.** Lesion extent is G4');
    // DWI is recorded: the ADC is measured on its map, not a new examination.
    expect(card.detail).toContain('ADC (measure it on the ADC map of the DWI already recorded');
    expect(card.detail).toContain('Before a G4 lesion is called malignant, obtain:');
  });
});

describe('what must not stay quiet on a benign card', () => {
  it('DWI and ADC disagreeing reaches the summary and keeps the card off info', () => {
    const card = renderCard(report(dwiAdcDisagreeing), patient, ctx);
    expect(card.extension['vcf-cds-assessment'].category).toBe('benign-favoured');
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/; DWI and ADC disagree$/);
  });

  it('a conflict on a key discriminator reaches the summary and keeps the card off info', () => {
    const r = {
      ...report(classicOsteoporotic),
      quality: {
        ...noQuality,
        conflicts: [
          {
            sign: 'pedicle' as const,
            kept: { ref: 'Observation/o2', value: 'preserved' },
            superseded: [{ ref: 'Observation/o1', value: 'destroyed' }],
          },
        ],
      },
    };
    const card = renderCard(r, patient, ctx);
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/; conflicting findings$/);
  });
});

describe('markdown layout', () => {
  it('the LR legend is a paragraph after the table, never a row of it (GFM)', () => {
    const detail = renderCard(report(classicOsteoporotic), patient, ctx).detail;
    const lines = detail.split('\n');
    const legend = lines.findIndex((l) => l.startsWith('_Strength of each LR'));
    expect(lines[legend - 1]).toBe('');
    expect(lines[legend - 2]).toMatch(/^\|/);
  });

  it('a summary too long for 140 characters drops its notes first, then ends at a word', () => {
    const card = renderCard(
      {
        ...report(twoFindingsOnly, 'T12'),
        quality: { ...noQuality, preliminary: [{ sign: 'lesion-extent', ref: 'Observation/o1' }] },
      },
      patient,
      { ...ctx, order: { augmentationLabel: 'Vertebral augmentation', biopsyOrdered: false } },
    );
    expect(card.summary.length).toBeLessThan(140);
    expect(card.summary).toMatch(/ordered without biopsy$/);
    expect(card.summary).not.toContain('prelim');
  });
});
