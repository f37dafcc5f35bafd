/**
 * The card's markdown detail (CLINICAL-SPEC section 4): every sign used with its LR and source row,
 * the G4 safeguard verdict, what is missing and what it would change, data quality, caveats.
 * Text that comes from the data is escaped (markdown.ts): the EHR renders this markdown.
 */
import {
  SIGN_LABELS,
  type Assessment,
  type Category,
  type EvidenceItem,
  type KeyDiscriminator,
  type SafeguardDiscriminator,
  type SetAsideItem,
  type Finding,
} from '../engine/index.js';
import { LR_STRENGTH_BANDS, lrStrength, SOURCES, type Source } from '../knowledge/index.js';

import {
  categoryLabel,
  formatAdc,
  formatProbability,
  heldBackText,
  type Thresholds,
} from './format.js';
import type { LevelReport, PatientContext } from './level-report.js';
import { literal } from './markdown.js';
import { valueWords } from './value-labels.js';

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

/** What to obtain for each benign discriminator: the examination, not the hoped-for result. */
const SAFEGUARD_TO_OBTAIN: Readonly<Record<SafeguardDiscriminator, string>> = {
  pedicle: 'pedicle morphology (CT or MRI)',
  'paravertebral-soft-tissue': 'paravertebral soft tissue (MRI)',
  'enhancement-pattern': 'the contrast enhancement pattern (contrast-enhanced MRI)',
  adc: 'ADC (DWI with an ADC map)',
};

const BAUR = SOURCES.baur1998;
/** The full reference for the DWI tension, as CLINICAL-SPEC section 5 gives it. */
const BAUR_REFERENCE = `${BAUR.label};207:349, PMID ${BAUR.pmid ?? ''}`;

const SET_ASIDE_TEXT: Readonly<Record<SetAsideItem['reason'], string>> = {
  'dwi-disabled': `not weighed: this site's setting drops DWI, because in the primary paper DWI pointed the reverse way of much of the literature (${BAUR_REFERENCE})`,
  'mri-impression-superseded':
    'not weighed: the MRI signs and ADC above already carry what the reader saw',
  'no-published-weight':
    'shown for information, no weight: no published cut-off exists for the ratio',
  'duplicate-sign': 'not weighed: the same sign was given twice',
  'invalid-finding': 'not weighed: not a sign or value of the input contract',
};

/** The LR strength bands in words, from the knowledge base (each band: towards malignancy, benign). */
const LR_STRENGTH_LEGEND = (() => {
  const bands = [...LR_STRENGTH_BANDS].reverse();
  const parts = bands.map((b, i) => {
    const upper = bands[i + 1]?.above;
    const m = upper === undefined ? `>${b.above}` : `${b.above}-${upper}`;
    const benign = upper === undefined ? `<${1 / b.above}` : `${1 / upper}-${1 / b.above}`;
    return `${b.strength} ${m} (${benign})`;
  });
  return `_Strength of each LR as in ${SOURCES.jaeschke1994.label}: ${parts.join(', ')}._`;
})();

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** A source of the knowledge base by id (a site's own ADC rule may name one it does not hold). */
const sourceOf = (id: string): Source | undefined =>
  (SOURCES as Readonly<Record<string, Source>>)[id];

function sourceLabel(id: string): string {
  const known = sourceOf(id);
  if (known === undefined) return id;
  return known.external ? `${known.label} (external to the primary paper)` : known.label;
}

function lr(x: number): string {
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** A table cell: escaped data text. */
const cell = literal;

function outcomeText(
  o: { category: Category; probabilityMalignant: number },
  t: Thresholds,
  heldBy: string,
): string {
  const held =
    o.category === 'indeterminate' && o.probabilityMalignant >= t.malignant
      ? `, held by the ${heldBy}`
      : '';
  return `${categoryLabel(o.category)} (P ${formatProbability(o.probabilityMalignant, t)}${held})`;
}

/** "malignant (small)", "benign (marginal)": the direction and how far the LR moves it. */
function pointsTo(e: EvidenceItem): string {
  if (e.neutralisedBySafeguard) {
    return `neutral (G4 safeguard; table LR ${lr(e.neutralisedBySafeguard.tableLr)})`;
  }
  const strength = lrStrength(e.lr);
  const base = strength === undefined ? e.direction : `${e.direction} (${strength})`;
  return e.sign === 'dwi-signal' ? `${base}, paper's direction: see the DWI caveat` : base;
}

function findingText(f: Finding, t: Thresholds): string {
  return f.sign === 'adc' || f.sign === 'adc-reference'
    ? `${formatAdc(f.value as number, t.adcCutoff)} x10^-3 mm2/s`
    : valueWords(f);
}

function evidenceTable(a: Assessment, t: Thresholds): string[] {
  if (a.evidence.length === 0)
    return ['No sign with a published weight was available for this level.'];
  const rows = a.evidence.map(
    (e) =>
      `| ${cell(SIGN_LABELS[e.sign])} | ${cell(findingText(e.finding, t))} | ${pointsTo(e)} | ${lr(e.lr)} | ${cell(`${sourceLabel(e.source.sourceId)}: ${e.source.where}`)} |`,
  );
  return [
    '| Sign | Value | Points to | LR | Source |',
    '|---|---|---|---|---|',
    ...rows,
    LR_STRENGTH_LEGEND,
  ];
}

function safeguardSection(a: Assessment): string[] {
  const s = a.safeguard;
  if (s.status === 'not-applicable') return [];
  const benign = `${s.favoursBenign} of the 4 benign discriminators ${plural(s.favoursBenign, 'favours', 'favour')} benign`;
  const malignant = `${s.favoursMalignant} ${plural(s.favoursMalignant, 'favours', 'favour')} malignancy`;
  const head =
    s.status === 'applied'
      ? `**Applied.** Lesion extent is G4, but ${benign} and none favours malignancy: the G4 finding carries no weight (LR 1) and this level is not called malignant-favoured.`
      : s.status === 'pending'
        ? `**Pending.** Lesion extent is G4; ${benign} and none favours malignancy. The safeguard needs at least 3 favouring benign and none favouring malignancy, so it could still apply: the G4 finding keeps its weight, but this level is not called malignant-favoured until the unknown discriminators settle it (one favouring malignancy ends the safeguard; enough favouring benign applies it).`
        : `**Not applied.** Lesion extent is G4; ${benign} and ${malignant} (the safeguard needs at least 3 favouring benign and none favouring malignancy).`;
  const lines = s.discriminators.map(
    (d) =>
      `- ${SAFEGUARD_LABEL[d.discriminator]}: ${d.state === 'unknown' ? 'unknown' : d.state === 'favours-benign' ? 'yes (favours benign)' : 'no (favours malignancy)'}`,
  );
  const hasDwi = [...a.evidence, ...a.setAside].some((x) => x.sign === 'dwi-signal');
  const toObtain = (d: SafeguardDiscriminator) =>
    d === 'adc' && hasDwi
      ? 'ADC (measure it on the ADC map of the DWI already recorded; if there is none, DWI with an ADC map)'
      : SAFEGUARD_TO_OBTAIN[d];
  const obtain =
    s.toObtain.length > 0
      ? [`Before a G4 lesion is called malignant, obtain: ${s.toObtain.map(toObtain).join('; ')}.`]
      : [];
  return ['#### G4 safeguard', head, ...lines, ...obtain];
}

function missingSection(a: Assessment, t: Thresholds): string[] {
  if (a.whatIf.length === 0) return [];
  const known = a.constellation.known.length;
  const required = a.constellation.required;
  const count =
    known === 0
      ? 'None of the 4 key discriminators is known'
      : `${known} of the 4 key discriminators ${plural(known, 'is', 'are')} known`;
  const rule = a.constellation.met
    ? `${count}.`
    : `${count}; a definitive category needs ${required}, so this level stays indeterminate.`;
  // One more discriminator alone cannot meet the rule: say so, or "indeterminate (P 1%)" puzzles.
  const shortAfterOne = !a.constellation.met && known + 1 < required;
  const stillShort = shortAfterOne ? ` (still ${known + 1} of 4 known, ${required} needed)` : '';
  const heldBy = shortAfterOne ? 'constellation rule' : 'G4 safeguard';
  const dwiOff = a.setAside.some((x) => x.reason === 'dwi-disabled');
  const label = (d: KeyDiscriminator) =>
    d === 'diffusion' && dwiOff ? 'Diffusion (ADC; DWI is not weighed at this site)' : KEY_LABEL[d];
  const lines = a.whatIf.map(
    (w) =>
      `- **${label(w.discriminator)}** missing. If only this is added${stillShort}: ${w.ifBenignFinding} → ${outcomeText(w.ifBenign, t, heldBy)}; ${w.ifMalignantFinding} → ${outcomeText(w.ifMalignant, t, heldBy)}.`,
  );
  return ['#### Missing key discriminators', rule, ...lines];
}

function setAsideSection(a: Assessment, t: Thresholds): string[] {
  if (a.setAside.length === 0) return [];
  return [
    '#### Listed, not weighed',
    ...a.setAside.map((s) => {
      const label = s.sign ? SIGN_LABELS[s.sign] : 'Finding';
      const value =
        s.sign && typeof s.finding === 'object' && s.finding !== null
          ? ` (${cell(findingText(s.finding as Finding, t))})`
          : '';
      const why =
        s.reason === 'no-published-weight' && a.adc === undefined
          ? "shown for information, no weight: no ratio, the fractured vertebra's ADC is not recorded"
          : SET_ASIDE_TEXT[s.reason];
      return `- ${label}${value}: ${why}.`;
    }),
  ];
}

/** Always shown (CLINICAL-SPEC section 5): the cut-off in force, its source, its protocol caveat. */
function adcSection(a: Assessment, t: Thresholds, rejected: number): string[] {
  const rule = a.adcRule;
  const cutoff = `${rule.cutoff} x10^-3 mm2/s (${sourceLabel(rule.sourceId)}; protocol: ${cell(rule.protocol)}; sensitivity ${rule.sensitivity}, specificity ${rule.specificity} for malignancy below it)`;
  const note = sourceOf(rule.sourceId)?.note;
  const caveat = `The primary paper found ADC higher in benign fractures but printed no cut-off; cut-offs depend on the scanner protocol and b-values.${note ? ` ${cell(note)}` : ''}`;
  if (a.adc === undefined) {
    const none =
      rejected > 0 ? `No usable ADC (${rejected} rejected, see Data quality).` : 'Not recorded.';
    return ['#### ADC', `- ${none} Cut-off in use: ${cutoff}. ${caveat}`];
  }
  const side = a.adc.band === 'below-cutoff' ? 'below' : 'at or above';
  const ratio =
    a.adc.referenceRatio !== undefined
      ? [
          `- ADC ratio, fractured / adjacent normal vertebra: ${a.adc.referenceRatio.toFixed(2)} (information only, no weight).`,
        ]
      : [];
  return [
    '#### ADC',
    `- ADC ${formatAdc(a.adc.value, t.adcCutoff)} x10^-3 mm2/s, ${side} the cut-off ${cutoff}. ${caveat}`,
    ...ratio,
  ];
}

/**
 * DWI and ADC weighed in opposite directions. High DWI with a low ADC is restricted diffusion,
 * which the wider literature ties to malignancy (and the paper's own ADC result agrees); the
 * paper's DWI row reads high as benign. A reader must look again before trusting the sum.
 */
export function diffusionDisagreement(a: Assessment): string | undefined {
  const dwi = a.evidence.find((e) => e.sign === 'dwi-signal');
  if (dwi === undefined || a.adc === undefined) return undefined;
  const adcMalignant = a.adc.band === 'below-cutoff';
  if (dwi.direction === 'benign' && adcMalignant) {
    return `**DWI and ADC disagree**: high DWI with ADC below the cut-off is restricted diffusion. In the wider literature malignant fractures are the ones hyperintense on DWI (${BAUR_REFERENCE}, external to the primary paper), and the paper's own ADC result (lower in malignant fractures) points the same way, while the paper's DWI row counts high DWI as benign. Review the diffusion images before relying on this result.`;
  }
  if (dwi.direction === 'malignant' && !adcMalignant) {
    return `**DWI and ADC disagree**: low DWI counts towards malignancy in the paper's direction, while the ADC at or above the cut-off counts towards benign. Review the diffusion images before relying on this result.`;
  }
  return undefined;
}

function qualitySection(r: LevelReport, patient: PatientContext): string[] {
  const q = r.quality;
  const lines: string[] = [];
  const diffusion = diffusionDisagreement(r.assessment);
  if (diffusion !== undefined) lines.push(`- ${diffusion}`);
  if (q.preliminary.length > 0) {
    lines.push(
      `- **Rests on preliminary findings**: ${q.preliminary.map((p) => `${SIGN_LABELS[p.sign]} (${cell(p.ref)})`).join(', ')}.`,
    );
  }
  for (const c of q.conflicts) {
    lines.push(
      `- **Conflict** on ${SIGN_LABELS[c.sign]}: kept ${cell(c.kept.value)} (${cell(c.kept.ref)}, the latest); also reported ${c.superseded.map((s) => `${cell(s.value)} (${cell(s.ref)})`).join(', ')}.`,
    );
  }
  lines.push(...q.other.map((o) => `- ${cell(o)}`), ...patient.notes.map((n) => `- ${cell(n)}`));
  const shown = patient.ignored.slice(0, 15);
  if (shown.length > 0) {
    lines.push(
      `- **Not used** (${patient.ignored.length} ${plural(patient.ignored.length, 'resource', 'resources')}):`,
    );
    const levelOf = (i: PatientContext['ignored'][number]) =>
      i.level === undefined ? '' : ` (${i.level === 'unspecified' ? 'no level given' : i.level})`;
    lines.push(...shown.map((i) => `  - ${cell(i.ref)}${levelOf(i)}: ${cell(i.reason)}`));
    if (patient.ignored.length > shown.length)
      lines.push(`  - and ${patient.ignored.length - shown.length} more`);
  }
  return lines.length > 0 ? ['#### Data quality', ...lines] : [];
}

const PRETEST_TEXT = {
  'study-cohort': 'the study cohort (74 malignant of 150 biopsy-referred patients)',
  'site-setting': "this site's population (its own setting)",
  'cancer-history':
    'a known cancer history (Luo et al., Br J Radiol 2016, external to the primary paper: "up to one-third of VCFs in patients with known malignancy are benign")',
} as const;

function caveatsSection(a: Assessment, patient: PatientContext): string[] {
  const lines = [
    '- One retrospective single-centre study (150 patients with a single VCF, Tianjin Hospital, 2020-2025); not validated elsewhere.',
    '- The signs are combined as if independent (naive Bayes); many are correlated (e.g. DWI and ADC, pedicle and soft tissue), so the probability overstates certainty.',
  ];
  if (patient.assessedLevels > 1) {
    lines.push(
      `- The study included only patients with a single VCF; with ${patient.assessedLevels} fractured levels these figures are extrapolated.`,
    );
  }
  if (a.caveats.includes('dwi-direction-tension')) {
    lines.push(
      `- DWI: in this paper benign fractures were mostly HIGH on DWI and malignant mostly LOW, the reverse of much of the literature (${BAUR_REFERENCE}, external to the primary paper). The paper's direction is used; a site can drop DWI.`,
    );
  }
  lines.push('- Decision support, not a diagnosis: **biopsy is the reference standard**.');
  return ['#### Caveats', ...lines];
}

function patientLine(patient: PatientContext): string[] {
  const context: string[] = [];
  if (patient.ageYears !== undefined)
    context.push(`age ${patient.ageYears} (context only, no weight)`);
  if (patient.cancerHistory.length > 0) {
    context.push(
      `known cancer history: ${patient.cancerHistory.map((c) => `${cell(c.label)} (${cell(c.ref)})`).join(', ')}`,
    );
  }
  return context.length > 0 ? [`Patient: ${context.join('; ')}.`] : [];
}

/**
 * Table rows and list items follow the line before; other parts are paragraphs (the LR legend
 * too: GFM would read a line right after a table as one more row).
 */
const CONTINUES = ['|', '- ', '  - '];

function join(parts: readonly string[]): string {
  let text = '';
  for (const part of parts) {
    if (text !== '') text += CONTINUES.some((p) => part.startsWith(p)) ? '\n' : '\n\n';
    text += part;
  }
  return text;
}

/** The card detail, in CommonMark/GFM. */
export function renderDetail(r: LevelReport, patient: PatientContext, t: Thresholds): string {
  const a = r.assessment;
  const held = heldBackText(a);
  const by =
    a.safeguard.status === 'pending' && a.limitedBy.includes('g4-safeguard')
      ? 'while the G4 safeguard is pending'
      : `by the ${held ?? ''}`;
  const limited =
    held !== undefined
      ? ` Held at ${categoryLabel(a.category)} ${by}; P(malignant) alone would give ${categoryLabel(a.probabilityCategory)}.`
      : '';
  const preliminary = r.quality.preliminary.length > 0 ? ' **Rests on preliminary findings.**' : '';
  return join([
    `**${categoryLabel(a.category)}** at ${r.level === 'unspecified' ? 'an unspecified level' : r.level}: P(malignant) ${formatProbability(a.probabilityMalignant, t)}.${limited}${preliminary}`,
    `Pre-test probability ${formatProbability(a.pretest.probability)}, for ${PRETEST_TEXT[a.pretest.basis]}; its odds are multiplied by the likelihood ratio of each sign below.`,
    ...patientLine(patient),
    '#### Evidence used',
    ...evidenceTable(a, t),
    ...safeguardSection(a),
    ...missingSection(a, t),
    ...setAsideSection(a, t),
    ...adcSection(
      a,
      t,
      patient.ignored.filter((i) => i.sign === 'adc' && i.level === r.level).length,
    ),
    ...qualitySection(r, patient),
    ...caveatsSection(a, patient),
    `_vcf-cds engine ${a.engineVersion}, knowledge base ${a.knowledgeBaseVersion}._`,
  ]);
}

/**
 * The detail of a level with no usable finding (a level an order targets, or findings that were
 * all rejected): no evidence and no probability to show, only why, and what was not used.
 */
export function renderNoFindingsDetail(r: LevelReport, patient: PatientContext): string {
  const where = r.level === 'unspecified' ? 'this patient' : r.level;
  const rejected = (r.rejectedFindings ?? 0) > 0;
  const action = rejected
    ? 'Correct the findings listed under Not used, or obtain MRI (with contrast and DWI/ADC) and CT, or a biopsy.'
    : 'Obtain MRI (with contrast and DWI/ADC) and CT, or a biopsy.';
  return join([
    `**vcf-cds cannot characterise the fracture at ${where}**: ${rejected ? 'no recorded finding could be used' : 'no imaging findings are recorded'}. ${action}`,
    `For machines, the card's extension still carries a probability: the pre-test probability (${formatProbability(r.assessment.pretest.probability)}), which no finding updates.`,
    ...patientLine(patient),
    ...qualitySection(r, patient),
    '#### Caveats',
    '- Decision support, not a diagnosis: **biopsy is the reference standard**.',
    `_vcf-cds engine ${r.assessment.engineVersion}, knowledge base ${r.assessment.knowledgeBaseVersion}._`,
  ]);
}
