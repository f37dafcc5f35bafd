/**
 * The card's markdown detail (docs/clinical-logic.md section 4, cards v2): read in about ten seconds, at
 * most DETAIL_MAX_CHARS whatever the input. In order: one "Driven by" line, the result, each red
 * flag and each rule that held the category back (one line each), a compact evidence table, what
 * each missing key sign would change, at most five data-quality items, one caveat line, and on a
 * benign-favoured card the next step. Everything longer (method, sources in full, the ADC rule's
 * origin, the DWI tension) is on the method page the card links to.
 * Text that comes from the data is clipped and escaped (markdown.ts): the EHR renders this.
 */
import {
  SIGN_LABELS,
  type Assessment,
  type Category,
  type EvidenceItem,
  type Finding,
  type KeyDiscriminator,
  type SetAsideItem,
} from '../engine/index.js';
import { CARD_LIMITS, COHORT, SOURCES, type Source } from '../knowledge/index.js';
import { reasonsOf, type Reason } from './card-reasons.js';
import { categoryLabel, formatAdc, formatProbability, type Thresholds } from './format.js';
import type { LevelReport, PatientContext } from './level-report.js';
import { clip, literal } from './markdown.js';
import { valueWords } from './value-labels.js';

/** docs/clinical-logic.md section 4: the detail is at most 2,500 characters, whatever the input. */
export const DETAIL_MAX_CHARS = CARD_LIMITS.detailMaxChars;

/** Data-quality items named before "and N more" (docs/clinical-logic.md section 4). */
const QUALITY_ITEMS = CARD_LIMITS.qualityItemsNamed;

/** Longest data text (an id, a display, a reason) shown in one place. */
const DATA_TEXT = 90;

const PAPER = SOURCES.zhao2026;

/** A source of the knowledge base by id (a site's own ADC rule may name one it does not hold). */
const sourceOf = (id: string): Source | undefined =>
  (SOURCES as Readonly<Record<string, Source>>)[id];

/** "T4" for a row of the paper's Table 4; a source's short label otherwise ("*": external). */
function shortSource(e: { readonly sourceId: string; readonly where: string }): string {
  if (e.sourceId === PAPER.id) {
    const table = /^Table (\d)/.exec(e.where);
    return table ? `T${table[1]}` : 'paper';
  }
  const known = sourceOf(e.sourceId);
  return known ? `${known.label}${known.external ? '*' : ''}` : literal(clip(e.sourceId, 40));
}

function lr(x: number): string {
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function findingText(f: Finding, t: Thresholds): string {
  return f.sign === 'adc' || f.sign === 'adc-reference'
    ? `${formatAdc(f.value as number, t.adcCutoff)} x10^-3 mm2/s`
    : valueWords(f);
}

/** A sign and its value in a few words, for the "Driven by" line. */
function signValue(e: EvidenceItem, t: Thresholds): string {
  return `${SIGN_LABELS[e.sign]}: ${findingText(e.finding, t)}`;
}

function drivenBy(a: Assessment, t: Thresholds): string {
  if (a.drivers.length === 0) return '**Driven by**: no sign with a published weight.';
  return `**Driven by**: ${a.drivers.map((e) => `${signValue(e, t)} (LR ${lr(e.lr)})`).join('; ')}.`;
}

const PRETEST_TEXT = {
  'study-cohort': `study cohort, ${COHORT.malignant} malignant of ${COHORT.malignant + COHORT.benign}`,
  'site-setting': "this site's setting",
  'cancer-history': `known cancer history, ${SOURCES.luo2016.label}*`,
} as const;

function resultLine(r: LevelReport, patient: PatientContext, t: Thresholds): string {
  const a = r.assessment;
  const where = r.level === 'unspecified' ? 'an unspecified level' : r.level;
  const context: string[] = [];
  if (patient.cancerHistory.length > 0) {
    const first = patient.cancerHistory[0];
    const more = patient.cancerHistory.length > 1 ? ` +${patient.cancerHistory.length - 1}` : '';
    if (first) context.push(`known cancer history: ${literal(clip(first.label, 60))}${more}`);
  }
  if (patient.ageYears !== undefined) context.push(`age ${patient.ageYears} (no weight)`);
  const preliminary = r.quality.preliminary.length > 0 ? ' **Rests on preliminary findings.**' : '';
  return `**${categoryLabel(a.category)}** at ${where}: P(malignant) ${formatProbability(a.probabilityMalignant, t)} (pre-test ${formatProbability(a.pretest.probability)}, ${PRETEST_TEXT[a.pretest.basis]}${context.length > 0 ? `; ${context.join('; ')}` : ''}).${preliminary}`;
}

const NOT_WEIGHED: Readonly<Record<SetAsideItem['reason'], string>> = {
  'dwi-disabled': 'not weighed (site drops DWI)',
  'mri-impression-superseded': 'not weighed (MRI signs present)',
  'no-published-weight': 'no weight (no published cut-off)',
  'duplicate-sign': 'not weighed (given twice)',
  'conflicting-sign': 'not weighed (conflict)',
  'invalid-finding': 'not weighed (not in the contract)',
};

function evidenceRows(a: Assessment, t: Thresholds, limit: number): string[] {
  const rows: string[] = a.evidence.map((e) => {
    const weight = e.neutralisedBySafeguard
      ? `1 (G4 safeguard; table ${lr(e.neutralisedBySafeguard.tableLr)})`
      : lr(e.lr);
    const src =
      e.sign === 'adc'
        ? `${shortSource(e.source)} (cut-off ${t.adcCutoff}, protocol-dependent)`
        : shortSource(e.source);
    return `| ${SIGN_LABELS[e.sign]} | ${literal(findingText(e.finding, t))} | ${weight} | ${src} |`;
  });
  for (const s of a.setAside) {
    if (s.sign === undefined || typeof s.finding !== 'object' || s.finding === null) continue;
    const f = s.finding as Finding;
    const ratio =
      s.sign === 'adc-reference' && a.adc?.referenceRatio !== undefined
        ? `; ratio ${a.adc.referenceRatio.toFixed(2)}`
        : '';
    rows.push(
      `| ${SIGN_LABELS[s.sign]} | ${literal(findingText(f, t))}${ratio} | – | ${NOT_WEIGHED[s.reason]} |`,
    );
  }
  if (rows.length === 0) return [];
  const shown = rows.slice(0, limit);
  const more =
    rows.length > shown.length
      ? [`_and ${rows.length - shown.length} more signs (playground link)._`]
      : [];
  return ['| Sign | Value | LR | Src |', '|---|---|---|---|', ...shown, ...more];
}

const KEY_LABEL: Readonly<Record<KeyDiscriminator, string>> = {
  pedicle: 'Pedicle',
  'paravertebral-soft-tissue': 'Soft tissue',
  'enhancement-pattern': 'Enhancement (contrast MRI)',
  diffusion: 'ADC',
};

function outcomeText(o: { category: Category; probabilityMalignant: number }, t: Thresholds) {
  return `${categoryLabel(o.category)} (P ${formatProbability(o.probabilityMalignant, t)})`;
}

function whatIfLines(a: Assessment, t: Thresholds): string[] {
  if (a.whatIf.length === 0) return [];
  const adcSource = sourceOf(a.adcRule.sourceId)?.label ?? clip(a.adcRule.sourceId, 40);
  return [
    '**If a missing key sign came back** (alone):',
    ...a.whatIf.map((w) => {
      const cutoff =
        w.discriminator === 'diffusion'
          ? ` [cut-off ${literal(adcSource)}, protocol-dependent]`
          : '';
      return `- ${KEY_LABEL[w.discriminator]}${cutoff}: ${w.ifBenignFinding} → ${outcomeText(w.ifBenign, t)}; ${w.ifMalignantFinding} → ${outcomeText(w.ifMalignant, t)}`;
    }),
  ];
}

/** Every data-quality fact, worded, most important first. */
function qualityItems(r: LevelReport, patient: PatientContext): string[] {
  const q = r.quality;
  const items: string[] = [];
  const text = (x: string) => literal(clip(x, DATA_TEXT));
  if (q.preliminary.length > 0) {
    items.push(
      `preliminary: ${q.preliminary.map((p) => `${SIGN_LABELS[p.sign]} (${text(p.ref)})`).join(', ')}`,
    );
  }
  for (const c of q.conflicts) {
    const also = c.superseded
      .slice(0, 2)
      .map((s) => `${text(s.value)} (${text(s.ref)})`)
      .join(', ');
    const more = c.superseded.length > 2 ? ` and ${c.superseded.length - 2} more` : '';
    items.push(
      `conflict over time on ${SIGN_LABELS[c.sign]}: kept ${text(c.kept.value)} (${text(c.kept.ref)}, the latest); earlier ${also}${more}`,
    );
  }
  for (const c of q.sameTime) {
    const named = c.reports
      .slice(0, 2)
      .map((x) => `${text(x.value)} (${text(x.ref)})`)
      .join(', ');
    const more = c.reports.length > 2 ? ` and ${c.reports.length - 2} more` : '';
    items.push(`same-time conflict on ${SIGN_LABELS[c.sign]}: ${named}${more}`);
  }
  items.push(...q.other.map(text), ...patient.notes.map(text));
  for (const i of patient.ignored) {
    const level =
      i.level === undefined ? '' : ` (${i.level === 'unspecified' ? 'no level' : i.level})`;
    items.push(`not used: ${text(i.ref)}${level}: ${text(i.reason)}`);
  }
  return items;
}

function qualityLines(items: readonly string[], max: number): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, max);
  const more = items.length > shown.length ? [`- and ${items.length - shown.length} more`] : [];
  return ['**Data quality**:', ...shown.map((i) => `- ${i}`), ...more];
}

function caveatLine(a: Assessment, patient: PatientContext): string {
  const parts = [
    `one retrospective single-centre study (${COHORT.malignant + COHORT.benign} patients)`,
    'signs combined as if independent, which overstates certainty',
  ];
  if (a.caveats.includes('dwi-direction-tension')) {
    parts.push(
      "DWI weighs in this paper's direction (high = benign), the reverse of much of the literature",
    );
  }
  if (a.caveats.includes('t1-t2-complement-rows')) {
    parts.push(
      "T1/T2 rows are complements of the paper's printed rows: acute osteoporotic fractures are often T2/STIR bright, healed ones T1 bright (fatty marrow), sclerotic metastases T1/T2 low",
    );
  }
  if (a.adc !== undefined) {
    const source = sourceOf(a.adcRule.sourceId)?.label ?? clip(a.adcRule.sourceId, 40);
    parts.push(
      `ADC cut-off ${a.adcRule.cutoff} x10^-3 mm2/s (${literal(source)}) depends on the scanner protocol`,
    );
  }
  if (patient.assessedLevels > 1) {
    parts.push(`${patient.assessedLevels} fractured levels, the study enrolled single fractures`);
  }
  return `**Caveats**: ${parts.join('; ')}. Decision support, not a diagnosis: **biopsy is the reference standard**.`;
}

const BENIGN_NEXT_STEP =
  '**Next step**: biopsy remains the reference standard if the clinical picture does not fit (known cancer, weight loss, pain at rest, no healing on follow-up).';

function footer(a: Assessment): string {
  return `_vcf-cds engine ${a.engineVersion}, knowledge base ${a.knowledgeBaseVersion}; method and sources: "How this assessment works"._`;
}

/**
 * A table row follows a table row, a list item a list item or the line that introduces it ("...:");
 * everything else is a paragraph of its own. A table right after a list item would be read as that
 * item's continuation, and a line right after a table as one more row (GFM).
 */
function continues(previous: string, part: string): boolean {
  if (part.startsWith('|')) return previous.startsWith('|');
  if (part.startsWith('- ')) return previous.startsWith('- ') || previous.endsWith(':');
  return false;
}

function join(parts: readonly string[]): string {
  let text = '';
  let previous = '';
  for (const part of parts) {
    if (text !== '') text += continues(previous, part) ? '\n' : '\n\n';
    text += part;
    previous = part;
  }
  return text;
}

/**
 * The parts of a detail, and how they shrink when the whole is over budget: fewer data-quality
 * items, fewer table rows, reason lines clipped; as a last resort the text is cut at a line.
 */
interface Layout {
  readonly quality: number;
  readonly rows: number;
  readonly reasonChars: number;
}

const LAYOUTS: readonly Layout[] = [
  { quality: QUALITY_ITEMS, rows: 20, reasonChars: 600 },
  { quality: 3, rows: 20, reasonChars: 300 },
  { quality: 2, rows: 10, reasonChars: 220 },
  { quality: 1, rows: 6, reasonChars: 160 },
  { quality: 0, rows: 4, reasonChars: 120 },
];

/** A reason line clipped at a word, its markdown emphasis closed. */
function clipLine(line: string, max: number): string {
  if (line.length <= max) return line;
  const cut = clip(line, max);
  // An odd number of ** would leave bold open to the end of the card.
  return (cut.match(/\*\*/g)?.length ?? 0) % 2 === 1 ? `${cut}**` : cut;
}

/** A detail's parts: the body may shrink; the tail (caveats, next step, versions) always stays. */
interface Parts {
  readonly body: readonly string[];
  readonly tail: readonly string[];
}

const SHORTENED = '_Shortened: the full reasoning is on the method page._';

/**
 * The detail at the first layout that fits; failing all, the smallest layout's body cut at a line
 * boundary (never inside a table row: a cut table row would break the table) before the tail, so
 * that the caveats ("biopsy is the reference standard") are on every card whatever the input.
 */
function fitted(build: (layout: Layout) => Parts): string {
  let parts: Parts = { body: [], tail: [] };
  for (const layout of LAYOUTS) {
    parts = build(layout);
    const text = join([...parts.body, ...parts.tail]);
    if (text.length <= DETAIL_MAX_CHARS) return text;
  }
  const tail = join([SHORTENED, ...parts.tail]);
  const room = DETAIL_MAX_CHARS - tail.length - 2;
  let body = join(parts.body).slice(0, Math.max(room, 0));
  const line = body.lastIndexOf('\n');
  body = line > 0 ? body.slice(0, line) : '';
  // A list or table cut short ends where a paragraph may begin.
  return body === '' ? tail : `${body}\n\n${tail}`;
}

/** The card detail of an assessed level, in CommonMark/GFM, at most DETAIL_MAX_CHARS. */
export function renderDetail(
  r: LevelReport,
  patient: PatientContext,
  t: Thresholds,
  lead: readonly string[] = [],
  reasons: readonly Reason[] = reasonsOf(r, patient, t),
): string {
  const a = r.assessment;
  const quality = qualityItems(r, patient);
  return fitted((layout) => ({
    body: [
      ...lead.map((l) => clipLine(l, layout.reasonChars)),
      drivenBy(a, t),
      resultLine(r, patient, t),
      ...reasons.map((x) => clipLine(x.line, layout.reasonChars)),
      ...evidenceRows(a, t, layout.rows),
      ...whatIfLines(a, t),
      ...qualityLines(quality, layout.quality),
    ],
    tail: [
      caveatLine(a, patient),
      ...(a.category === 'benign-favoured' ? [BENIGN_NEXT_STEP] : []),
      footer(a),
    ],
  }));
}

/**
 * The detail of a level with no usable finding (a level an order targets, or findings that were
 * all rejected): no evidence and no probability to show, only why, and what was not used.
 */
export function renderNoFindingsDetail(
  r: LevelReport,
  patient: PatientContext,
  lead: readonly string[] = [],
): string {
  const where = r.level === 'unspecified' ? 'this patient' : r.level;
  const rejected = (r.rejectedFindings ?? 0) > 0;
  const action = rejected
    ? 'Correct the findings listed under Data quality, or obtain MRI (with contrast and DWI/ADC) and CT, or a biopsy.'
    : 'Obtain MRI (with contrast and DWI/ADC) and CT, or a biopsy.';
  const quality = qualityItems(r, patient);
  return fitted((layout) => ({
    body: [
      ...lead.map((l) => clipLine(l, layout.reasonChars)),
      `**vcf-cds cannot characterise the fracture at ${where}**: ${rejected ? 'no recorded finding could be used' : 'no imaging findings are recorded'}. ${action}`,
      `For machines, the extension still carries a probability: the pre-test probability (${formatProbability(r.assessment.pretest.probability)}), which no finding updates.`,
      ...qualityLines(quality, layout.quality),
    ],
    tail: [
      '**Caveats**: decision support, not a diagnosis: **biopsy is the reference standard**.',
      footer(r.assessment),
    ],
  }));
}
