/**
 * When a finding was made, for "the latest effective[x] wins (then issued)". A FHIR date may be
 * partial ("2026-02") and a date has no time zone, so each is read as the interval of instants it
 * may mean; one finding is later than another only when its interval lies wholly after the
 * other's. Overlapping intervals cannot be ordered: the next criterion decides, or nothing does.
 * @see CLINICAL-SPEC section 1 (same finding twice)
 */

/** Instants in ms since the epoch, inclusive. */
export interface TimeInterval {
  readonly lo: number;
  readonly hi: number;
}

const HOUR = 3_600_000;
/** A date without a time zone may be meant anywhere from UTC+14:00 to UTC-12:00. */
const EARLIEST_OFFSET = 14 * HOUR;
const LATEST_OFFSET = 12 * HOUR;

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** ms since the epoch of a UTC calendar time; unlike Date.UTC, years 0-99 stay as they are. */
function utc(year: number, month: number, day: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** A FHIR date, dateTime or instant as an interval, or undefined when it is not one. */
export function timeInterval(value: unknown): TimeInterval | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  if (h !== undefined && zone !== undefined) {
    const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
    const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    const base =
      utc(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) - offset;
    const digits = frac?.length ?? 0;
    const lo = base + (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
    // Seconds or minutes not given widen the interval to the whole second or minute.
    const span = s === undefined ? 60_000 : digits >= 3 ? 1 : 1000 / 10 ** digits;
    return Number.isFinite(lo) ? { lo, hi: lo + span - 1 } : undefined;
  }
  const start =
    d !== undefined
      ? utc(year, Number(mo) - 1, Number(d))
      : mo !== undefined
        ? utc(year, Number(mo) - 1, 1)
        : utc(year, 0, 1);
  const end =
    d !== undefined
      ? utc(year, Number(mo) - 1, Number(d) + 1)
      : mo !== undefined
        ? utc(year, Number(mo), 1)
        : utc(year + 1, 0, 1);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  return { lo: start - EARLIEST_OFFSET, hi: end + LATEST_OFFSET - 1 };
}

/**
 * Observation.effective[x] as an interval: effectiveDateTime; effectivePeriod's end, else its
 * start; effectiveInstant; effectiveTiming's latest event. Undefined when none gives a date.
 */
export function effectiveInterval(
  observation: Readonly<Record<string, unknown>>,
): TimeInterval | undefined {
  const period = observation['effectivePeriod'] as { start?: unknown; end?: unknown } | undefined;
  const timing = observation['effectiveTiming'] as { event?: unknown } | undefined;
  const candidates: unknown[] = [
    observation['effectiveDateTime'],
    period?.end ?? period?.start,
    observation['effectiveInstant'],
  ];
  const fromTiming = latest(
    (Array.isArray(timing?.event) ? (timing.event as unknown[]) : []).map(timeInterval),
  );
  for (const c of candidates) {
    const interval = timeInterval(c);
    if (interval) return interval;
  }
  return fromTiming;
}

/** The interval ending last among those given (undefined ones skipped). */
function latest(intervals: readonly (TimeInterval | undefined)[]): TimeInterval | undefined {
  let best: TimeInterval | undefined;
  for (const i of intervals) {
    if (i && (!best || i.lo > best.lo || (i.lo === best.lo && i.hi > best.hi))) best = i;
  }
  return best;
}

/** True when `a` is surely after `b`; an unknown time is never after nor before anything. */
export function isAfter(a: TimeInterval | undefined, b: TimeInterval | undefined): boolean {
  return a !== undefined && b !== undefined && a.lo > b.hi;
}
