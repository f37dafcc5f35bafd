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
import { renderDetail } from './card-detail.js';
import { categoryLabel, formatProbability, levelLabel } from './format.js';
import type { LevelReport, PatientContext } from './level-report.js';

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

function suggestionsFor(r: LevelReport, ctx: CardContext): Suggestion[] {
  const a = r.assessment;
  const where = r.level === 'unspecified' ? 'the fractured vertebra' : r.level;
  const out: Suggestion[] = [];
  if (a.category !== 'benign-favoured') {
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
            `Vertebral compression fracture ${categoryLabel(a.category)} by vcf-cds (P malignant ${formatProbability(a.probabilityMalignant)})`,
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

function indicatorFor(a: Assessment, order: OrderCheck | undefined): Card['indicator'] {
  if (order && a.category !== 'benign-favoured' && !order.biopsyOrdered) return 'critical';
  return a.category === 'benign-favoured' ? 'info' : 'warning';
}

function summaryFor(
  r: LevelReport,
  indicator: Card['indicator'],
  order: OrderCheck | undefined,
): string {
  const a = r.assessment;
  const p = formatProbability(a.probabilityMalignant);
  const head = `${levelLabel(r.level)} fracture: ${categoryLabel(a.category)}, P(malignant) ${p}`;
  if (indicator === 'critical' && order)
    return `${head}; ${order.augmentationLabel} ordered without biopsy`;
  return a.category === 'benign-favoured' ? head : `${head}; consider biopsy`;
}

/** Renders one level's card. */
export function renderCard(r: LevelReport, patient: PatientContext, ctx: CardContext): Card {
  const a = r.assessment;
  const indicator = indicatorFor(a, ctx.order);
  const suggestions = suggestionsFor(r, ctx);
  const orderNote =
    indicator === 'critical' && ctx.order
      ? `**${ctx.order.augmentationLabel} is ordered for ${levelLabel(r.level)}, which is not benign-favoured, and no biopsy is ordered with it.** Cementing a malignant fracture without tissue delays the diagnosis; consider a biopsy first or in the same session (the augmentation codes include a bone biopsy only when one is performed: order it explicitly).\n\n`
      : '';
  return {
    uuid: ctx.newId(),
    summary: summaryFor(r, indicator, ctx.order).slice(0, 139),
    detail: orderNote + renderDetail(r, patient),
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
