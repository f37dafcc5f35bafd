/**
 * One CDS Hooks card per assessed level (CLINICAL-SPEC section 4; CDS Hooks 2.0 "Card Attributes").
 * Optional fields without a value are left out, never null or empty.
 */
import {
  KEY_DISCRIMINATOR_SIGNS,
  type Assessment,
  type KeyDiscriminator,
} from '../engine/index.js';
import { SOURCES } from '../knowledge/index.js';
import {
  BIOPSY_OF_VERTEBRA,
  EXAMINATIONS,
  examinationCodings,
  OVERRIDE_REASONS,
  VERTEBRAL_LEVEL_SYSTEM,
  type Examination,
} from '../terminology/index.js';
import { diffusionDisagreement, renderDetail, renderNoFindingsDetail } from './card-detail.js';
import { categoryLabel, formatProbability, levelLabel, type Thresholds } from './format.js';
import { hasNoFindings, type LevelReport, type PatientContext } from './level-report.js';

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

/** The public, machine-readable contract of CLINICAL-SPEC section 4: keep exactly as written. */
export interface VcfCdsAssessmentExtension {
  readonly level: string;
  readonly category: Assessment['category'];
  readonly probabilityMalignant: number;
  readonly safeguardApplied: boolean;
  readonly missingKeyDiscriminators: readonly KeyDiscriminator[];
  readonly knowledgeBaseVersion: string;
  readonly engineVersion: string;
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
}

export interface CardContext {
  readonly patientId: string;
  readonly newId: () => string;
  /** The engine's cut-points, so that no rounded figure appears to cross one. */
  readonly thresholds: Thresholds;
  readonly order?: OrderCheck;
}

const PAPER = SOURCES.zhao2026;

/** The signs of the four key discriminators (diffusion: DWI signal or ADC). */
const KEY_SIGNS: ReadonlySet<string> = new Set(Object.values(KEY_DISCRIMINATOR_SIGNS).flat());

/** What each examination supplies of the key discriminators. */
const SUPPLIES: Readonly<Record<KeyDiscriminator, string>> = {
  pedicle: 'pedicle morphology',
  'paravertebral-soft-tissue': 'paravertebral soft tissue',
  'enhancement-pattern': 'the enhancement pattern',
  diffusion: 'diffusion (ADC)',
};

/**
 * Which examinations would supply the missing key discriminators (CLINICAL-SPEC section 4): one
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

function serviceRequest(
  patientId: string,
  level: string,
  code: readonly Coding[],
  text: string,
  reason: string,
): Record<string, unknown> {
  return {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'proposal',
    code: code.length > 0 ? { coding: code, text } : { text },
    subject: { reference: `Patient/${patientId}` },
    ...(level === 'unspecified'
      ? {}
      : {
          bodySite: [
            {
              coding: [
                { system: VERTEBRAL_LEVEL_SYSTEM, code: level, display: `${level} vertebra` },
              ],
            },
          ],
        }),
    reasonCode: [{ text: reason }],
  };
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
  if (a.category !== 'benign-favoured' && !ctx.order?.biopsyOrdered) {
    out.push({
      label: `Order percutaneous biopsy of ${where(r.level)}`,
      uuid: ctx.newId(),
      isRecommended: a.category === 'malignant-favoured' || ctx.order !== undefined,
      actions: [
        {
          type: 'create',
          description: `Propose a percutaneous needle biopsy of ${where(r.level)} (biopsy is the reference standard).`,
          resource: serviceRequest(
            ctx.patientId,
            r.level,
            BIOPSY_OF_VERTEBRA.codings,
            BIOPSY_OF_VERTEBRA.text,
            biopsyReason(r),
          ),
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
            resource: serviceRequest(
              ctx.patientId,
              r.level,
              examinationCodings(exam, r.level),
              e.text,
              exam === 'ct'
                ? `VCF at ${where(r.level)}: ${supplies}`
                : `Missing key discriminator(s) for the VCF at ${where(r.level)}: ${supplies}`,
            ),
          },
        ],
      });
    }
  }
  return out;
}

/** Facts that must reach the summary and keep the card off `info` when they hold. */
interface Alerts {
  /** DWI and ADC weighed in opposite directions. */
  readonly diffusionDisagrees: boolean;
  /** A key discriminator reported with different values (the latest was kept). */
  readonly keyConflict: boolean;
  readonly anyConflict: boolean;
  /** The data carried an error OperationOutcome (PatientContext.dataIncomplete). */
  readonly incomplete: boolean;
}

function alertsOf(r: LevelReport, patient: PatientContext): Alerts {
  const conflicts = r.quality.conflicts;
  return {
    diffusionDisagrees: diffusionDisagreement(r.assessment) !== undefined,
    keyConflict: conflicts.some((c) => KEY_SIGNS.has(c.sign)),
    anyConflict: conflicts.length > 0,
    incomplete: patient.dataIncomplete === true,
  };
}

function indicatorFor(
  r: LevelReport,
  order: OrderCheck | undefined,
  alerts: Alerts,
): Card['indicator'] {
  const a = r.assessment;
  if (order && a.category !== 'benign-favoured' && !order.biopsyOrdered) return 'critical';
  const quiet =
    a.category === 'benign-favoured' &&
    !hasNoFindings(r) &&
    !alerts.diffusionDisagrees &&
    !alerts.keyConflict &&
    !alerts.incomplete;
  return quiet ? 'info' : 'warning';
}

/**
 * What follows the category in the summary, in a few words: the safeguard when it held the
 * category back, and how few key discriminators are known whenever the constellation rule is not
 * met.
 */
function heldBackShort(a: LevelReport['assessment']): string {
  if (a.limitedBy.includes('g4-safeguard')) {
    return a.safeguard.status === 'pending' ? ' (G4 safeguard pending)' : ' (G4 safeguard)';
  }
  if (!a.constellation.met) {
    return ` (${a.constellation.known.length} of 4 key discriminators known)`;
  }
  return '';
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

function summaryFor(r: LevelReport, ctx: CardContext, alerts: Alerts): string {
  const a = r.assessment;
  const order = ctx.order;
  const orderPart =
    order === undefined
      ? undefined
      : order.biopsyOrdered
        ? `biopsy ordered with the ${lower(order.augmentationLabel)}`
        : `${lower(order.augmentationLabel)} ordered without biopsy`;
  if (hasNoFindings(r)) {
    const n = r.rejectedFindings ?? 0;
    const at = r.level === 'unspecified' ? 'Vertebral findings' : r.level;
    const head =
      n > 0
        ? `${at}: ${n === 1 ? 'the 1 recorded VCF finding is' : `none of the ${n} recorded VCF findings is`} usable`
        : `${at}: no VCF imaging findings recorded`;
    return fit(orderPart ? `${head}; ${orderPart}` : `${head}; see detail`, []);
  }
  const p = formatProbability(a.probabilityMalignant, ctx.thresholds);
  const subject =
    r.level === 'unspecified' ? 'Fracture at an unspecified level' : `${r.level} fracture`;
  const head = `${subject}: ${categoryLabel(a.category)}${heldBackShort(a)}, P(malignant) ${p}`;
  const next =
    orderPart ??
    (a.category === 'benign-favoured'
      ? undefined
      : a.constellation.met
        ? 'consider biopsy'
        : 'complete imaging or biopsy');
  // Critical words first; the notes give way when space runs out.
  const notes = [
    ...(alerts.incomplete ? ['data may be incomplete'] : []),
    ...(alerts.diffusionDisagrees ? ['DWI and ADC disagree'] : []),
    ...(alerts.anyConflict ? ['conflicting findings'] : []),
    ...(r.quality.preliminary.length > 0 ? ['preliminary findings'] : []),
  ];
  return fit(next ? `${head}; ${next}` : head, notes);
}

function orderNoteFor(
  r: LevelReport,
  order: OrderCheck | undefined,
  indicator: Card['indicator'],
): string {
  if (order === undefined) return '';
  const level = levelLabel(r.level);
  if (order.biopsyOrdered) {
    return `A biopsy of ${level} is ordered with the ${lower(order.augmentationLabel)}.\n\n`;
  }
  if (indicator !== 'critical') return '';
  return `**${order.augmentationLabel} is ordered for ${level}, which is not benign-favoured, and no biopsy of it is ordered.** Cementing a fracture that may be malignant, without tissue, can delay the diagnosis; consider a biopsy before or in the same session. The vertebral augmentation codes (CPT 22510-22515) cover a bone biopsy only when one is actually performed, so order it explicitly.\n\n`;
}

/** Renders one level's card. */
export function renderCard(r: LevelReport, patient: PatientContext, ctx: CardContext): Card {
  const a = r.assessment;
  const alerts = alertsOf(r, patient);
  const indicator = indicatorFor(r, ctx.order, alerts);
  const suggestions = suggestionsFor(r, ctx);
  const detail = hasNoFindings(r)
    ? renderNoFindingsDetail(r, patient)
    : renderDetail(r, patient, ctx.thresholds);
  return {
    uuid: ctx.newId(),
    summary: summaryFor(r, ctx, alerts),
    detail: orderNoteFor(r, ctx.order, indicator) + detail,
    indicator,
    source: { label: `${PAPER.label} (doi:${PAPER.doi})`, url: PAPER.url },
    ...(suggestions.length > 0 ? { suggestions, selectionBehavior: 'any' as const } : {}),
    ...(indicator !== 'info' ? { overrideReasons: OVERRIDE_REASONS } : {}),
    links: [
      { label: `${PAPER.label}: full text (doi:${PAPER.doi})`, url: PAPER.url, type: 'absolute' },
    ],
    extension: {
      'vcf-cds-assessment': {
        level: r.level,
        category: a.category,
        probabilityMalignant: a.probabilityMalignant,
        safeguardApplied: a.safeguard.status === 'applied',
        missingKeyDiscriminators: a.missingKeyDiscriminators,
        knowledgeBaseVersion: a.knowledgeBaseVersion,
        engineVersion: a.engineVersion,
      },
    },
  };
}
