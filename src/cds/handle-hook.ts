/**
 * A CDS Hooks invocation, end to end, with no HTTP in sight: body in, { status, body } out
 * (ARCHITECTURE.md: the router knows nothing of HTTP; `http/` only adapts this).
 */
import type { EngineSettings } from '../engine/index.js';
import type { OrderCodeSets } from '../terminology/index.js';
import { renderCard, type Card } from './card.js';
import { thresholdsOf } from '../present/format.js';
import { biopsyOrderedFor, reviewDraftOrders, type DraftOrderReview } from './draft-orders.js';
import type { FhirFetcher } from '../fhir/fetch/fhir-server.js';
import { levelRank, UNSPECIFIED_LEVEL } from '../fhir/index.js';
import type { LevelReport } from '../present/level-report.js';
import { assessPatient, type PatientAssessment } from '../app/assess-patient.js';
import { auditDraft, type AuditDraft } from '../app/audit-draft.js';
import {
  appError,
  errorResponse,
  isAppError,
  type AppError,
  type OperationOutcomeBody,
} from '../app/errors.js';
import { gatherData } from './prefetch.js';
import { hookNotServed, parseHookRequest, type HookRequest } from './request.js';
import { hooksOf, serviceForHook, type ServiceDefinition } from './services.js';

export interface HookDeps {
  readonly engine: EngineSettings;
  readonly cancerSnomedCodes: readonly string[];
  /** VCF_ADC_MINIMUM (no default). */
  readonly adcMinimum?: number;
  /** Procedure codes the order hooks recognise (CPT, plus a site's SNOMED CT concepts). */
  readonly orderCodes: OrderCodeSets;
  readonly fetcher: FhirFetcher;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Secret key of the audit's patient id hash (AUDIT_ID_KEY or the key kept in DATA_DIR). */
  readonly auditIdKey: Uint8Array;
  /**
   * The service's public base URL (PUBLIC_BASE_URL, no trailing slash), for the cards' absolute
   * links; unset, the HTTP layer passes the request's own origin to each call.
   */
  readonly publicBaseUrl?: string;
}

/** The base of the cards' links when no public URL is known (a direct call, the CLI). */
const LOCAL_BASE_URL = 'http://localhost:3000';

export type HookResult =
  | {
      readonly status: 200;
      readonly body: { readonly cards: readonly Card[] };
      readonly audit: AuditDraft;
    }
  | { readonly status: number; readonly body: OperationOutcomeBody; readonly error: AppError };

function failed(error: AppError): HookResult {
  return { ...errorResponse(error), error };
}

/** The assessed levels and the levels whose findings were all rejected, in spine order. */
function withUnusable(assessed: PatientAssessment): LevelReport[] {
  return [...assessed.reports, ...assessed.unusableLevels].sort(
    (a, b) => levelRank(a.level) - levelRank(b.level),
  );
}

/**
 * Cards for the order hooks (docs/clinical-logic.md section 4): one per level an ordered augmentation
 * targets, also when the patient has no findings at all. An order naming no level readable here
 * targets every level with findings (or, with none, the unspecified level). Findings recorded
 * without a level may belong to the targeted vertebra: the card of another level names them.
 */
function orderCards(
  assessed: PatientAssessment,
  review: DraftOrderReview,
  request: HookRequest,
  deps: HookDeps,
  baseUrl: string,
): Card[] {
  if (review.augmentations.length === 0) return [];
  const reports = withUnusable(assessed);
  const assessedLevels = reports.length > 0 ? reports.map((r) => r.level) : [UNSPECIFIED_LEVEL];
  const targets = new Map<string, string[]>();
  for (const order of review.augmentations) {
    for (const level of order.levels.length > 0 ? order.levels : assessedLevels) {
      targets.set(level, [...(targets.get(level) ?? []), order.label]);
    }
  }
  const unlocalised = assessed.reports.find((r) => r.level === UNSPECIFIED_LEVEL);
  const cards: Card[] = [];
  for (const [level, labels] of targets) {
    const report = reports.find((r) => r.level === level) ?? assessed.unassessedLevel(level);
    const distinct = [...new Set(labels)];
    cards.push(
      renderCard(report, assessed.patient, {
        patientId: request.context.patientId,
        newId: deps.newId,
        thresholds: thresholdsOf(deps.engine),
        baseUrl,
        order: {
          // One name for several (a vertebroplasty and a kyphoplasty), so the summary stays whole.
          augmentationLabel:
            distinct.length === 1 ? (distinct[0] as string) : 'Vertebral augmentation',
          biopsyOrdered: biopsyOrderedFor(review, level),
          ...(unlocalised !== undefined && level !== UNSPECIFIED_LEVEL ? { unlocalised } : {}),
        },
      }),
    );
  }
  return cards;
}

/**
 * Handles POST /cds-services/{serviceId}. `bodyParsed`: the body is JSON.parse output checked with
 * nestedDeeperThan (as the HTTP adapter gives it); left out, every resource is walked first.
 * @see CDS Hooks 2.0 "Calling a CDS Service"; docs/clinical-logic.md sections 1-4.
 */
export async function handleHookRequest(
  serviceId: string,
  body: unknown,
  deps: HookDeps,
  bodyParsed = false,
): Promise<HookResult> {
  const hooks = hooksOf(serviceId);
  if (hooks.length === 0) {
    return failed(
      appError('unknown-service', `No CDS Service "${serviceId}"; GET /cds-services lists them.`),
    );
  }
  // One id may serve several hooks: the request's own hook picks the definition.
  const service: ServiceDefinition | undefined = serviceForHook(
    serviceId,
    (body as { hook?: unknown } | null)?.hook,
  );
  if (service === undefined) return failed(hookNotServed(body, hooks));
  const request = parseHookRequest(body, service.hook);
  if (isAppError(request)) return failed(request);
  const data = await gatherData(request, deps.fetcher, bodyParsed);
  if (isAppError(data)) return failed(data);

  const patientId = request.context.patientId;
  const baseUrl = deps.publicBaseUrl ?? LOCAL_BASE_URL;
  const assessed = assessPatient(patientId, data.items, deps, data.jsonParsed);
  const cards =
    service.hook === 'patient-view'
      ? withUnusable(assessed).map((r) =>
          renderCard(r, assessed.patient, {
            patientId,
            newId: deps.newId,
            thresholds: thresholdsOf(deps.engine),
            baseUrl,
          }),
        )
      : orderCards(
          assessed,
          reviewDraftOrders(request, assessed.levelOf, deps.orderCodes),
          request,
          deps,
          baseUrl,
        );

  return {
    status: 200,
    body: { cards },
    audit: auditDraft(
      assessed,
      {
        serviceId: service.id,
        hook: service.hook,
        hookInstance: request.hookInstance,
        patientId,
      },
      cards.map((c) => {
        const x = c.extension['vcf-cds-assessment'];
        return {
          level: x.level,
          category: x.category,
          probabilityMalignant: x.probabilityMalignant,
          safeguardApplied: x.safeguardApplied,
        };
      }),
      deps.auditIdKey,
    ),
  };
}
