/** Typed results of the use cases: a value, or an AppError (errors.ts) that the adapters map. */
import type { AppError } from './errors.js';

export type AppResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

export function ok<T>(value: T): AppResult<T> {
  return { ok: true, value };
}

export function failure<T>(error: AppError): AppResult<T> {
  return { ok: false, error };
}

/** Where a use case reports an operational failure: ids and codes only, never patient data. */
export interface ErrorLog {
  error(fields: Record<string, unknown>, message: string): void;
}
