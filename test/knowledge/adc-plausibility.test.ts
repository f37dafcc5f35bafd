/**
 * The upper bound of a tissue ADC: free water at 37 °C, from the Speedy-Angell fit Holz et al. 2000
 * publish for water. The stored value must be what the stored fit gives, to its three digits.
 */
import { describe, expect, it } from 'vitest';
import {
  FREE_WATER_DIFFUSIVITY_37C,
  SOURCES,
  WATER_SELF_DIFFUSION_FIT,
} from '../../src/knowledge/index.js';
import { ADC_MAXIMUM } from '../../src/fhir/units.js';

/** D(T) of the fit, in 10^-3 mm2/s (1e-9 m2/s). */
const fitAt = (kelvin: number) => {
  const { d0, ts, gamma } = WATER_SELF_DIFFUSION_FIT;
  return d0 * (kelvin / ts - 1) ** gamma * 1e9;
};

describe('free water at 37 °C', () => {
  it('is the fit at 310.15 K, to three significant digits', () => {
    expect(FREE_WATER_DIFFUSIVITY_37C.temperatureKelvin).toBe(310.15);
    expect(Number(fitAt(310.15).toPrecision(3))).toBe(FREE_WATER_DIFFUSIVITY_37C.value);
  });

  it("the fit reproduces the paper's 25 °C reference value, 2.299e-9 m2/s", () => {
    expect(Number(fitAt(298.15).toPrecision(4))).toBe(2.299);
  });

  it('is the bound the FHIR layer applies, with its source', () => {
    expect(ADC_MAXIMUM).toBe(FREE_WATER_DIFFUSIVITY_37C.value);
    expect(FREE_WATER_DIFFUSIVITY_37C.source).toBe(SOURCES.holz2000.id);
    expect(SOURCES.holz2000).toMatchObject({ doi: '10.1039/B005319H', external: true });
  });
});
