/**
 * When a finding was made, for "the latest effective[x] wins (then issued)". A FHIR date may be
 * partial ("2026-02") and a date has no time zone, so each is read as the interval of instants it
 * may mean; one finding is later than another only when its interval lies wholly after the
 * other's. Overlapping intervals cannot be ordered: the next criterion decides, or nothing does.
 * @see docs/clinical-logic.md section 1 (same finding twice)
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

/**
 * The parts of a FHIR date, dateTime or instant: the text matches
 * `^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$`.
 * Read by hand rather than by that regex: every Observation has a date or two read.
 */
interface DateTimeParts {
  readonly year: number;
  readonly month: number | undefined;
  readonly day: number | undefined;
  /** hour, minute and the zone's offset come together (a time has a zone). */
  readonly hour: number | undefined;
  readonly minute: number;
  readonly second: number | undefined;
  /** The digits after the decimal point of the seconds, if any. */
  readonly fraction: string | undefined;
  /** The zone's offset east of UTC in ms (Z: 0). */
  readonly offset: number;
}

/** The number written by `count` ASCII digits at `start`, or -1 when they are not all digits. */
function digitsAt(text: string, start: number, count: number): number {
  if (start + count > text.length) return -1;
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** The zone at `at` (`Z` or `+hh:mm`, `-hh:mm`), ending the text: its offset in ms, or undefined. */
function zoneOffset(text: string, at: number): number | undefined {
  const c = text[at];
  if (c === 'Z') return at + 1 === text.length ? 0 : undefined;
  if ((c !== '+' && c !== '-') || at + 6 !== text.length || text[at + 3] !== ':') return undefined;
  const hours = digitsAt(text, at + 1, 2);
  const minutes = digitsAt(text, at + 4, 2);
  if (hours < 0 || minutes < 0) return undefined;
  return (c === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** A date without a time: year, month, day as far as given. */
function dateOnly(year: number, month?: number, day?: number): DateTimeParts {
  return {
    year,
    month,
    day,
    hour: undefined,
    minute: 0,
    second: undefined,
    fraction: undefined,
    offset: 0,
  };
}

/** The parts of a date, dateTime or instant, or undefined when the text is not one. */
function dateTimeParts(text: string): DateTimeParts | undefined {
  const year = digitsAt(text, 0, 4);
  if (year < 0) return undefined;
  if (text.length === 4) return dateOnly(year);
  const month = text[4] === '-' ? digitsAt(text, 5, 2) : -1;
  if (month < 0) return undefined;
  if (text.length === 7) return dateOnly(year, month);
  const day = text[7] === '-' ? digitsAt(text, 8, 2) : -1;
  if (day < 0) return undefined;
  if (text.length === 10) return dateOnly(year, month, day);
  if (text[10] !== 'T' || text[13] !== ':') return undefined;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour < 0 || minute < 0) return undefined;
  let at = 16;
  let second: number | undefined;
  let fraction: string | undefined;
  if (text[at] === ':') {
    second = digitsAt(text, 17, 2);
    if (second < 0) return undefined;
    at = 19;
    if (text[at] === '.') {
      let end = at + 1;
      while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) {
        end++;
      }
      if (end === at + 1) return undefined;
      fraction = text.slice(at + 1, end);
      at = end;
    }
  }
  const offset = zoneOffset(text, at);
  if (offset === undefined) return undefined;
  return { year, month, day, hour, minute, second, fraction, offset };
}

/** Days in a month (1-12) of the proleptic Gregorian calendar FHIR dates use. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Why a FHIR date, dateTime or instant that has the right shape names no day of the calendar
 * ("2026-02-30": February 2026 has 28 days), or undefined when it does (or is not a date at all:
 * the shape is the JSON schema's business). The schema's patterns allow day 31 in every month.
 */
export function calendarProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const p = dateTimeParts(value);
  if (p?.month === undefined || p.day === undefined || p.month < 1 || p.month > 12) {
    return undefined;
  }
  const days = daysInMonth(p.year, p.month);
  return p.day > days
    ? `${JSON.stringify(value)} is not a calendar date (${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')} has ${days} days)`
    : undefined;
}

/** Every field within its range: month 1-12, a day of that month, hh:mm 00:00-23:59, seconds to 60 (a leap second). */
function inCalendar(p: DateTimeParts): boolean {
  if (p.month !== undefined && (p.month < 1 || p.month > 12)) return false;
  if (p.day !== undefined && (p.day < 1 || p.day > daysInMonth(p.year, Number(p.month)))) {
    return false;
  }
  if (p.hour !== undefined && (p.hour > 23 || p.minute > 59)) return false;
  return p.second === undefined || p.second <= 60;
}

/** ms since the epoch of a UTC calendar time; unlike Date.UTC, years 0-99 stay as they are. */
function utc(year: number, month: number, day: number, h = 0, mi = 0, s = 0): number {
  // Date.UTC reads years 0-99 as 1900-1999; for later years it computes the same, without a Date.
  if (year >= 100) return Date.UTC(year, month, day, h, mi, s);
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/**
 * The last date read and its interval: the findings of one study share their effective time, so
 * most reads are of the date just read. The interval is frozen, as it is handed out more than once.
 */
const last: { text: string | undefined; interval: TimeInterval | undefined } = {
  text: undefined,
  interval: undefined,
};

/** A FHIR date, dateTime or instant as an interval, or undefined when it is not one. */
export function timeInterval(value: unknown): TimeInterval | undefined {
  if (typeof value !== 'string') return undefined;
  if (value !== last.text) {
    last.text = value;
    last.interval = readInterval(value);
  }
  return last.interval;
}

/** timeInterval without the memo. */
function readInterval(value: string): TimeInterval | undefined {
  const p = dateTimeParts(value);
  if (!p) return undefined;
  // Date.UTC would roll 2026-02-30 over to 2026-03-02: a time that does not exist is no time.
  if (!inCalendar(p)) return undefined;
  const { year, month: mo, day: d, second: s, fraction: frac } = p;
  if (p.hour !== undefined) {
    const base = utc(year, Number(mo) - 1, Number(d), p.hour, p.minute, s ?? 0) - p.offset;
    const digits = frac?.length ?? 0;
    const lo = base + (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
    // Seconds or minutes not given widen the interval to the whole second or minute.
    const span = s === undefined ? 60_000 : digits >= 3 ? 1 : 1000 / 10 ** digits;
    return Number.isFinite(lo) ? Object.freeze({ lo, hi: lo + span - 1 }) : undefined;
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
  return Object.freeze({ lo: start - EARLIEST_OFFSET, hi: end + LATEST_OFFSET - 1 });
}

/**
 * Observation.effective[x] as an interval: effectiveDateTime; effectivePeriod's end, else its
 * start; effectiveInstant; effectiveTiming's latest event. Undefined when none gives a date.
 */
export function effectiveInterval(
  observation: Readonly<Record<string, unknown>>,
): TimeInterval | undefined {
  const period = observation['effectivePeriod'] as { start?: unknown; end?: unknown } | undefined;
  const interval =
    timeInterval(observation['effectiveDateTime']) ??
    timeInterval(period?.end ?? period?.start) ??
    timeInterval(observation['effectiveInstant']);
  if (interval) return interval;
  const timing = observation['effectiveTiming'] as { event?: unknown } | undefined;
  return latest(
    (Array.isArray(timing?.event) ? (timing.event as unknown[]) : []).map(timeInterval),
  );
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
