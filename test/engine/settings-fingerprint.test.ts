import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENGINE_SETTINGS,
  settingsFingerprint,
  type EngineSettings,
} from '../../src/engine/index.js';

const d = DEFAULT_ENGINE_SETTINGS;

describe('settingsFingerprint: which site settings an assessment was made under', () => {
  it("is 'default' for the defaults, also as a copy with the keys in another order", () => {
    expect(settingsFingerprint(d)).toBe('default');
    const copy = Object.fromEntries(Object.entries(structuredClone(d)).reverse()) as EngineSettings;
    expect(settingsFingerprint(copy)).toBe('default');
    // Other properties on the object do not change what the engine concludes.
    expect(settingsFingerprint({ ...d, unrelated: 1 } as EngineSettings)).toBe('default');
  });

  const changes: readonly [string, EngineSettings][] = [
    ['pre-test', { ...d, pretestProbability: 0.08 }],
    ['cancer-history pre-test', { ...d, cancerHistoryPretestProbability: 0.8 }],
    ['malignant threshold', { ...d, malignantThreshold: 0.95 }],
    ['benign threshold', { ...d, benignThreshold: 0.05 }],
    ['DWI dropped', { ...d, useDwi: false }],
    ['ADC cut-off', { ...d, adc: { ...d.adc, cutoff: 1.14 } }],
    ['ADC sensitivity', { ...d, adc: { ...d.adc, sensitivity: 0.8 } }],
    ['ADC specificity', { ...d, adc: { ...d.adc, specificity: 0.8 } }],
    ['ADC source', { ...d, adc: { ...d.adc, source: 'Site protocol 2026' } }],
    ['ADC protocol', { ...d, adc: { ...d.adc, protocol: 'b 0/400/1000' } }],
  ];

  it.each(changes)('is a short hash, not default, when the %s changes', (_name, s) => {
    expect(settingsFingerprint(s)).toMatch(/^[0-9a-f]{14}$/);
  });

  it('is stable for the same settings and differs between different settings', () => {
    const prints = changes.map(([, s]) => settingsFingerprint(s));
    expect(new Set(prints).size).toBe(changes.length);
    expect(changes.map(([, s]) => settingsFingerprint(structuredClone(s)))).toEqual(prints);
  });

  it('a setting equal to its default is still the default', () => {
    expect(settingsFingerprint({ ...d, pretestProbability: 74 / 150 })).toBe('default');
  });
});

describe('settingsFingerprint on frozen and unfrozen settings', () => {
  it('a settings object that can change is hashed anew on every call', () => {
    const settings = { ...DEFAULT_ENGINE_SETTINGS, adc: { ...DEFAULT_ENGINE_SETTINGS.adc } };
    expect(settingsFingerprint(settings)).toBe('default');
    settings.pretestProbability = 0.08;
    expect(settingsFingerprint(settings)).not.toBe('default');
  });
});
