/**
 * One CDS Hooks card per assessed level (docs/clinical-logic.md section 4; CDS Hooks 2.0 "Card Attributes").
 * Optional fields without a value are left out, never null or empty.
 */
import {
  type Assessment,
  type HeldByRule,
  type KeyDiscriminator,
  type Sign,
} from '../engine/index.js';
import { SOURCES } from '../knowledge/index.js';
import {
  AUGMENTATION_CPT,
  BIOPSY_OF_VERTEBRA,
  EXAMINATIONS,
  examinationCodings,
  OVERRIDE_REASONS,
  type Examination,
} from '../terminology/index.js';
import { serviceRequest } from '../fhir/write/service-request.js';
import { reasonsOf, summaryReasons, type Reason } from '../present/card-reasons.js';
import { renderDetail, renderNoFindingsDetail } from '../present/card-detail.js';
import {
  categoryLabel,
  formatProbability,
  levelLabel,
  type Thresholds,
} from '../present/format.js';
import {
  hasNoFindings,
  NO_PATIENT_CONTEXT,
  type LevelReport,
  type PatientContext,
} from '../present/level-report.js';

export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

export interface Action {
  readonly type: 'create' | 'update' | 'delete';
  readonly description: string;
  readonly resource?: Record<string, unknown>;
}

export interface Suggestion {
  readonly label: string;
  readonly uuid: string;
  readonly isRecommended?: boolean;
  readonly actions: readonly Action[];
}

/** The public, machine-readable contract of docs/clinical-logic.md section 4: keep exactly as written. */
export interface VcfCdsAssessmentExtension {
  readonly level: string;
  readonly category: Assessment['category'];
  readonly probabilityMalignant: number;
  readonly safeguardApplied: boolean;
  readonly missingKeyDiscriminators: readonly KeyDiscriminator[];
  readonly knowledgeBaseVersion: string;
  readonly engineVersion: string;
  /** Present only when a rule held the category back: the rule names (docs/clinical-logic.md section 3). */
  readonly heldBy?: readonly HeldByRule[];
}

export interface Card {
  readonly uuid: string;
  readonly summary: string;
  readonly detail: string;
  readonly indicator: 'info' | 'warning' | 'critical';
  readonly source: { readonly label: string; readonly url: string };
  readonly suggestions?: readonly Suggestion[];
  readonly selectionBehavior?: 'any' | 'at-most-one';
  readonly overrideReasons?: readonly Coding[];
  readonly links: readonly {
    readonly label: string;
    readonly url: string;
    readonly type: 'absolute';
  }[];
  readonly extension: { readonly 'vcf-cds-assessment': VcfCdsAssessmentExtension };
}

/** Set on the order hooks when a vertebral augmentation is ordered for this level. */
export interface OrderCheck {
  readonly augmentationLabel: string;
  readonly biopsyOrdered: boolean;
  /**
   * The findings recorded without a level, when the targeted level is another one: they may be of
   * this vertebra (docs/clinical-logic.md section 4, order hooks), so the card names them and weighs their
   * category and red flags in its indicator.
   */
  readonly unlocalised?: LevelReport;
}

export interface CardContext {
  readonly patientId: string;
  readonly newId: () => string;
  /** The engine's cut-points, so that no rounded figure appears to cross one. */
  readonly thresholds: Thresholds;
  /** The service's public base URL (no trailing slash): the card's links are absolute. */
  readonly baseUrl: string;
  readonly order?: OrderCheck;
}

const PAPER = SOURCES.zhao2026;

/** What each examination supplies of the key discriminators. */
const SUPPLIES: Readonly<Record<KeyDiscriminator, string>> = {
  pedicle: 'pedicle morphology',
  'paravertebral-soft-tissue': 'paravertebral soft tissue',
  'enhancement-pattern': 'the enhancement pattern',
  diffusion: 'diffusion (ADC)',
};

/**
 * Which examinations would supply the missing key discriminators (docs/clinical-logic.md section 4): one
 * MRI of the spine (contrast-enhanced, with DWI and an ADC map when diffusion is missing too: one
 * examination, not two orders), and CT when no CT reading is recorded, since the paper's best
 * result is the combined CT+MRI reading. Each with what it would supply.
 */
function examinationsFor(
  missing: readonly KeyDiscriminator[],
  hasCt: boolean,
): { exam: Examination; supplies: string }[] {
  const out: { exam: Examination; supplies: string }[] = [];
  const mri = missing.filter((d) => d !== 'diffusion');
  const diffusion = missing.includes('diffusion');
  if (mri.length > 0) {
    out.push({
      exam: diffusion ? 'mri-contrast-dwi' : 'mri-contrast',
      supplies: missing.map((d) => SUPPLIES[d]).join(', '),
    });
  } else if (diffusion) {
    out.push({ exam: 'mri-dwi', supplies: SUPPLIES.diffusion });
  }
  if (!hasCt) {
    out.push({
      exam: 'ct',
      supplies:
        "the CT reader's impression, not recorded (the paper's best result is the combined CT+MRI reading)",
    });
  }
  return out;
}

const where = (level: string) => (level === 'unspecified' ? 'the fractured vertebra' : level);

/** Why the biopsy is proposed, in the order's own words: decision support, never a diagnosis. */
function biopsyReason(r: LevelReport): string {
  if (hasNoFindings(r)) {
    return `Tissue diagnosis of the vertebral compression fracture at ${where(r.level)}: no usable imaging findings recorded for this level (vcf-cds decision support, not a diagnosis)`;
  }
  return `Tissue diagnosis of the vertebral compression fracture at ${where(r.level)}: vcf-cds decision support rates the imaging features ${categoryLabel(r.assessment.category)} (not a diagnosis)`;
}

function suggestionsFor(r: LevelReport, ctx: CardContext): Suggestion[] {
  const a = r.assessment;
  const out: Suggestion[] = [];
  // A biopsy ordered with the augmentation is not proposed again (accepting it would order two).
  const unlocalised = ctx.order?.unlocalised;
  const tissue =
    a.category !== 'benign-favoured' || (unlocalised !== undefined && needsTissue(unlocalised));
  if (tissue && !ctx.order?.biopsyOrdered) {
    out.push({
      label: `Order percutaneous biopsy of ${where(r.level)}`,
      uuid: ctx.newId(),
      isRecommended: a.category === 'malignant-favoured' || ctx.order !== undefined,
      actions: [
        {
          type: 'create',
          description: `Propose a percutaneous needle biopsy of ${where(r.level)} (biopsy is the reference standard).`,
          resource: serviceRequest({
            intent: 'proposal',
            patientId: ctx.patientId,
            level: r.level,
            codings: BIOPSY_OF_VERTEBRA.codings,
            text: BIOPSY_OF_VERTEBRA.text,
            reason: biopsyReason(r),
          }),
        },
      ],
    });
  }
  if (!a.constellation.met) {
    const hasCt = a.evidence.some((e) => e.sign === 'ct-impression');
    for (const { exam, supplies } of examinationsFor(a.missingKeyDiscriminators, hasCt)) {
      const e = EXAMINATIONS[exam];
      out.push({
        label: `Order ${e.text}`,
        uuid: ctx.newId(),
        actions: [
          {
            type: 'create',
            description: `Propose ${e.text} to obtain ${supplies}.`,
            resource: serviceRequest({
              intent: 'proposal',
              patientId: ctx.patientId,
              level: r.level,
              codings: examinationCodings(exam, r.level),
              text: e.text,
              reason:
                exam === 'ct'
                  ? `VCF at ${where(r.level)}: ${supplies}`
                  : `Missing key discriminator(s) for the VCF at ${where(r.level)}: ${supplies}`,
            }),
          },
        ],
      });
    }
  }
  return out;
}

/** Not benign-favoured, or carrying a red flag: nothing supports cementing it without tissue. */
function needsTissue(r: LevelReport): boolean {
  return (
    hasNoFindings(r) ||
    r.assessment.category !== 'benign-favoured' ||
    r.assessment.redFlags.length > 0
  );
}

/**
 * `critical` only on an order hook, when the augmentation targets a level that is not
 * benign-favoured (or has no findings, or whose unlocalised findings need tissue) and no biopsy of
 * it is ordered; `info` only for a benign-favoured level with nothing flagged; else `warning`.
 */
function indicatorFor(
  r: LevelReport,
  order: OrderCheck | undefined,
  reasons: readonly Reason[],
): Card['indicator'] {
  if (
    order &&
    !order.biopsyOrdered &&
    (needsTissue(r) || (order.unlocalised !== undefined && needsTissue(order.unlocalised)))
  ) {
    return 'critical';
  }
  const quiet =
    r.assessment.category === 'benign-favoured' &&
    !hasNoFindings(r) &&
    !reasons.some((x) => x.alert) &&
    !(order?.unlocalised !== undefined && needsTissue(order.unlocalised));
  return quiet ? 'info' : 'warning';
}

/** "Vertebroplasty" -> "vertebroplasty" inside a sentence. */
const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** Fits a summary under 140 characters: drops the optional notes first, then cuts at a word. */
function fit(head: string, notes: readonly string[]): string {
  let text = head;
  for (const note of notes) {
    if (`${text}; ${note}`.length < 140) text = `${text}; ${note}`;
  }
  if (text.length < 140) return text;
  const cut = text.slice(0, 138);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 100))}…`;
}

function orderWords(order: OrderCheck | undefined): string | undefined {
  if (order === undefined) return undefined;
  return order.biopsyOrdered
    ? `biopsy ordered with the ${lower(order.augmentationLabel)}`
    : `${lower(order.augmentationLabel)} ordered without biopsy`;
}

/** The unlocalised findings in a few words, for an order card of another level. */
function unlocalisedWords(u: LevelReport): string {
  const flags = u.assessment.redFlags.length > 0 ? ', red flag' : '';
  return `findings without a level: ${categoryLabel(u.assessment.category)}${flags}`;
}

/**
 * `L1: indeterminate, P 2%; pedicle destroyed` (docs/clinical-logic.md section 4): the level, the category,
 * the probability shown between 1% and 99%, then the first red flag or held-back reason; the
 * order's state, further reasons and the next step as room allows.
 */
function summaryFor(r: LevelReport, ctx: CardContext, reasons: readonly Reason[]): string {
  const a = r.assessment;
  const order = orderWords(ctx.order);
  const unlocalised =
    ctx.order?.unlocalised !== undefined ? unlocalisedWords(ctx.order.unlocalised) : undefined;
  const at = r.level === 'unspecified' ? 'Unspecified level' : r.level;
  if (hasNoFindings(r)) {
    const n = r.rejectedFindings ?? 0;
    const head =
      n > 0
        ? `${at}: ${n === 1 ? 'the 1 recorded VCF finding is' : `none of the ${n} recorded VCF findings is`} usable`
        : `${at}: no VCF imaging findings recorded`;
    return fit(head, [
      ...(order ? [order] : []),
      ...(unlocalised ? [unlocalised] : []),
      ...(order ? [] : ['see detail']),
    ]);
  }
  const p = formatProbability(a.probabilityMalignant, ctx.thresholds);
  const head = `${at}: ${categoryLabel(a.category)}, P ${p}`;
  // Every red flag reaches the summary (with the conflicting values when they all fit, else
  // without), the first right after the head; on an order card the order's state comes next.
  const named = summaryReasons(reasons);
  const flags = named.filter((x) => x.redFlag !== undefined);
  const full = flags.map((x) => x.short);
  const orderNotes = [...(order ? [order] : []), ...(unlocalised ? [unlocalised] : [])];
  const flagWords =
    [head, ...full, ...orderNotes].join('; ').length < 140
      ? full
      : flags.map((x) => x.redFlag?.compact ?? x.short);
  const others = named.filter((x) => x.redFlag === undefined).map((x) => x.short);
  const [first, ...rest] = [...flagWords, ...others];
  const next =
    a.category === 'benign-favoured'
      ? undefined
      : a.constellation.met
        ? 'consider biopsy'
        : 'complete imaging or biopsy';
  return fit(first === undefined ? head : `${head}; ${first}`, [
    ...orderNotes,
    ...rest,
    ...(r.quality.preliminary.length > 0 ? ['preliminary findings'] : []),
    ...(order || next === undefined ? [] : [next]),
  ]);
}

function orderLines(
  r: LevelReport,
  order: OrderCheck | undefined,
  critical: boolean,
  t: Thresholds,
): string[] {
  if (order === undefined) return [];
  const level = levelLabel(r.level);
  const lines: string[] = [];
  const u = order.unlocalised;
  if (u !== undefined) {
    const flags =
      u.assessment.redFlags.length > 0
        ? `, red flag: ${reasonsOf(u, NO_PATIENT_CONTEXT, t)
            .filter((x) => x.alert)
            .map((x) => x.short)
            .join(', ')}`
        : '';
    lines.push(
      `**Findings recorded without a level** may be of ${level}: ${categoryLabel(u.assessment.category)}, P ${formatProbability(u.assessment.probabilityMalignant, t)}${flags} (their own card on patient-view).`,
    );
  }
  if (order.biopsyOrdered) {
    lines.push(`A biopsy of ${level} is ordered with the ${lower(order.augmentationLabel)}.`);
  } else if (critical) {
    // Why tissue is needed: this level's own result, or only the findings without a level.
    const why = needsTissue(r)
      ? hasNoFindings(r)
        ? 'and no usable finding supports a benign call'
        : `and it is ${categoryLabel(r.assessment.category)}${r.assessment.redFlags.length > 0 ? ' with a red flag' : ''}`
      : 'and the findings recorded without a level, which may be of this vertebra, do not support a benign call';
    lines.push(
      `**${order.augmentationLabel} is ordered for ${level} without a biopsy, ${why}.** Cementing a fracture that may be malignant, without tissue, can delay the diagnosis; consider a biopsy before or in the same session. The augmentation codes (${AUGMENTATION_CODE_RANGE}) cover a bone biopsy only when one is actually performed, so order it explicitly.`,
    );
  }
  return lines;
}

/** The level's signs as the playground's URL fragment (docs/clinical-logic.md section 4: signs only). */
function playgroundFragment(r: LevelReport): string {
  const params = new URLSearchParams({ level: r.level });
  for (const item of [...r.assessment.evidence, ...r.assessment.setAside]) {
    const f = item.finding as { sign?: Sign; value?: unknown } | undefined;
    if (item.sign === undefined || f === undefined || f.sign !== item.sign) continue;
    if (params.has(item.sign)) continue;
    // A decimal number, never exponent notation (an ADC slip of 7.5e-7 reads 0.00000075).
    const value =
      typeof f.value === 'number'
        ? f.value.toLocaleString('en-US', { useGrouping: false, maximumSignificantDigits: 12 })
        : String(f.value);
    params.set(item.sign, value);
  }
  return params.toString();
}

function linksFor(r: LevelReport, ctx: CardContext): Card['links'] {
  return [
    { label: 'How this assessment works', url: `${ctx.baseUrl}/method`, type: 'absolute' },
    // The playground cannot hold two readers' values for one sign: a level with a same-time
    // conflict would open there without it (and read quieter than its card), so it has no link.
    ...(hasNoFindings(r) || r.assessment.conflicts.length > 0
      ? []
      : [
          {
            label: 'Try these signs in the playground',
            url: `${ctx.baseUrl}/playground#${playgroundFragment(r)}`,
            type: 'absolute' as const,
          },
        ]),
    { label: `${PAPER.label}: full text (doi:${PAPER.doi})`, url: PAPER.url, type: 'absolute' },
  ];
}

/** The CPT range of vertebral augmentation, as the terminology lists it. */
const AUGMENTATION_CODE_RANGE = (() => {
  const codes = AUGMENTATION_CPT.map((c) => c.code).sort();
  return `CPT ${codes[0] ?? ''}-${codes[codes.length - 1] ?? ''}`;
})();

/** Renders one level's card. */
export function renderCard(r: LevelReport, patient: PatientContext, ctx: CardContext): Card {
  const a = r.assessment;
  const reasons = hasNoFindings(r) ? [] : reasonsOf(r, patient, ctx.thresholds);
  const indicator = indicatorFor(r, ctx.order, reasons);
  const suggestions = suggestionsFor(r, ctx);
  const lead = orderLines(r, ctx.order, indicator === 'critical', ctx.thresholds);
  const detail = hasNoFindings(r)
    ? renderNoFindingsDetail(r, patient, lead)
    : renderDetail(r, patient, ctx.thresholds, lead, reasons);
  return {
    uuid: ctx.newId(),
    summary: summaryFor(r, ctx, reasons),
    detail,
    indicator,
    source: { label: `${PAPER.label} (doi:${PAPER.doi})`, url: PAPER.url },
    ...(suggestions.length > 0 ? { suggestions, selectionBehavior: 'any' as const } : {}),
    ...(indicator !== 'info' ? { overrideReasons: OVERRIDE_REASONS } : {}),
    links: linksFor(r, ctx),
    extension: {
      'vcf-cds-assessment': {
        level: r.level,
        category: a.category,
        probabilityMalignant: a.probabilityMalignant,
        safeguardApplied: a.safeguard.status === 'applied',
        missingKeyDiscriminators: a.missingKeyDiscriminators,
        knowledgeBaseVersion: a.knowledgeBaseVersion,
        engineVersion: a.engineVersion,
        ...(a.limitedBy.length > 0 ? { heldBy: a.limitedBy } : {}),
      },
    },
  };
}
