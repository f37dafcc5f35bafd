/**
 * One CDS Hooks card per assessed level (CLINICAL-SPEC section 4; CDS Hooks 2.0 "Card Attributes").
 * Optional fields without a value are left out, never null or empty.
 */
import type { Assessment, KeyDiscriminator } from '../engine/index.js';
import { SOURCES } from '../knowledge/index.js';
import {
  BIOPSY_OF_VERTEBRA,
  EXAMINATIONS,
  examinationCodings,
  OVERRIDE_REASONS,
  VERTEBRAL_LEVEL_SYSTEM,
  type Examination,
} from '../terminology/index.js';
import { renderDetail, renderNoFindingsDetail } from './card-detail.js';
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

/**
 * Which examinations would supply the missing key discriminators (CLINICAL-SPEC section 4): DWI with
 * an ADC map for diffusion, contrast-enhanced MRI (with its T1/T2 sequences) for the others, and
 * CT when no CT reading is recorded: the paper's best result is the combined CT+MRI reading.
 */
function examinationsFor(missing: readonly KeyDiscriminator[], hasCt: boolean): Examination[] {
  const exams = new Set<Examination>();
  for (const d of missing) {
    if (d === 'diffusion') exams.add('mri-dwi');
    else exams.add('mri-contrast');
  }
  if (!hasCt) exams.add('ct');
  return [...exams];
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

/** Why the biopsy is proposed, in the order's own words: decision support, never a diagnosis. */
function biopsyReason(r: LevelReport): string {
  const where = r.level === 'unspecified' ? 'the fractured vertebra' : r.level;
  if (hasNoFindings(r)) {
    return `Tissue diagnosis of the vertebral compression fracture at ${where}: no imaging findings recorded for this level (vcf-cds decision support, not a diagnosis)`;
  }
  return `Tissue diagnosis of the vertebral compression fracture at ${where}: imaging features ${categoryLabel(r.assessment.category)} on vcf-cds decision support (not a diagnosis)`;
}

function suggestionsFor(r: LevelReport, ctx: CardContext): Suggestion[] {
  const a = r.assessment;
  const where = r.level === 'unspecified' ? 'the fractured vertebra' : r.level;
  const out: Suggestion[] = [];
  // A biopsy ordered with the augmentation is not proposed again (accepting it would order two).
  if (a.category !== 'benign-favoured' && !ctx.order?.biopsyOrdered) {
    out.push({
      label: `Order percutaneous biopsy of ${where}`,
      uuid: ctx.newId(),
      isRecommended: a.category === 'malignant-favoured' || ctx.order !== undefined,
      actions: [
        {
          type: 'create',
          description: `Propose a percutaneous needle biopsy of ${where} (biopsy is the reference standard).`,
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
    for (const exam of examinationsFor(a.missingKeyDiscriminators, hasCt)) {
      const e = EXAMINATIONS[exam];
      out.push({
        label: `Order ${e.text}`,
        uuid: ctx.newId(),
        actions: [
          {
            type: 'create',
            description: `Propose ${e.text} to obtain ${e.supplies}.`,
            resource: serviceRequest(
              ctx.patientId,
              r.level,
              examinationCodings(exam, r.level),
              e.text,
              `Missing key discriminator(s) for the VCF at ${where}: ${e.supplies}`,
            ),
          },
        ],
      });
    }
  }
  return out;
}

function indicatorFor(r: LevelReport, order: OrderCheck | undefined): Card['indicator'] {
  const a = r.assessment;
  if (order && a.category !== 'benign-favoured' && !order.biopsyOrdered) return 'critical';
  return a.category === 'benign-favoured' && !hasNoFindings(r) ? 'info' : 'warning';
}

/**
 * What follows the category in the summary, in a few words: the safeguard when it held the
 * category back, and how few key signs are known whenever the constellation rule is not met.
 */
function heldBackShort(a: LevelReport['assessment']): string {
  if (a.limitedBy.includes('g4-safeguard')) return ' (G4 safeguard)';
  if (!a.constellation.met) return ` (${a.constellation.known.length} of 4 key signs known)`;
  return '';
}

function summaryFor(r: LevelReport, ctx: CardContext, indicator: Card['indicator']): string {
  const a = r.assessment;
  const order = ctx.order;
  const orderPart =
    order === undefined
      ? undefined
      : order.biopsyOrdered
        ? `biopsy ordered with ${order.augmentationLabel}`
        : `${order.augmentationLabel} ordered without biopsy`;
  if (hasNoFindings(r)) {
    const head = `${levelLabel(r.level)}: no usable VCF imaging findings recorded`;
    return orderPart ? `${head}; ${orderPart}` : `${head}; see detail`;
  }
  const p = formatProbability(a.probabilityMalignant, ctx.thresholds);
  const head = `${levelLabel(r.level)} fracture: ${categoryLabel(a.category)}${heldBackShort(a)}, P(malignant) ${p}`;
  const next =
    orderPart ??
    (a.category === 'benign-favoured'
      ? undefined
      : a.constellation.met
        ? 'consider biopsy'
        : 'complete imaging or biopsy');
  const preliminary = r.quality.preliminary.length > 0 ? '; preliminary findings' : '';
  const summary = `${head}${next ? `; ${next}` : ''}${preliminary}`;
  // The preliminary note is what gives way when space runs out (critical words come first).
  return summary.length < 140 || indicator === 'critical'
    ? summary
    : `${head}${next ? `; ${next}` : ''}`;
}

function orderNoteFor(
  r: LevelReport,
  order: OrderCheck | undefined,
  indicator: Card['indicator'],
): string {
  if (order === undefined) return '';
  const level = levelLabel(r.level);
  if (order.biopsyOrdered) {
    return `A biopsy of ${level} is ordered with the ${order.augmentationLabel.toLowerCase()}.\n\n`;
  }
  if (indicator !== 'critical') return '';
  return `**${order.augmentationLabel} is ordered for ${level}, which is not benign-favoured, and no biopsy of it is ordered.** Cementing a fracture that may be malignant, without tissue, can delay the diagnosis; consider a biopsy before or in the same session. The vertebral augmentation codes (CPT 22510-22515) cover a bone biopsy only when one is actually performed, so order it explicitly.\n\n`;
}

/** Renders one level's card. */
export function renderCard(r: LevelReport, patient: PatientContext, ctx: CardContext): Card {
  const a = r.assessment;
  const indicator = indicatorFor(r, ctx.order);
  const suggestions = suggestionsFor(r, ctx);
  const detail = hasNoFindings(r)
    ? renderNoFindingsDetail(r, patient)
    : renderDetail(r, patient, ctx.thresholds);
  const summary = summaryFor(r, ctx, indicator);
  return {
    uuid: ctx.newId(),
    summary: summary.length < 140 ? summary : `${summary.slice(0, 138)}…`,
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
