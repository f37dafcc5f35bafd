/** FHIR dates as intervals of instants: what "later" can and cannot mean. */
import { describe, expect, it } from 'vitest';
import { effectiveInterval, isAfter, timeInterval } from '../../src/fhir/effective-time.js';

const t = (s: string) => timeInterval(s);

describe('timeInterval', () => {
  it('a full dateTime is one second; a time zone is applied', () => {
    expect(t('2026-02-20T10:00:00Z')).toEqual({
      lo: Date.parse('2026-02-20T10:00:00Z'),
      hi: Date.parse('2026-02-20T10:00:00Z') + 999,
    });
    expect(t('2026-02-20T12:00:00+02:00')?.lo).toBe(Date.parse('2026-02-20T10:00:00Z'));
  });

  it('milliseconds narrow it to one millisecond', () => {
    const i = t('2026-02-20T10:00:00.123Z');
    expect(i).toEqual({
      lo: Date.parse('2026-02-20T10:00:00.123Z'),
      hi: Date.parse('2026-02-20T10:00:00.123Z'),
    });
  });

  it('a date may be meant in any time zone; a month or a year is all of it', () => {
    const day = t('2026-02-20');
    expect(day?.lo).toBe(Date.parse('2026-02-19T10:00:00Z'));
    expect(day?.hi).toBe(Date.parse('2026-02-21T12:00:00Z') - 1);
    expect(isAfter(t('2026-03'), t('2026-02-28T23:59:59Z'))).toBe(false);
    expect(isAfter(t('2026-03'), t('2026-02-27T00:00:00Z'))).toBe(true);
    expect(isAfter(t('2027'), t('2026-12-31'))).toBe(false); // they overlap across time zones
    expect(isAfter(t('2027'), t('2026-12-29'))).toBe(true);
  });

  it('years below 100 are not shifted to the 1900s', () => {
    expect(new Date(t('0050-01-01T00:00:00Z')?.lo ?? 0).getUTCFullYear()).toBe(50);
  });

  it('not a date: undefined', () => {
    for (const x of ['2026-2-1', 'yesterday', '', 20260220, null])
      expect(timeInterval(x)).toBeUndefined();
  });
});

describe('effectiveInterval', () => {
  it('reads each effective[x] type; a Period by its end, else its start; a Timing by its last event', () => {
    const at = Date.parse('2026-02-20T10:00:00Z');
    expect(effectiveInterval({ effectiveDateTime: '2026-02-20T10:00:00Z' })?.lo).toBe(at);
    expect(effectiveInterval({ effectiveInstant: '2026-02-20T10:00:00Z' })?.lo).toBe(at);
    expect(
      effectiveInterval({
        effectivePeriod: { start: '2026-01-01T00:00:00Z', end: '2026-02-20T10:00:00Z' },
      })?.lo,
    ).toBe(at);
    expect(effectiveInterval({ effectivePeriod: { start: '2026-02-20T10:00:00Z' } })?.lo).toBe(at);
    expect(
      effectiveInterval({
        effectiveTiming: { event: ['2026-01-01T00:00:00Z', '2026-02-20T10:00:00Z'] },
      })?.lo,
    ).toBe(at);
    expect(effectiveInterval({ effectivePeriod: {} })).toBeUndefined();
  });

  it('an unknown time is neither after nor before anything', () => {
    expect(isAfter(undefined, t('2026-01-01'))).toBe(false);
    expect(isAfter(t('2026-01-01'), undefined)).toBe(false);
  });
});
