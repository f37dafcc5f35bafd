/**
 * Reading the draft orders of order-select / order-sign: is a vertebral augmentation
 * (vertebroplasty or kyphoplasty) ordered, for which level, and is a biopsy ordered with it?
 * @see docs/clinical-logic.md section 4 (the critical card); CDS Hooks order-select / order-sign context.
 */
import { codeKey, type CodeIndex, type OrderCodeSets } from '../terminology/index.js';
import type { HookRequest } from './request.js';

export interface AugmentationOrder {
  readonly ref: string;
  /** Mapped vertebral level, or undefined when the order names no level we can read. */
  readonly levels: readonly string[];
  readonly label: string;
}

export interface DraftOrderReview {
  readonly augmentations: readonly AugmentationOrder[];
  /**
   * Biopsy orders, each with the levels its bodySite names; `anyLevel` when it gives no bodySite
   * at all (it may be for any level). A bodySite naming something else (the iliac crest, a code
   * no level reads from) is a biopsy of no vertebra here.
   */
  readonly biopsies: readonly {
    readonly ref: string;
    readonly levels: readonly string[];
    readonly anyLevel: boolean;
  }[];
}

/** Whether a biopsy is ordered for `level`: one naming that level, or one with no bodySite. */
export function biopsyOrderedFor(review: DraftOrderReview, level: string): boolean {
  return review.biopsies.some((b) => b.anyLevel || b.levels.includes(level));
}

type Coding = { system?: unknown; code?: unknown; display?: unknown };

function codings(concept: unknown): Coding[] {
  const list = (concept as { coding?: unknown })?.coding;
  return Array.isArray(list)
    ? (list.filter((c) => typeof c === 'object' && c !== null) as Coding[])
    : [];
}

function matches(concept: unknown, codes: CodeIndex): string | undefined {
  for (const c of codings(concept)) {
    if (typeof c.system === 'string' && typeof c.code === 'string') {
      const label = codes.get(codeKey(c.system, c.code));
      if (label !== undefined) return label;
    }
  }
  return undefined;
}

/**
 * Finds augmentation and biopsy orders among all the draft orders, on order-select as on
 * order-sign: one service id answers both hooks and the EHR replaces its cards with each answer
 * ("update stale guidance"), so a check limited to the orders just selected would drop the
 * critical card of a vertebroplasty still in the draft as soon as another order is selected. A
 * biopsy anywhere in the draft counts for the levels its bodySite names, or for every level when
 * it names none.
 */
export function reviewDraftOrders(
  request: HookRequest,
  levelOf: (bodySite: unknown) => string | undefined,
  codes: OrderCodeSets,
): DraftOrderReview {
  const entries = request.context.draftOrders?.entry ?? [];
  const augmentations: AugmentationOrder[] = [];
  const biopsies: { ref: string; levels: string[]; anyLevel: boolean }[] = [];
  for (const entry of entries) {
    const resource = (entry as { resource?: unknown })?.resource as
      | {
          resourceType?: unknown;
          id?: unknown;
          code?: unknown;
          bodySite?: unknown;
          status?: unknown;
        }
      | undefined;
    if (typeof resource !== 'object' || resource === null) continue;
    if (resource.resourceType !== 'ServiceRequest' && resource.resourceType !== 'Procedure')
      continue;
    if (resource.status === 'revoked' || resource.status === 'entered-in-error') continue;
    const ref = `${String(resource.resourceType)}/${typeof resource.id === 'string' ? resource.id : '(no id)'}`;
    const sites = Array.isArray(resource.bodySite) ? (resource.bodySite as unknown[]) : [];
    const levels = [...new Set(sites.map(levelOf).filter((l): l is string => l !== undefined))];
    if (matches(resource.code, codes.biopsy) !== undefined) {
      biopsies.push({ ref, levels, anyLevel: sites.length === 0 });
    }
    const label = matches(resource.code, codes.augmentation);
    if (label === undefined) continue;
    augmentations.push({ ref, levels, label });
  }
  return { augmentations, biopsies };
}
