/**
 * The use case "store feedback": CDS Hooks feedback items become durable records, stamped with
 * the service, the time received and the authenticated client.
 */
import type { StoreBudget } from '../store/deadline.js';
import type { FeedbackRecord, Store } from '../store/types.js';
import { appError } from './errors.js';
import { failure, ok, type AppResult, type ErrorLog } from './result.js';

/**
 * One feedback item as the CDS Hooks spec defines it: the record the store keeps, without what
 * this service adds (which service, when received, which client).
 */
export type FeedbackItem = Omit<FeedbackRecord, 'serviceId' | 'receivedAt' | 'clientId'>;

export interface StoreFeedbackDeps {
  readonly store: Pick<Store, 'saveFeedback'>;
  readonly now: () => Date;
  readonly budget: StoreBudget;
  readonly logger: ErrorLog;
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'unknown';
}

/** Stores the items; idempotent, so a retried report is stored once and answered alike. */
export async function storeFeedback(
  serviceId: string,
  items: readonly FeedbackItem[],
  clientId: string | undefined,
  deps: StoreFeedbackDeps,
): Promise<AppResult<{ readonly stored: number }>> {
  const receivedAt = deps.now().toISOString();
  try {
    const records: FeedbackRecord[] = items.map((f) => ({
      serviceId,
      card: f.card,
      outcome: f.outcome,
      outcomeTimestamp: f.outcomeTimestamp,
      receivedAt,
      ...(f.acceptedSuggestions
        ? { acceptedSuggestions: f.acceptedSuggestions.map((s) => ({ id: s.id })) }
        : {}),
      ...(f.overrideReason ? { overrideReason: f.overrideReason } : {}),
      ...(clientId ? { clientId } : {}),
    }));
    await deps.budget.run((call) => deps.store.saveFeedback(records, call));
  } catch (error) {
    deps.logger.error({ err: errorCode(error) }, 'feedback not stored');
    return failure(
      appError('store-unavailable', 'The feedback could not be stored; please retry.'),
    );
  }
  return ok({ stored: items.length });
}
