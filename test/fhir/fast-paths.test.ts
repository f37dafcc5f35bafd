/**
 * The hand-written readers of the FHIR layer's hot path agree with the rules in their regex form
 * (the form they replaced): references, dates, the JSON walk's own-property shortcut, and the
 * memos of the last reference and date read.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { timeInterval } from '../../src/fhir/effective-time.js';
import { jsonProblem } from '../../src/fhir/json-value.js';
import { FHIR_ID, isFhirId, referenceTarget } from '../../src/fhir/references.js';

/** referenceTarget as a split and regexes (the rule as first written). */
function referenceTargetByRegex(
  reference: string,
): { resourceType: string; id: string } | undefined {
  if (reference.length > 4096) return undefined;
  const absolute = /^https?:\/\/[^/]+\//.test(reference);
  const parts = reference.split('/');
  let end = parts.length;
  if (end >= 4 && parts[end - 2] === '_history') {
    if (!FHIR_ID.test(parts[end - 1] ?? '')) return undefined;
    end -= 2;
  }
  if (absolute ? end < 5 : end !== 2) return undefined;
  const resourceType = parts[end - 2] ?? '';
  const id = parts[end - 1] ?? '';
  return /^[A-Z][A-Za-z]{1,63}$/.test(resourceType) && FHIR_ID.test(id)
    ? { resourceType, id }
    : undefined;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

function utcByDate(year: number, month: number, day: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** timeInterval with the regex and a Date for every reading (the rule as first written). */
function timeIntervalByRegex(value: string): { lo: number; hi: number } | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  // A time that is not on the calendar is none: the last day of the month from Date's rollover.
  const lastDay = new Date(utcByDate(year, Number(mo ?? 1), 0)).getUTCDate();
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d !== undefined && (Number(d) < 1 || Number(d) > lastDay)) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59)) return undefined;
  if (s !== undefined && Number(s) > 60) return undefined;
  if (h !== undefined && zone !== undefined) {
    const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
    const offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    const base =
      utcByDate(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) - offset;
    const digits = frac?.length ?? 0;
    const lo = base + (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
    const span = s === undefined ? 60_000 : digits >= 3 ? 1 : 1000 / 10 ** digits;
    return Number.isFinite(lo) ? { lo, hi: lo + span - 1 } : undefined;
  }
  const start =
    d !== undefined
      ? utcByDate(year, Number(mo) - 1, Number(d))
      : mo !== undefined
        ? utcByDate(year, Number(mo) - 1, 1)
        : utcByDate(year, 0, 1);
  const end =
    d !== undefined
      ? utcByDate(year, Number(mo) - 1, Number(d) + 1)
      : mo !== undefined
        ? utcByDate(year, Number(mo), 1)
        : utcByDate(year + 1, 0, 1);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  return { lo: start - 14 * 3_600_000, hi: end + 12 * 3_600_000 - 1 };
}

const segment = fc.constantFrom(
  'Patient',
  'P',
  'patient',
  'Observation',
  '',
  '_history',
  'x',
  '1',
  'a.b-c',
  'x y',
  'é',
  'h:80',
  'Z'.repeat(64),
  'Z'.repeat(65),
  'i'.repeat(64),
  'i'.repeat(65),
);
const reference = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', 'http://', 'https://', 'ftp://', 'http:/', '/', 'urn:uuid:', 'HTTP://'),
      fc.array(segment, { maxLength: 6 }),
      fc.boolean(),
      segment,
    )
    .map(([scheme, parts, history, version]) => {
      const path = scheme + parts.join('/');
      return history ? `${path}/_history/${version}` : path;
    }),
  fc.string({ maxLength: 20 }),
);

describe('referenceTarget', () => {
  it('agrees with the rule in its regex form', () => {
    fc.assert(
      fc.property(reference, (r) => {
        expect(referenceTarget(r)).toEqual(referenceTargetByRegex(r));
        expect(isFhirId(r)).toBe(FHIR_ID.test(r));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the shapes FHIR references take', () => {
    const cases: [string, string | undefined][] = [
      ['Patient/123', 'Patient 123'],
      ['Patient/123/_history/2', 'Patient 123'],
      ['Patient/123/_history/', undefined],
      ['https://ehr.example.org/fhir/Patient/123', 'Patient 123'],
      ['https://ehr.example.org/fhir/Patient/123/_history/2', 'Patient 123'],
      ['http://h/Patient/123', 'Patient 123'],
      ['http:///Patient/123', undefined],
      ['http://h/123', undefined],
      ['/Patient/123', undefined],
      ['urn:uuid:6a4f0b8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', undefined],
      ['#t1', undefined],
    ];
    for (const [r, expected] of cases) {
      const t = referenceTarget(r);
      expect(t ? `${t.resourceType} ${t.id}` : undefined).toBe(expected);
      expect(referenceTargetByRegex(r)).toEqual(t);
    }
  });

  it('the memo of the last reference answers as a fresh read does, and its answer cannot be changed', () => {
    const a = referenceTarget('Patient/a');
    expect(referenceTarget(`Patient/${'a'}`)).toBe(a);
    expect(referenceTarget('Patient/b')).toEqual({ resourceType: 'Patient', id: 'b' });
    expect(referenceTarget('Patient/a')).toEqual({ resourceType: 'Patient', id: 'a' });
    expect(Object.isFrozen(a)).toBe(true);
    expect(referenceTarget(42)).toBeUndefined();
  });
});

const digits = (n: number) =>
  fc.integer({ min: 0, max: 10 ** n - 1 }).map((x) => String(x).padStart(n, '0'));
const zone = fc.oneof(
  fc.constant('Z'),
  fc.tuple(fc.constantFrom('+', '-'), digits(2), digits(2)).map(([s, h, m]) => `${s}${h}:${m}`),
);
const dateText = fc
  .tuple(
    digits(4),
    fc.option(digits(2)),
    fc.option(digits(2)),
    fc.option(
      fc.tuple(
        digits(2),
        digits(2),
        fc.option(digits(2)),
        fc.option(fc.stringMatching(/^\d{1,8}$/)),
        fc.option(zone),
      ),
    ),
  )
  .map(([y, mo, d, time]) => {
    if (mo === null) return y;
    if (d === null) return `${y}-${mo}`;
    if (time === null) return `${y}-${mo}-${d}`;
    const [h, mi, s, frac, z] = time;
    const seconds = s === null ? '' : `:${s}${frac === null ? '' : `.${frac}`}`;
    return `${y}-${mo}-${d}T${h}:${mi}${seconds}${z ?? ''}`;
  });

describe('timeInterval', () => {
  it('agrees with the rule in its regex form', () => {
    fc.assert(
      fc.property(fc.oneof(dateText, fc.string({ maxLength: 30 })), (text) => {
        expect(timeInterval(text)).toEqual(timeIntervalByRegex(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('years before 100 stay as they are (not 19xx)', () => {
    expect(timeInterval('0099-01-01T00:00:00Z')?.lo).toBe(
      new Date('0099-01-01T00:00:00Z').getTime(),
    );
    expect(timeInterval('0100-01-01T00:00:00Z')?.lo).toBe(Date.UTC(100, 0, 1));
  });

  it('a day, month or time not on the calendar is no date; a leap second, a fraction and a zone are read', () => {
    for (const text of [
      '2026-02-30',
      '2026-02-29',
      '2026-04-31T10:00:00Z',
      '2026-13-01',
      '2026-00',
      '2026-02-01T24:00:00Z',
    ]) {
      expect(timeInterval(text), text).toBeUndefined();
    }
    expect(timeInterval('2024-02-29')?.lo).toBe(Date.UTC(2024, 1, 29) - 14 * 3_600_000);
    expect(timeInterval('2016-12-31T23:59:60Z')?.lo).toBe(Date.UTC(2017, 0, 1));
    expect(timeInterval('2026-02-01T10:00:00.5-01:30')).toEqual({
      lo: Date.UTC(2026, 1, 1, 11, 30, 0, 500),
      hi: Date.UTC(2026, 1, 1, 11, 30, 0, 500) + 99,
    });
  });

  it('the memo of the last date answers as a fresh read does, and its answer cannot be changed', () => {
    const a = timeInterval('2026-02-01T10:00:00Z');
    expect(timeInterval('2026-02-01T10:00:00Z')).toBe(a);
    expect(timeInterval('2026-02-01')).not.toEqual(a);
    expect(timeInterval('2026-02-01T10:00:00Z')).toEqual(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe('jsonProblem', () => {
  it('a property added to Object.prototype is not the data’s own: it is passed over', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['polluted'] = Number.NaN;
    try {
      expect(jsonProblem({ a: 1, b: [{ c: 'x' }] }, 'R')).toBeUndefined();
      expect(jsonProblem({ a: Number.NaN }, 'R')).toEqual({
        path: 'R.a',
        message: 'NaN is not a JSON number',
      });
    } finally {
      delete proto['polluted'];
    }
  });

  it('names the path of the first problem, depth-first in property order', () => {
    const cycle: Record<string, unknown> = { a: [1, { b: 'x' }] };
    ((cycle['a'] as unknown[])[1] as Record<string, unknown>)['c'] = cycle;
    expect(jsonProblem(cycle, 'R')).toEqual({
      path: 'R.a[1].c',
      message: 'refers back to itself (circular)',
    });
    expect(jsonProblem({ a: [1, undefined] }, 'R')).toEqual({
      path: 'R.a[1]',
      message: 'is undefined (not JSON data)',
    });
    expect(jsonProblem({ a: { b: new Map() } }, 'R')).toEqual({
      path: 'R.a.b',
      message: 'a Map object is not JSON data',
    });
  });
});
