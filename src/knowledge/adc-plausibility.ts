/**
 * The physical bounds of an ADC value, used to catch unit errors before an ADC is weighed (a
 * malignant 0.72 x10^-3 mm2/s sent as "0.72 mm2/s" reads as 720 x10^-3 mm2/s, far in the benign
 * range). External to the primary paper.
 *
 * Upper bound: water in tissue cannot diffuse faster than free water at body temperature, so an
 * apparent diffusion coefficient above the self-diffusion coefficient of pure water at 37 °C is
 * not a tissue value. Holz et al. 2000 give the self-diffusion coefficient of water from 1H PFG
 * NMR (0-100 °C, error < 1 %) and fit it with a Speedy-Angell power law,
 * D = D0 [(T / Ts) - 1]^gamma, D0 = 1.635e-8 m2/s, Ts = 215.05 K, gamma = 2.063. The paper's table
 * has no row at 37 °C; at T = 310.15 K the fit gives 3.037e-9 m2/s = 3.04 x10^-3 mm2/s (three
 * significant digits, the precision of the fit). The fit reproduces the paper's 25 °C reference
 * value, 2.299e-9 m2/s (2.2995 from the fit).
 *
 * Lower bound: no published physical source gives one (restricted diffusion can be very low), so
 * it is a setting with no default (ExtractionOptions.adcMinimum); without it only "ADC > 0" holds.
 */

/** The Speedy-Angell fit of Holz et al. 2000 for water, as the paper gives it (SI units). */
export const WATER_SELF_DIFFUSION_FIT = {
  /** D0, m2/s. */
  d0: 1.635e-8,
  /** Ts, K. */
  ts: 215.05,
  gamma: 2.063,
  source: 'holz2000',
  where: 'Speedy-Angell power law fitted to the water data (D0, Ts, gamma)',
} as const;

/**
 * Self-diffusion coefficient of free water at 37 °C (310.15 K), in 10^-3 mm2/s: the fit above at
 * 310.15 K (3.037e-9 m2/s), to three significant digits. Any ADC above it is not a tissue value.
 */
export const FREE_WATER_DIFFUSIVITY_37C = {
  value: 3.04,
  temperatureKelvin: 310.15,
  source: 'holz2000',
  where: 'WATER_SELF_DIFFUSION_FIT evaluated at 310.15 K, three significant digits',
} as const;

/**
 * An ADC below this, in 10^-3 mm2/s after unit conversion, is far below any vertebral marrow value
 * reported (a likely unit slip: 0.75 x10^-3 mm2/s sent as 0.75 `um2/s` reads 0.00075). It is used
 * as received, but the card names it as implausibly low and it is never `info`. A plausibility
 * floor of the project's clinical rules, not a diagnostic cut-off, and unlike VCF_ADC_MINIMUM it
 * rejects nothing.
 */
export const ADC_IMPLAUSIBLY_LOW = {
  value: 0.1,
  source: 'clinicalSpec',
  where: 'section 1, implausibly low ADC',
} as const;
