/**
 * valueQuantity -> the number the engine reads: ADC in 10^-3 mm2/s, converted by the UCUM library
 * (@lhncbc/ucum-lhc) from the accepted units; compression as the fraction of height lost, from
 * '%'. The UCUM `code` is authoritative. A Quantity with only a `unit` display string is not read
 * ("x10^-3 mm²/s", "µm2/s" are free text; misreading the factor changes ADC a thousandfold).
 * @see CLINICAL-SPEC section 1 (adc: UCUM `10*-3.mm2/s`, also `mm2/s`, `10*-6.mm2/s`, `um2/s`)
 */
import ucum from '@lhncbc/ucum-lhc';
import { UCUM } from './profile-contract.js';

/** The unit the engine reads ADC in. */
export const ADC_UNIT = '10*-3.mm2/s';

/** Enough to remove binary floating-point noise (0.0012 mm2/s -> 1.1999999999999997) and no more. */
const SIGNIFICANT_DIGITS = 12;

const utils = ucum.UcumLhcUtils.getInstance();

export type QuantityReading =
  | { readonly ok: true; readonly value: number; readonly note?: string }
  | {
      readonly ok: false;
      readonly reason: 'unknown-unit' | 'wrong-value';
      readonly detail: string;
    };

interface QuantityLike {
  readonly value?: unknown;
  readonly comparator?: unknown;
  readonly unit?: unknown;
  readonly system?: unknown;
  readonly code?: unknown;
}

/** Checks value, comparator and unit; the UCUM code when it is one of `accepted`. */
function readQuantity(
  quantity: unknown,
  accepted: readonly string[],
  what: string,
): { value: number; code: string; note?: string } | Extract<QuantityReading, { ok: false }> {
  const q = (typeof quantity === 'object' && quantity !== null ? quantity : {}) as QuantityLike;
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    return { ok: false, reason: 'wrong-value', detail: `${what} has no numeric value` };
  }
  if (q.comparator !== undefined) {
    return {
      ok: false,
      reason: 'wrong-value',
      detail: `${what} is given as ${String(q.comparator)} ${q.value}, not an exact value`,
    };
  }
  const list = () => accepted.join(', ');
  if (typeof q.code !== 'string' || q.system !== UCUM) {
    const shown = typeof q.unit === 'string' ? ` "${q.unit}"` : '';
    return {
      ok: false,
      reason: 'unknown-unit',
      detail:
        typeof q.code === 'string'
          ? `${what} unit code "${q.code}" is not from UCUM (${UCUM}); accepted: ${list()}`
          : `${what} unit${shown} has no UCUM code; accepted UCUM codes: ${list()}`,
    };
  }
  if (!accepted.includes(q.code)) {
    return {
      ok: false,
      reason: 'unknown-unit',
      detail: `${what} unit "${q.code}" is not accepted; accepted UCUM codes: ${list()}`,
    };
  }
  const note =
    typeof q.unit === 'string' && q.unit !== q.code
      ? `unit display "${q.unit}" differs from its UCUM code "${q.code}"; the code was used`
      : undefined;
  return { value: q.value, code: q.code, ...(note !== undefined ? { note } : {}) };
}

/**
 * An ADC valueQuantity in 10^-3 mm2/s. Only the accepted units are handed to UCUM (which then
 * always succeeds); the result is rounded to 12 significant digits so that a value exactly at a
 * cut-off stays at it.
 */
export function adcFromQuantity(quantity: unknown, accepted: readonly string[]): QuantityReading {
  const read = readQuantity(quantity, accepted, 'ADC');
  if ('ok' in read) return read;
  const converted =
    read.code === ADC_UNIT
      ? read.value
      : utils.convertUnitTo(read.code, read.value, ADC_UNIT).toVal;
  if (typeof converted !== 'number' || !Number.isFinite(converted)) {
    return {
      ok: false,
      reason: 'unknown-unit',
      detail: `ADC unit "${read.code}" could not be converted`,
    };
  }
  const value = Number(converted.toPrecision(SIGNIFICANT_DIGITS));
  if (value <= 0)
    return { ok: false, reason: 'wrong-value', detail: 'ADC is not a positive number' };
  const shown =
    read.code === ADC_UNIT ? undefined : `${read.value} ${read.code} = ${value} x10^-3 mm2/s`;
  const note =
    shown !== undefined && read.note !== undefined
      ? `${shown}; ${read.note}`
      : (shown ?? read.note ?? '');
  return { ok: true, value, ...(note ? { note } : {}) };
}

/** A compression-degree valueQuantity in '%' height loss, as a fraction (25% -> 0.25). */
export function heightLossFromQuantity(
  quantity: unknown,
  accepted: readonly string[],
): QuantityReading {
  const read = readQuantity(quantity, accepted, 'Height loss');
  if ('ok' in read) return read;
  if (read.value < 0 || read.value > 100) {
    return {
      ok: false,
      reason: 'wrong-value',
      detail: `height loss ${read.value}% is not between 0 and 100`,
    };
  }
  return {
    ok: true,
    value: read.value / 100,
    ...(read.note !== undefined ? { note: read.note } : {}),
  };
}
