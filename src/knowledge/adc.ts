/**
 * ADC evidence (docs/clinical-logic.md section 5). The primary paper measured ADC (b 0 and 800 s/mm2,
 * 35 mm2 ROI, mean of three) and found benign higher than malignant (P < 0.01) but printed no
 * values and no cut-off, so the rule comes from its reference 22. A site replaces cut-off,
 * sensitivity and specificity together with its own protocol's values.
 */
import type { SourceId } from './sources.js';

export interface AdcRule {
  /** 10^-3 mm^2/s; ADC below it counts for malignancy. */
  readonly cutoff: number;
  /** Sensitivity for malignancy of "ADC below the cut-off". */
  readonly sensitivity: number;
  /** Specificity for malignancy of "ADC below the cut-off". */
  readonly specificity: number;
  /** Where the three numbers come from (a SourceId, or a site's own citation). */
  readonly source: SourceId | string;
  readonly protocol: string;
}

/** Wonglaksanapimon 2012 (PMID 22379746): cut-off 0.89, sensitivity 85.7%, specificity 90.6%. */
export const DEFAULT_ADC_RULE: AdcRule = {
  cutoff: 0.89,
  sensitivity: 0.857,
  specificity: 0.906,
  source: 'wonglaksanapimon2012',
  protocol: 'DWI with ADC map, single-centre series of vertebral compression fractures',
};

/** Published alternatives a site may choose from (README lists them); none is a default. */
export const PUBLISHED_ADC_ALTERNATIVES = [
  { source: 'park2016', cutoff: 1.14, protocol: 'b 0/400/1000 s/mm2' },
  { source: 'geith2014', cutoff: 1.7, protocol: 'single-shot TSE DWI' },
  {
    source: 'suh2018',
    protocol: 'meta-analysis; pooled sensitivity 0.92, specificity 0.91, no single cut-off',
  },
] as const;

/**
 * The compression-degree grades of the paper (Methods, "MRI signs" (1)): degree I < 1/3 height
 * loss, degree II 1/3 to 2/3, degree III > 2/3. Used to read a height loss given in percent.
 */
export const COMPRESSION_DEGREE_BOUNDS = {
  degree2From: 1 / 3,
  degree3Above: 2 / 3,
  source: 'zhao2026',
  where: 'Methods, Observation indicators, MRI signs (1)',
} as const;
