/**
 * Validation statistics for a site's biopsy-proven cases: pure functions, no I/O, no FHIR.
 * Used by `vcf-cds validate` (src/cli) and runnable anywhere (no Node built-ins).
 */
export * from './interval.js';
export * from './wilson.js';
export * from './confusion.js';
export * from './kappa.js';
export * from './roc.js';
export * from './calibration.js';
export * from './summary.js';
