/**
 * The persistence port (ARCHITECTURE.md "Ports"): feedback, the audit of every assessment, and the
 * small shared state that must work across replicas (JWT jti replay cache, rate-limit counters).
 * Two implementations: embedded SQLite (default) and PostgreSQL (DATABASE_URL). No patient data is
 * stored: the audit keeps a keyed hash of the patient id and resource ids/versions only.
 *
 * Every call settles by a deadline (deadline.ts): its own, else the store's STORE_DEADLINE_MS.
 */
import type { StoreCallOptions } from './deadline.js';

/** One clinician response to a card (CDS Hooks 2.0 feedback), as received. */
export interface FeedbackRecord {
  readonly serviceId: string;
  /** The card's uuid. */
  readonly card: string;
  readonly outcome: 'accepted' | 'overridden';
  readonly outcomeTimestamp: string;
  /** When this service received it (ISO 8601). */
  readonly receivedAt: string;
  readonly acceptedSuggestions?: readonly { readonly id: string }[];
  readonly overrideReason?: {
    readonly reason?: {
      readonly code: string;
      readonly system?: string;
      readonly display?: string;
    };
    readonly userComment?: string;
  };
  /** The authenticated CDS client (JWT iss), when client authentication is on. */
  readonly clientId?: string;
}

/** What was advised, from what, by which versions (issue 5: the audit record). */
export interface AuditRecord {
  readonly id: string;
  /** ISO 8601. */
  readonly time: string;
  readonly serviceId: string;
  readonly hook: string;
  readonly hookInstance: string;
  /** HMAC-SHA-256 hex of the patient id under the audit id key (AUDIT_ID_KEY, audit-id-key.ts). */
  readonly patientIdHash: string;
  readonly inputs: readonly {
    readonly resourceType: string;
    readonly id: string;
    readonly versionId?: string;
  }[];
  readonly outputs: readonly {
    readonly level: string;
    readonly category: string;
    readonly probabilityMalignant: number;
    readonly safeguardApplied: boolean;
  }[];
  readonly engineVersion: string;
  readonly knowledgeBaseVersion: string;
  /** The engine settings in force ('default' or their hash); absent in records made before it. */
  readonly settingsFingerprint?: string;
  readonly clientId?: string;
}

/** The stable codes a StoreError carries. */
export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_FULL' | 'STORE_CLOSED';

/**
 * A store failure with a stable code, mapped to 503 by the CDS layer. `driverCode` is the database's
 * own code (e.g. `SQLITE_FULL`, SQLSTATE `53100`, `ECONNREFUSED`) for operators; the message never
 * holds record contents.
 */
export class StoreError extends Error {
  readonly driverCode: string | undefined;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown; driverCode?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.driverCode = options?.driverCode;
  }
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Commits a probe write (readiness): resolves when the store can commit by the deadline, rejects
   * with a StoreError otherwise. A database that answers reads but cannot commit is not ready.
   */
  ping(options?: StoreCallOptions): Promise<void>;
  /**
   * Durable when the promise resolves (committed). Idempotent: an item is identified by (serviceId,
   * card, outcome, outcomeTimestamp as sent); a repeat resolves as the first did and adds no row.
   * A rejection means nothing was committed, except when the deadline passed after the commit was
   * sent (README "Persistence": the one ambiguous case, which a retry resolves).
   */
  saveFeedback(items: readonly FeedbackRecord[], options?: StoreCallOptions): Promise<void>;
  /**
   * Durable when the promise resolves. Idempotent: a record is identified by (serviceId,
   * hookInstance, its levels in order); a repeat resolves and keeps the first record.
   */
  saveAudit(record: AuditRecord, options?: StoreCallOptions): Promise<void>;
  /** Reads back (tests, operators); newest last. */
  listFeedback(
    filter?: {
      readonly card?: string;
      readonly serviceId?: string;
    },
    options?: StoreCallOptions,
  ): Promise<FeedbackRecord[]>;
  listAudit(
    filter?: { readonly hookInstance?: string },
    options?: StoreCallOptions,
  ): Promise<AuditRecord[]>;
  /**
   * Records a JWT id until `expiresAt`. Resolves true when it is new, false when it was seen before
   * and has not expired (a replay). Shared by every replica on PostgreSQL.
   */
  rememberJti(
    issuer: string,
    jti: string,
    expiresAt: Date,
    now: Date,
    options?: StoreCallOptions,
  ): Promise<boolean>;
  /** Hits on `key` in the fixed window containing `now`, this hit included. Shared on PostgreSQL. */
  hitRateLimit(
    key: string,
    windowMs: number,
    now: Date,
    options?: StoreCallOptions,
  ): Promise<number>;
  /** Waits for pending writes, then closes. Further calls reject with STORE_CLOSED. */
  close(): Promise<void>;
}
