/**
 * How a record becomes a row and back, shared by both backends. The whole record is kept as JSON
 * text (`record` column) so nothing a client sent is lost or altered (JSON.stringify escapes NUL
 * and lone surrogates, which PostgreSQL text and json would reject); a few fields are copied into
 * plain columns so operators and the filters can query them.
 */
import { randomUUID } from 'node:crypto';
import type { AuditRecord, FeedbackRecord } from './types.js';

/** The columns a feedback row holds besides its sequence number. */
export interface FeedbackRow {
  readonly rowId: string;
  readonly serviceId: string;
  readonly card: string;
  readonly outcome: string;
  /** As sent: with serviceId, card and outcome, what identifies a report (a retry repeats it). */
  readonly outcomeTimestamp: string;
  readonly receivedAt: string;
  readonly clientId: string | null;
  readonly record: string;
}

/** The columns an audit row holds besides its sequence number. */
export interface AuditRow {
  readonly rowId: string;
  readonly id: string;
  readonly time: string;
  readonly serviceId: string;
  readonly hook: string;
  readonly hookInstance: string;
  /** The assessed levels in order, comma-separated: with serviceId and hookInstance, the record's identity. */
  readonly levels: string;
  readonly patientIdHash: string;
  readonly engineVersion: string;
  readonly knowledgeBaseVersion: string;
  readonly clientId: string | null;
  readonly record: string;
}

/**
 * A copy of a string fit for a text column: PostgreSQL text cannot hold NUL. Filters go through
 * the same function, so a value with NUL still finds its row; the `record` keeps the original.
 */
export function columnText(value: string): string {
  return value.includes('\0') ? value.replaceAll('\0', '') : value;
}

/** An ISO 8601 time for a timestamp column; falls back to `fallback` when `value` is not a time. */
export function columnTime(value: string, fallback: Date): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? fallback.toISOString() : new Date(ms).toISOString();
}

/**
 * The row for one feedback item. `rowId` is new per item; what identifies the report is (service,
 * card, outcome, outcomeTimestamp), unique in the table, so a retried report is stored once while
 * two different reports of one card stay two rows.
 */
export function feedbackRow(item: FeedbackRecord, now: Date): FeedbackRow {
  return {
    rowId: randomUUID(),
    serviceId: columnText(item.serviceId),
    card: columnText(item.card),
    outcome: columnText(item.outcome),
    outcomeTimestamp: columnText(item.outcomeTimestamp),
    receivedAt: columnTime(item.receivedAt, now),
    clientId: item.clientId === undefined ? null : columnText(item.clientId),
    record: JSON.stringify(item),
  };
}

/** The levels part of an audit record's identity (see AuditRow.levels). */
export function auditLevels(record: Pick<AuditRecord, 'outputs'>): string {
  return columnText(record.outputs.map((o) => o.level).join(','));
}

/** The row for one audit record (see feedbackRow for `rowId` and identity). */
export function auditRow(record: AuditRecord, now: Date): AuditRow {
  return {
    rowId: randomUUID(),
    id: columnText(record.id),
    time: columnTime(record.time, now),
    serviceId: columnText(record.serviceId),
    hook: columnText(record.hook),
    hookInstance: columnText(record.hookInstance),
    levels: auditLevels(record),
    patientIdHash: columnText(record.patientIdHash),
    engineVersion: columnText(record.engineVersion),
    knowledgeBaseVersion: columnText(record.knowledgeBaseVersion),
    clientId: record.clientId === undefined ? null : columnText(record.clientId),
    record: JSON.stringify(record),
  };
}

/** Parses a `record` column back; the store wrote it, so a plain object is all that is checked. */
export function parseRecord<T extends FeedbackRecord | AuditRecord>(text: unknown): T {
  if (typeof text !== 'string') throw new TypeError('record column is not text');
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('record column does not hold an object');
  }
  return value as T;
}

/** The first second of the fixed window of `windowMs` holding `now` (epoch milliseconds). */
export function windowStart(now: Date, windowMs: number): number {
  return Math.floor(now.getTime() / windowMs) * windowMs;
}
