/**
 * The use case "commit the audit record of an assessment before any answer" (house rule: audit
 * records are durable). A store that cannot take it gets the assessment withheld: decision support
 * without its audit record is not given (the adapter answers `store-unavailable`, 503).
 */
import type { StoreBudget } from '../store/deadline.js';
import { StoreError, type Store } from '../store/types.js';
import type { AuditDraft } from './audit-draft.js';
import { appError } from './errors.js';
import { failure, ok, type AppResult, type ErrorLog } from './result.js';

export interface CommitAuditDeps {
  readonly store: Pick<Store, 'saveAudit'>;
  readonly now: () => Date;
  readonly newId: () => string;
  /** The request's store time (STORE_DEADLINE_MS), shared by all its store calls. */
  readonly budget: StoreBudget;
  readonly logger: ErrorLog;
  /** Seconds the commit took and how it ended (the audit-commit metric). */
  readonly observe?: (seconds: number, outcome: 'stored' | 'failed') => void;
}

/**
 * Stores the record (`clientId`: the authenticated client's JWT iss). A retried hookInstance finds
 * its record stored and resolves (idempotent): answered again. Anything but a store failure is a
 * bug and is thrown (a 500).
 */
export async function commitAudit(
  draft: AuditDraft,
  clientId: string | undefined,
  deps: CommitAuditDeps,
): Promise<AppResult<void>> {
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  try {
    const record = {
      id: deps.newId(),
      time: deps.now().toISOString(),
      ...draft,
      inputs: [...draft.inputs],
      outputs: [...draft.outputs],
      ...(clientId ? { clientId } : {}),
    };
    await deps.budget.run((call) => deps.store.saveAudit(record, call));
    deps.observe?.(elapsed(), 'stored');
    return ok(undefined);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    deps.observe?.(elapsed(), 'failed');
    deps.logger.error(
      { err: error.code, driverCode: error.driverCode, hookInstance: draft.hookInstance },
      'audit record not stored; assessment withheld (503)',
    );
    return failure(
      appError(
        'store-unavailable',
        'The audit record of this assessment could not be stored, so no decision support is given; retry.',
      ),
    );
  }
}
