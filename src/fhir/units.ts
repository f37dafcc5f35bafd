/**
 * valueQuantity -> the number the engine reads: ADC in 10^-3 mm2/s, converted by the UCUM library
 * (@lhncbc/ucum-lhc) from the accepted units; compression as the fraction of height lost, from
 * '%'. The UCUM `code` is authoritative. A Quantity with only a `unit` display string is not read
 * ("x10^-3 mm²/s", "µm2/s" are free text; misreading the factor changes ADC a thousandfold).
 * @see docs/clinical-logic.md section 1 (adc: UCUM `10*-3.mm2/s`, also `mm2/s`, `10*-6.mm2/s`, `um2/s`)
 */
import ucum from '@lhncbc/ucum-lhc';
import { COMPRESSION_DEGREE_BOUNDS } from '../knowledge/index.js';
import { FREE_WATER_DIFFUSIVITY_37C, SOURCES } from '../knowledge/index.js';
import { UCUM } from './profile-contract.js';

/** The unit the engine reads ADC in. */
export const ADC_UNIT = '10*-3.mm2/s';

/** Enough to remove binary floating-point noise (0.0012 mm2/s -> 1.1999999999999997) and no more. */
const SIGNIFICANT_DIGITS = 12;

/**
 * A height loss equal to a grade boundary to this many significant digits is at the boundary:
 * 200/3 % sent as 66.66666666666667 is 2/3 (degree-2), not just above it (degree-3).
 */
const BOUNDARY_DIGITS = 10;

/** The largest ADC a tissue can have, in 10^-3 mm2/s: free water at 37 °C (Holz et al. 2000). */
export const ADC_MAXIMUM = FREE_WATER_DIFFUSIVITY_37C.value;

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

/** What bounds an ADC beyond "greater than zero": the configured minimum, if any. */
export interface AdcBounds {
  /** 10^-3 mm2/s; a setting with no default (no published physical lower bound exists). */
  readonly minimum?: number;
}

/**
 * An ADC valueQuantity in 10^-3 mm2/s. Only the accepted units are handed to UCUM (which then
 * always succeeds); the result is rounded to 12 significant digits so that a value exactly at a
 * cut-off stays at it. A value above the diffusivity of free water at 37 °C, or below the
 * configured minimum, is not a tissue value (most often a unit error) and is not read.
 * `what` names the sign in the words of the card ("ADC").
 */
export function adcFromQuantity(
  quantity: unknown,
  accepted: readonly string[],
  what = 'ADC',
  bounds: AdcBounds = {},
): QuantityReading {
  const read = readQuantity(quantity, accepted, what);
  if ('ok' in read) return read;
  const converted =
    read.code === ADC_UNIT
      ? read.value
      : utils.convertUnitTo(read.code, read.value, ADC_UNIT).toVal;
  if (typeof converted !== 'number' || !Number.isFinite(converted)) {
    return {
      ok: false,
      reason: 'unknown-unit',
      detail: `${what} unit "${read.code}" could not be converted`,
    };
  }
  const value = Number(converted.toPrecision(SIGNIFICANT_DIGITS));
  if (value <= 0)
    return { ok: false, reason: 'wrong-value', detail: `${what} is not a positive number` };
  const shown =
    read.code === ADC_UNIT ? undefined : `${read.value} ${read.code} = ${value} x10^-3 mm2/s`;
  const given = `${what} ${shown ?? `${value} x10^-3 mm2/s`}`;
  if (value > ADC_MAXIMUM) {
    return {
      ok: false,
      reason: 'wrong-value',
      detail: `${given} is above the diffusivity of free water at 37 °C (${ADC_MAXIMUM} x10^-3 mm2/s, ${SOURCES.holz2000.label}), which no tissue exceeds: check the unit`,
    };
  }
  if (bounds.minimum !== undefined && value < bounds.minimum) {
    return {
      ok: false,
      reason: 'wrong-value',
      detail: `${given} is below the configured minimum (adcMinimum ${bounds.minimum} x10^-3 mm2/s): check the unit`,
    };
  }
  const note =
    shown !== undefined && read.note !== undefined
      ? `${shown}; ${read.note}`
      : (shown ?? read.note ?? '');
  return { ok: true, value, ...(note ? { note } : {}) };
}

/**
 * The fraction of height lost, with a value equal to a grade boundary (1/3, 2/3) to
 * BOUNDARY_DIGITS significant digits set to the boundary itself, so that the engine's grading
 * (degree-2 from 1/3 up to 2/3 inclusive) sees 200/3 % as exactly 2/3.
 */
function atBoundary(fraction: number): number {
  const rounded = Number(fraction.toPrecision(BOUNDARY_DIGITS));
  for (const bound of [
    COMPRESSION_DEGREE_BOUNDS.degree2From,
    COMPRESSION_DEGREE_BOUNDS.degree3Above,
  ]) {
    if (Number(bound.toPrecision(BOUNDARY_DIGITS)) === rounded) return bound;
  }
  return fraction;
}

/**
 * A compression-degree valueQuantity in '%' height loss, as a fraction (25% -> 0.25). 0 % is no
 * compression at all: not a grade of a compression fracture (reading it as degree-1, < 1/3, would
 * weigh a sign the vertebra does not show).
 */
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
  if (read.value === 0) {
    return {
      ok: false,
      reason: 'wrong-value',
      detail: '0 % height loss is no compression: not a grade of a compression fracture',
    };
  }
  return {
    ok: true,
    value: atBoundary(read.value / 100),
    ...(read.note !== undefined ? { note: read.note } : {}),
  };
}
