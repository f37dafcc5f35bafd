/**
 * The card's markdown detail (CLINICAL-SPEC section 4): every sign used with its LR and source row,
 * the G4 safeguard verdict, what is missing and what it would change, data quality, caveats.
 */
import {
  SIGN_LABELS,
  formatFindingValue,
  type Assessment,
  type Category,
  type KeyDiscriminator,
  type SafeguardDiscriminator,
  type SetAsideItem,
} from '../engine/index.js';
import { SOURCES, type Source } from '../knowledge/index.js';
import { categoryLabel, formatProbability } from './format.js';
import type { LevelReport, PatientContext } from './level-report.js';

const KEY_LABEL: Readonly<Record<KeyDiscriminator, string>> = {
  pedicle: 'Pedicle',
  'paravertebral-soft-tissue': 'Paravertebral soft tissue',
  'enhancement-pattern': 'Enhancement pattern (contrast MRI)',
  diffusion: 'Diffusion (ADC or DWI)',
};

const SAFEGUARD_LABEL: Readonly<Record<SafeguardDiscriminator, string>> = {
  pedicle: 'pedicle preserved, no osteolytic destruction',
  'paravertebral-soft-tissue': 'no paravertebral soft-tissue mass',
  'enhancement-pattern': 'flocculent, non-nodular enhancement',
  adc: 'ADC in the benign range',
};

const SET_ASIDE_TEXT: Readonly<Record<SetAsideItem['reason'], string>> = {
  'dwi-disabled': "not weighed: this site's setting drops DWI (see the DWI caveat)",
  'mri-impression-superseded':
    'not weighed: the MRI signs and ADC above already carry what the reader saw',
  'no-published-weight':
    'shown for information, no weight: no published cut-off exists for the ratio',
  'duplicate-sign': 'not weighed: the same sign was given twice',
  'invalid-finding': 'not weighed: not a sign or value of the input contract',
};

/** Markdown-safe cell text: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' ');
}

function sourceLabel(id: string): string {
  const known = (SOURCES as Readonly<Record<string, Source>>)[id];
  if (known === undefined) return id;
  return known.external ? `${known.label} (external to the primary paper)` : known.label;
}

function lr(x: number): string {
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function outcomeText(o: { category: Category; probabilityMalignant: number }): string {
  return `${categoryLabel(o.category)} (P ${formatProbability(o.probabilityMalignant)})`;
}

function evidenceTable(a: Assessment): string[] {
  if (a.evidence.length === 0)
    return ['No sign with a published weight was available for this level.'];
  const rows = a.evidence.map((e) => {
    const dir = e.neutralisedBySafeguard
      ? `neutral (G4 safeguard; table LR ${lr(e.neutralisedBySafeguard.tableLr)})`
      : e.direction;
    return `| ${cell(SIGN_LABELS[e.sign])} | ${cell(formatFindingValue(e.finding))} | ${dir} | ${lr(e.lr)} | ${cell(`${sourceLabel(e.source.sourceId)}: ${e.source.where}`)} |`;
  });
  return ['| Sign | Value | Points to | LR | Source |', '|---|---|---|---|---|', ...rows];
}

function safeguardSection(a: Assessment): string[] {
  const s = a.safeguard;
  if (s.status === 'not-applicable') return [];
  const head =
    s.status === 'applied'
      ? `**Applied.** Lesion extent is G4, but ${s.favoursBenign} of the 4 benign discriminators favour benign and none favours malignancy: the G4 finding carries no weight (LR 1) and this level is not called malignant-favoured.`
      : `**Not applied.** Lesion extent is G4; ${s.favoursBenign} of the 4 benign discriminators favour benign and ${s.favoursMalignant} favour malignancy (the safeguard needs at least 3 benign and none malignant).`;
  const lines = s.discriminators.map(
    (d) =>
      `- ${SAFEGUARD_LABEL[d.discriminator]}: ${d.state === 'unknown' ? 'unknown' : d.state === 'favours-benign' ? 'yes (favours benign)' : 'no (favours malignancy)'}`,
  );
  const obtain =
    s.toObtain.length > 0
      ? [
          `Obtain before a G4 lesion is called malignant: ${s.toObtain.map((d) => SAFEGUARD_LABEL[d]).join('; ')}.`,
        ]
      : [];
  return ['#### G4 safeguard', head, ...lines, ...obtain];
}

function missingSection(a: Assessment): string[] {
  if (a.whatIf.length === 0) return [];
  const rule = a.constellation.met
    ? `${a.constellation.known.length} of 4 key discriminators are known.`
    : `Only ${a.constellation.known.length} of 4 key discriminators are known; a definitive category needs ${a.constellation.required}, so this level stays indeterminate.`;
  const lines = a.whatIf.map(
    (w) =>
      `- **${KEY_LABEL[w.discriminator]}** missing. Alone, if ${w.ifBenignFinding}: ${outcomeText(w.ifBenign)}; if ${w.ifMalignantFinding}: ${outcomeText(w.ifMalignant)}.`,
  );
  return ['#### Missing key discriminators', rule, ...lines];
}

function setAsideSection(a: Assessment): string[] {
  if (a.setAside.length === 0) return [];
  return [
    '#### Listed, not weighed',
    ...a.setAside.map((s) => {
      const label = s.sign ? SIGN_LABELS[s.sign] : 'Finding';
      const value =
        s.sign && typeof s.finding === 'object' && s.finding !== null
          ? ` (${cell(String((s.finding as { value?: unknown }).value))})`
          : '';
      return `- ${label}${value}: ${SET_ASIDE_TEXT[s.reason]}.`;
    }),
  ];
}

/** Always shown (CLINICAL-SPEC section 5): the cut-off in force, its source, its protocol caveat. */
function adcSection(a: Assessment): string[] {
  const rule = a.adcRule;
  const cutoff = `${rule.cutoff} x10^-3 mm2/s (${sourceLabel(rule.sourceId)}; sensitivity ${rule.sensitivity}, specificity ${rule.specificity} for malignancy below it)`;
  const caveat =
    'The primary paper found ADC higher in benign fractures but printed no cut-off; cut-offs depend on the scanner protocol and b-values.';
  if (a.adc === undefined) {
    return ['#### ADC', `- Not recorded. Cut-off in use: ${cutoff}. ${caveat}`];
  }
  const side = a.adc.band === 'below-cutoff' ? 'below' : 'at or above';
  const ratio =
    a.adc.referenceRatio !== undefined
      ? [
          `- Ratio to an adjacent normal vertebra: ${a.adc.referenceRatio.toFixed(2)} (information only, no weight).`,
        ]
      : [];
  return [
    '#### ADC',
    `- ADC ${a.adc.value.toFixed(2)} x10^-3 mm2/s, ${side} the cut-off ${cutoff}. ${caveat}`,
    ...ratio,
  ];
}

function qualitySection(r: LevelReport, patient: PatientContext): string[] {
  const q = r.quality;
  const lines: string[] = [];
  if (q.preliminary.length > 0) {
    lines.push(
      `- **Rests on preliminary findings**: ${q.preliminary.map((p) => `${SIGN_LABELS[p.sign]} (${p.ref})`).join(', ')}.`,
    );
  }
  for (const c of q.conflicts) {
    lines.push(
      `- **Conflict** on ${SIGN_LABELS[c.sign]}: kept ${cell(c.kept.value)} (${c.kept.ref}, the latest); also reported ${c.superseded.map((s) => `${cell(s.value)} (${s.ref})`).join(', ')}.`,
    );
  }
  lines.push(...q.other.map((o) => `- ${o}`), ...patient.notes.map((n) => `- ${n}`));
  const shown = patient.ignored.slice(0, 15);
  if (shown.length > 0) {
    lines.push(
      `- **Not used** (${patient.ignored.length} resource${patient.ignored.length === 1 ? '' : 's'}):`,
    );
    lines.push(...shown.map((i) => `  - ${i.ref}: ${i.reason}`));
    if (patient.ignored.length > shown.length)
      lines.push(`  - and ${patient.ignored.length - shown.length} more`);
  }
  return lines.length > 0 ? ['#### Data quality', ...lines] : [];
}

const PRETEST_TEXT = {
  'study-cohort': 'the study cohort, 74 malignant of 150 biopsy-referred patients',
  'site-setting': "this site's setting",
  'cancer-history':
    'known cancer history; up to one-third of VCFs in patients with known malignancy are benign (Luo et al., Br J Radiol 2016, external to the primary paper)',
} as const;

function caveatsSection(a: Assessment): string[] {
  const lines = [
    '- One retrospective single-centre study (150 patients with a single VCF, Tianjin Hospital, 2020-2025); not validated elsewhere.',
    '- The signs are combined as if independent (naive Bayes); related signs overstate certainty.',
  ];
  if (a.caveats.includes('dwi-direction-tension')) {
    lines.push(
      `- DWI: in this paper benign fractures were mostly HIGH on DWI and malignant mostly LOW, the reverse of much of the literature (${sourceLabel('baur1998')}). The paper's direction is used; a site can drop DWI.`,
    );
  }
  lines.push('- Decision support, not a diagnosis: **biopsy is the reference standard**.');
  return ['#### Caveats', ...lines];
}

/** The card detail, in CommonMark/GFM. */
export function renderDetail(r: LevelReport, patient: PatientContext): string {
  const a = r.assessment;
  const limited =
    a.limitedBy.length > 0
      ? ` P(malignant) alone would give ${categoryLabel(a.probabilityCategory)}; held at ${categoryLabel(a.category)} by the ${a.limitedBy.map((l) => (l === 'g4-safeguard' ? 'G4 safeguard' : 'constellation rule')).join(' and ')}.`
      : '';
  const context: string[] = [];
  if (patient.ageYears !== undefined)
    context.push(`age ${patient.ageYears} (context only, no weight)`);
  if (patient.cancerHistory.length > 0) {
    context.push(
      `known cancer history: ${patient.cancerHistory.map((c) => `${cell(c.label)} (${c.ref})`).join(', ')}`,
    );
  }
  return [
    `**${categoryLabel(a.category)}** at ${r.level === 'unspecified' ? 'an unspecified level' : r.level}: P(malignant) ${formatProbability(a.probabilityMalignant)}.${limited}`,
    `Pre-test probability ${formatProbability(a.pretest.probability)} (${PRETEST_TEXT[a.pretest.basis]}), multiplied by the likelihood ratio of each sign below.`,
    ...(context.length > 0 ? [`Patient: ${context.join('; ')}.`] : []),
    '#### Evidence used',
    ...evidenceTable(a),
    ...safeguardSection(a),
    ...missingSection(a),
    ...setAsideSection(a),
    ...adcSection(a),
    ...qualitySection(r, patient),
    ...caveatsSection(a),
    `_vcf-cds engine ${a.engineVersion}, knowledge base ${a.knowledgeBaseVersion}._`,
  ]
    .join('\n\n')
    .replace(/\n\n(\||- |  - )/g, '\n$1');
}
